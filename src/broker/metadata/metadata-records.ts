import type { FieldSpec } from '../protocol/schema/message-schema.js';
import { MessageCodec } from '../protocol/schema/message-codec.js';
import { BROKER_ENDPOINT_FIELDS, BROKER_FEATURE_FIELDS } from '../protocol/broker-registration/request.js';
import type { BrokerEndpoint, BrokerFeature } from '../protocol/broker-registration/request.js';

/**
 * The records of the metadata log `__cluster_metadata` (Kafka's `org.apache.kafka.common.metadata`, generated
 * from metadata/src/main/resources/common/metadata/*.json): what the QuorumController writes and every node's
 * controller and MetadataLoader replay. Field tables copied from those specs (same names, versions, tags and
 * defaults), so kq's metadata log holds the bytes Kafka's would; MetadataRecordSerde frames them.
 *
 * Each record type carries a `type` discriminant that is not on the wire (the frame's api key says it). kq writes
 * the newest version it implements of each; fields kq has no use for (features, log dirs, ZK migration,
 * reassignment, ELR) are kept in the tables so the bytes stay Kafka's, and written with their defaults.
 */

/** A broker registered (or re-registered after a restart): apiKey 0, v3. Brokers register fenced. */
export interface RegisterBrokerRecord {
  type: 'RegisterBrokerRecord';
  brokerId: number;
  isMigratingZkBroker?: boolean;
  incarnationId: string;
  /** The broker epoch: the offset the controller gave this registration. */
  brokerEpoch: bigint;
  endPoints: BrokerEndpoint[];
  features: BrokerFeature[];
  rack: string | null;
  fenced: boolean;
  inControlledShutdown: boolean;
  logDirs?: string[];
}

/** A topic exists (apiKey 2, v0); its partitions follow as PartitionRecords. */
export interface TopicRecord {
  type: 'TopicRecord';
  name: string;
  topicId: string;
}

/**
 * One partition's full registration (apiKey 3). kq writes v0, or v2 when it carries Eligible Leader Replicas
 * (KIP-966): v2 also has v1's `directories` (KIP-858), which kq leaves empty — Kafka reads an empty list as every
 * replica's directory unknown (DirectoryId.MIGRATING).
 */
export interface PartitionRecord {
  type: 'PartitionRecord';
  partitionId: number;
  topicId: string;
  replicas: number[];
  isr: number[];
  removingReplicas: number[];
  addingReplicas: number[];
  leader: number;
  leaderRecoveryState?: number;
  leaderEpoch: number;
  partitionEpoch: number;
  directories?: string[];
  /** KIP-966: replicas that left the ISR below min.insync.replicas still holding every committed record; null: none. */
  eligibleLeaderReplicas?: number[] | null;
  /** KIP-966: the last leader (or last ELR members) when the ISR and ELR emptied; null: none. */
  lastKnownElr?: number[] | null;
}

/** `leader` of a PartitionChangeRecord when the leader did not change. */
export const NO_LEADER_CHANGE = -2;

/**
 * A change to one partition (apiKey 5, v0): null / NO_LEADER_CHANGE fields did not change. The replay bumps the
 * partition epoch always and the leader epoch when the leader changed (Kafka's PartitionRegistration.merge).
 */
export interface PartitionChangeRecord {
  type: 'PartitionChangeRecord';
  partitionId: number;
  topicId: string;
  isr: number[] | null;
  leader: number;
  replicas?: number[] | null;
  removingReplicas?: number[] | null;
  addingReplicas?: number[] | null;
  leaderRecoveryState?: number;
  directories?: string[] | null;
  /** KIP-966 (v2): the new ELR; null: unchanged. */
  eligibleLeaderReplicas?: number[] | null;
  /** KIP-966 (v2): the new last-known ELR (kq, as Kafka by default: the last leader); null: unchanged. */
  lastKnownElr?: number[] | null;
}

/**
 * A finalized feature's level (apiKey 12, v0): `metadata.version`, `eligible.leader.replicas.version`, … Level 0
 * turns the feature off. kq writes only the features it implements (see FeatureControlManager).
 */
export interface FeatureLevelRecord {
  type: 'FeatureLevelRecord';
  name: string;
  featureLevel: number;
}

/**
 * KIP-966: forget the ELR and last-known ELR of one topic's partitions, or of every topic when `topicName` is ''
 * (apiKey 28, v0). Written after a `min.insync.replicas` change: who was eligible under the old rule is not known
 * to be under the new one.
 */
export interface ClearElrRecord {
  type: 'ClearElrRecord';
  topicName: string;
}

/** A topic or broker config changed (apiKey 4, v0); `value` null deletes it. */
export interface ConfigRecord {
  type: 'ConfigRecord';
  /** Kafka's ConfigResource.Type: 2 TOPIC, 4 BROKER. */
  resourceType: number;
  resourceName: string;
  name: string;
  value: string | null;
}

/** Kafka's ConfigResource.Type ids used in ConfigRecord. */
export const ConfigResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** The broker with this epoch missed its session (apiKey 7, v0): out of every ISR, leads nothing. */
export interface FenceBrokerRecord {
  type: 'FenceBrokerRecord';
  id: number;
  epoch: bigint;
}

/** The broker with this epoch caught up with the metadata log and heartbeats (apiKey 8, v0). */
export interface UnfenceBrokerRecord {
  type: 'UnfenceBrokerRecord';
  id: number;
  epoch: bigint;
}

/** A topic and its partitions are gone (apiKey 9, v0). */
export interface RemoveTopicRecord {
  type: 'RemoveTopicRecord';
  topicId: string;
}

/**
 * A registration changed in place (apiKey 17, v1): kq writes it for controlled shutdown (`inControlledShutdown`
 * 1), as Kafka does; `fenced` -1 unfenced, 0 unchanged, 1 fenced.
 */
export interface BrokerRegistrationChangeRecord {
  type: 'BrokerRegistrationChangeRecord';
  brokerId: number;
  brokerEpoch: bigint;
  fenced: number;
  inControlledShutdown: number;
  logDirs?: string[];
}

/**
 * A block of producer ids went to a broker (apiKey 15, v0, KIP-730): `nextProducerId` is the first id of the next
 * block, so every id below it has been handed out.
 */
export interface ProducerIdsRecord {
  type: 'ProducerIdsRecord';
  brokerId: number;
  brokerEpoch: bigint;
  nextProducerId: bigint;
}

export type MetadataRecord =
  | RegisterBrokerRecord
  | TopicRecord
  | PartitionRecord
  | ConfigRecord
  | PartitionChangeRecord
  | FenceBrokerRecord
  | UnfenceBrokerRecord
  | RemoveTopicRecord
  | BrokerRegistrationChangeRecord
  | ProducerIdsRecord
  | FeatureLevelRecord
  | ClearElrRecord;

export type MetadataRecordType = MetadataRecord['type'];

/** One record type: its api key, the version kq writes, the codec. */
export interface MetadataRecordCodec {
  readonly apiKey: number;
  /** The version kq writes; `versionFor` overrides it per record (a newer version only when its fields are used). */
  readonly version: number;
  readonly versionFor?: (record: MetadataRecord) => number;
  readonly codec: MessageCodec<object>;
}

/** v2 (KIP-966) when the record carries an ELR or last-known ELR, else v0: the bytes of records without ELR stay as before. */
function elrVersion(record: MetadataRecord): number {
  const r = record as { eligibleLeaderReplicas?: unknown; lastKnownElr?: unknown };
  return (r.eligibleLeaderReplicas ?? r.lastKnownElr ?? null) !== null ? 2 : 0;
}

function codec(name: string, apiKey: number, versions: string, fields: FieldSpec[]): MessageCodec<object> {
  return new MessageCodec<object>({ name, apiKey, versions, flexibleVersions: '0+', fields });
}

export const METADATA_RECORD_CODECS: { readonly [K in MetadataRecordType]: MetadataRecordCodec } = {
  RegisterBrokerRecord: {
    apiKey: 0,
    version: 3,
    codec: codec('RegisterBrokerRecord', 0, '0-3', [
      { name: 'brokerId', type: 'int32', versions: '0+' },
      { name: 'isMigratingZkBroker', type: 'bool', versions: '2+', default: false },
      { name: 'incarnationId', type: 'uuid', versions: '0+' },
      { name: 'brokerEpoch', type: 'int64', versions: '0+' },
      { name: 'endPoints', type: '[]', versions: '0+', fields: BROKER_ENDPOINT_FIELDS },
      { name: 'features', type: '[]', versions: '0+', fields: BROKER_FEATURE_FIELDS },
      { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'fenced', type: 'bool', versions: '0+', default: true },
      { name: 'inControlledShutdown', type: 'bool', versions: '1+', default: false },
      { name: 'logDirs', type: '[]uuid', versions: '3+', taggedVersions: '3+', tag: 0 },
    ]),
  },
  TopicRecord: {
    apiKey: 2,
    version: 0,
    codec: codec('TopicRecord', 2, '0', [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'topicId', type: 'uuid', versions: '0+' },
    ]),
  },
  PartitionRecord: {
    apiKey: 3,
    version: 0,
    versionFor: elrVersion,
    codec: codec('PartitionRecord', 3, '0-2', [
      { name: 'partitionId', type: 'int32', versions: '0+', default: -1 },
      { name: 'topicId', type: 'uuid', versions: '0+' },
      { name: 'replicas', type: '[]int32', versions: '0+' },
      { name: 'isr', type: '[]int32', versions: '0+' },
      { name: 'removingReplicas', type: '[]int32', versions: '0+' },
      { name: 'addingReplicas', type: '[]int32', versions: '0+' },
      { name: 'leader', type: 'int32', versions: '0+', default: -1 },
      { name: 'leaderRecoveryState', type: 'int8', versions: '0+', taggedVersions: '0+', tag: 0, default: 0 },
      { name: 'leaderEpoch', type: 'int32', versions: '0+', default: -1 },
      { name: 'partitionEpoch', type: 'int32', versions: '0+', default: -1 },
      { name: 'directories', type: '[]uuid', versions: '1+' },
      {
        name: 'eligibleLeaderReplicas',
        type: '[]int32',
        versions: '2+',
        nullableVersions: '2+',
        taggedVersions: '2+',
        tag: 1,
        default: null,
      },
      {
        name: 'lastKnownElr',
        type: '[]int32',
        versions: '2+',
        nullableVersions: '2+',
        taggedVersions: '2+',
        tag: 2,
        default: null,
      },
    ]),
  },
  ConfigRecord: {
    apiKey: 4,
    version: 0,
    codec: codec('ConfigRecord', 4, '0', [
      { name: 'resourceType', type: 'int8', versions: '0+' },
      { name: 'resourceName', type: 'string', versions: '0+' },
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+' },
    ]),
  },
  PartitionChangeRecord: {
    apiKey: 5,
    version: 0,
    versionFor: elrVersion,
    codec: codec('PartitionChangeRecord', 5, '0-2', [
      { name: 'partitionId', type: 'int32', versions: '0+', default: -1 },
      { name: 'topicId', type: 'uuid', versions: '0+' },
      {
        name: 'isr',
        type: '[]int32',
        versions: '0+',
        nullableVersions: '0+',
        taggedVersions: '0+',
        tag: 0,
        default: null,
      },
      { name: 'leader', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 1, default: NO_LEADER_CHANGE },
      {
        name: 'replicas',
        type: '[]int32',
        versions: '0+',
        nullableVersions: '0+',
        taggedVersions: '0+',
        tag: 2,
        default: null,
      },
      {
        name: 'removingReplicas',
        type: '[]int32',
        versions: '0+',
        nullableVersions: '0+',
        taggedVersions: '0+',
        tag: 3,
        default: null,
      },
      {
        name: 'addingReplicas',
        type: '[]int32',
        versions: '0+',
        nullableVersions: '0+',
        taggedVersions: '0+',
        tag: 4,
        default: null,
      },
      { name: 'leaderRecoveryState', type: 'int8', versions: '0+', taggedVersions: '0+', tag: 5, default: -1 },
      {
        name: 'directories',
        type: '[]uuid',
        versions: '1+',
        nullableVersions: '1+',
        taggedVersions: '1+',
        tag: 8,
        default: null,
      },
      {
        name: 'eligibleLeaderReplicas',
        type: '[]int32',
        versions: '2+',
        nullableVersions: '2+',
        taggedVersions: '2+',
        tag: 6,
        default: null,
      },
      {
        name: 'lastKnownElr',
        type: '[]int32',
        versions: '2+',
        nullableVersions: '2+',
        taggedVersions: '2+',
        tag: 7,
        default: null,
      },
    ]),
  },
  FeatureLevelRecord: {
    apiKey: 12,
    version: 0,
    codec: codec('FeatureLevelRecord', 12, '0', [
      { name: 'name', type: 'string', versions: '0+' },
      { name: 'featureLevel', type: 'int16', versions: '0+' },
    ]),
  },
  ClearElrRecord: {
    apiKey: 28,
    version: 0,
    codec: codec('ClearElrRecord', 28, '0', [{ name: 'topicName', type: 'string', versions: '0+' }]),
  },
  FenceBrokerRecord: {
    apiKey: 7,
    version: 0,
    codec: codec('FenceBrokerRecord', 7, '0', [
      { name: 'id', type: 'int32', versions: '0+' },
      { name: 'epoch', type: 'int64', versions: '0+' },
    ]),
  },
  UnfenceBrokerRecord: {
    apiKey: 8,
    version: 0,
    codec: codec('UnfenceBrokerRecord', 8, '0', [
      { name: 'id', type: 'int32', versions: '0+' },
      { name: 'epoch', type: 'int64', versions: '0+' },
    ]),
  },
  RemoveTopicRecord: {
    apiKey: 9,
    version: 0,
    codec: codec('RemoveTopicRecord', 9, '0', [{ name: 'topicId', type: 'uuid', versions: '0+' }]),
  },
  ProducerIdsRecord: {
    apiKey: 15,
    version: 0,
    codec: codec('ProducerIdsRecord', 15, '0', [
      { name: 'brokerId', type: 'int32', versions: '0+' },
      { name: 'brokerEpoch', type: 'int64', versions: '0+', default: -1n },
      { name: 'nextProducerId', type: 'int64', versions: '0+' },
    ]),
  },
  BrokerRegistrationChangeRecord: {
    apiKey: 17,
    version: 1,
    codec: codec('BrokerRegistrationChangeRecord', 17, '0-2', [
      { name: 'brokerId', type: 'int32', versions: '0+' },
      { name: 'brokerEpoch', type: 'int64', versions: '0+' },
      { name: 'fenced', type: 'int8', versions: '0+', taggedVersions: '0+', tag: 0 },
      { name: 'inControlledShutdown', type: 'int8', versions: '1+', taggedVersions: '1+', tag: 1 },
      { name: 'logDirs', type: '[]uuid', versions: '2+', taggedVersions: '2+', tag: 2 },
    ]),
  },
};

const TYPE_BY_API_KEY = new Map<number, MetadataRecordType>(
  Object.entries(METADATA_RECORD_CODECS).map(([type, { apiKey }]) => [apiKey, type as MetadataRecordType]),
);

/** The record type of a metadata api key, or undefined for one kq does not replay. */
export function metadataRecordType(apiKey: number): MetadataRecordType | undefined {
  return TYPE_BY_API_KEY.get(apiKey);
}
