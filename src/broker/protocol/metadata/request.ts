import { MessageCodec } from '../schema/message-codec.js';

// Metadata Request (Version: 0-3) => [topics]
//   topics => name
//     name => STRING
//
// Metadata Request (Version: 4-7) => [topics] allow_auto_topic_creation
//   topics => name
//     name => STRING
//   allow_auto_topic_creation => BOOLEAN
//
// Metadata Request (Version: 8) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations
//   topics => name
//     name => STRING
//   allow_auto_topic_creation => BOOLEAN
//   include_cluster_authorized_operations => BOOLEAN
//   include_topic_authorized_operations => BOOLEAN
//
// Metadata Request (Version: 9) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations _tagged_fields
//   topics => name _tagged_fields
//     name => COMPACT_STRING
//   allow_auto_topic_creation => BOOLEAN
//   include_cluster_authorized_operations => BOOLEAN
//   include_topic_authorized_operations => BOOLEAN
//
// Metadata Request (Version: 10) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations _tagged_fields
//   topics => topic_id name _tagged_fields
//     topic_id => UUID
//     name => COMPACT_NULLABLE_STRING
//   allow_auto_topic_creation => BOOLEAN
//   include_cluster_authorized_operations => BOOLEAN
//   include_topic_authorized_operations => BOOLEAN
//
// Metadata Request (Version: 11-13) => [topics] allow_auto_topic_creation include_topic_authorized_operations _tagged_fields
//   topics => topic_id name _tagged_fields
//     topic_id => UUID
//     name => COMPACT_NULLABLE_STRING
//   allow_auto_topic_creation => BOOLEAN
//   include_topic_authorized_operations => BOOLEAN
//
// In v0 an empty topics array means "all topics"; from v1 that is a null array and an empty one
// means "no topics". v4 added allow_auto_topic_creation, v8 the authorized-operations flags.

export interface MetadataRequest {
  topics: MetadataRequestTopic[] | null;
  allowAutoTopicCreation: boolean;
  includeClusterAuthorizedOperations: boolean;
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataRequestTopic {
  /** Null from v12 when the topic is asked for by id. */
  name: string | null;
  /** v10+: the topic's id, or the zero uuid when asked for by name. */
  topicId?: string;
}

export const metadataRequestCodec = new MessageCodec<MetadataRequest>({
  name: 'MetadataRequest',
  apiKey: 3,
  versions: '0-13',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      nullableVersions: '1+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '10+' },
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '10+', default: null },
      ],
    },
    { name: 'allowAutoTopicCreation', type: 'bool', versions: '4+', default: true },
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '8-10' },
    { name: 'includeTopicAuthorizedOperations', type: 'bool', versions: '8+' },
  ],
});

/** True when the request asks for every topic: an empty array in v0, a null array from v1. */
export function requestsAllTopics(version: number, request: MetadataRequest): boolean {
  return request.topics === null || (version === 0 && request.topics.length === 0);
}
