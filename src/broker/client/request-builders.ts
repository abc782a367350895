import type { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest } from '../protocol/api-registry.js';
import { buildRecordBatch } from '../record/record-batch-builder.js';

/**
 * Client-side request bodies with sensible defaults, so a caller (test, demo, fuzzer, benchmark) states only
 * what it is about. Plain objects for the codec; sending is RawKafkaClient's job.
 */

export function batchOf(values: string[], key: string | null = null): Buffer {
  return buildRecordBatch({ records: values.map((value) => ({ key, value })) });
}

/** The batch of an idempotent producer: its id, epoch and the sequence of the first record. */
export interface ProducerBatchSpec {
  producerId: bigint;
  producerEpoch?: number;
  baseSequence: number;
}

export function idempotentBatchOf(values: string[], producer: ProducerBatchSpec): Buffer {
  return buildRecordBatch({
    records: values.map((value) => ({ key: null, value })),
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch ?? 0,
    baseSequence: producer.baseSequence,
  });
}

/** InitProducerId for an idempotent producer (transactional id null), or for a transactional one. */
export function initProducerId(transactionalId: string | null = null): ApiRequest<typeof ApiKey.InitProducerId> {
  return { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 };
}

export function produce(
  topic: string,
  records: Buffer | null,
  options: { acks?: number; partition?: number } = {},
): ApiRequest<typeof ApiKey.Produce> {
  return {
    transactionalId: null,
    acks: options.acks ?? -1,
    timeoutMs: 5000,
    topics: [{ name: topic, partitions: [{ partitionIndex: options.partition ?? 0, records }] }],
  };
}

export function fetch(
  topic: string,
  fetchOffset: bigint,
  options: {
    maxWaitMs?: number;
    minBytes?: number;
    maxBytes?: number;
    partitionMaxBytes?: number;
    partition?: number;
    currentLeaderEpoch?: number;
  } = {},
): ApiRequest<typeof ApiKey.Fetch> {
  return {
    replicaId: -1,
    maxWaitMs: options.maxWaitMs ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: options.maxBytes ?? 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic,
        partitions: [
          {
            partition: options.partition ?? 0,
            currentLeaderEpoch: options.currentLeaderEpoch ?? -1,
            fetchOffset,
            logStartOffset: -1n,
            partitionMaxBytes: options.partitionMaxBytes ?? 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  };
}

export function createTopics(
  topics: Array<{
    name: string;
    numPartitions?: number;
    replicationFactor?: number;
    configs?: Record<string, string | null>;
  }>,
  validateOnly = false,
): ApiRequest<typeof ApiKey.CreateTopics> {
  return {
    topics: topics.map((t) => ({
      name: t.name,
      numPartitions: t.numPartitions ?? 1,
      replicationFactor: t.replicationFactor ?? 1,
      assignments: [],
      configs: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
    })),
    timeoutMs: 5000,
    validateOnly,
  };
}

export function metadata(topics: string[] | null, allowAutoTopicCreation = true): ApiRequest<typeof ApiKey.Metadata> {
  return {
    topics: topics === null ? null : topics.map((name) => ({ name })),
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

export function listOffsets(topic: string, timestamp: bigint, partition = 0): ApiRequest<typeof ApiKey.ListOffsets> {
  return {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp }] }],
  };
}
