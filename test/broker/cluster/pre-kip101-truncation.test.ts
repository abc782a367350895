import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { batchOf, produce } from '../../../src/broker/client/request-builders.js';
import type { ReplicaManagerEvent } from '../../../src/broker/server/replica-manager.js';
import { ReplicatedBrokers } from '../support/replicated-brokers.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let cluster: ReplicatedBrokers | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('kq.follower.truncation (the KIP-101 demo switch)', () => {
  it.each([
    ['leader-epoch', []],
    ['high-watermark', [{ from: 1n, to: 0n }]],
  ] as const)('%s: a restarted follower whose HW lagged its LEO truncates %o', async (mode, expected) => {
    // A long follower wait keeps the follower's HW behind its LEO: it learns the HW only from its next answer.
    cluster = await ReplicatedBrokers.start(2, { 'replica.fetch.wait.max.ms': 5000, 'kq.follower.truncation': mode });
    cluster.controller.createTopic('orders', [[1, 2]]);
    const client = await cluster.client(1);
    await client.request(ApiKey.Produce, 8, produce('orders', batchOf(['m1']), { acks: 1 }));
    const c = cluster;
    await waitUntil(() => c.broker(2).partition('orders', 0)?.logEndOffset === 1n, 'broker 2 fetched m1', 15_000);
    expect(c.broker(2).partition('orders', 0)?.highWatermark).toBe(0n);
    await cluster.stopBroker(2);
    const truncations: Array<{ from: bigint; to: bigint }> = [];
    await cluster.startBroker(2);
    cluster.broker(2).on('replica', (e: ReplicaManagerEvent) => {
      if (e.kind === 'truncated') truncations.push({ from: e.from, to: e.to });
    });
    await waitUntil(() => c.broker(2).partition('orders', 0)?.highWatermark === 1n, 'broker 2 is back in step', 15_000);
    expect(truncations).toEqual(expected);
  });
});
