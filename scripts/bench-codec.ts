// Extra part (a) of `npm run bench:broker -- --extra a`: kq's own codec as load generator. Pre-encoded Produce
// requests (batches of 1,000 x 100 B records), pipelined, then pipelined Fetches reading them back; the same frames
// against a plain Node TCP server that appends them to a file and streams them back
// (scripts/bench-baseline-server.mjs). Goal >= 0.5x of the baseline.
import { connect } from 'node:net';
import { join } from 'node:path';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { encodeRequestFrame } from '../src/broker/protocol/frames.js';
import { buildRecordBatch } from '../src/broker/record/record-batch-builder.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { createTopics, fetch, produce } from '../src/broker/client/request-builders.js';
import { fmt, MB, median, times, type BenchOptions } from './bench-support.js';
import { spawn } from 'node:child_process';

const WINDOW = 32; // requests in flight on the pipelined connection

/** Writes `frames` on one connection keeping at most WINDOW unanswered; returns response bytes and seconds. */
function pipeline(port: number, frames: Buffer[]): Promise<{ responseBytes: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let sent = 0;
    let answered = 0;
    let responseBytes = 0;
    let pending: Buffer = Buffer.alloc(0);
    let started = 0;
    const pump = () => {
      while (sent < frames.length && sent - answered < WINDOW) socket.write(frames[sent++]!);
    };
    socket.on('connect', () => {
      started = performance.now();
      pump();
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 4) {
        const size = pending.readInt32BE(offset);
        if (pending.length - offset - 4 < size) break;
        offset += 4 + size;
        responseBytes += 4 + size;
        answered++;
      }
      pending = pending.subarray(offset);
      if (answered === frames.length) {
        const seconds = (performance.now() - started) / 1000;
        socket.destroy();
        resolve({ responseBytes, seconds });
      } else pump();
    });
    socket.on('error', reject);
  });
}

function startBaseline(root: string, file: string, batchesPerFetch: number) {
  const proc = spawn(process.execPath, ['scripts/bench-baseline-server.mjs', file, String(batchesPerFetch)], {
    cwd: root,
  });
  proc.stderr.resume();
  return new Promise<{ port: number; stop(): Promise<void> }>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (?:\S+:)?(\d+)/.exec(out);
      if (match)
        resolve({
          port: Number(match[1]),
          stop: () =>
            new Promise<void>((done) => {
              proc.on('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
    });
    proc.on('exit', (code) => reject(new Error(`baseline server exited ${code}`)));
  });
}

export async function codecPart(options: BenchOptions, brokerPort: number): Promise<void> {
  const batches = Math.max(10, Math.round(500 * options.scale));
  const value = Buffer.alloc(100, 'v');
  const batch = buildRecordBatch({ records: Array.from({ length: 1000 }, () => ({ key: null, value })) });
  const batchesPerFetch = Math.max(1, Math.floor(MB / batch.length));
  const admin = await RawKafkaClient.connect(brokerPort);
  await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'bench-a' }]));
  admin.close();
  const produceFrames = Array.from({ length: batches }, (_, i) =>
    encodeRequestFrame(
      ApiKey.Produce,
      { apiVersion: 8, correlationId: i, clientId: 'bench' },
      produce('bench-a', batch, { acks: 1 }),
    ),
  );
  const fetchFrames = Array.from({ length: Math.ceil(batches / batchesPerFetch) }, (_, i) =>
    encodeRequestFrame(
      ApiKey.Fetch,
      { apiVersion: 11, correlationId: i, clientId: 'bench' },
      fetch('bench-a', BigInt(i * batchesPerFetch * 1000), {
        maxBytes: batchesPerFetch * batch.length,
        partitionMaxBytes: batchesPerFetch * batch.length,
      }),
    ),
  );
  const payload = batches * batch.length;
  const mbps = (bytes: number, seconds: number) => bytes / MB / seconds;
  const samples = { bp: [] as number[], bf: [] as number[], np: [] as number[], nf: [] as number[] };
  const baseline = await startBaseline(options.root, join(options.work, 'baseline.bin'), batchesPerFetch);
  try {
    for (let run = 0; run < options.runs; run++) {
      // Alternating runs, each appending the same frames again: the baseline streams back what this run
      // appended (its fetch cursor moves on), the broker's fetches read the first batches again.
      const baseProduce = await pipeline(baseline.port, produceFrames);
      const baseFetch = await pipeline(baseline.port, fetchFrames);
      const brokerProduce = await pipeline(brokerPort, produceFrames);
      const brokerFetch = await pipeline(brokerPort, fetchFrames);
      if (brokerFetch.responseBytes < payload)
        throw new Error(`broker fetched ${brokerFetch.responseBytes} bytes, expected at least ${payload}`);
      samples.np.push(mbps(payload, baseProduce.seconds));
      samples.nf.push(mbps(baseFetch.responseBytes, baseFetch.seconds));
      samples.bp.push(mbps(payload, brokerProduce.seconds));
      samples.bf.push(mbps(brokerFetch.responseBytes, brokerFetch.seconds));
    }
  } finally {
    await baseline.stop();
  }
  const [bp, bf, np, nf] = [median(samples.bp), median(samples.bf), median(samples.np), median(samples.nf)];
  console.log(
    `(a) kq codec, ${batches} batches x 1,000 x 100 B (${fmt(payload / MB)} MB), ${WINDOW} in flight, fetch ${batchesPerFetch} batches/request, median of ${options.runs} alternating runs`,
  );
  console.log(
    `    produce: broker ${fmt(bp)} MB/s, baseline file server ${fmt(np)} MB/s, ratio ${times(bp, np)} (goal >= 0.5x)`,
  );
  console.log(
    `    fetch:   broker ${fmt(bf)} MB/s, baseline file server ${fmt(nf)} MB/s, ratio ${times(bf, nf)} (goal >= 0.5x)`,
  );
}
