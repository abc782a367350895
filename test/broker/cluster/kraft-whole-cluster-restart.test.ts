import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { fetch } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { readBatchAt } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import {
  createReplicatedTopic,
  startChildProcessCluster,
  failoverKafkaClient,
} from '../support/child-process-cluster.js';

/** Short timeouts, so restarts fit a test: heartbeats every 100 ms, a 1 s session, Raft in under a second. */
const TOPIC = 'ledger';

let cluster: KafkaCluster | undefined;
const clients: Array<Admin | Producer | Consumer> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect().catch(() => undefined);
  await cluster?.close();
  cluster = undefined;
});

interface PartitionView {
  partition: number;
  replicas: number[];
  leader: number;
  highWatermark: string;
}

describe('restarting a whole kq KRaft cluster (child processes)', () => {
  it('after all three nodes stop (cleanly, then by SIGKILL) and start again, the topic, its partitions, leaders, every acknowledged record and the high watermarks come back (read from each leader), and kafkajs produces acks=all again', async () => {
    cluster = await startChildProcessCluster();
    const c = cluster;
    const ids = c.info().map((n) => n.id);
    const kafka = failoverKafkaClient(c, 'whole-cluster-restart');
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await createReplicatedTopic(admin, c, TOPIC, 3);

    const acked: Array<{ partition: number; value: string }> = [];
    const produceRound = async (label: string, count: number) => {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      clients.push(producer);
      await producer.connect();
      for (let i = 0; i < count; i++) {
        const partition = i % 3;
        const value = `${label}-${i}`;
        await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition, value }] });
        acked.push({ partition, value });
      }
      await producer.disconnect();
    };
    const view = async (): Promise<PartitionView[]> => {
      const meta = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!;
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      return meta.partitions
        .map((p) => ({
          partition: p.partitionId,
          replicas: [...p.replicas].sort(),
          leader: p.leader,
          highWatermark: offsets.find((o) => o.partition === p.partitionId)!.high,
        }))
        .sort((a, b) => a.partition - b.partition);
    };
    /** Every acknowledged record, read back from each partition's leader from offset 0, in order, nothing else. */
    const readBack = async () => {
      const meta = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!;
      const ports = new Map(c.info().map((n) => [n.id, n.port]));
      for (const p of meta.partitions) {
        const client = await RawKafkaClient.connect(ports.get(p.leader)!);
        try {
          const response = await client.request(
            ApiKey.Fetch,
            11,
            fetch(TOPIC, 0n, { partition: p.partitionId, maxBytes: 1 << 20 }),
            5000,
          );
          const part = response.responses[0]!.partitions[0]!;
          expect(part.errorCode, `partition ${p.partitionId} from its leader ${p.leader}`).toBe(ErrorCode.NONE);
          const values: string[] = [];
          const bytes = part.records ?? Buffer.alloc(0);
          for (let at = 0; at < bytes.length;) {
            const batch = readBatchAt(bytes, at);
            if (batch instanceof Error) throw batch;
            values.push(...decodeRecords(batch).map((r) => r.value!.toString()));
            at += batch.sizeInBytes;
          }
          expect(values).toEqual(acked.filter((r) => r.partition === p.partitionId).map((r) => r.value));
        } finally {
          client.close();
        }
      }
    };
    /** Every node down, then every node up at once (one alone cannot form a quorum, so none would get unfenced). */
    const restartAll = async (how: 'stop' | 'kill') => {
      for (const id of ids) await (how === 'stop' ? c.stop(id) : c.kill(id));
      await Promise.all(ids.map((id) => c.start(id)));
      await waitUntil(
        async () => {
          const partitions = await view().catch(() => []);
          return partitions.length === 3 && partitions.every((p) => ids.includes(p.leader));
        },
        'every partition to have a live leader again',
        30_000,
      );
    };

    await produceRound('before', 30);
    const before = await view();
    expect(before.map((p) => p.highWatermark)).toEqual(['10', '10', '10']);

    await restartAll('stop');
    const afterClean = await view();
    expect(
      afterClean.map(({ partition, replicas, highWatermark }) => ({ partition, replicas, highWatermark })),
    ).toEqual(before.map(({ partition, replicas, highWatermark }) => ({ partition, replicas, highWatermark })));
    await readBack();
    await produceRound('after-clean', 9);

    await restartAll('kill');
    const afterKill = await view();
    expect(afterKill.map((p) => p.replicas)).toEqual(before.map((p) => p.replicas));
    expect(afterKill.map((p) => p.highWatermark)).toEqual(['13', '13', '13']);
    await readBack();
    await produceRound('after-kill', 3);
    expect((await view()).map((p) => p.highWatermark)).toEqual(['14', '14', '14']);
  }, 180_000);
});
