import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { kcat, kcatInstalled } from '../support/kcat.js';
import { startChildProcessCluster } from '../support/child-process-cluster.js';

/** Fenced after 1 s without heartbeats; quick Raft elections and follower fetches. */

let cluster: KafkaCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const records = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v${from + i}`);

describe.skipIf(!kcatInstalled)('kcat (librdkafka) through a leader SIGKILL on a kq cluster (child processes)', () => {
  // kcat's producer is not idempotent by default, so a batch the killed leader had replicated but not acknowledged
  // may be sent again: Kafka's at-least-once. Checked: nothing acknowledged is lost, order is kept, and any
  // duplicate is such a retry.
  it.each([
    { idempotence: false, duplicates: 'allowed (at-least-once)' },
    { idempotence: true, duplicates: 'none (idempotent)' },
  ])(
    'an acks=all kcat producer (enable.idempotence=$idempotence) loses nothing and keeps order when the partition leader is SIGKILLed between two runs; duplicates: $duplicates',
    async ({ idempotence }) => {
      cluster = await startChildProcessCluster();
      const c = cluster;
      const [first] = c.bootstrap.split(',');
      const admin = await RawKafkaClient.connect(Number(first!.split(':')[1]));
      const created = await admin.request(ApiKey.CreateTopics, 7, {
        topics: [
          {
            name: 'orders',
            numPartitions: 1,
            replicationFactor: 3,
            assignments: [],
            configs: [{ name: 'min.insync.replicas', value: '2' }],
          },
        ],
        timeoutMs: 5000,
        validateOnly: false,
      });
      admin.close();
      expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
      await waitUntilTopicServed(c.bootstrap, ['orders']);
      const leaderOf = async () => {
        const nodes = (await c.describe()).filter((n) => n.state === 'running');
        return nodes.flatMap((n) =>
          n.partitions.filter((p) => p.topic === 'orders' && p.role === 'leader').map(() => n.id),
        )[0];
      };
      const leader = await leaderOf();
      expect(leader).toBeDefined();

      // kcat reads all of stdin before it sends (seen on kcat 1.7.1), so each half is its own kcat run; the second
      // starts right after the SIGKILL, while every node's metadata still names the dead leader: librdkafka has to
      // find the new leader by itself (refreshing metadata, retrying) before its acks=all produce is answered.
      const produce = (values: string[]) =>
        kcat(
          c.bootstrap,
          [
            '-P',
            '-t',
            'orders',
            '-p',
            '0',
            '-X',
            'acks=all',
            '-X',
            'topic.metadata.refresh.interval.ms=500',
            '-X',
            `enable.idempotence=${idempotence}`,
          ],
          {
            input: values.map((v) => `${v}\n`).join(''),
            timeoutMs: 60_000,
          },
        );
      const before = await produce(records(0, 50));
      expect(before.code).toBe(0);
      await c.kill(leader!);
      const after = await produce(records(50, 100));
      // librdkafka logs the dead node's refused connections on stderr; only a delivery failure would lose a record.
      expect({
        code: after.code,
        errors: after.stderr.split('\n').filter((l) => /delivery failed|failed to produce/i.test(l)),
      }).toEqual({
        code: 0,
        errors: [],
      });
      expect(await leaderOf()).not.toBe(leader);

      // Read back from a survivor: every record exactly once, in order.
      const survivor = c.bootstrap.split(',').filter((_, i) => i + 1 !== leader);
      const read = await kcat(survivor.join(','), ['-C', '-t', 'orders', '-p', '0', '-o', 'beginning', '-e', '-q'], {
        timeoutMs: 30_000,
      });
      expect(read.code).toBe(0);
      const values = read.stdout.trim().split('\n');
      const firstSeen = values.filter((v, i) => values.indexOf(v) === i);
      expect(firstSeen).toEqual(records(0, 100));
      // An idempotent producer's retry of a batch the dead leader had replicated is recognised by the new leader
      // (its producer state came with the replicated log), so nothing is stored twice.
      if (idempotence) expect(values).toEqual(records(0, 100));
      // A retried batch lands right after its first copy: a duplicate never reorders what was acknowledged.
      const numbers = values.map((v) => Number(v.slice(1)));
      for (let i = 1; i < numbers.length; i++)
        if (numbers[i]! <= numbers[i - 1]!) expect(values.slice(0, i)).toContain(values[i]);
    },
    180_000,
  );
});
