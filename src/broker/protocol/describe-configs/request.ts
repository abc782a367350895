import { MessageCodec } from '../schema/message-codec.js';

// DescribeConfigs Request (Version: 1-2) => [resources] include_synonyms
//   resources => resource_type resource_name [configuration_keys]
//     resource_type => INT8
//     resource_name => STRING
//     configuration_keys => [STRING] (nullable)
//   include_synonyms => BOOLEAN
//
// DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
//   resources => resource_type resource_name [configuration_keys]
//     resource_type => INT8
//     resource_name => STRING
//     configuration_keys => [STRING] (nullable)
//   include_synonyms => BOOLEAN
//   include_documentation => BOOLEAN
//
// DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation _tagged_fields
//   resources => resource_type resource_name [configuration_keys] _tagged_fields
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configuration_keys => [COMPACT_STRING] (nullable)
//   include_synonyms => BOOLEAN
//   include_documentation => BOOLEAN
//
// configuration_keys is nullable (null: every key). v0 was removed in Kafka 4.0 (KIP-896); v3 added
// include_documentation, v4 is flexible.

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

export interface DescribeConfigsResource {
  /** Kafka's ConfigResource.Type: 2 TOPIC, 4 BROKER, 8 BROKER_LOGGER, 16 CLIENT_METRICS, 32 GROUP. */
  resourceType: number;
  resourceName: string;
  configurationKeys: string[] | null;
}

/** Kafka's ConfigResource.Type ids (the wire values of resource_type). */
export const ConfigResourceType = {
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const;

export const describeConfigsRequestCodec = new MessageCodec<DescribeConfigsRequest>({
  name: 'DescribeConfigsRequest',
  apiKey: 32,
  versions: '1-4',
  flexibleVersions: '4+',
  fields: [
    {
      name: 'resources',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        { name: 'configurationKeys', type: '[]string', versions: '0+', nullableVersions: '0+' },
      ],
    },
    { name: 'includeSynonyms', type: 'bool', versions: '1+' },
    { name: 'includeDocumentation', type: 'bool', versions: '3+' },
  ],
});
