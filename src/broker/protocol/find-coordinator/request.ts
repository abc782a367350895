import { MessageCodec } from '../schema/message-codec.js';

// FindCoordinator Request (Version: 0) => key
//   key => STRING
//
// FindCoordinator Request (Version: 1-2) => key key_type
//   key => STRING
//   key_type => INT8
//
// FindCoordinator Request (Version: 3) => key key_type _tagged_fields
//   key => COMPACT_STRING
//   key_type => INT8
//
// FindCoordinator Request (Version: 4-6) => key_type [coordinator_keys] _tagged_fields
//   key_type => INT8
//   coordinator_keys => [COMPACT_STRING]
//
// v1 added key_type (0 group, 1 transaction); v2 is unchanged.

export interface FindCoordinatorRequest {
  /** v0-3: the one key asked about. */
  key: string;
  keyType: number;
  /** v4+ (KIP-699): the keys asked about, answered one coordinator each. */
  coordinatorKeys?: string[];
}

export const findCoordinatorRequestCodec = new MessageCodec<FindCoordinatorRequest>({
  name: 'FindCoordinatorRequest',
  apiKey: 10,
  versions: '0-6',
  flexibleVersions: '3+',
  fields: [
    { name: 'key', type: 'string', versions: '0-3' },
    { name: 'keyType', type: 'int8', versions: '1+', default: 0 },
    { name: 'coordinatorKeys', type: '[]string', versions: '4+' },
  ],
});
