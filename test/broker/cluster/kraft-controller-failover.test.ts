import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, metadata, produce } from '../../../src/broker/client/request-builders.js';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../../../src/broker/protocol/api-registry.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster } from '../support/child-process-cluster.js';

/**
 * Over FAST_KRAFT: the session is 3 s, not shorter: the test asserts that no live
 * broker is fenced, and on a loaded machine a live node's event loop can stall for over a second.
 */
const NODE_CONFIG = {
  'broker.session.timeout.ms': 3000,
};
const TOPIC = 'orders';

let cluster: KafkaCluster | undefined;
const connections: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await cluster?.close();
  cluster = undefined;
});

/** One request to node `port` on a fresh connection; a failure (dead node, timeout) is `undefined`. */
async function ask<K extends ApiKey>(
  port: number,
  key: K,
  version: number,
  body: ApiRequest<K>,
): Promise<ApiResponse<K> | undefined> {
  try {
    const client = await RawKafkaClient.connect(port);
    connections.push(client);
    try {
      return await client.request(key, version, body, 3000);
    } finally {
      client.close();
    }
  } catch {
    return undefined;
  }
}

const describeQuorum = (port: number) =>
  ask(port, ApiKey.DescribeQuorum, 1, {
    topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
  }).then((r) => r?.topics[0]?.partitions[0]);

const leadersSeenBy = async (port: number) => {
  const topic = (await ask(port, ApiKey.Metadata, 12, metadata([TOPIC], false)))?.topics[0];
  return topic?.errorCode === ErrorCode.NONE
    ? new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId]))
    : undefined;
};

const acksAllWrite = async (port: number, partition: number) => {
  const r = await ask(port, ApiKey.Produce, 9, produce(TOPIC, batchOf(['v']), { acks: -1, partition }));
  return r?.responses[0]?.partitions[0]?.errorCode === ErrorCode.NONE;
};

describe('KRaft controller failover across child processes', () => {
  it('SIGKILL of the node that is both the active controller and a partition leader: a survivor becomes controller, only the dead broker is fenced (no live broker re-registers or loses a session), acks=all writes resume, and DescribeQuorum names the new leader, its epoch and each voter’s log end offset', async () => {
    const lines: Array<{ id: number; line: string }> = [];
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
      onNodeLog: (id, line) => lines.push({ id, line }),
    });
    const ports = new Map(cluster.info().map((n) => [n.id, n.port]));
    const ids = [...ports.keys()];
    const port = (id: number) => ports.get(id)!;
    const created = await ask(
      port(1),
      ApiKey.CreateTopics,
      7,
      createTopics([{ name: TOPIC, numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]),
    );
    expect(created?.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    let leaders = new Map<number, number>();
    await waitUntil(
      async () => {
        const views = await Promise.all(ids.map((id) => leadersSeenBy(port(id))));
        const first = views[0];
        if (!first || [...first.values()].some((l) => l < 0)) return false;
        leaders = first;
        return views.every((v) => v && [...v].every(([p, l]) => first.get(p) === l));
      },
      'every node to see a leader for each partition',
      20_000,
    );
    for (const [partition, leader] of leaders)
      await waitUntil(
        () => acksAllWrite(port(leader), partition),
        `a first acks=all write to partition ${partition}`,
        20_000,
      );

    const before = await describeQuorum(port(1));
    expect(before).toMatchObject({ errorCode: ErrorCode.NONE });
    const victim = before!.leaderId;
    // Round-robin placement gives each of the three nodes one partition to lead.
    const victimPartition = [...leaders].find(([, leader]) => leader === victim)?.[0];
    expect(victimPartition, `node ${victim} leads a partition (${[...leaders].join(' ')})`).toBeDefined();
    const survivors = ids.filter((id) => id !== victim);
    const fromKill = lines.length;
    await cluster.kill(victim);

    let newLeader = -1;
    await waitUntil(
      async () => {
        for (const id of survivors) if (await acksAllWrite(port(id), victimPartition!)) newLeader = id;
        return newLeader !== -1;
      },
      `an acks=all write to partition ${victimPartition} on a survivor after node ${victim} was killed`,
      30_000,
      {
        detail: () =>
          lines
            .slice(fromKill)
            .map((l) => `node ${l.id}: ${l.line}`)
            .join('\n'),
      },
    );

    // DescribeQuorum after the failover, asked of each survivor (a follower passes it to the leader).
    let after: Awaited<ReturnType<typeof describeQuorum>>;
    await waitUntil(
      async () => {
        after = await describeQuorum(port(survivors[0]!));
        const hw = after?.highWatermark ?? -1n;
        // Both survivors have fetched up to the high watermark: their log end offsets are reported as equal to it.
        return (
          after?.errorCode === ErrorCode.NONE &&
          survivors.every((id) => after!.currentVoters.find((v) => v.replicaId === id)?.logEndOffset === hw)
        );
      },
      'DescribeQuorum to show both survivors caught up with the new leader',
      10_000,
      { detail: () => JSON.stringify(after, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) },
    );
    expect(survivors).toContain(after!.leaderId);
    expect(after!.leaderEpoch).toBeGreaterThan(before!.leaderEpoch);
    expect(after!.highWatermark).toBeGreaterThan(before!.highWatermark);
    expect(after!.currentVoters.map((v) => v.replicaId).sort()).toEqual([1, 2, 3]);
    // The dead voter never fetched in the new epoch: the leader knows no offset or fetch time for it.
    expect(after!.currentVoters.find((v) => v.replicaId === victim)).toMatchObject({
      logEndOffset: -1n,
      lastFetchTimestamp: -1n,
    });
    expect(after!.observers).toEqual([]);
    const viaOther = await describeQuorum(port(survivors[1]!));
    expect(viaOther).toMatchObject({ leaderId: after!.leaderId, leaderEpoch: after!.leaderEpoch });

    // What the new controller decided: it became active in the new epoch and fenced the dead broker, nobody else;
    // no live broker registered again (which would have moved its leaderships).
    const decisions = lines.slice(fromKill).map((l) => l.line.replace(/^\S+ /, ''));
    expect(decisions).toContain(`controller active in epoch ${after!.leaderEpoch}`);
    // (the controller's own lines; the why log's lines explain the same decisions in more words)
    const controllerSaid = decisions.filter((l) => l.startsWith('controller'));
    const fenced = controllerSaid.filter((l) => / fenced /.test(l));
    expect(fenced).toEqual([`controller: broker ${victim} fenced (session-timeout)`]);
    expect(controllerSaid.filter((l) => / registered /.test(l))).toEqual([]);
    expect(newLeader).not.toBe(victim);
  }, 120_000);
});
