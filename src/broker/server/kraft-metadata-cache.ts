import { isActive } from '../metadata/broker-registration.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { MetadataResponse, MetadataResponseTopic } from '../protocol/metadata/response.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../protocol/metadata/response.js';
import { INTERNAL_TOPICS, topicNameProblem } from './topic-name.js';

/**
 * The Metadata answer of a broker in a replicated cluster (Kafka's `KRaftMetadataCache`), read from the metadata
 * image this broker has replayed rather than from its local logs: every broker gives the same answer once it has
 * caught up, and it names the leader, leader epoch, replicas, ISR and offline replicas the controller decided.
 *
 * - Brokers: the unfenced ones (a fenced broker is not alive for clients, as in Kafka).
 * - A partition with no leader answers LEADER_NOT_AVAILABLE with leader -1, so clients retry after a refresh.
 * - Unknown topics are UNKNOWN_TOPIC_OR_PARTITION: creating them is the controller's business.
 *
 * Stateless; KafkaApis calls it with the current image.
 */
export function metadataResponseFromImage(
  image: MetadataImage,
  requestedTopics: readonly string[] | null,
  clusterId: string,
  localBrokerId: number,
): MetadataResponse {
  const live = image.brokers().filter(isActive);
  const liveIds = new Set(live.map((b) => b.id));
  const names = requestedTopics ?? image.topics().map((t) => t.name);
  const topics = names.map((name): MetadataResponseTopic => {
    const base = {
      name,
      isInternal: INTERNAL_TOPICS.has(name),
      topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
    const topic = image.topic(name);
    if (!topic) {
      const errorCode = topicNameProblem(name)
        ? ErrorCode.INVALID_TOPIC_EXCEPTION
        : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      return { ...base, errorCode, partitions: [] };
    }
    const partitions = [...topic.partitions]
      .sort(([a], [b]) => a - b)
      .map(([partitionIndex, p]) => ({
        errorCode: p.leader === NO_LEADER ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
        partitionIndex,
        leaderId: p.leader,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: [...p.replicas],
        isrNodes: [...p.isr],
        offlineReplicas: p.replicas.filter((id) => !liveIds.has(id)),
      }));
    return { ...base, errorCode: ErrorCode.NONE, partitions };
  });
  return {
    throttleTimeMs: 0,
    brokers: live.map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: b.rack })),
    clusterId,
    // KIP-590: clients no longer talk to the controller; Kafka's KRaft brokers name a live broker here.
    controllerId: liveIds.has(localBrokerId) ? localBrokerId : (live[0]?.id ?? -1),
    topics,
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
