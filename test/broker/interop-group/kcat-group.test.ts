import { afterEach, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { kcat, kcatInstalled } from '../support/kcat.js';
import { FAST_GROUPS } from './group-test-kit.js';

let broker: KafkaBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

/** kcat -G: librdkafka's balanced consumer (JoinGroup, SyncGroup, OffsetFetch, OffsetCommit on its own coordinator connection). */
function consumeAsGroup(bootstrap: string, group: string, topic: string) {
  return kcat(bootstrap, ['-G', group, '-X', 'auto.offset.reset=earliest', '-e', '-f', '%s\n', topic]);
}

describe.skipIf(!kcatInstalled)('kcat (librdkafka 2.0.2) consumer groups on the mini-broker', () => {
  it('kcat -G reads a topic once; rerun with the same group it reads only what arrived since', async () => {
    broker = await KafkaBroker.start({ config: { ...FAST_GROUPS, 'num.partitions': 3 } });
    const first = Array.from({ length: 9 }, (_, i) => `one-${i}`);
    await kcat(broker.bootstrap, ['-P', '-t', 'events', '-K', ':'], {
      input: first.map((v, i) => `k${i}:${v}\n`).join(''),
    });

    const run1 = await consumeAsGroup(broker.bootstrap, 'kc', 'events');
    expect(run1.code, run1.stderr).toBe(0);
    expect(run1.stdout.trim().split('\n').sort()).toEqual(first.sort());
    expect(broker.group('kc')?.offsets.map((o) => o.lag)).toEqual([0n, 0n, 0n]);

    const second = ['two-0', 'two-1'];
    await kcat(broker.bootstrap, ['-P', '-t', 'events', '-K', ':'], {
      input: second.map((v, i) => `j${i}:${v}\n`).join(''),
    });
    const run2 = await consumeAsGroup(broker.bootstrap, 'kc', 'events');
    expect(run2.code, run2.stderr).toBe(0);
    expect(run2.stdout.trim().split('\n').sort()).toEqual(second);

    const generations = broker.group('kc')?.generationId ?? 0;
    expect(generations).toBeGreaterThanOrEqual(4); // two runs: each joins (a generation) and leaves (another)
  });
});
