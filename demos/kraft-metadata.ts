import { ApiKey, decodeResponseFrame, ErrorCode, RawKafkaClient } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { RawPartitionReader } from '../src/demo/raw-partition-reader.js';

/**
 * Proves the metadata answers (zookeeper-role-and-kraft, zookeeper-removal-version, kraft-metadata-location,
 * kafka-elections) from the client's side: a client is given only broker addresses and learns the whole cluster —
 * brokers, cluster id, controller id, every partition's leader and leader epoch — from a broker's Metadata response;
 * nothing points at ZooKeeper, and the broker offers none of the ZooKeeper-era controller-to-broker APIs
 * (LeaderAndIsr, StopReplica, UpdateMetadata, ControlledShutdown) that a ZooKeeper-mode broker advertises.
 */
const METADATA_VERSION = 8;
/** The ZooKeeper-mode controller's RPCs to brokers; KRaft brokers (3.x) do not expose them and 4.0 removed them. */
const ZK_ERA_APIS: ReadonlyArray<[number, string]> = [
  [4, 'LeaderAndIsr'],
  [5, 'StopReplica'],
  [6, 'UpdateMetadata'],
  [7, 'ControlledShutdown'],
];
/** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (Uuid.toString). */
const CLUSTER_ID = /^[A-Za-z0-9_-]{22}$/;

export default defineDemo({
  id: 'kraft-metadata',
  title: {
    zh: '元数据从哪里来：只问 broker 的 Metadata API',
    en: "Where metadata comes from: the brokers' Metadata API",
  },
  claim: {
    zh: '客户端只凭 broker 地址，就从 Metadata 响应拿到全部元数据（broker 列表、cluster id、controller id、各分区 leader 与 leader epoch），不涉及任何 ZooKeeper 地址',
    en: 'given only broker addresses, a client gets all metadata (brokers, cluster id, controller id, partition leaders and leader epochs) from the Metadata response, with no ZooKeeper address involved',
  },
  needs: 'client',
  knobs: {
    partitions: { default: 3, min: 1, max: 50, about: { zh: 'topic 的分区数', en: "the topic's partition count" } },
  },
  async run(ctx) {
    const PARTITIONS = ctx.knobs.partitions;
    const topic = ctx.topic('metadata');
    ctx.step({
      zh: `客户端配置里只有 bootstrap.servers=${ctx.bootstrap}；创建 ${PARTITIONS} 个分区的 topic ${topic}`,
      en: `the client's only setting is bootstrap.servers=${ctx.bootstrap}; create topic ${topic} with ${PARTITIONS} partitions`,
    });
    const admin = await ctx.admin();
    // kafkajs sends CreateTopics to the broker Metadata names as controller: with no live controller id it cannot
    const created = await admin
      .createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] })
      .then(
        () => undefined,
        (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)),
      );
    // Fails if a client that knows only broker addresses cannot create a topic (no broker to send it to).
    ctx.check(
      {
        zh: 'kafkajs 只凭 broker 地址就创建了 topic（CreateTopics 发给 Metadata 里的 controller id 那个 broker）',
        en: 'kafkajs, knowing only broker addresses, created the topic (it sends CreateTopics to the broker Metadata names as controller)',
      },
      {
        pass: created === undefined,
        expected: { zh: '已创建', en: 'created' },
        actual: created === undefined ? { zh: '已创建', en: 'created' } : created,
      },
    );
    if (created !== undefined) return;

    ctx.step({
      zh: `向 bootstrap broker 发送原始 Metadata v${METADATA_VERSION} 请求并解码响应`,
      en: `send a raw Metadata v${METADATA_VERSION} request to the bootstrap broker and decode the response`,
    });
    const [host, port] = RawPartitionReader.parseBootstrap(ctx.bootstrap);
    const client = await RawKafkaClient.connect(port, host);
    ctx.defer(() => client.close());
    const correlationId = client.send(ApiKey.Metadata, METADATA_VERSION, {
      topics: [{ name: topic }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const frame = await client.nextFrame(5000, 'the Metadata response');
    const decoded = decodeResponseFrame(ApiKey.Metadata, METADATA_VERSION, frame);
    if (decoded.correlationId !== correlationId)
      throw new Error(`Metadata response carries correlation id ${decoded.correlationId}, expected ${correlationId}`);
    const metadata = decoded.response;
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];

    ctx.observe('raw response', `${frame.length} bytes: ${frame.subarray(0, 48).toString('hex')}…`);
    ctx.observe(
      'brokers',
      metadata.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}${b.rack ? ` rack ${b.rack}` : ''}`).join(', '),
    );
    ctx.observe('cluster id', metadata.clusterId);
    ctx.observe('controller id', metadata.controllerId);
    ctx.observe(
      'partitions',
      partitions
        .map(
          (p) =>
            `p${p.partitionIndex}: leader ${p.leaderId} epoch ${p.leaderEpoch} replicas [${p.replicaNodes.join(',')}] isr [${p.isrNodes.join(',')}]`,
        )
        .join('; '),
    );

    const brokerIds = new Set(metadata.brokers.map((b) => b.nodeId));
    // Fails if the broker cannot say who is in the cluster or which cluster it is.
    ctx.check(
      {
        zh: 'Metadata 响应给出 broker 列表和 cluster id',
        en: 'the Metadata response lists the brokers and the cluster id',
      },
      {
        pass: metadata.brokers.length >= 1 && CLUSTER_ID.test(metadata.clusterId ?? ''),
        expected: {
          zh: '≥ 1 个 broker，22 个字符的 base64 cluster id',
          en: '≥ 1 broker, a 22-character base64 cluster id',
        },
        actual: {
          zh: `${metadata.brokers.length} 个 broker，cluster id ${metadata.clusterId ?? 'null'}`,
          en: `${metadata.brokers.length} broker(s), cluster id ${metadata.clusterId ?? 'null'}`,
        },
      },
    );
    // Fails if the controller id names no broker the client can reach (-1 = unknown).
    ctx.check(
      { zh: 'controller id 是列表中一个存活的 broker', en: 'the controller id is a live broker from the list' },
      {
        pass: brokerIds.has(metadata.controllerId),
        expected: { zh: `${[...brokerIds].join(', ')} 之一`, en: `one of ${[...brokerIds].join(', ')}` },
        actual: String(metadata.controllerId),
      },
    );
    // Fails if any partition lacks a leader, names one outside the broker list, or has no leader epoch.
    const bad = partitions.filter(
      (p) =>
        p.errorCode !== ErrorCode.NONE ||
        !brokerIds.has(p.leaderId) ||
        !p.isrNodes.includes(p.leaderId) ||
        p.leaderEpoch < 0,
    );
    ctx.check(
      {
        zh: '每个分区的 leader 都是列表中的 broker、在 ISR 中，并带有 leader epoch',
        en: "every partition's leader is a listed broker, in the ISR, with a leader epoch",
      },
      {
        pass: partitions.length === PARTITIONS && bad.length === 0,
        expected: {
          zh: `${PARTITIONS} 个分区，leader 都是列出的 broker`,
          en: `${PARTITIONS} partitions, all led by listed brokers`,
        },
        actual: {
          zh: `${partitions.length} 个分区，${bad.length} 个没有有效的 leader`,
          en: `${partitions.length} partitions, ${bad.length} without a valid leader`,
        },
      },
    );

    ctx.step({
      zh: '对照：kafkajs 的 describeCluster / fetchTopicMetadata 也只从 broker 获得同样的信息',
      en: 'cross-check: kafkajs describeCluster / fetchTopicMetadata get the same from the brokers',
    });
    const cluster = await admin.describeCluster();
    const topicMetadata = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    const leadersRaw = partitions
      .map((p) => `${p.partitionIndex}:${p.leaderId}`)
      .sort()
      .join(' ');
    const leadersJs = topicMetadata
      .map((p) => `${p.partitionId}:${p.leader}`)
      .sort()
      .join(' ');
    const brokersJs = cluster.brokers
      .map((b) => b.nodeId)
      .sort()
      .join(',');
    // Fails if the real client saw a different cluster than the raw response described.
    ctx.check(
      {
        zh: 'kafkajs 看到的 cluster id、controller、broker 与分区 leader 与原始响应一致',
        en: 'kafkajs sees the same cluster id, controller, brokers and partition leaders as the raw response',
      },
      {
        pass:
          cluster.clusterId === metadata.clusterId &&
          cluster.controller === metadata.controllerId &&
          brokersJs === [...brokerIds].sort().join(',') &&
          leadersJs === leadersRaw,
        expected: `${metadata.clusterId} / controller ${metadata.controllerId} / brokers ${[...brokerIds].sort().join(',')} / leaders ${leadersRaw}`,
        actual: `${cluster.clusterId} / controller ${cluster.controller ?? 'null'} / brokers ${brokersJs} / leaders ${leadersJs}`,
      },
    );

    ctx.step({
      zh: '检查 broker 是否还提供 ZooKeeper 时代 controller→broker 的 API（ApiVersions）',
      en: 'check whether the broker still offers the ZooKeeper-era controller→broker APIs (ApiVersions)',
    });
    const versions = await client.request(ApiKey.ApiVersions, 2, {});
    const offered = ZK_ERA_APIS.filter(([key]) => versions.apiKeys.some((k) => k.apiKey === key));
    ctx.observe('APIs advertised', versions.apiKeys.map((k) => k.apiKey).join(','));
    // Fails against a ZooKeeper-mode broker, which advertises all four.
    ctx.check(
      {
        zh: '不提供 LeaderAndIsr / StopReplica / UpdateMetadata / ControlledShutdown',
        en: 'none of LeaderAndIsr / StopReplica / UpdateMetadata / ControlledShutdown is offered',
      },
      {
        pass: versions.errorCode === ErrorCode.NONE && offered.length === 0,
        expected: 'none',
        actual: offered.map(([, name]) => name).join(', ') || 'none',
      },
    );
  },
});
