import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import {
  createReplicatedTopic,
  startChildProcessCluster,
  failoverKafkaClient,
} from '../support/child-process-cluster.js';

/** Over FAST_KRAFT: a 2 s session so a loaded machine does not fence a live node. */
const NODE_CONFIG = {
  'broker.session.timeout.ms': 2000,
  // One member per group here: nothing to gain from waiting for more members before the first assignment.
  'group.initial.rebalance.delay.ms': 0,
};
const TOPIC = 'ledger';

let cluster: KafkaCluster | undefined;
/** Every node's log lines, written out when a test fails (a restart that stalls is read from them). */
const nodeLog: string[] = [];
const clients: Array<Admin | Producer | Consumer> = [];
afterEach(async (context) => {
  // A failed run shows what the nodes did last (quorum, fencing, elections), the only record of a stalled restart.
  if (context.task.result?.state === 'fail') console.error(nodeLog.slice(-300).join('\n'));
  nodeLog.length = 0;
  for (const c of clients.splice(0)) await c.disconnect().catch(() => undefined);
  await cluster?.close();
  cluster = undefined;
});

describe('consumer groups after a whole kq cluster restarts (child processes)', () => {
  // Only after SIGKILL of all three. After a clean stop of all three, one after another (the last one alone in
  // every ISR), the restart stalled twice in ~10 runs at load 35: a node was not unfenced within 30 s / 60 s.
  // That stall is an open bug in the restart path (see docs/notes, wave 2 stop 4, cluster), not a group problem;
  // the clean case stays out of the suite until it is fixed, so it cannot fail CI for a reason it does not test.
  it('after all three nodes are SIGKILLed and start again, a group resumes at its committed offsets on every partition and a new group reads everything', async () => {
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
      onNodeLog: (id, line) => nodeLog.push(`${id} ${line}`),
    });
    const c = cluster;
    const ids = c.info().map((n) => n.id);
    const kafka = failoverKafkaClient(c, 'groups-restart');
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await createReplicatedTopic(admin, c, TOPIC, 3);

    const produce = async (label: string, count: number) => {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      clients.push(producer);
      await producer.connect();
      for (let i = 0; i < count; i++)
        await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: i % 3, value: `${label}-${i}` }] });
      await producer.disconnect();
    };
    const committed = async (groupId: string) =>
      (await admin.fetchOffsets({ groupId, topics: [TOPIC] }))[0]!.partitions
        .map((p) => `${p.partition}:${p.offset}`)
        .sort()
        .join();
    /**
     * Joins `groupId`, reads until `expected` records, and leaves only once the group's committed offsets are
     * `commits` (a commit can fail while a coordinator moves; the consumer commits again every 100 ms).
     */
    const consume = async (groupId: string, expected: number, commits: string) => {
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 40 } });
      clients.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      const read: string[] = [];
      await consumer.run({
        autoCommitInterval: 100,
        eachMessage: async ({ message }) => {
          read.push(message.value!.toString());
        },
      });
      try {
        await waitUntil(() => read.length >= expected, `group ${groupId} to read ${expected} records`, 60_000, {
          detail: () => `read ${read.length}: ${read.join(' ')}`,
          everyMs: 50,
        });
        let last = '';
        await waitUntil(
          async () => (last = await committed(groupId).catch((e: Error) => e.message)) === commits,
          `group ${groupId} to commit ${commits}`,
          60_000,
          { detail: () => `last seen ${last}`, everyMs: 200 },
        );
      } finally {
        await consumer.disconnect();
      }
      return read;
    };

    await produce('before', 30);
    expect(new Set(await consume('g1', 30, '0:10,1:10,2:10')).size).toBe(30);

    for (const id of ids) await c.kill(id);
    await Promise.all(ids.map((id) => c.start(id)));

    // First thing after the restart: a new group reads every partition (last stop saw one of three).
    const fresh = await consume('g2', 30, '0:10,1:10,2:10');
    expect(fresh.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `before-${i}`).sort());
    // The committed offsets are readable again (from whichever node now leads each __consumer_offsets partition).
    await waitUntil(
      async () => (await committed('g1').catch(() => '')) === '0:10,1:10,2:10',
      'the committed offsets of g1 after the restart',
      60_000,
      { everyMs: 200 },
    );
    await produce('after', 9);
    const resumed = await consume('g1', 9, '0:13,1:13,2:13');
    expect(resumed.sort()).toEqual(Array.from({ length: 9 }, (_, i) => `after-${i}`).sort());
  }, 240_000);
});
