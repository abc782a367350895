import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

/**
 * Partition reassignment (KIP-455) on an in-process 3-node KRaft cluster, driven by kafkajs's admin
 * (alterPartitionReassignments / listPartitionReassignments): the adding replicas catch up as followers, the
 * assignment switches once they are in the ISR, the removed replica stops and deletes its log, and the records
 * written before the move are all on the new replicas. The why log names each step.
 */
// Sessions long enough that a loaded machine does not fence a live broker (stop() is a controlled shutdown).
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 200,
  'broker.session.timeout.ms': 4000,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  'auto.leader.rebalance.enable': false,
};
/** Generous: a loaded 2-core machine (load 20+) restarts a broker and replicates in seconds, not milliseconds. */
const WAIT_MS = 45_000;

let cluster: KafkaCluster | undefined;
let admin: Admin | undefined;
afterEach(async () => {
  await admin?.disconnect();
  admin = undefined;
  await cluster?.close();
  cluster = undefined;
});

function kafkaOf(c: KafkaCluster): Kafka {
  return new Kafka({
    clientId: 'reassign',
    brokers: c.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 30 },
  });
}

async function produce(kafka: Kafka, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: 'moves', acks: -1, timeout: 10_000, messages: values.map((value) => ({ value })) });
  } finally {
    await producer.disconnect();
  }
}

/** The values in broker `id`'s replica of moves-0 below its high watermark. */
function committedValues(c: KafkaCluster, id: number): string[] {
  const partition = c.broker(id).partition('moves', 0);
  if (!partition) return [];
  const log = c.broker(id).log('moves', 0);
  const { records } = log.read(log.logStartOffset, 1 << 30, { minOneBatch: true, maxOffset: log.highWatermark });
  return [...batchesIn(records)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? ''));
}

describe('AlterPartitionReassignments with kafkajs on a KRaft cluster', () => {
  it('moves moves-0 from [1] to [2, 3]: both catch up, the assignment switches, 1 stops and deletes its log', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const c = cluster;
    const kafka = kafkaOf(c);
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'moves', replicaAssignment: [{ partition: 0, replicas: [1] }] }] });
    await waitUntil(() => c.broker(1).partition('moves', 0)?.isLeader === true, 'broker 1 leads moves-0', WAIT_MS);
    const before = Array.from({ length: 60 }, (_, i) => `before-${i}`);
    await produce(kafka, before);
    const logDir = c.broker(1).log('moves', 0).dir;

    // Broker 3 is down (still registered): the move cannot finish until it is back and in sync.
    await c.stop(3);
    await admin.alterPartitionReassignments({
      topics: [{ topic: 'moves', partitionAssignment: [{ partition: 0, replicas: [2, 3] }] }],
    });
    const listed = await admin.listPartitionReassignments({ topics: [{ topic: 'moves', partitions: [0] }] });
    expect(listed.topics).toEqual([
      {
        name: 'moves',
        partitions: [{ partition: 0, replicas: [2, 3, 1], addingReplicas: [2, 3], removingReplicas: [1] }],
      },
    ]);
    // 2 catches up as a follower and joins the ISR; the move waits for 3.
    await waitUntil(
      () => c.broker(1).partition('moves', 0)?.isr.includes(2) === true,
      'broker 2 (adding) in the ISR of moves-0',
      WAIT_MS,
    );
    expect((await admin.listPartitionReassignments({})).topics).toHaveLength(1);
    expect(c.broker(1).partition('moves', 0)?.isLeader).toBe(true);

    await c.start(3);
    await waitUntil(
      async () => (await admin!.listPartitionReassignments({})).topics.length === 0,
      'the reassignment of moves-0 to complete',
      WAIT_MS,
      { everyMs: 250 },
    );
    const metadata = await admin.fetchTopicMetadata({ topics: ['moves'] });
    expect(metadata.topics[0]!.partitions[0]).toMatchObject({
      partitionId: 0,
      leader: 2,
      replicas: [2, 3],
      isr: [2, 3],
    });
    await waitUntil(
      () => c.broker(1).partition('moves', 0) === undefined && !existsSync(logDir),
      'broker 1 to drop its replica and delete its log',
      WAIT_MS,
    );
    // Everything acknowledged before the move is on both new replicas; the producer follows the new leader.
    const after = ['after-0', 'after-1'];
    await produce(kafka, after);
    for (const id of [2, 3])
      await waitUntil(
        () => committedValues(c, id).length === before.length + after.length,
        `broker ${id} to hold every record below its high watermark`,
        WAIT_MS,
      );
    for (const id of [2, 3]) expect(committedValues(c, id)).toEqual([...before, ...after]);

    const reassignments = c.why().filter((e) => e.kind === 'reassignment' && e.partition === 'moves-0');
    expect(reassignments.map((e) => e.text.en.split(':')[0])).toEqual([
      'reassignment started',
      'reassignment completed',
    ]);
    expect(reassignments[1]!.data).toMatchObject({ replicas: [2, 3], removed: [1], leader: 2 });
  });

  it('refuses an unknown broker with INVALID_REPLICA_ASSIGNMENT and changes nothing', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const c = cluster;
    admin = kafkaOf(c).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'moves', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
    await waitUntil(() => c.broker(1).partition('moves', 0)?.isLeader === true, 'broker 1 leads moves-0', WAIT_MS);
    const refused = await admin
      .alterPartitionReassignments({
        topics: [{ topic: 'moves', partitionAssignment: [{ partition: 0, replicas: [1, 9] }] }],
      })
      .then(
        () => undefined,
        (error: unknown) => error as { errors?: Array<{ type?: string; code?: number }> },
      );
    expect(refused?.errors?.[0]).toMatchObject({ type: 'INVALID_REPLICA_ASSIGNMENT', code: 39 });
    expect(ErrorCode.INVALID_REPLICA_ASSIGNMENT).toBe(39);
    expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
    const metadata = await admin.fetchTopicMetadata({ topics: ['moves'] });
    expect(metadata.topics[0]!.partitions[0]).toMatchObject({ replicas: [1, 2] });
  });
});
