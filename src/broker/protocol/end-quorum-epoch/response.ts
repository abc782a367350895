import { quorumEpochResponseFields, type QuorumEpochResponse } from '../begin-quorum-epoch/response.js';
import { MessageCodec } from '../schema/message-codec.js';

// EndQuorumEpoch Response (Version: 0) => error_code [topics]
//   error_code => INT16
//   topics => topic_name [partitions]
//     topic_name => STRING
//     partitions => partition_index error_code leader_id leader_epoch
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//
// Field for field BeginQuorumEpochResponse v0 (Kafka's EndQuorumEpochResponse.json), not flexible.

export type EndQuorumEpochResponse = QuorumEpochResponse;

export const endQuorumEpochResponseCodec = new MessageCodec<EndQuorumEpochResponse>({
  name: 'EndQuorumEpochResponse',
  apiKey: 54,
  versions: '0',
  flexibleVersions: 'none',
  fields: quorumEpochResponseFields,
});
