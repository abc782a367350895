import { MessageCodec } from '../schema/message-codec.js';

// BrokerHeartbeat Response (Version: 0-1) => throttle_time_ms error_code is_caught_up is_fenced should_shut_down _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   is_caught_up => BOOLEAN
//   is_fenced => BOOLEAN
//   should_shut_down => BOOLEAN
//
// What the controller decided: whether the broker is fenced, whether it has caught up with the metadata log, and
// (in controlled shutdown) whether it may now stop. From Kafka's BrokerHeartbeatResponse.json.

export interface BrokerHeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
  isCaughtUp: boolean;
  isFenced: boolean;
  shouldShutDown: boolean;
}

export const brokerHeartbeatResponseCodec = new MessageCodec<BrokerHeartbeatResponse>({
  name: 'BrokerHeartbeatResponse',
  apiKey: 63,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'isCaughtUp', type: 'bool', versions: '0+', default: false },
    { name: 'isFenced', type: 'bool', versions: '0+', default: true },
    { name: 'shouldShutDown', type: 'bool', versions: '0+' },
  ],
});
