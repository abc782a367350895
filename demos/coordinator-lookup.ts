import {
  ApiKey,
  batchesIn,
  decodeRecords,
  ErrorCode,
  errorInfo,
  RawKafkaClient,
  type KafkaBroker,
} from '../src/broker/index.js';
import { defineDemo, type DemoContext } from '../src/demo/demo-definition.js';
import { javaHashCode, kafkaAbs } from '../src/demo/java-hash-code.js';

/**
 * Proves group-coordinator-partition (and the coordinator part of kafka-elections): a group's coordinator is not
 * elected but computed — partition abs(groupId.hashCode()) % offsets.topic.num.partitions (default 50) of
 * __consumer_offsets, whose leader the client finds with FindCoordinator — and the group's commits are written to
 * exactly that partition. The demo computes Java's String.hashCode and Kafka's Utils.abs itself (not with the
 * broker's code), commits for a few groups, and sees which partition of __consumer_offsets grew; then does the same
 * on a broker with offsets.topic.num.partitions=7.
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

interface Lookup {
  groupId: string;
  hash: number;
  expected: number;
  coordinator: { errorCode: number; nodeId: number; host: string; port: number };
  /** Partitions of __consumer_offsets whose log end offset moved during the commit. */
  grew: number[];
  /** Group ids in the keys of the records the commit appended there. */
  keyedBy: string[];
  /** Leader of the expected partition, from Metadata. */
  leader: number | undefined;
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
    const broker = ctx.broker!;
    const topic = ctx.topic('coordinator');
    const admin = await ctx.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });

    ctx.step({
      zh: `默认配置的 broker：对每个组，自己计算 abs(hashCode) % ${DEFAULT_PARTITIONS}，发送 FindCoordinator，再提交一个 offset，看 ${OFFSETS_TOPIC} 的哪个分区变长`,
      en: `a broker with default settings: for each group, compute abs(hashCode) % ${DEFAULT_PARTITIONS} ourselves, send FindCoordinator, commit one offset and see which partition of ${OFFSETS_TOPIC} grows`,
    });
    const lookups = await lookUpAndCommit(ctx, broker, topic, DEFAULT_PARTITIONS);
    const partitionsAtDefault = await offsetsTopicPartitions(broker);
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
    checkLookups(ctx, lookups, broker, DEFAULT_PARTITIONS);

    ctx.step({
      zh: `另起一个 offsets.topic.num.partitions=${OTHER_PARTITIONS} 的 broker，同样的组再做一遍：模数就是这个配置`,
      en: `start another broker with offsets.topic.num.partitions=${OTHER_PARTITIONS} and repeat with the same groups: the modulus is that setting`,
    });
    const other = await ctx.startBroker({ config: { 'offsets.topic.num.partitions': OTHER_PARTITIONS } });
    const otherAdmin = ctx.kafka({ brokers: [other.bootstrap] }).admin();
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
    checkLookups(ctx, otherLookups, other, OTHER_PARTITIONS);
  },
});

/** For each group: compute its partition, ask FindCoordinator, commit one offset, and record what grew. */
async function lookUpAndCommit(
  ctx: DemoContext,
  broker: KafkaBroker,
  topic: string,
  numPartitions: number,
): Promise<Lookup[]> {
  const client = await RawKafkaClient.connect(broker.port, broker.host);
  ctx.defer(() => client.close());
  const lookups: Lookup[] = [];
  for (const groupId of GROUPS) {
    const hash = javaHashCode(groupId);
    const expected = kafkaAbs(hash) % numPartitions;
    const coordinator = await client.request(ApiKey.FindCoordinator, FIND_COORDINATOR_VERSION, {
      key: groupId,
      keyType: 0,
    });
    const before = logEndOffsets(broker, numPartitions);
    // A standalone commit (generation -1, no member): one OffsetCommit record, and nothing else, for this group.
    const commit = await client.request(ApiKey.OffsetCommit, OFFSET_COMMIT_VERSION, {
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: topic,
          partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, committedMetadata: null }],
        },
      ],
    });
    const commitError = commit.topics[0]?.partitions[0]?.errorCode;
    if (commitError !== ErrorCode.NONE)
      throw new Error(
        `OffsetCommit for group ${groupId} failed: ${commitError === undefined ? 'no partition in the response' : errorInfo(commitError).name}`,
      );
    const after = logEndOffsets(broker, numPartitions);
    const grew = after.flatMap((end, p) => (end > before[p]! ? [p] : []));
    const keyedBy = grew.flatMap((p) => groupIdsIn(broker, p, before[p]!));
    const { leaders } = await offsetsTopicPartitions(broker, client);
    lookups.push({ groupId, hash, expected, coordinator, grew, keyedBy, leader: leaders.get(expected) });
    ctx.observe(
      groupId,
      `hashCode ${hash} → abs ${kafkaAbs(hash)} % ${numPartitions} = ${expected}; FindCoordinator → node ${coordinator.nodeId} ${coordinator.host}:${coordinator.port} (${errorInfo(coordinator.errorCode).name}); grew: ${grew.join(', ') || 'none'}`,
    );
  }
  return lookups;
}

function checkLookups(ctx: DemoContext, lookups: Lookup[], broker: KafkaBroker, numPartitions: number): void {
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
          l.coordinator.nodeId === l.leader &&
          l.coordinator.port === broker.port,
      ),
      expected: lookups.map((l) => `node ${l.leader ?? '?'} :${broker.port}`).join('; '),
      actual: lookups
        .map((l) => `node ${l.coordinator.nodeId} :${l.coordinator.port} ${errorInfo(l.coordinator.errorCode).name}`)
        .join('; '),
    },
  );
}

/** Log end offset of every partition of __consumer_offsets; 0 for all before the topic exists (first commit creates it). */
function logEndOffsets(broker: KafkaBroker, numPartitions: number): bigint[] {
  const exists = broker.topics().includes(OFFSETS_TOPIC);
  return Array.from({ length: numPartitions }, (_, p) => (exists ? broker.log(OFFSETS_TOPIC, p).logEndOffset : 0n));
}

/**
 * The group id in the key of each record appended to partition `p` from `from` on. Every __consumer_offsets key
 * starts with an int16 version and the group id as an int16-length string (OffsetCommitKey and GroupMetadataKey alike).
 */
function groupIdsIn(broker: KafkaBroker, p: number, from: bigint): string[] {
  const read = broker.log(OFFSETS_TOPIC, p).read(from, 1 << 20);
  return [...batchesIn(read.records)]
    .flatMap((batch) => decodeRecords(batch))
    .filter((record) => record.offset >= from)
    .map((record) =>
      record.key === null ? '(no key)' : record.key.toString('utf8', 4, 4 + record.key.readInt16BE(2)),
    );
}

/** __consumer_offsets as a client sees it (Metadata, no auto-creation): partition count and each partition's leader. */
async function offsetsTopicPartitions(
  broker: KafkaBroker,
  client?: RawKafkaClient,
): Promise<{ count: number; leaders: Map<number, number> }> {
  const raw = client ?? (await RawKafkaClient.connect(broker.port, broker.host));
  try {
    const metadata = await raw.request(ApiKey.Metadata, METADATA_VERSION, {
      topics: [{ name: OFFSETS_TOPIC }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const partitions = metadata.topics.find((t) => t.name === OFFSETS_TOPIC)?.partitions ?? [];
    return { count: partitions.length, leaders: new Map(partitions.map((p) => [p.partitionIndex, p.leaderId])) };
  } finally {
    if (!client) raw.close();
  }
}
