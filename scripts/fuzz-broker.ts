// `npm run fuzz [-- --frames N --seed S --parallel P]`: sends N (default 100,000) mutated request frames to an
// in-process KafkaBroker, each on its own connection (a broker rightly closes a connection at its first bad
// frame, so frames pipelined behind it would never be read), then checks the broker still answers and prints
// RSS/heap before and after. Mutations: byte flips, truncation, int16/int32 overwrites with edge values
// (lengths -1, 0x7fffffff, ...), edge unsigned varints (the compact lengths and tags of flexible versions),
// garbage tails; half the frames get their size prefix fixed so they reach the decoders instead of the framer. Reproducible: the seed is printed and can be passed back.
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { KafkaBroker } from '../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { metadata } from '../src/broker/client/request-builders.js';
import { EDGE_INT32, EDGE_UVARINTS, mutate, seedFrames } from '../test/broker/support/seed-frames.js';
import type { Mutation } from '../test/broker/support/seed-frames.js';
import { sendAndHalfClose } from '../test/broker/support/send-frame.js';
import { seededRandom } from '../src/broker/utils/seeded-random.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} expects a number`);
  return value;
}

const FRAMES = option('frames', 100_000);
const PARALLEL = option('parallel', 64);
const SEED = option('seed', Date.now() % 2 ** 31);

const random = seededRandom(SEED);
const int = (max: number) => Math.floor(random() * max);
const seeds = seedFrames();

function randomMutation(): Mutation {
  switch (int(6)) {
    case 0:
      return { kind: 'flip', at: int(1 << 20), xor: 1 + int(255) };
    case 1:
      return { kind: 'truncate', at: int(1 << 20) };
    case 2:
      return {
        kind: 'int32',
        at: int(1 << 20),
        value: random() < 0.6 ? EDGE_INT32[int(EDGE_INT32.length)]! : int(2 ** 32) - 2 ** 31,
      };
    case 3:
      return {
        kind: 'int16',
        at: int(1 << 20),
        value: random() < 0.5 ? [-1, 0, 0x7fff, 99][int(4)]! : int(65536) - 32768,
      };
    case 4:
      return { kind: 'varint', at: int(1 << 20), bytes: EDGE_UVARINTS[int(EDGE_UVARINTS.length)]! };
    default:
      return { kind: 'append', bytes: Array.from({ length: int(17) }, () => int(256)) };
  }
}

function randomFrame(): Buffer {
  const frame = mutate(seeds[int(seeds.length)]!, Array.from({ length: int(5) }, randomMutation));
  if (random() < 0.5 && frame.length >= 4) frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

function memory(): string {
  const m = process.memoryUsage();
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
  return `rss ${mb(m.rss)}, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, external ${mb(m.external)}`;
}

const broker = await KafkaBroker.start({
  config: { 'socket.request.max.bytes': 1_000_000, 'log.segment.bytes': 1 << 20 },
});
process.stdout.write(
  `fuzz: ${FRAMES} frames from ${seeds.length} seeds, seed ${SEED}, ${PARALLEL} connections at a time, broker ${broker.bootstrap}\n`,
);
global.gc?.();
process.stdout.write(`before: ${memory()}\n`);
const started = Date.now();
let timedOut = 0;
for (let sent = 0; sent < FRAMES; sent += PARALLEL) {
  const batch = Array.from({ length: Math.min(PARALLEL, FRAMES - sent) }, randomFrame);
  const outcomes = await Promise.all(batch.map((frame) => sendAndHalfClose(broker.port, frame)));
  timedOut += outcomes.filter((o) => o === 'timed out').length;
  if ((sent / PARALLEL) % 200 === 0 && sent > 0) process.stdout.write(`  ${sent} frames, ${memory()}\n`);
}
const seconds = (Date.now() - started) / 1000;
global.gc?.();
process.stdout.write(`after:  ${memory()}\n`);
const metrics = broker.metrics();
process.stdout.write(
  `${FRAMES} frames in ${seconds.toFixed(1)} s (${Math.round(FRAMES / seconds)}/s): ${metrics.requestQueue.totalRequests} reached KafkaApis, ` +
    `${metrics.rejectedFrames} refused by the framer, ${timedOut} connections still busy after 3 s (long polls), ` +
    `${broker.topics().length} topics auto-created\n`,
);

const client = await RawKafkaClient.connect(broker.port);
let ok: boolean;
try {
  const versions = await client.request(ApiKey.ApiVersions, 2, {});
  const meta = await client.request(ApiKey.Metadata, 8, metadata(null));
  ok = versions.errorCode === 0 && meta.brokers[0]?.port === broker.port;
} finally {
  client.close();
  await broker.close();
}
process.stdout.write(
  ok ? 'still answering: ApiVersions and Metadata OK\n' : 'FAILED: the broker no longer answers correctly\n',
);
process.exitCode = ok ? 0 : 1;
