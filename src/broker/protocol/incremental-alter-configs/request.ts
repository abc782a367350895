import { MessageCodec } from '../schema/message-codec.js';

// IncrementalAlterConfigs Request (Version: 0) => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     resource_type => INT8
//     resource_name => STRING
//     configs => name config_operation value
//       name => STRING
//       config_operation => INT8
//       value => NULLABLE_STRING
//   validate_only => BOOLEAN
//
// IncrementalAlterConfigs Request (Version: 1) => [resources] validate_only _tagged_fields
//   resources => resource_type resource_name [configs] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name config_operation value _tagged_fields
//       name => COMPACT_STRING
//       config_operation => INT8
//       value => COMPACT_NULLABLE_STRING
//   validate_only => BOOLEAN
//
// KIP-339: each entry changes one key (SET, DELETE back to the default, APPEND/SUBTRACT for lists); keys not
// named keep their value. v1 is flexible.

export interface IncrementalAlterConfigsRequest {
  resources: IncrementalAlterConfigsResource[];
  validateOnly: boolean;
}

export interface IncrementalAlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: IncrementalAlterableConfig[];
}

export interface IncrementalAlterableConfig {
  name: string;
  /** Kafka's AlterConfigOp.OpType: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT. */
  configOperation: number;
  value: string | null;
}

/** Kafka's AlterConfigOp.OpType ids. */
export const AlterConfigOp = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export const incrementalAlterConfigsRequestCodec = new MessageCodec<IncrementalAlterConfigsRequest>({
  name: 'IncrementalAlterConfigsRequest',
  apiKey: 44,
  versions: '0-1',
  flexibleVersions: '1+',
  fields: [
    {
      name: 'resources',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        {
          name: 'configs',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'configOperation', type: 'int8', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});
