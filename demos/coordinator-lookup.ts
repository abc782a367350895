import { setTimeout as delay } from 'node:timers/promises';
import { ApiKey, ErrorCode, errorInfo, RawKafkaClient } from '../src/broker/index.js';
import { defineDemo, type DemoContext } from '../src/demo/demo-definition.js';
import { javaHashCode, kafkaAbs } from '../src/demo/java-hash-code.js';
import { RawPartitionReader } from '../src/demo/raw-partition-reader.js';
import { ApacheKafkaCluster } from '../src/kafka/index.js';

/**
 * Proves group-coordinator-partition (and the coordinator part of kafka-elections): a group's coordinator is not
 * elected but computed — partition abs(groupId.hashCode()) % offsets.topic.num.partitions (default 50) of
 * __consumer_offsets, whose leader the client finds with FindCoordinator — and the group's commits are written to
 * exactly that partition. The demo computes Java's String.hashCode and Kafka's Utils.abs itself (not with the
 * broker's code), commits for a few groups, and sees which partition of __consumer_offsets grew; then does the same
 * on a broker with offsets.topic.num.partitions=7. Everything is read as a client reads it (ListOffsets and Fetch on
 * __consumer_offsets), so it runs on kq's broker and on Apache Kafka alike; with --kafka the second broker is a
 * second Apache Kafka node of its own.
 */
const OFFSETS_TOPIC = '__consumer_offsets';
const DEFAULT_PARTITIONS = 50;
/**
 * A positive hash, a negative one, and "polygenelubricants", whose hashCode is Integer.MIN_VALUE: Math.abs leaves
 * that negative, so Kafka's Utils.abs maps it to 0 — a naive abs() would give partition -48.
 */
const GROUPS = ['orders-service', 'billing', 'polygenelubricants', 'kq-analytics'];
const METADATA_VERSION = 8;
const FIND_COORDINATOR_VERSION = 2;
const OFFSET_COMMIT_VERSION = 7;
const LIST_OFFSETS_VERSION = 5;
/** A fresh coordinator answers COORDINATOR_NOT_AVAILABLE / _LOAD_IN_PROGRESS for a while; a client retries. */
const COORDINATOR_WAIT_MS = 30_000;

interface Lookup {
  groupId: string;
  hash: number;
  expected: number;
  coordinator: { errorCode: number; nodeId: number; host: string; port: number };
  /** Partitions of __consumer_offsets whose log end offset moved during the commit. */
  grew: number[];
  /** Group ids in the keys of the records the commit appended there. */
  keyedBy: string[];
  /** Leader of the expected partition and its port, from Metadata. */
  leader: { nodeId: number; port: number } | undefined;
}

export default defineDemo({
  id: 'coordinator-lookup',
  title: {
    zh: '组协调器是算出来的：__consumer_offsets 的哪个分区',
    en: 'The group coordinator is computed: which partition of __consumer_offsets',
  },
  claim: {
    zh: '组的协调器是 __consumer_offsets 第 abs(groupId.hashCode()) % offsets.topic.num.partitions（默认 50）号分区的 leader，FindCoordinator 返回它；组的 offset 提交恰好写入该分区',
    en: "a group's coordinator is the leader of __consumer_offsets partition abs(groupId.hashCode()) % offsets.topic.num.partitions (default 50), which FindCoordinator returns; the group's offset commits land in exactly that partition",
  },
  needs: 'internals',
  knobs: {
    'offsets.topic.num.partitions': {
      default: 7,
      min: 1,
      max: 200,
      about: {
        zh: '第二个 broker 的 offsets.topic.num.partitions（第一个保持默认 50）',
        en: "the second broker's offsets.topic.num.partitions (the first keeps the default, 50)",
      },
    },
  },
  async run(ctx) {
    const OTHER_PARTITIONS = ctx.knobs['offsets.topic.num.partitions'];
    const topic = ctx.topic('coordinator');
    const admin = await ctx.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });

    ctx.step({
      zh: `默认配置的 broker：对每个组，自己计算 abs(hashCode) % ${DEFAULT_PARTITIONS}，发送 FindCoordinator，再提交一个 offset，看 ${OFFSETS_TOPIC} 的哪个分区变长`,
      en: `a broker with default settings: for each group, compute abs(hashCode) % ${DEFAULT_PARTITIONS} ourselves, send FindCoordinator, commit one offset and see which partition of ${OFFSETS_TOPIC} grows`,
    });
    const lookups = await lookUpAndCommit(ctx, ctx.bootstrap, topic, DEFAULT_PARTITIONS);
    const partitionsAtDefault = await offsetsTopicPartitions(ctx.bootstrap);
    ctx.observe(`${OFFSETS_TOPIC} partitions`, partitionsAtDefault.count);
    // Fails if the broker created the topic with any other count (the card's answer is 50).
    ctx.check(
      {
        zh: `${OFFSETS_TOPIC} 默认有 ${DEFAULT_PARTITIONS} 个分区（offsets.topic.num.partitions）`,
        en: `${OFFSETS_TOPIC} has ${DEFAULT_PARTITIONS} partitions by default (offsets.topic.num.partitions)`,
      },
      {
        pass: partitionsAtDefault.count === DEFAULT_PARTITIONS,
        expected: String(DEFAULT_PARTITIONS),
        actual: String(partitionsAtDefault.count),
      },
    );
    checkLookups(ctx, lookups, DEFAULT_PARTITIONS);

    ctx.step({
      zh: `另起一个 offsets.topic.num.partitions=${OTHER_PARTITIONS} 的 broker，同样的组再做一遍：模数就是这个配置`,
      en: `start another broker with offsets.topic.num.partitions=${OTHER_PARTITIONS} and repeat with the same groups: the modulus is that setting`,
    });
    const other = await startOther(ctx, OTHER_PARTITIONS);
    const otherAdmin = ctx.kafka({ brokers: [other] }).admin();
    ctx.defer(() => otherAdmin.disconnect());
    await otherAdmin.connect();
    await otherAdmin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const otherLookups = await lookUpAndCommit(ctx, other, topic, OTHER_PARTITIONS);
    const partitionsAtOther = await offsetsTopicPartitions(other);
    ctx.check(
      {
        zh: `该 broker 的 ${OFFSETS_TOPIC} 有 ${OTHER_PARTITIONS} 个分区`,
        en: `that broker's ${OFFSETS_TOPIC} has ${OTHER_PARTITIONS} partitions`,
      },
      {
        pass: partitionsAtOther.count === OTHER_PARTITIONS,
        expected: String(OTHER_PARTITIONS),
        actual: String(partitionsAtOther.count),
      },
    );
    checkLookups(ctx, otherLookups, OTHER_PARTITIONS);
  },
});

/**
 * The second broker, with another offsets.topic.num.partitions: a kq broker, or with --kafka an Apache Kafka node of
 * its own (a setting fixed when __consumer_offsets is created, so the shared cluster cannot show it). Its address.
 */
async function startOther(ctx: DemoContext, partitions: number): Promise<string> {
  const config = { 'offsets.topic.num.partitions': String(partitions) };
  if (ctx.target !== 'apache-kafka') return (await ctx.startBroker({ config })).bootstrap;
  const cluster = await ApacheKafkaCluster.start({ brokers: 1, heap: '384m', config });
  ctx.defer(() => cluster.stop());
  return cluster.bootstrap;
}

/** For each group: compute its partition, ask FindCoordinator, commit one offset, and record what grew. */
async function lookUpAndCommit(
  ctx: DemoContext,
  bootstrap: string,
  topic: string,
  numPartitions: number,
): Promise<Lookup[]> {
  const reader = new RawPartitionReader(bootstrap);
  ctx.defer(() => reader.close());
  const lookups: Lookup[] = [];
  // one wait for the broker's coordinators, shared by the groups: a broken one costs it once, not once per group
  const deadline = Date.now() + COORDINATOR_WAIT_MS;
  for (const groupId of GROUPS) {
    const hash = javaHashCode(groupId);
    const expected = kafkaAbs(hash) % numPartitions;
    const before = await logEndOffsetsSettled(reader, numPartitions);
    const { coordinator, commitError } = await commitOnce(bootstrap, groupId, topic, deadline);
    const after = await logEndOffsetsSettled(reader, numPartitions);
    const grew = after.flatMap((end, p) => (end > before[p]! ? [p] : []));
    const keyedBy: string[] = [];
    for (const p of grew) keyedBy.push(...(await groupIdsIn(reader, p, before[p]!)));
    const { leaders } = await offsetsTopicPartitions(bootstrap);
    lookups.push({ groupId, hash, expected, coordinator, grew, keyedBy, leader: leaders.get(expected) });
    ctx.observe(
      groupId,
      `hashCode ${hash} → abs ${kafkaAbs(hash)} % ${numPartitions} = ${expected}; FindCoordinator → node ${coordinator.nodeId} ${coordinator.host}:${coordinator.port} (${errorInfo(coordinator.errorCode).name}); ${commitError ? `OffsetCommit never succeeded: ${commitError}; ` : ''}grew: ${grew.join(', ') || 'none'}`,
    );
  }
  return lookups;
}

/** FindCoordinator for the group, asked of the first bootstrap broker. */
async function findCoordinator(bootstrap: string, groupId: string): Promise<Lookup['coordinator']> {
  const [host, port] = RawPartitionReader.parseBootstrap(bootstrap);
  const client = await RawKafkaClient.connect(port, host);
  try {
    return await client.request(ApiKey.FindCoordinator, FIND_COORDINATOR_VERSION, { key: groupId, keyType: 0 });
  } finally {
    client.close();
  }
}

/**
 * Finds the group's coordinator and makes a standalone commit there (generation -1, no member): one OffsetCommit
 * record for this group, and nothing else. While a fresh coordinator loads its partition (NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS) it looks the coordinator up again and retries, as a
 * client does. Returns the coordinator the commit succeeded on, or the last answer and the error the commit never
 * got past (by `deadline`): a broker that computes a partition it does not have answers
 * COORDINATOR_NOT_AVAILABLE for ever, and the checks, not an exception, say so.
 */
async function commitOnce(
  bootstrap: string,
  groupId: string,
  topic: string,
  deadline: number,
): Promise<{ coordinator: Lookup['coordinator']; commitError?: string }> {
  const notReady: number[] = [
    ErrorCode.NOT_COORDINATOR,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ];
  for (;;) {
    const coordinator = await findCoordinator(bootstrap, groupId);
    let error: number | undefined = coordinator.errorCode;
    if (error === ErrorCode.NONE) {
      const client = await RawKafkaClient.connect(coordinator.port, coordinator.host);
      try {
        const commit = await client.request(ApiKey.OffsetCommit, OFFSET_COMMIT_VERSION, {
          groupId,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          retentionTimeMs: -1n,
          topics: [
            {
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: null },
              ],
            },
          ],
        });
        error = commit.topics[0]?.partitions[0]?.errorCode;
      } finally {
        client.close();
      }
      if (error === ErrorCode.NONE) return { coordinator };
    }
    if (error === undefined || !notReady.includes(error) || Date.now() > deadline)
      return {
        coordinator,
        commitError: error === undefined ? 'no partition in the response' : errorInfo(error).name,
      };
    await delay(100);
  }
}

function checkLookups(ctx: DemoContext, lookups: Lookup[], numPartitions: number): void {
  const expected = lookups.map((l) => `${l.groupId} → ${l.expected}`).join('; ');
  // Fails if a commit lands elsewhere (another hash, a naive abs of MIN_VALUE, another modulus) or in more than one partition.
  ctx.check(
    {
      zh: `每个组的提交恰好写入 ${OFFSETS_TOPIC} 第 abs(hashCode) % ${numPartitions} 号分区，别的分区不变`,
      en: `each group's commit grew exactly partition abs(hashCode) % ${numPartitions} of ${OFFSETS_TOPIC}, and no other`,
    },
    {
      pass: lookups.every((l) => l.grew.length === 1 && l.grew[0] === l.expected),
      expected,
      actual: lookups.map((l) => `${l.groupId} → ${l.grew.join(',') || 'none'}`).join('; '),
    },
  );
  // Fails if the record that grew the partition belongs to another group (the partition grew by coincidence).
  ctx.check(
    {
      zh: '新增记录的 key 正是该组的 group.id（OffsetCommit key）',
      en: "the appended record's key names that group (an OffsetCommit key)",
    },
    {
      pass: lookups.every((l) => l.keyedBy.length > 0 && l.keyedBy.every((g) => g === l.groupId)),
      expected: lookups.map((l) => l.groupId).join('; '),
      actual: lookups.map((l) => l.keyedBy.join(',') || 'none').join('; '),
    },
  );
  // Fails for an error (e.g. COORDINATOR_NOT_AVAILABLE) or an answer that is not the leader of the computed partition.
  ctx.check(
    {
      zh: 'FindCoordinator 返回的 broker 就是该分区的 leader',
      en: 'FindCoordinator answers with the broker leading that partition',
    },
    {
      pass: lookups.every(
        (l) =>
          l.coordinator.errorCode === ErrorCode.NONE &&
          l.coordinator.nodeId === l.leader?.nodeId &&
          l.coordinator.port === l.leader.port,
      ),
      expected: lookups
        .map((l) => `${ctx.lang === 'zh' ? '节点' : 'node'} ${l.leader?.nodeId ?? '?'} :${l.leader?.port ?? '?'}`)
        .join('; '),
      actual: lookups
        .map(
          (l) =>
            `${ctx.lang === 'zh' ? '节点' : 'node'} ${l.coordinator.nodeId} :${l.coordinator.port} ${errorInfo(l.coordinator.errorCode).name}`,
        )
        .join('; '),
    },
  );
}

/**
 * Log end offset (high watermark) of every partition of __consumer_offsets, from ListOffsets(latest) to each
 * partition's leader; 0 for all before the topic exists (the first lookup creates it).
 */
async function logEndOffsets(reader: RawPartitionReader, numPartitions: number): Promise<bigint[]> {
  const metadata = await reader.metadata([OFFSETS_TOPIC]);
  const partitions = metadata.topics.find((t) => t.name === OFFSETS_TOPIC)?.partitions ?? [];
  if (partitions.length === 0) return Array.from({ length: numPartitions }, () => 0n);
  const ends = Array.from({ length: numPartitions }, () => 0n);
  const byLeader = new Map<number, number[]>();
  for (const p of partitions) byLeader.set(p.leaderId, [...(byLeader.get(p.leaderId) ?? []), p.partitionIndex]);
  for (const indexes of byLeader.values()) {
    const client = await reader.leaderConnection(OFFSETS_TOPIC, indexes[0]!);
    const answer = await client.request(ApiKey.ListOffsets, LIST_OFFSETS_VERSION, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: OFFSETS_TOPIC,
          partitions: indexes.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: -1n })),
        },
      ],
    });
    for (const p of answer.topics[0]?.partitions ?? []) {
      if (p.errorCode !== ErrorCode.NONE)
        throw new RetriableListOffsets(
          p.errorCode,
          `ListOffsets on ${OFFSETS_TOPIC}-${p.partitionIndex} failed: ${errorInfo(p.errorCode).name}`,
        );
      if (p.partitionIndex < numPartitions) ends[p.partitionIndex] = p.offset;
    }
  }
  return ends;
}

class RetriableListOffsets extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * logEndOffsets, retried while __consumer_offsets is new: Apache Kafka lists a partition's leader in Metadata before
 * that broker has taken the leadership, and answers NOT_LEADER_OR_FOLLOWER meanwhile (a client refreshes and retries).
 */
async function logEndOffsetsSettled(reader: RawPartitionReader, numPartitions: number): Promise<bigint[]> {
  const deadline = Date.now() + COORDINATOR_WAIT_MS;
  for (;;) {
    try {
      return await logEndOffsets(reader, numPartitions);
    } catch (error) {
      if (!(error instanceof RetriableListOffsets) || !errorInfo(error.errorCode).retriable || Date.now() > deadline)
        throw error;
      await delay(100);
    }
  }
}

/**
 * The group id in the key of each record appended to partition `p` from `from` on, read with Fetch. Every
 * __consumer_offsets key starts with an int16 version and the group id as an int16-length string (OffsetCommitKey
 * and GroupMetadataKey alike).
 */
async function groupIdsIn(reader: RawPartitionReader, p: number, from: bigint): Promise<string[]> {
  return (await reader.readRecords(OFFSETS_TOPIC, p))
    .filter((record) => record.offset >= from)
    .map((record) =>
      record.key === null ? '(no key)' : record.key.toString('utf8', 4, 4 + record.key.readInt16BE(2)),
    );
}

/** __consumer_offsets as a client sees it (Metadata, no auto-creation): partition count and each partition's leader. */
async function offsetsTopicPartitions(
  bootstrap: string,
): Promise<{ count: number; leaders: Map<number, { nodeId: number; port: number }> }> {
  const reader = new RawPartitionReader(bootstrap);
  try {
    const metadata = await reader.metadata([OFFSETS_TOPIC], METADATA_VERSION);
    const partitions = metadata.topics.find((t) => t.name === OFFSETS_TOPIC)?.partitions ?? [];
    const portOf = new Map(metadata.brokers.map((b) => [b.nodeId, b.port]));
    return {
      count: partitions.length,
      leaders: new Map(
        partitions.map((p) => [p.partitionIndex, { nodeId: p.leaderId, port: portOf.get(p.leaderId) ?? -1 }]),
      ),
    };
  } finally {
    reader.close();
  }
}
