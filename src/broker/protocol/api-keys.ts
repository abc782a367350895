/**
 * The one table of APIs kq's broker speaks: key, Kafka's name and the version range it advertises
 * in ApiVersions. Which versions are flexible is not here: each message schema says so, as Kafka's
 * JSON specs do.
 *
 * Why these ranges: see the table in README.md. Minima are as low as RecordBatch v2 storage allows;
 * Produce advertises 0 (librdkafka enables compression only then) but v0-2 are refused with
 * UNSUPPORTED_VERSION, as Kafka 4.0 does (KAFKA-18659). All brokers of one cluster must advertise
 * exactly this table: kafkajs reuses the first broker's answer for all of them.
 */

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  DescribeLogDirs: 35,
  CreatePartitions: 37,
  ElectLeaders: 43,
  IncrementalAlterConfigs: 44,
  // KRaft (KIP-595): answered only by a node that runs a KafkaRaftManager, and advertised only there.
  Vote: 52,
  BeginQuorumEpoch: 53,
  EndQuorumEpoch: 54,
  DescribeQuorum: 55,
  // KRaft's controller RPCs (KIP-497, KIP-631): answered only by a node that runs a QuorumController.
  AlterPartition: 56,
  BrokerRegistration: 62,
  BrokerHeartbeat: 63,
  AllocateProducerIds: 67,
  DescribeCluster: 60,
} as const;

export type ApiKey = (typeof ApiKey)[keyof typeof ApiKey];
export type ApiName = keyof typeof ApiKey;

export interface ApiKeyInfo {
  readonly key: ApiKey;
  readonly name: ApiName;
  /** Lowest version advertised in ApiVersions. */
  readonly minVersion: number;
  /** Highest version advertised in ApiVersions. */
  readonly maxVersion: number;
}

// name, min, max
const TABLE: ReadonlyArray<readonly [ApiName, number, number]> = [
  ['Produce', 0, 13],
  ['Fetch', 4, 18],
  ['ListOffsets', 1, 8],
  ['Metadata', 0, 13],
  ['OffsetCommit', 2, 10],
  ['OffsetFetch', 1, 10],
  ['FindCoordinator', 0, 5],
  ['JoinGroup', 0, 9],
  ['Heartbeat', 0, 4],
  ['LeaveGroup', 0, 5],
  ['SyncGroup', 0, 5],
  ['DescribeGroups', 0, 6],
  ['ListGroups', 0, 5],
  ['ApiVersions', 0, 4],
  ['CreateTopics', 0, 7],
  ['DeleteTopics', 0, 6],
  ['DeleteRecords', 0, 2],
  ['InitProducerId', 0, 5],
  ['OffsetForLeaderEpoch', 0, 4],
  ['DescribeConfigs', 1, 4],
  ['AlterConfigs', 0, 2],
  ['DescribeLogDirs', 1, 5],
  ['CreatePartitions', 0, 3],
  ['ElectLeaders', 0, 2],
  ['IncrementalAlterConfigs', 0, 1],
  ['Vote', 0, 2],
  ['BeginQuorumEpoch', 0, 0],
  ['EndQuorumEpoch', 0, 0],
  ['DescribeQuorum', 0, 1],
  ['AlterPartition', 0, 3],
  ['BrokerRegistration', 0, 4],
  ['BrokerHeartbeat', 0, 1],
  ['AllocateProducerIds', 0, 0],
  ['DescribeCluster', 0, 2],
];

export const API_KEYS: readonly ApiKeyInfo[] = TABLE.map(([name, minVersion, maxVersion]) => ({
  key: ApiKey[name],
  name,
  minVersion,
  maxVersion,
}));

const BY_KEY = new Map<number, ApiKeyInfo>(API_KEYS.map((info) => [info.key, info]));

/** The advertised entry for a key, or undefined for an API the broker does not speak. */
export function apiKeyInfo(key: number): ApiKeyInfo | undefined {
  return BY_KEY.get(key);
}

/** True when `version` is inside the advertised range (Produce v0-2 included: refused later, not here). */
export function isAdvertisedVersion(key: number, version: number): boolean {
  const info = BY_KEY.get(key);
  return info !== undefined && version >= info.minVersion && version <= info.maxVersion;
}

/** Produce versions advertised but refused with UNSUPPORTED_VERSION (KAFKA-18659). */
export const MIN_SERVED_PRODUCE_VERSION = 3;
