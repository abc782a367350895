import { MessageCodec } from '../schema/message-codec.js';

// BrokerRegistration Response (Version: 0-4) => throttle_time_ms error_code broker_epoch _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   broker_epoch => INT64
//
// The broker epoch the controller assigned (the metadata-log offset of the RegisterBrokerRecord), or -1 with an
// error: NOT_CONTROLLER (retry at the active controller), DUPLICATE_BROKER_REGISTRATION (another live process
// holds this id), INCONSISTENT_CLUSTER_ID. From Kafka's BrokerRegistrationResponse.json.

export interface BrokerRegistrationResponse {
  throttleTimeMs: number;
  errorCode: number;
  brokerEpoch: bigint;
}

export const brokerRegistrationResponseCodec = new MessageCodec<BrokerRegistrationResponse>({
  name: 'BrokerRegistrationResponse',
  apiKey: 62,
  versions: '0-4',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'brokerEpoch', type: 'int64', versions: '0+', default: -1n },
  ],
});
