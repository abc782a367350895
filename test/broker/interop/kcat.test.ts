import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchesIn, compressionName } from '../../../src/broker/record/record-batch.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { kcat, kcatInstalled } from '../support/kcat.js';

let broker: KafkaBroker;

beforeEach(async () => {
  broker = await KafkaBroker.start();
});

afterEach(async () => {
  await broker.close();
});

describe.skipIf(!kcatInstalled)('kcat (librdkafka 2.0.2) against the mini-broker', () => {
  it('lists the broker and its topics with -L', async () => {
    await kcat(broker.bootstrap, ['-P', '-t', 'listed'], { input: 'x\n' });
    const run = await kcat(broker.bootstrap, ['-L']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`broker 0 at ${broker.bootstrap} (controller)`);
    expect(run.stdout).toContain('topic "listed" with 1 partitions');
  });

  it('produces keyed messages with -P -K: and consumes them back with -C from the beginning', async () => {
    const produced = await kcat(broker.bootstrap, ['-P', '-t', 'keyed', '-K:'], { input: 'k1:v1\nk2:v2\nk3:v3\n' });
    expect(produced.code).toBe(0);
    const consumed = await kcat(broker.bootstrap, ['-C', '-t', 'keyed', '-o', 'beginning', '-e', '-f', '%k %s %o\n']);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('k1 v1 0\nk2 v2 1\nk3 v3 2\n');
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'])(
    'stores %s batches as sent and serves them back readable',
    async (codec) => {
      // Compressible values: librdkafka sends a batch uncompressed when compression would not shrink it.
      const input =
        Array.from({ length: 50 }, (_, i) => `key${i}:${codec}-value-${i}-${'x'.repeat(100)}`).join('\n') + '\n';
      const produced = await kcat(broker.bootstrap, ['-P', '-t', `z-${codec}`, '-K:', '-z', codec], { input });
      expect(produced.code).toBe(0);
      const consumed = await kcat(broker.bootstrap, [
        '-C',
        '-t',
        `z-${codec}`,
        '-o',
        'beginning',
        '-e',
        '-f',
        '%k:%s\n',
      ]);
      expect(consumed.stdout).toBe(input);
      // Stored as sent: every batch in the log still carries the producer's codec (no re-encoding).
      const stored = [...batchesIn(broker.log(`z-${codec}`, 0).read(0n, 1 << 20).records)];
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.map((b) => compressionName(b.compressionCodec))).toEqual(stored.map(() => codec));
    },
  );

  it('produces with acks=0 (-X acks=0): nothing answered, everything stored', async () => {
    const produced = await kcat(broker.bootstrap, ['-P', '-t', 'acks0', '-X', 'acks=0'], { input: 'a\nb\nc\n' });
    expect(produced.code).toBe(0);
    const consumed = await kcat(broker.bootstrap, ['-C', '-t', 'acks0', '-o', 'beginning', '-e', '-f', '%s\n']);
    expect(consumed.stdout).toBe('a\nb\nc\n');
  });

  it('produces to and consumes from a chosen partition of a multi-partition topic (-p)', async () => {
    await broker.close();
    broker = await KafkaBroker.start({ config: { 'num.partitions': 3 } });
    await kcat(broker.bootstrap, ['-P', '-t', 'parts', '-p', '2'], { input: 'two\n' });
    await kcat(broker.bootstrap, ['-P', '-t', 'parts', '-p', '0'], { input: 'zero\n' });
    const consumed = await kcat(broker.bootstrap, [
      '-C',
      '-t',
      'parts',
      '-p',
      '2',
      '-o',
      'beginning',
      '-e',
      '-f',
      '%p %s\n',
    ]);
    expect(consumed.stdout).toBe('2 two\n');
    expect([0, 1, 2].map((p) => broker.log('parts', p).logEndOffset)).toEqual([1n, 0n, 1n]);
  });

  it('stops after -c N messages with -C', async () => {
    await kcat(broker.bootstrap, ['-P', '-t', 'counted'], { input: 'a\nb\nc\nd\n' });
    const consumed = await kcat(broker.bootstrap, ['-C', '-t', 'counted', '-o', 'beginning', '-c', '2', '-f', '%s\n']);
    expect(consumed.stdout).toBe('a\nb\n');
  });
});
