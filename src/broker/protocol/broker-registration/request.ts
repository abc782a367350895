import { MessageCodec } from '../schema/message-codec.js';
import type { FieldSpec } from '../schema/message-schema.js';

// BrokerRegistration Request (Version: 0) => broker_id cluster_id incarnation_id [listeners] [features] rack _tagged_fields
//   broker_id => INT32
//   cluster_id => COMPACT_STRING
//   incarnation_id => UUID
//   listeners => name host port security_protocol _tagged_fields
//     name => COMPACT_STRING
//     host => COMPACT_STRING
//     port => UINT16
//     security_protocol => INT16
//   features => name min_supported_version max_supported_version _tagged_fields
//     name => COMPACT_STRING
//     min_supported_version => INT16
//     max_supported_version => INT16
//   rack => COMPACT_NULLABLE_STRING
//
// BrokerRegistration Request (Version: 1) => broker_id cluster_id incarnation_id [listeners] [features] rack is_migrating_zk_broker _tagged_fields
//   broker_id => INT32
//   cluster_id => COMPACT_STRING
//   incarnation_id => UUID
//   listeners => name host port security_protocol _tagged_fields
//     name => COMPACT_STRING
//     host => COMPACT_STRING
//     port => UINT16
//     security_protocol => INT16
//   features => name min_supported_version max_supported_version _tagged_fields
//     name => COMPACT_STRING
//     min_supported_version => INT16
//     max_supported_version => INT16
//   rack => COMPACT_NULLABLE_STRING
//   is_migrating_zk_broker => BOOLEAN
//
// BrokerRegistration Request (Version: 2) => broker_id cluster_id incarnation_id [listeners] [features] rack is_migrating_zk_broker [log_dirs] _tagged_fields
//   broker_id => INT32
//   cluster_id => COMPACT_STRING
//   incarnation_id => UUID
//   listeners => name host port security_protocol _tagged_fields
//     name => COMPACT_STRING
//     host => COMPACT_STRING
//     port => UINT16
//     security_protocol => INT16
//   features => name min_supported_version max_supported_version _tagged_fields
//     name => COMPACT_STRING
//     min_supported_version => INT16
//     max_supported_version => INT16
//   rack => COMPACT_NULLABLE_STRING
//   is_migrating_zk_broker => BOOLEAN
//   log_dirs => [UUID]
//
// BrokerRegistration Request (Version: 3-4) => broker_id cluster_id incarnation_id [listeners] [features] rack is_migrating_zk_broker [log_dirs] previous_broker_epoch _tagged_fields
//   broker_id => INT32
//   cluster_id => COMPACT_STRING
//   incarnation_id => UUID
//   listeners => name host port security_protocol _tagged_fields
//     name => COMPACT_STRING
//     host => COMPACT_STRING
//     port => UINT16
//     security_protocol => INT16
//   features => name min_supported_version max_supported_version _tagged_fields
//     name => COMPACT_STRING
//     min_supported_version => INT16
//     max_supported_version => INT16
//   rack => COMPACT_NULLABLE_STRING
//   is_migrating_zk_broker => BOOLEAN
//   log_dirs => [UUID]
//   previous_broker_epoch => INT64
//
// KIP-631: a broker asks the active controller (on the controller listener) for a broker epoch. Fields from
// Kafka's BrokerRegistrationRequest.json (flexible from v0; v1 adds is_migrating_zk_broker, v2 log_dirs, v3
// previous_broker_epoch, v4 only changes which features are listed).

/** A listener of the broker (Kafka's Listener / BrokerEndpoint; also RegisterBrokerRecord's `endPoints`). */
export interface BrokerEndpoint {
  name: string;
  host: string;
  port: number;
  /** Kafka's SecurityProtocol id: 0 PLAINTEXT (the only one kq speaks). */
  securityProtocol: number;
}

export interface BrokerFeature {
  name: string;
  minSupportedVersion: number;
  maxSupportedVersion: number;
}

export const BROKER_ENDPOINT_FIELDS: readonly FieldSpec[] = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'host', type: 'string', versions: '0+' },
  { name: 'port', type: 'uint16', versions: '0+' },
  { name: 'securityProtocol', type: 'int16', versions: '0+' },
];

export const BROKER_FEATURE_FIELDS: readonly FieldSpec[] = [
  { name: 'name', type: 'string', versions: '0+' },
  { name: 'minSupportedVersion', type: 'int16', versions: '0+' },
  { name: 'maxSupportedVersion', type: 'int16', versions: '0+' },
];

export interface BrokerRegistrationRequest {
  brokerId: number;
  clusterId: string;
  /** A random uuid per broker process start: tells a restart from a duplicate broker id. */
  incarnationId: string;
  listeners: BrokerEndpoint[];
  features: BrokerFeature[];
  rack: string | null;
  isMigratingZkBroker?: boolean;
  logDirs?: string[];
  previousBrokerEpoch?: bigint;
}

export const brokerRegistrationRequestCodec = new MessageCodec<BrokerRegistrationRequest>({
  name: 'BrokerRegistrationRequest',
  apiKey: 62,
  versions: '0-4',
  flexibleVersions: '0+',
  fields: [
    { name: 'brokerId', type: 'int32', versions: '0+' },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'incarnationId', type: 'uuid', versions: '0+' },
    { name: 'listeners', type: '[]', versions: '0+', fields: BROKER_ENDPOINT_FIELDS },
    { name: 'features', type: '[]', versions: '0+', fields: BROKER_FEATURE_FIELDS },
    { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'isMigratingZkBroker', type: 'bool', versions: '1+', default: false },
    { name: 'logDirs', type: '[]uuid', versions: '2+' },
    { name: 'previousBrokerEpoch', type: 'int64', versions: '3+', default: -1n },
  ],
});
