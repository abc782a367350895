import { MessageCodec } from '../schema/message-codec.js';

// AlterConfigs Request (Version: 0-1) => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     resource_type => INT8
//     resource_name => STRING
//     configs => name value
//       name => STRING
//       value => NULLABLE_STRING
//   validate_only => BOOLEAN
//
// AlterConfigs Request (Version: 2) => [resources] validate_only _tagged_fields
//   resources => resource_type resource_name [configs] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name value _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//   validate_only => BOOLEAN
//
// The legacy, non-incremental form: the configs given REPLACE the resource's whole set (a key left out returns
// to its default). v1 is v0 (the response may be throttled), v2 is flexible.

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: AlterableConfig[];
}

export interface AlterableConfig {
  name: string;
  value: string | null;
}

export const alterConfigsRequestCodec = new MessageCodec<AlterConfigsRequest>({
  name: 'AlterConfigsRequest',
  apiKey: 33,
  versions: '0-2',
  flexibleVersions: '2+',
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
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});
