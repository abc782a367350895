import { buildRecordBatch } from '../../src/broker/record/record-batch-builder.js';
import { ApiKey, type ApiName } from '../../src/broker/protocol/api-keys.js';
import type { ApiRequest } from '../../src/broker/protocol/api-registry.js';
import type { OracleSession } from './oracle-session.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';
import { fetch as fetchOf } from '../../src/broker/client/request-builders.js';
import { ADVERTISED_APIS } from '../../src/broker/server/kafka-apis.js';

/**
 * The scripted sessions of the differential tests, one per API: each sends that API at the version under test
 * (other APIs it needs at `versions[api]`), covering the normal path and the error paths a client meets:
 * unknown topic, bad topic name, offset out of range, invalid config key or value, message too large, stale
 * generation, unknown member, rebalance in progress, fetch beyond the high watermark, acks 0/1/-1. Every
 * request and answer is recorded by the session; the test compares kq's recording with Apache Kafka's.
 */
export interface ScenarioContext {
  session: OracleSession;
  /** The version under test of the scenario's own API. */
  version: number;
  /** A version both brokers serve for every other API the scenario uses. */
  versions: Readonly<Record<ApiName, number>>;
  /** A name unique to this API and version, the same on both brokers. */
  name(base: string): string;
  /** Record timestamps: fixed per run, identical on both brokers, a minute in the past. */
  timestamp: number;
}

export type Scenario = (ctx: ScenarioContext) => Promise<void>;

const SESSION_TIMEOUT_MS = 10_000;
// ConsumerProtocol v0 subscription to topic "o-t1" (null user data), and an assignment of its partition 0: the
// classic group coordinator keeps them opaque, but Kafka 4.x parses the consumer protocol's bytes.
const CONSUMER_METADATA = Buffer.from('0000' + '00000001' + '0004' + '6f2d7431' + 'ffffffff', 'hex');
const CONSUMER_ASSIGNMENT = Buffer.from(
  '0000' + '00000001' + '0004' + '6f2d7431' + '00000001' + '00000000' + 'ffffffff',
  'hex',
);

export function batch(values: string[], timestamp: number, key: string | null = null): Buffer {
  return buildRecordBatch({
    records: values.map((value, i) => ({ key, value, timestamp: timestamp + i })),
    now: timestamp,
  });
}

async function createTopic(
  ctx: ScenarioContext,
  name: string,
  partitions = 1,
  options: { tracked?: boolean } = {},
): Promise<void> {
  const request: ApiRequest<typeof ApiKey.CreateTopics> = {
    topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 10_000,
    validateOnly: false,
  };
  if (options.tracked)
    await ctx.session.call(`create topic ${name}`, ApiKey.CreateTopics, ctx.versions.CreateTopics, request);
  else await ctx.session.untracked(ApiKey.CreateTopics, ctx.versions.CreateTopics, request);
  await waitForLeaders(ctx, name, partitions);
}

/** `topic` as the session's broker knows it now, asked with an untracked Metadata (not compared). */
async function untrackedTopicMetadata(ctx: ScenarioContext, topic: string) {
  return (await ctx.session.untracked(ApiKey.Metadata, 4, metadataRequest([topic]))).topics[0];
}

/**
 * Polls Metadata (not compared) until the broker no longer knows `topic`: DeleteTopics answers once the controller
 * committed the deletion, and a Kafka broker applies it a moment later (a Metadata asked at once may still list it).
 */
async function waitForDeletion(ctx: ScenarioContext, topic: string): Promise<void> {
  const gone = async () => (await untrackedTopicMetadata(ctx, topic))?.errorCode === 3; // UNKNOWN_TOPIC_OR_PARTITION
  await waitUntil(gone, `${topic} deleted on ${ctx.session.target.name}`, 15_000, { everyMs: 50 });
}

/** Polls Metadata (not compared) until every partition has a leader: Kafka's brokers learn new topics a moment later. */
async function waitForLeaders(ctx: ScenarioContext, topic: string, partitions: number): Promise<void> {
  const led = async () => {
    const t = await untrackedTopicMetadata(ctx, topic);
    return (
      t !== undefined &&
      t.errorCode === 0 &&
      t.partitions.length === partitions &&
      t.partitions.every((p) => p.leaderId >= 0) &&
      (await leadersServe(ctx, topic, partitions))
    );
  };
  await waitUntil(led, `leaders for every partition of ${topic} on ${ctx.session.target.name}`, 15_000, {
    everyMs: 50,
  });
}

/**
 * Kafka's broker answers Metadata from its metadata cache, which learns a new leader a moment before its
 * ReplicaManager becomes that leader (BrokerMetadataPublisher updates the cache, then applies the delta); in that
 * window a Produce gets NOT_LEADER_OR_FOLLOWER. A ListOffsets goes through the ReplicaManager, so it answers
 * without an error only once every partition is really led.
 */
async function leadersServe(ctx: ScenarioContext, topic: string, partitions: number): Promise<boolean> {
  const all = Array.from({ length: partitions }, (_, p) => p);
  const response = await ctx.session.untracked(
    ApiKey.ListOffsets,
    ctx.versions.ListOffsets,
    listOffsetsRequest(topic, -1n, all),
  );
  return response.topics.every((t) => t.partitions.every((p) => p.errorCode === 0));
}

/** A topic as requests name it: by name up to Produce v12 / Fetch v12, by id from v13 (KIP-516). */
interface TopicRef {
  name: string;
  topicId: string;
}

/** An id no broker has: what an unknown topic is asked for by, at the versions that name topics by id. */
const UNKNOWN_TOPIC_ID = 'kqUnknownTopicIdAAAAAA';

/**
 * The topic's name and this broker's id for it (Metadata v12, not compared: each broker gives its own id), so a
 * request carries both and the codec writes whichever the version has. An unknown topic gets an id no broker has.
 */
async function topicRef(ctx: ScenarioContext, name: string): Promise<TopicRef> {
  const response = await ctx.session.untracked(ApiKey.Metadata, 12, {
    topics: [{ name }],
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  });
  const topic = response.topics.find((t) => t.name === name);
  return { name, topicId: topic && topic.errorCode === 0 ? topic.topicId! : UNKNOWN_TOPIC_ID };
}

function produceRequest(
  topic: TopicRef,
  records: Buffer,
  acks: number,
  partition = 0,
): ApiRequest<typeof ApiKey.Produce> {
  return {
    transactionalId: null,
    acks,
    timeoutMs: 10_000,
    topics: [{ name: topic.name, topicId: topic.topicId, partitions: [{ partitionIndex: partition, records }] }],
  };
}

function fetchRequest(topic: TopicRef, offset: bigint, partition = 0): ApiRequest<typeof ApiKey.Fetch> {
  const request = fetchOf(topic.name, offset, { partition });
  // the codec writes the name up to v12 and the id from v13 (KIP-516)
  return { ...request, topics: request.topics.map((t) => ({ ...t, topicId: topic.topicId })) };
}

function metadataRequest(topics: string[] | null, allowAutoTopicCreation = false): ApiRequest<typeof ApiKey.Metadata> {
  return {
    topics: topics === null ? null : topics.map((name) => ({ name })),
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

function createTopicsRequest(
  name: string,
  options: {
    partitions?: number;
    replicationFactor?: number;
    configs?: Record<string, string>;
    validateOnly?: boolean;
  } = {},
): ApiRequest<typeof ApiKey.CreateTopics> {
  return {
    topics: [
      {
        name,
        numPartitions: options.partitions ?? 1,
        replicationFactor: options.replicationFactor ?? 1,
        assignments: [],
        configs: Object.entries(options.configs ?? {}).map(([k, value]) => ({ name: k, value })),
      },
    ],
    timeoutMs: 10_000,
    validateOnly: options.validateOnly ?? false,
  };
}

const metadata: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('meta');
  await createTopic(ctx, topic, 3);
  await s.call('a known topic', ApiKey.Metadata, v, metadataRequest([topic]));
  await s.call('an unknown topic, auto-creation not asked', ApiKey.Metadata, v, metadataRequest([ctx.name('missing')]));
  await s.call('an invalid topic name', ApiKey.Metadata, v, metadataRequest(['bad name!']));
  if (v >= 1) await s.call('no topics (brokers and controller only)', ApiKey.Metadata, v, metadataRequest([]));
};

const createTopics: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('ct');
  await s.call('a new topic, 2 partitions', ApiKey.CreateTopics, v, createTopicsRequest(topic, { partitions: 2 }));
  await s.call('the same topic again', ApiKey.CreateTopics, v, createTopicsRequest(topic));
  await s.call('an invalid topic name', ApiKey.CreateTopics, v, createTopicsRequest('bad topic!'));
  await s.call('a name of 250 characters', ApiKey.CreateTopics, v, createTopicsRequest('x'.repeat(250)));
  await s.call(
    'an unknown config key',
    ApiKey.CreateTopics,
    v,
    createTopicsRequest(ctx.name('ct-key'), { configs: { 'no.such.config': '1' } }),
  );
  await s.call(
    'an invalid config value',
    ApiKey.CreateTopics,
    v,
    createTopicsRequest(ctx.name('ct-value'), { configs: { 'retention.ms': 'soon' } }),
  );
  await s.call(
    'segment.bytes below the 1 MiB floor (KIP-1030)',
    ApiKey.CreateTopics,
    v,
    createTopicsRequest(ctx.name('ct-small-segment'), { configs: { 'segment.bytes': '1048575' } }),
  );
  await s.call(
    'a valid config',
    ApiKey.CreateTopics,
    v,
    createTopicsRequest(ctx.name('ct-config'), { configs: { 'cleanup.policy': 'compact' } }),
  );
  await s.call(
    'replication factor 3 on one broker',
    ApiKey.CreateTopics,
    v,
    createTopicsRequest(ctx.name('ct-rf'), { replicationFactor: 3 }),
  );
  await s.call('zero partitions', ApiKey.CreateTopics, v, createTopicsRequest(ctx.name('ct-zero'), { partitions: 0 }));
  if (v >= 1) {
    await s.call(
      'validate only',
      ApiKey.CreateTopics,
      v,
      createTopicsRequest(ctx.name('ct-validate'), { validateOnly: true }),
    );
    await s.call(
      'the validated topic was not created',
      ApiKey.Metadata,
      ctx.versions.Metadata,
      metadataRequest([ctx.name('ct-validate')]),
    );
  }
  if (v >= 4) {
    await s.call(
      'broker defaults (-1 partitions, -1 replication)',
      ApiKey.CreateTopics,
      v,
      createTopicsRequest(ctx.name('ct-default'), { partitions: -1, replicationFactor: -1 }),
    );
  }
};

const deleteTopics: Scenario = async (ctx) => {
  const topic = ctx.name('dt');
  await createTopic(ctx, topic);
  const deleted = await ctx.session.call('an existing and an unknown topic', ApiKey.DeleteTopics, ctx.version, {
    topicNames: [topic, ctx.name('dt-missing')],
    timeoutMs: 10_000,
  });
  // (v6+ names topics in another field, so this request deletes nothing there: then there is nothing to wait for)
  if (deleted?.responses.some((r) => r.name === topic && r.errorCode === 0)) await waitForDeletion(ctx, topic);
  await ctx.session.call('the deleted topic is gone', ApiKey.Metadata, ctx.versions.Metadata, metadataRequest([topic]));
};

const createPartitions: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('cp');
  await createTopic(ctx, topic);
  const request = (name: string, count: number, validateOnly = false): ApiRequest<typeof ApiKey.CreatePartitions> => ({
    topics: [{ name, count, assignments: null }],
    timeoutMs: 10_000,
    validateOnly,
  });
  await s.call('grow to 3', ApiKey.CreatePartitions, v, request(topic, 3));
  await s.call('shrink to 2', ApiKey.CreatePartitions, v, request(topic, 2));
  await s.call('the same count', ApiKey.CreatePartitions, v, request(topic, 3));
  await s.call('validate only, 5', ApiKey.CreatePartitions, v, request(topic, 5, true));
  await s.call('an unknown topic', ApiKey.CreatePartitions, v, request(ctx.name('cp-missing'), 2));
};

const electLeaders: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('el');
  await createTopic(ctx, topic, 2);
  const request = (
    electionType: number,
    topicPartitions: Array<{ topic: string; partitions: number[] }>,
  ): ApiRequest<typeof ApiKey.ElectLeaders> => ({ electionType, topicPartitions, timeoutMs: 10_000 });
  // One broker: it leads every partition and is every partition's preferred replica.
  await s.call('preferred, both partitions', ApiKey.ElectLeaders, v, request(0, [{ topic, partitions: [0, 1] }]));
  await s.call('unclean, a partition with a leader', ApiKey.ElectLeaders, v, request(1, [{ topic, partitions: [0] }]));
  await s.call(
    'a partition that does not exist, and an unknown topic',
    ApiKey.ElectLeaders,
    v,
    request(0, [
      { topic, partitions: [7] },
      { topic: ctx.name('el-missing'), partitions: [0] },
    ]),
  );
};

const alterPartitionReassignments: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('apr');
  await createTopic(ctx, topic, 2);
  const request = (
    partitions: Array<{ partitionIndex: number; replicas: number[] | null }>,
    allowReplicationFactorChange = true,
  ): ApiRequest<typeof ApiKey.AlterPartitionReassignments> => ({
    timeoutMs: 10_000,
    allowReplicationFactorChange,
    topics: [{ name: topic, partitions }],
  });
  // One broker (node 1): the only valid target is where the partition already is.
  await s.call(
    'to the replicas it has',
    ApiKey.AlterPartitionReassignments,
    v,
    request([{ partitionIndex: 0, replicas: [1] }]),
  );
  await s.call(
    'an unregistered broker, a broker twice, an empty list',
    ApiKey.AlterPartitionReassignments,
    v,
    request([
      { partitionIndex: 0, replicas: [1, 2] },
      { partitionIndex: 0, replicas: [1, 1] },
      { partitionIndex: 1, replicas: [] },
    ]),
  );
  await s.call(
    'cancel with nothing in progress',
    ApiKey.AlterPartitionReassignments,
    v,
    request([{ partitionIndex: 1, replicas: null }]),
  );
  await s.call(
    'a partition that does not exist',
    ApiKey.AlterPartitionReassignments,
    v,
    request([{ partitionIndex: 7, replicas: [1] }], false),
  );
  await s.call('an unknown topic', ApiKey.AlterPartitionReassignments, v, {
    timeoutMs: 10_000,
    allowReplicationFactorChange: true,
    topics: [{ name: ctx.name('apr-missing'), partitions: [{ partitionIndex: 0, replicas: [1] }] }],
  });
};

const listPartitionReassignments: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('lpr');
  await createTopic(ctx, topic, 2);
  await s.call('every reassignment (none)', ApiKey.ListPartitionReassignments, v, { timeoutMs: 10_000, topics: null });
  await s.call('a topic and an unknown topic', ApiKey.ListPartitionReassignments, v, {
    timeoutMs: 10_000,
    topics: [
      { name: topic, partitionIndexes: [0, 1, 7] },
      { name: ctx.name('lpr-missing'), partitionIndexes: [0] },
    ],
  });
};

const produce: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('produce');
  await createTopic(ctx, topic, 2);
  const first = await s.call(
    'acks=-1',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), batch(['a', 'b'], ctx.timestamp), -1),
  );
  // Both brokers refusing alike would compare equal and test nothing: from v3 (RecordBatch v2, the versions both
  // serve) the happy path must append.
  const appended = first?.responses[0]?.partitions[0]?.errorCode;
  if (v >= 3 && appended !== 0) throw new Error(`Produce v${v} acks=-1 did not append: error ${appended}`);
  await s.call('acks=1', ApiKey.Produce, v, produceRequest(await topicRef(ctx, topic), batch(['c'], ctx.timestamp), 1));
  await s.callExpectingNoResponse(
    'acks=0',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), batch(['d'], ctx.timestamp), 0),
  );
  await s.call(
    'acks=-1 to partition 1',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), batch(['e'], ctx.timestamp), -1, 1),
  );
  await s.call(
    'the log end offsets after acks -1, 1, 0',
    ApiKey.ListOffsets,
    ctx.versions.ListOffsets,
    listOffsetsRequest(topic, -1n, [0, 1]),
  );
  await s.call(
    'acks=2 (invalid)',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), batch(['f'], ctx.timestamp), 2),
  );
  // Kafka resolves the topic (KafkaApis) before the ReplicaManager checks acks: an unknown topic wins over bad acks.
  await s.call(
    'acks=2 to an unknown topic',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, ctx.name('produce-missing')), batch(['x'], ctx.timestamp), 2),
  );
  await s.call(
    'an unknown topic',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, ctx.name('produce-missing')), batch(['x'], ctx.timestamp), -1),
  );
  await s.call(
    'a partition that does not exist',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), batch(['x'], ctx.timestamp), -1, 7),
  );
  const large = buildRecordBatch({
    records: [{ key: null, value: Buffer.alloc(1_100_000, 1), timestamp: ctx.timestamp }],
    now: ctx.timestamp,
  });
  await s.call(
    'a batch over message.max.bytes',
    ApiKey.Produce,
    v,
    produceRequest(await topicRef(ctx, topic), large, -1),
  );
};

const fetch: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('fetch');
  await createTopic(ctx, topic);
  await s.untracked(
    ApiKey.Produce,
    ctx.versions.Produce,
    produceRequest(await topicRef(ctx, topic), batch(['a', 'b'], ctx.timestamp, 'k'), -1),
  );
  await s.untracked(
    ApiKey.Produce,
    ctx.versions.Produce,
    produceRequest(await topicRef(ctx, topic), batch(['c'], ctx.timestamp), -1),
  );
  const all = await s.call(
    'from offset 0: both batches, byte for byte',
    ApiKey.Fetch,
    v,
    fetchRequest(await topicRef(ctx, topic), 0n),
  );
  // As above: an empty read on both brokers (a refused produce, a refused fetch) would compare equal.
  const read = all?.responses[0]?.partitions[0];
  if ((read?.records?.length ?? 0) === 0)
    throw new Error(`Fetch v${v} from offset 0 read nothing: error ${read?.errorCode}`);
  await s.call('from offset 1, inside the first batch', ApiKey.Fetch, v, fetchRequest(await topicRef(ctx, topic), 1n));
  await s.call('at the high watermark: nothing yet', ApiKey.Fetch, v, fetchRequest(await topicRef(ctx, topic), 3n));
  await s.call('beyond the high watermark', ApiKey.Fetch, v, fetchRequest(await topicRef(ctx, topic), 10n));
  await s.call('a negative offset', ApiKey.Fetch, v, fetchRequest(await topicRef(ctx, topic), -5n));
  await s.call('an unknown topic', ApiKey.Fetch, v, fetchRequest(await topicRef(ctx, ctx.name('fetch-missing')), 0n));
};

function listOffsetsRequest(topic: string, timestamp: bigint, partitions = [0]): ApiRequest<typeof ApiKey.ListOffsets> {
  return {
    replicaId: -1,
    isolationLevel: 0,
    topics: [
      { name: topic, partitions: partitions.map((p) => ({ partitionIndex: p, currentLeaderEpoch: -1, timestamp })) },
    ],
  };
}

const listOffsets: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('lo');
  await createTopic(ctx, topic);
  for (const [i, value] of ['a', 'b', 'c'].entries()) {
    await s.untracked(
      ApiKey.Produce,
      ctx.versions.Produce,
      produceRequest(await topicRef(ctx, topic), batch([value], ctx.timestamp + 1000 * i), -1),
    );
  }
  await s.call('earliest (-2)', ApiKey.ListOffsets, v, listOffsetsRequest(topic, -2n));
  await s.call('latest (-1)', ApiKey.ListOffsets, v, listOffsetsRequest(topic, -1n));
  await s.call(
    'by timestamp: the second record',
    ApiKey.ListOffsets,
    v,
    listOffsetsRequest(topic, BigInt(ctx.timestamp + 1000)),
  );
  await s.call(
    'by timestamp: between records',
    ApiKey.ListOffsets,
    v,
    listOffsetsRequest(topic, BigInt(ctx.timestamp + 1500)),
  );
  await s.call(
    'by timestamp: after every record',
    ApiKey.ListOffsets,
    v,
    listOffsetsRequest(topic, BigInt(ctx.timestamp + 60_000)),
  );
  await s.call('an unknown topic', ApiKey.ListOffsets, v, listOffsetsRequest(ctx.name('lo-missing'), -1n));
};

const deleteRecords: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('dr');
  await createTopic(ctx, topic);
  await s.untracked(
    ApiKey.Produce,
    ctx.versions.Produce,
    produceRequest(await topicRef(ctx, topic), batch(['a', 'b', 'c', 'd'], ctx.timestamp), -1),
  );
  const request = (name: string, offset: bigint): ApiRequest<typeof ApiKey.DeleteRecords> => ({
    topics: [{ name, partitions: [{ partitionIndex: 0, offset }] }],
    timeoutMs: 10_000,
  });
  await s.call('before offset 2', ApiKey.DeleteRecords, v, request(topic, 2n));
  await s.call(
    'the log start offset moved',
    ApiKey.ListOffsets,
    ctx.versions.ListOffsets,
    listOffsetsRequest(topic, -2n),
  );
  await s.call(
    'fetching below the new log start',
    ApiKey.Fetch,
    ctx.versions.Fetch,
    fetchRequest(await topicRef(ctx, topic), 0n),
  );
  await s.call('up to the high watermark (-1)', ApiKey.DeleteRecords, v, request(topic, -1n));
  await s.call('beyond the high watermark', ApiKey.DeleteRecords, v, request(topic, 99n));
  await s.call('an unknown topic', ApiKey.DeleteRecords, v, request(ctx.name('dr-missing'), 1n));
};

const findCoordinator: Scenario = async (ctx) => {
  await waitForCoordinator(ctx, ctx.name('fc-group'));
  await ctx.session.call('a group', ApiKey.FindCoordinator, ctx.version, { key: ctx.name('fc-group'), keyType: 0 });
};

const initProducerId: Scenario = async (ctx) => {
  const request = { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 };
  // Kafka's first answers are COORDINATOR_LOAD_IN_PROGRESS until its transaction coordinator has loaded (clients
  // retry); the comparison is of the answer once it serves.
  await waitUntil(
    async () => (await ctx.session.untracked(ApiKey.InitProducerId, ctx.version, request)).errorCode === 0,
    `InitProducerId to succeed on ${ctx.session.target.name}`,
    60_000,
    { everyMs: 200 },
  );
  await ctx.session.call('an idempotent producer (no transactional id)', ApiKey.InitProducerId, ctx.version, request);
};

/**
 * A consumer group's life over the classic protocol, with the scenario's API at its version and every other
 * group API at `versions`: join (MEMBER_ID_REQUIRED first from JoinGroup v4), sync, heartbeat, commit and fetch
 * offsets, the error paths (stale generation, unknown member), describe and list, a second member joining
 * (REBALANCE_IN_PROGRESS for the first one's heartbeat), and leaving.
 */
function groupSession(api: ApiName): Scenario {
  return async (ctx) => {
    const v = (name: ApiName) => (name === api ? ctx.version : ctx.versions[name]);
    const s = ctx.session;
    const group = ctx.name('group');
    const topic = ctx.name('group-topic');
    await createTopic(ctx, topic);
    await waitForCoordinator(ctx, group);

    const join = async (session: OracleSession, label: string, memberId: string) => {
      const request: ApiRequest<typeof ApiKey.JoinGroup> = {
        groupId: group,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        rebalanceTimeoutMs: SESSION_TIMEOUT_MS,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: CONSUMER_METADATA }],
      };
      let response = await session.call(label, ApiKey.JoinGroup, v('JoinGroup'), request);
      if (response?.errorCode === 79) {
        response = await session.call(`${label} with the member id given`, ApiKey.JoinGroup, v('JoinGroup'), {
          ...request,
          memberId: response.memberId,
        });
      }
      if (!response || response.errorCode !== 0)
        throw new Error(`${label} failed on ${session.target.name}: ${JSON.stringify(response)}`);
      return response;
    };
    const heartbeat = (session: OracleSession, label: string, generationId: number, memberId: string) =>
      session.call(label, ApiKey.Heartbeat, v('Heartbeat'), {
        groupId: group,
        generationId,
        memberId,
        groupInstanceId: null,
      });
    const commit = (label: string, generationId: number, memberId: string, offset: bigint) =>
      s.call(label, ApiKey.OffsetCommit, v('OffsetCommit'), {
        groupId: group,
        generationId,
        memberId,
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [
          {
            name: topic,
            partitions: [
              { partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: 'm' },
            ],
          },
        ],
      });

    const first = await join(s, 'the first member joins', '');
    const me = first.memberId;
    const generation = first.generationId;
    await s.call('the leader syncs the assignment', ApiKey.SyncGroup, v('SyncGroup'), {
      groupId: group,
      generationId: generation,
      memberId: me,
      groupInstanceId: null,
      // v5+: what the Java consumer sends; Kafka 4.x checks them against the group (INCONSISTENT_GROUP_PROTOCOL).
      protocolType: 'consumer',
      protocolName: first.protocolName,
      assignments: [{ memberId: me, assignment: CONSUMER_ASSIGNMENT }],
    });
    await heartbeat(s, 'a heartbeat', generation, me);
    await commit('commit offset 5', generation, me, 5n);
    await s.call('fetch the committed offset', ApiKey.OffsetFetch, v('OffsetFetch'), {
      groupId: group,
      topics: [{ name: topic, partitionIndexes: [0, 1] }],
    });
    if (v('OffsetFetch') >= 2) {
      await s.call('fetch every committed offset (null topics)', ApiKey.OffsetFetch, v('OffsetFetch'), {
        groupId: group,
        topics: null,
      });
    }
    await heartbeat(s, 'a heartbeat with a stale generation', generation - 1, me);
    await heartbeat(s, 'a heartbeat from an unknown member', generation, 'no-such-member');
    await commit('a commit with a stale generation', generation + 1, me, 6n);
    await commit('a commit from an unknown member', generation, 'no-such-member', 6n);
    await s.call('describe the group', ApiKey.DescribeGroups, v('DescribeGroups'), {
      groups: [group, ctx.name('no-group')],
      includeAuthorizedOperations: false,
    });
    await s.call('list groups (this one)', ApiKey.ListGroups, v('ListGroups'), {}, (r) => ({
      ...r,
      groups: r.groups.filter((g) => g.groupId === group),
    }));

    // a second member: its join parks until the first member rejoins; meanwhile the first one's heartbeat hears
    // REBALANCE_IN_PROGRESS
    const other = s.fork();
    const secondJoin = join(other, 'a second member joins', '');
    await waitForState(ctx, group, 'PreparingRebalance');
    await heartbeat(s, 'the first member heartbeats during the rebalance', generation, me);
    const rejoin = await join(s, 'the first member rejoins', me);
    const second = await secondJoin;
    await s.call('describe the group after the rebalance', ApiKey.DescribeGroups, v('DescribeGroups'), {
      groups: [group],
      includeAuthorizedOperations: false,
    });
    const leave = (session: OracleSession, label: string, memberId: string) =>
      session.call(label, ApiKey.LeaveGroup, v('LeaveGroup'), {
        groupId: group,
        memberId,
        members: [{ memberId, groupInstanceId: null }],
      });
    await leave(other, 'the second member leaves', second.memberId);
    await leave(s, 'an unknown member leaves', 'no-such-member');
    await leave(s, 'the first member leaves', rejoin.memberId);
    other.close();
  };
}

async function waitForCoordinator(ctx: ScenarioContext, group: string): Promise<void> {
  const serves = async () => {
    // the coordinator is named as soon as __consumer_offsets exists, but serves a group only once the group's
    // partition of it is loaded (Kafka answers NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS until then)
    const r = await ctx.session.untracked(ApiKey.FindCoordinator, 1, { key: group, keyType: 0 });
    const d = await ctx.session.untracked(ApiKey.DescribeGroups, 0, {
      groups: [group],
      includeAuthorizedOperations: false,
    });
    return r.errorCode === 0 && d.groups[0]?.errorCode === 0;
  };
  await waitUntil(serves, `a coordinator serving group ${group} on ${ctx.session.target.name}`, 30_000, {
    everyMs: 100,
  });
}

async function waitForState(ctx: ScenarioContext, group: string, state: string): Promise<void> {
  const reached = async () => {
    const r = await ctx.session.untracked(ApiKey.DescribeGroups, 0, {
      groups: [group],
      includeAuthorizedOperations: false,
    });
    return r.groups[0]?.groupState === state;
  };
  await waitUntil(reached, `group ${group} to reach ${state} on ${ctx.session.target.name}`, 15_000, { everyMs: 20 });
}

const apiVersions: Scenario = async (ctx) => {
  // The version ranges themselves differ by design (kq serves a subset; raw-protocol.test.ts checks they nest);
  // compared here: the error code, and that both list every API kq serves.
  // kq's standalone broker: KRaft's quorum RPCs are served only by a node running a quorum (raw-protocol.test.ts).
  const kqKeys = new Set<number>(ADVERTISED_APIS.map((a) => a.key));
  await ctx.session.call(
    'the supported APIs',
    ApiKey.ApiVersions,
    ctx.version,
    { clientSoftwareName: 'kq-oracle', clientSoftwareVersion: '1.0' },
    (r) => ({
      errorCode: r.errorCode,
      kqApis: r.apiKeys
        .map((k) => k.apiKey)
        .filter((k) => kqKeys.has(k))
        .sort((a, b) => a - b),
    }),
  );
};

const offsetForLeaderEpoch: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('ofle');
  await createTopic(ctx, topic);
  await s.untracked(
    ApiKey.Produce,
    ctx.versions.Produce,
    produceRequest(await topicRef(ctx, topic), batch(['a', 'b'], ctx.timestamp), -1),
  );
  const request = (
    name: string,
    leaderEpoch: number,
    currentLeaderEpoch = -1,
  ): ApiRequest<typeof ApiKey.OffsetForLeaderEpoch> => ({
    replicaId: -1,
    topics: [{ topic: name, partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }],
  });
  await s.call('the end offset of epoch 0 (the current one)', ApiKey.OffsetForLeaderEpoch, v, request(topic, 0));
  await s.call('an epoch after every epoch of the log', ApiKey.OffsetForLeaderEpoch, v, request(topic, 7));
  if (v >= 2)
    await s.call('a current leader epoch from the future', ApiKey.OffsetForLeaderEpoch, v, request(topic, 0, 9));
  await s.call('an unknown topic', ApiKey.OffsetForLeaderEpoch, v, request(ctx.name('ofle-missing'), 0));
};

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

/** A topic with config overrides, created untracked (as createTopic, with configs). */
async function createTopicWithConfigs(
  ctx: ScenarioContext,
  name: string,
  configs: Record<string, string>,
  partitions = 1,
): Promise<void> {
  await ctx.session.untracked(
    ApiKey.CreateTopics,
    ctx.versions.CreateTopics,
    createTopicsRequest(name, { partitions, configs }),
  );
  await waitForLeaders(ctx, name, partitions);
}

function describeConfigsRequest(
  resourceType: number,
  resourceName: string,
  keys: string[] | null,
  options: { synonyms?: boolean; documentation?: boolean } = {},
): ApiRequest<typeof ApiKey.DescribeConfigs> {
  return {
    resources: [{ resourceType, resourceName, configurationKeys: keys }],
    includeSynonyms: options.synonyms ?? true,
    includeDocumentation: options.documentation ?? false,
  };
}

/** Broker configs that neither side sets and Kafka cannot change at run time either (so both say read-only). */
const STATIC_DEFAULT_BROKER_KEYS = [
  'log.retention.hours',
  'log.roll.hours',
  'log.retention.check.interval.ms',
  'group.min.session.timeout.ms',
  'group.max.session.timeout.ms',
];

/**
 * Waits (untracked) until `topic`'s configs show `expected` (source TOPIC_CONFIG for a value, the default for
 * undefined): Kafka applies an alter through its metadata log, so its brokers see it a moment later.
 */
async function configsSettled(
  ctx: ScenarioContext,
  topic: string,
  expected: Record<string, string | undefined>,
): Promise<void> {
  const names = Object.keys(expected);
  const settled = async () => {
    const r = await ctx.session.untracked(
      ApiKey.DescribeConfigs,
      ctx.versions.DescribeConfigs,
      describeConfigsRequest(TOPIC_RESOURCE, topic, names, { synonyms: false }),
    );
    return names.every((name) => {
      const c = r.results[0]?.configs.find((e) => e.name === name);
      const want = expected[name];
      return c !== undefined && (want === undefined ? c.configSource !== 1 : c.value === want && c.configSource === 1);
    });
  };
  await waitUntil(
    settled,
    `${topic}'s configs to show ${JSON.stringify(expected)} on ${ctx.session.target.name}`,
    15_000,
    {
      everyMs: 50,
    },
  );
}

const describeCluster: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const request = (endpointType: number, includeClusterAuthorizedOperations = false) => ({
    includeClusterAuthorizedOperations,
    endpointType,
    includeFencedBrokers: v >= 2,
  });
  await s.call('the brokers and the controller', ApiKey.DescribeCluster, v, request(1));
  await s.call('with the authorized operations', ApiKey.DescribeCluster, v, request(1, true));
  if (v >= 1) await s.call('the controllers, asked of a broker', ApiKey.DescribeCluster, v, request(2));
};

const describeConfigs: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('dc');
  await createTopicWithConfigs(ctx, topic, { 'retention.ms': '1000', 'flush.ms': '5000' });
  await s.call(
    'every config of a topic, with synonyms',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, topic, null),
  );
  await s.call(
    'every config of a topic, without synonyms',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, topic, null, { synonyms: false }),
  );
  await s.call(
    'an empty key list (every config)',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, topic, []),
  );
  await s.call(
    'chosen keys, one unknown',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, topic, ['retention.ms', 'segment.bytes', 'flush.messages', 'no.such']),
  );
  if (v >= 3)
    await s.call(
      'with documentation',
      ApiKey.DescribeConfigs,
      v,
      describeConfigsRequest(TOPIC_RESOURCE, topic, ['retention.ms', 'cleanup.policy'], { documentation: true }),
    );
  await s.call(
    'an unknown topic',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, ctx.name('dc-missing'), null),
  );
  await s.call(
    'an invalid topic name',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(TOPIC_RESOURCE, 'bad topic!', null),
  );
  await s.call(
    'broker configs at their defaults',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(BROKER_RESOURCE, '1', STATIC_DEFAULT_BROKER_KEYS),
  );
  await s.call(
    'a broker config Kafka can change at run time',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(BROKER_RESOURCE, '1', ['message.max.bytes']),
  );
  await s.call(
    'every broker config',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(BROKER_RESOURCE, '1', null, { synonyms: false }),
  );
  await s.call(
    'the cluster-wide defaults',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(BROKER_RESOURCE, '', null),
  );
  await s.call('another broker id', ApiKey.DescribeConfigs, v, describeConfigsRequest(BROKER_RESOURCE, '7', null));
  await s.call(
    'a broker id that is not a number',
    ApiKey.DescribeConfigs,
    v,
    describeConfigsRequest(BROKER_RESOURCE, 'x', null),
  );
};

const alterConfigs: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('ac');
  await createTopicWithConfigs(ctx, topic, { 'flush.ms': '5000' });
  const alter = (resourceType: number, name: string, configs: Record<string, string | null>, validateOnly = false) => ({
    resources: [
      { resourceType, resourceName: name, configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) },
    ],
    validateOnly,
  });
  const look = (label: string) =>
    s.call(
      label,
      ApiKey.DescribeConfigs,
      ctx.versions.DescribeConfigs,
      describeConfigsRequest(TOPIC_RESOURCE, topic, ['retention.ms', 'flush.ms']),
    );
  await s.call(
    "replace the topic's overrides with retention.ms",
    ApiKey.AlterConfigs,
    v,
    alter(TOPIC_RESOURCE, topic, { 'retention.ms': '2000' }),
  );
  await configsSettled(ctx, topic, { 'retention.ms': '2000', 'flush.ms': undefined });
  await look('retention.ms set, flush.ms back to its default');
  await s.call('validate only', ApiKey.AlterConfigs, v, alter(TOPIC_RESOURCE, topic, { 'retention.ms': '5' }, true));
  await look('validate only changed nothing');
  await s.call(
    'an unknown topic',
    ApiKey.AlterConfigs,
    v,
    alter(TOPIC_RESOURCE, ctx.name('ac-missing'), { 'retention.ms': '1' }),
  );
  await s.call(
    'an invalid topic name',
    ApiKey.AlterConfigs,
    v,
    alter(TOPIC_RESOURCE, 'bad topic!', { 'retention.ms': '1' }),
  );
  await s.call('an unknown config', ApiKey.AlterConfigs, v, alter(TOPIC_RESOURCE, topic, { 'no.such.config': '1' }));
  await s.call('an invalid value', ApiKey.AlterConfigs, v, alter(TOPIC_RESOURCE, topic, { 'retention.ms': 'soon' }));
  await s.call('a null value', ApiKey.AlterConfigs, v, alter(TOPIC_RESOURCE, topic, { 'retention.ms': null }));
  await s.call(
    'a broker config that cannot change at run time',
    ApiKey.AlterConfigs,
    v,
    alter(BROKER_RESOURCE, '1', { 'num.partitions': '3' }),
  );
  await s.call(
    'a dynamic broker config, validate only',
    ApiKey.AlterConfigs,
    v,
    alter(BROKER_RESOURCE, '1', { 'log.retention.ms': '3600000' }, true),
  );
  await look('after the refusals');
};

const incrementalAlterConfigs: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('iac');
  await createTopicWithConfigs(ctx, topic, { 'flush.ms': '5000' });
  const SET = 0;
  const DELETE = 1;
  const APPEND = 2;
  const change = (
    resourceType: number,
    name: string,
    configs: Array<[string, number, string | null]>,
    validateOnly = false,
  ) => ({
    resources: [
      {
        resourceType,
        resourceName: name,
        configs: configs.map(([n, configOperation, value]) => ({ name: n, configOperation, value })),
      },
    ],
    validateOnly,
  });
  const look = (label: string) =>
    s.call(
      label,
      ApiKey.DescribeConfigs,
      ctx.versions.DescribeConfigs,
      describeConfigsRequest(TOPIC_RESOURCE, topic, ['retention.bytes', 'retention.ms', 'flush.ms']),
    );
  await s.call(
    'SET retention.bytes and retention.ms',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [
      ['retention.bytes', SET, '1048576'],
      ['retention.ms', SET, '60000'],
    ]),
  );
  await configsSettled(ctx, topic, { 'retention.bytes': '1048576', 'retention.ms': '60000' });
  await look('both set, flush.ms kept');
  await s.call(
    'DELETE retention.bytes',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['retention.bytes', DELETE, null]]),
  );
  await s.call(
    'validate only',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['retention.ms', SET, '5']], true),
  );
  await configsSettled(ctx, topic, { 'retention.bytes': undefined, 'retention.ms': '60000' });
  await look('retention.bytes back to its default, validate only changed nothing');
  await s.call(
    'APPEND to a config that is not a list',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['retention.ms', APPEND, '1']]),
  );
  await s.call(
    'SET with a null value',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['retention.ms', SET, null]]),
  );
  await s.call(
    'SET an unknown config',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['no.such', SET, '1']]),
  );
  await s.call(
    'DELETE an unknown config',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['no.such', DELETE, null]]),
  );
  await s.call(
    'an invalid value',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [['retention.ms', SET, 'soon']]),
  );
  await s.call(
    'the same key twice',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, topic, [
      ['retention.ms', SET, '1'],
      ['retention.ms', SET, '2'],
    ]),
  );
  await s.call(
    'an unknown topic',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(TOPIC_RESOURCE, ctx.name('iac-missing'), [['retention.ms', SET, '1']]),
  );
  await s.call(
    'a broker config that cannot change at run time',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(BROKER_RESOURCE, '1', [['num.partitions', SET, '3']], true),
  );
  await s.call(
    'a dynamic broker config, validate only',
    ApiKey.IncrementalAlterConfigs,
    v,
    change(BROKER_RESOURCE, '1', [['log.retention.ms', SET, '3600000']], true),
  );
  await look('after the refusals');
};

const describeLogDirs: Scenario = async (ctx) => {
  const { session: s, version: v } = ctx;
  const topic = ctx.name('dld');
  await createTopic(ctx, topic, 2);
  await ctx.session.untracked(ApiKey.Produce, ctx.versions.Produce, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, records: batch(['a', 'b', 'c'], ctx.timestamp) }] }],
  });
  await s.call('both partitions of a topic', ApiKey.DescribeLogDirs, v, { topics: [{ topic, partitions: [0, 1] }] });
  await s.call('a partition that does not exist, and an unknown topic', ApiKey.DescribeLogDirs, v, {
    topics: [
      { topic, partitions: [7] },
      { topic: ctx.name('dld-missing'), partitions: [0] },
    ],
  });
  await s.call('no topics', ApiKey.DescribeLogDirs, v, { topics: [] });
};

/** The scenario for each API kq serves; an API without one is listed as not yet compared. */
export const SCENARIOS: Partial<Record<ApiName, Scenario>> = {
  ApiVersions: apiVersions,
  OffsetForLeaderEpoch: offsetForLeaderEpoch,
  Metadata: metadata,
  CreateTopics: createTopics,
  DeleteTopics: deleteTopics,
  CreatePartitions: createPartitions,
  ElectLeaders: electLeaders,
  AlterPartitionReassignments: alterPartitionReassignments,
  ListPartitionReassignments: listPartitionReassignments,
  Produce: produce,
  Fetch: fetch,
  ListOffsets: listOffsets,
  DeleteRecords: deleteRecords,
  FindCoordinator: findCoordinator,
  InitProducerId: initProducerId,
  JoinGroup: groupSession('JoinGroup'),
  SyncGroup: groupSession('SyncGroup'),
  Heartbeat: groupSession('Heartbeat'),
  LeaveGroup: groupSession('LeaveGroup'),
  OffsetCommit: groupSession('OffsetCommit'),
  OffsetFetch: groupSession('OffsetFetch'),
  DescribeGroups: groupSession('DescribeGroups'),
  ListGroups: groupSession('ListGroups'),
  DescribeCluster: describeCluster,
  DescribeConfigs: describeConfigs,
  AlterConfigs: alterConfigs,
  IncrementalAlterConfigs: incrementalAlterConfigs,
  DescribeLogDirs: describeLogDirs,
};
