/**
 * kq's broker from the outside: the one module `kq broker`, the demos and other projects import (published as the
 * package entry point `kq/broker`). Everything else under src/broker/ is internal and may move.
 *
 *   import { startBroker } from 'kq/broker';
 *   const kafka = await startBroker();          // 127.0.0.1, a free port, a temp data dir
 *   new Kafka({ brokers: [kafka.bootstrap] });   // kafkajs, librdkafka, the Java client…
 *   await kafka.close();                         // stops it and removes the temp data dir
 *
 * What it offers, in four parts: start and stop a broker or a cluster (`KafkaCluster`); observe it (its logs,
 * segments, groups, metrics, events, replicas); talk to it at the protocol level (a raw client, request builders,
 * api keys and error codes: what the demos use to show one request at a time); and read the record batches it
 * stores.
 */
import { KafkaBroker, type KafkaBrokerOptions } from './server/kafka-broker.js';

// ---------------------------------------------------------------- start, stop, observe

/**
 * Starts one broker and resolves once it accepts connections. Defaults suit a test: 127.0.0.1, port 0 (a free
 * port; read `broker.port` or `broker.bootstrap`), a fresh temp data dir that `close()` removes, Kafka's
 * defaults for every setting (`config: { 'num.partitions': 3 }` to change them).
 */
export function startBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  return KafkaBroker.start(options);
}

export { KafkaBroker };
export type { KafkaBrokerEvents, KafkaBrokerMetrics, KafkaBrokerOptions } from './server/kafka-broker.js';
export { KafkaConfig } from './server/kafka-config.js';
export type {
  DeletedSegment,
  LogAppendInfo,
  LogReadInfo,
  LookupTrace,
  SegmentInfo,
  UnifiedLog,
} from './log/unified-log.js';
export type { LogLoadInfo } from './log/log-loader.js';
export type { GroupSnapshot, MemberSnapshot, PartitionOffsetSnapshot } from './group/group-snapshot.js';
export { describeGroupEvent } from './group/group-events.js';
export { decodeAssignment } from './group/consumer-protocol.js';
export type { GroupEvent } from './group/group-events.js';
export type { ConnectionClosedEvent, ConnectionOpenedEvent, SocketServerMetrics } from './network/index.js';

// ---------------------------------------------------------------- a replicated cluster (issue 11)

/**
 * N brokers as one cluster: `KafkaCluster.start({ brokers: 3, controlPlane })` in-process, or child processes for
 * crash tests (`kill`, `pause`/`resume`, `start`), each node's replicas readable with `describe()`.
 */
export { KafkaCluster, KafkaClusterConfigError, MAX_CLUSTER_BROKERS } from './cluster/kafka-cluster.js';
/** One combined KRaft node (broker + controller + Raft over the network), what each `kq broker` child runs. */
export { KafkaRaftServer } from './server/kafka-raft-server.js';
export type { KafkaRaftServerOptions } from './server/kafka-raft-server.js';
/** The in-process cluster's control plane (KafkaCluster's default for more than one in-process broker). */
export { KRaftControlPlane } from './cluster/kraft-control-plane.js';
export type { ControllerEvent } from './controller/quorum-controller.js';
export type {
  ClusterNodeInfo,
  ControlPlaneProvider,
  KafkaClusterOptions,
  NodeDescription,
  NodeState,
} from './cluster/kafka-cluster.js';
export { snapshotFromJson, snapshotPartition, snapshotToJson } from './cluster/partition-snapshot.js';
export type { FollowerSnapshot, PartitionSnapshot } from './cluster/partition-snapshot.js';
export type { Partition } from './cluster/partition.js';
/**
 * Fault injection (issue 13): `cluster.faults.inject(fault)` / `heal(fault)` on a KafkaCluster started with
 * `faults: true`; `parseFault('cut 1 2')` for the command-line form; FaultSchedule for seeded, replayable runs.
 * FaultAgent is the node side (`kq broker --fault-agent`).
 */
export { ClusterFaults } from './cluster/faults/cluster-faults.js';
export type { FaultLogEntry } from './cluster/faults/cluster-faults.js';
export { FAULT_KINDS, FaultError, describeFault, parseFault } from './cluster/faults/fault.js';
export type { Fault, FaultKind } from './cluster/faults/fault.js';
export type { LinkCounters, LinkFault, Peer } from './cluster/faults/transport-proxy.js';
export { FaultAgent } from './cluster/faults/fault-agent.js';
export { SCHEDULE_STEPS, describePlan, planFaults, runFaultPlan } from './cluster/faults/fault-schedule.js';
export type {
  FaultScheduleOptions,
  PlannedFault,
  ScheduleContext,
  ScheduleStep,
} from './cluster/faults/fault-schedule.js';
export { readReplicaRecords } from './cluster/faults/replica-records.js';
export type { StoredRecord } from './cluster/faults/replica-records.js';
export type { ReplicaManagerEvent } from './server/replica-manager.js';
/** The seam the controller publishes through (src/broker/metadata/README.md). */
export { MetadataDelta } from './metadata/metadata-delta.js';
export { MetadataImage } from './metadata/metadata-image.js';
export type { BrokerControlPlane, MetadataPublisher, MetadataSource } from './metadata/metadata-publisher.js';
export type { AlterPartitionManager, AlterPartitionResult } from './metadata/alter-partition-manager.js';
export type { BrokerRegistration } from './metadata/broker-registration.js';
export type { LeaderAndIsr, PartitionRegistration } from './metadata/partition-registration.js';

/** The KRaft quorum over the network (src/broker/raft/README.md): a node's Raft layer and its seam. */
export { KafkaRaftManager, RAFT_RPC_VERSIONS } from './raft/kafka-raft-manager.js';
export type { KafkaRaftManagerOptions, RaftApis, RaftNodeSnapshot } from './raft/kafka-raft-manager.js';
export { KafkaMetadataLog, METADATA_TOPIC, METADATA_TOPIC_ID } from './raft/kafka-metadata-log.js';
export { formatQuorumVoters, parseQuorumVoters } from './raft/quorum-config.js';
export type { QuorumVoter } from './raft/quorum-config.js';
export { NotLeaderError } from './raft/raft-client.js';
export type { Batch, LeaderAndEpoch, RaftClient, RaftClientListener, RecordSerde } from './raft/raft-client.js';

/** Why a broker did not start: bad settings (a usage error), or the environment (port, data dir). */
export { ConfigError } from './server/config-def.js';
export { SocketServerBindError } from './network/index.js';
export { DataDirLockedError } from './server/data-dir-lock.js';
export { TopicStoreError } from './server/topic-store.js';
export { ProducerIdBlockFileError } from './transaction/producer-id-manager.js';

// ---------------------------------------------------------------- the protocol, one request at a time

export { RawKafkaClient } from './client/raw-kafka-client.js';
export {
  batchOf,
  createTopics,
  fetch,
  idempotentBatchOf,
  initProducerId,
  listOffsets,
  metadata,
  produce,
} from './client/request-builders.js';
export type { ProducerBatchSpec } from './client/request-builders.js';
export { waitUntilTopicServed } from './client/topic-readiness.js';
export {
  ApiKey,
  ErrorCode,
  errorInfo,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from './protocol/index.js';
export type { ApiRequest, ApiResponse, ErrorInfo, ErrorName } from './protocol/index.js';

// ---------------------------------------------------------------- record batches as stored

export {
  batchesIn,
  CompressionCodec,
  compressionName,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
  writeChecksum,
} from './record/record-batch.js';
export type { CompressionName, TimestampType } from './record/record-batch.js';
export { decodeRecords } from './record/record-decoder.js';
export type { DecodedRecord } from './record/record-decoder.js';
export { buildRecordBatch } from './record/record-batch-builder.js';
export { crc32cImplementation } from './record/crc32c.js';
export type { Crc32cImplementation } from './record/crc32c.js';
export type { RecordHeader, RecordSpec } from './record/record-batch-builder.js';

// ---------------------------------------------------------------- waiting on what a broker does, bounded

export { Signal, waitUntil, WaitTimeoutError, withTimeout } from './utils/wait-until.js';
export { restartablePorts } from './utils/restartable-ports.js';
export type { WaitOptions } from './utils/wait-until.js';

// ---------------------------------------------------------------- the why log: each decision with its rule

export { formatWhy, WhyLog } from './why/why-log.js';
export type { WhyEvent, WhyKind } from './why/why-log.js';
