import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { KafkaMetadataLog } from '../../../src/broker/raft/kafka-metadata-log.js';
import { NotLeaderError } from '../../../src/broker/raft/raft-client.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { jsonRecordSerde } from './json-record-serde.js';
import { RaftQuorumHarness } from './raft-quorum-harness.js';

const timeouts = { electionTimeoutMs: 500, fetchTimeoutMs: 1000, requestTimeoutMs: 1000, fetchMaxWaitMs: 200 };

let harness: RaftQuorumHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Appends at the leader, retrying if leadership moved in between (it may, on a loaded machine). */
async function appendAtLeader(h: RaftQuorumHarness, records: unknown[]): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const leader = await h.electedLeader();
    try {
      return h.manager(leader.leaderId).scheduleAtomicAppend(leader.epoch, records);
    } catch (error) {
      if (!(error instanceof NotLeaderError) || attempt >= 5) throw error;
    }
  }
}

describe('KafkaRaftManager: a KRaft quorum over real sockets', () => {
  it('three voters elect one leader, commit an atomic append, and every node’s listener gets each batch exactly once in order', async () => {
    harness = await RaftQuorumHarness.start(3, { timeouts });
    const h = harness;
    const leader = await h.electedLeader();
    expect(leader.epoch).toBeGreaterThanOrEqual(1);
    const follower = h.voterIds.find((id) => id !== leader.leaderId)!;
    expect(() => h.manager(follower).scheduleAtomicAppend(leader.epoch, ['x'])).toThrow(NotLeaderError);

    const first = await appendAtLeader(h, ['a', 'b']);
    const second = await appendAtLeader(h, [{ c: 3 }]);
    expect(second).toBe(first + 1);
    for (const id of h.voterIds) {
      await waitUntil(
        () => h.listener(id).records.length >= 3,
        `node ${id}'s listener to get a, b, c; ${h.describe()}`,
        10_000,
      );
      expect(h.listener(id).records).toEqual(['a', 'b', { c: 3 }]);
      const offsets = h.listener(id).batches.map((b) => [b.baseOffset, b.lastOffset]);
      // Contiguous, each offset once: the leader-change control batches arrive too, without records.
      offsets.forEach(([base], i) => expect(base).toBe(i === 0 ? 0 : offsets[i - 1]![1]! + 1));
      expect(h.listener(id).leaders.at(-1)).toEqual(h.manager(id).leaderAndEpoch());
    }
  });

  it('the leader is killed: the others elect a new leader in a higher epoch that keeps every committed record, and the old one rejoins from its on-disk log', async () => {
    harness = await RaftQuorumHarness.start(3, { timeouts });
    const h = harness;
    await appendAtLeader(h, ['before-1']);
    const committedAt = await appendAtLeader(h, ['before-2']);
    const old = await h.electedLeader();
    await waitUntil(
      () => h.voterIds.every((id) => h.manager(id).highWatermark > committedAt),
      `the records committed on every voter; ${h.describe()}`,
      10_000,
    );
    await h.kill(old.leaderId);
    const survivors = h.voterIds.filter((id) => id !== old.leaderId);
    await waitUntil(
      () => {
        const next = h.agreedLeader(survivors);
        return next !== undefined && next.epoch > old.epoch;
      },
      `a new leader among ${survivors.join(', ')} at an epoch above ${old.epoch}; ${h.describe()}`,
      15_000,
    );
    await appendAtLeader(h, ['after']);
    for (const id of survivors) {
      await waitUntil(() => h.listener(id).records.length >= 3, `node ${id} to commit 'after'; ${h.describe()}`);
      expect(h.listener(id).records).toEqual(['before-1', 'before-2', 'after']);
    }

    // The old leader restarts on its data dir: its log and quorum-state are reopened, it follows the new epoch,
    // and its fresh listener replays the whole committed log once.
    const replayed = await h.restart(old.leaderId);
    await waitUntil(
      () => replayed.records.length >= 3,
      `the restarted node ${old.leaderId} to replay the log; ${h.describe()}`,
      15_000,
    );
    expect(replayed.records).toEqual(['before-1', 'before-2', 'after']);
    expect(h.manager(old.leaderId).describe().epoch).toBeGreaterThan(old.epoch);
  });

  it('DescribeQuorum: the leader reports each voter’s log end offset and the high watermark, and a follower passes the question to the leader', async () => {
    harness = await RaftQuorumHarness.start(3, { timeouts });
    const h = harness;
    const offset = await appendAtLeader(h, ['r']);
    const leader = await h.electedLeader();
    await waitUntil(
      () => h.voterIds.every((id) => h.manager(id).highWatermark > offset),
      `every voter to learn that r is committed; ${h.describe()}`,
      10_000,
    );
    for (const askedId of h.voterIds) {
      const client = await RawKafkaClient.connect(h.port(askedId));
      try {
        const response = await client.request(ApiKey.DescribeQuorum, 1, {
          topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
        });
        const p = response.topics[0]!.partitions[0]!;
        expect(p).toMatchObject({ errorCode: ErrorCode.NONE, leaderId: leader.leaderId });
        expect(p.leaderEpoch).toBeGreaterThanOrEqual(leader.epoch);
        expect(p.highWatermark).toBeGreaterThan(BigInt(offset));
        expect(p.currentVoters.map((v) => v.replicaId).sort()).toEqual([1, 2, 3]);
        for (const v of p.currentVoters) expect(v.logEndOffset).toBeGreaterThan(0n);
      } finally {
        client.close();
      }
    }
  });

  it('the voters’ metadata logs are byte-identical on disk once every one has caught up', async () => {
    harness = await RaftQuorumHarness.start(3, { timeouts });
    const h = harness;
    for (let i = 0; i < 5; i++) await appendAtLeader(h, [`r${i}`, { i }]);
    await waitUntil(
      () => {
        const ends = h.voterIds.map((id) => h.manager(id).describe());
        return ends.every((d) => d.logEndOffset === ends[0]!.logEndOffset && d.highWatermark === d.logEndOffset);
      },
      `every voter's log at the same end and committed; ${h.describe()}`,
      10_000,
    );
    await Promise.all(h.voterIds.map((id) => h.stop(id)));
    const bytes = h.voterIds.map((id) => {
      const log = KafkaMetadataLog.open(h.dataDir(id), jsonRecordSerde);
      try {
        return log.readBytes(0).toString('hex');
      } finally {
        log.close();
      }
    });
    expect(bytes[0]!.length).toBeGreaterThan(0);
    expect(bytes[1]).toBe(bytes[0]);
    expect(bytes[2]).toBe(bytes[0]);
  });

  it('an observer (a node not among controller.quorum.voters) follows the committed log without being counted', async () => {
    harness = await RaftQuorumHarness.start(3, { timeouts, observers: 1 });
    const h = harness;
    await appendAtLeader(h, ['for-everyone']);
    await waitUntil(
      () => h.listener(4).records.length >= 1,
      `the observer 4 to get the committed record; ${h.describe()}`,
      10_000,
    );
    expect(h.listener(4).records).toEqual(['for-everyone']);
    expect(h.manager(4).describe()).toMatchObject({ voter: false, state: 'Follower' });
  });

  it('only a KRaft node advertises and answers Vote, BeginQuorumEpoch, EndQuorumEpoch and DescribeQuorum', async () => {
    harness = await RaftQuorumHarness.start(1, { timeouts });
    const raftKeys = [ApiKey.Vote, ApiKey.BeginQuorumEpoch, ApiKey.EndQuorumEpoch, ApiKey.DescribeQuorum];
    const kraft = await RawKafkaClient.connect(harness.port(1));
    const standalone = await KafkaBroker.start();
    const plain = await RawKafkaClient.connect(standalone.port);
    try {
      const advertised = async (client: RawKafkaClient) =>
        (await client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' })).apiKeys
          .filter((k) => (raftKeys as number[]).includes(k.apiKey))
          .map((k) => [k.apiKey, k.minVersion, k.maxVersion]);
      expect(await advertised(kraft)).toEqual([
        [52, 0, 2],
        [53, 0, 0],
        [54, 0, 0],
        [55, 0, 1],
      ]);
      expect(await advertised(plain)).toEqual([]);
      plain.send(ApiKey.DescribeQuorum, 1, {
        topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
      });
      await plain.expectClosed();
    } finally {
      kraft.close();
      plain.close();
      await standalone.close();
    }
  });
});
