import { MessageCodec } from '../schema/message-codec.js';

// BrokerHeartbeat Request (Version: 0) => broker_id broker_epoch current_metadata_offset want_fence want_shut_down _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   current_metadata_offset => INT64
//   want_fence => BOOLEAN
//   want_shut_down => BOOLEAN
//
// BrokerHeartbeat Request (Version: 1) => broker_id broker_epoch current_metadata_offset want_fence want_shut_down _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   current_metadata_offset => INT64
//   want_fence => BOOLEAN
//   want_shut_down => BOOLEAN
//   offline_log_dirs => [UUID] (tag 0)
//
// KIP-631: every broker.heartbeat.interval.ms a registered broker tells the active controller it is alive and how
// far it has replayed the metadata log; a broker silent for broker.session.timeout.ms is fenced. want_shut_down
// starts controlled shutdown. From Kafka's BrokerHeartbeatRequest.json.

export interface BrokerHeartbeatRequest {
  brokerId: number;
  brokerEpoch: bigint;
  currentMetadataOffset: bigint;
  wantFence: boolean;
  wantShutDown: boolean;
  offlineLogDirs?: string[];
}

export const brokerHeartbeatRequestCodec = new MessageCodec<BrokerHeartbeatRequest>({
  name: 'BrokerHeartbeatRequest',
  apiKey: 63,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'brokerId', type: 'int32', versions: '0+' },
    { name: 'brokerEpoch', type: 'int64', versions: '0+', default: -1n },
    { name: 'currentMetadataOffset', type: 'int64', versions: '0+' },
    { name: 'wantFence', type: 'bool', versions: '0+' },
    { name: 'wantShutDown', type: 'bool', versions: '0+' },
    { name: 'offlineLogDirs', type: '[]uuid', versions: '1+', taggedVersions: '1+', tag: 0 },
  ],
});
