import { ApiKey, fetch, RawKafkaClient, type ApiRequest, type ApiResponse } from '../broker/index.js';

/**
 * Fetch without a consumer library, for demos that must see what a consumer library hides: the exact record
 * bytes of a Fetch response, or how long one long poll took. (kafkajs consumers also need a consumer group.)
 * Speaks Fetch v11 through the project's raw client, to whichever broker leads the partition, so it works on
 * the demo's own mini-broker and on a real cluster given with --bootstrap-server.
 */

/** Fetch v11: the newest version kq serves, and one every Kafka since 2.3 answers. */
export const FETCH_VERSION = 11;
const METADATA_VERSION = 8;

export type FetchRequest = ApiRequest<typeof ApiKey.Fetch>;
export type FetchResponse = ApiResponse<typeof ApiKey.Fetch>;
export type FetchPartitionResponse = FetchResponse['responses'][number]['partitions'][number];

export interface FetchOptions {
  partition?: number;
  /** fetch.max.wait.ms; 0 (the default) answers at once. */
  maxWaitMs?: number;
  /** fetch.min.bytes; default 1, the consumer default. */
  minBytes?: number;
  maxBytes?: number;
}

/** A consumer's Fetch (replica_id -1, no fetch session) for one partition; the whole response may use maxBytes. */
export function fetchRequest(topic: string, fetchOffset: bigint, options: FetchOptions = {}): FetchRequest {
  return fetch(topic, fetchOffset, { ...options, partitionMaxBytes: options.maxBytes ?? 1 << 20 });
}

/** The one partition a `fetchRequest` asked for, or an error saying what the broker answered instead. */
export function partitionOf(response: FetchResponse, topic: string, partition = 0): FetchPartitionResponse {
  const found = response.responses
    .find((t) => t.topic === topic)
    ?.partitions.find((p) => p.partitionIndex === partition);
  if (!found) throw new Error(`the Fetch response has no entry for ${topic}-${partition}`);
  return found;
}

/** Splits `host:port` (the last colon, so bracketless IPv6 hosts are not supported — Kafka's own form). */
export function parseHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`'${address}' is not host:port (e.g. 127.0.0.1:9092)`);
  }
  return { host: address.slice(0, at), port };
}

/**
 * A raw connection to the leader of `topic`-`partition`, found with a Metadata request to `bootstrap` (on a
 * one-broker cluster that is the bootstrap broker itself). The caller closes it.
 */
export async function connectToLeader(bootstrap: string, topic: string, partition = 0): Promise<RawKafkaClient> {
  // a bootstrap list (a 3-node cluster, or --bootstrap-server a,b) is asked through its first address
  const { host, port } = parseHostPort(bootstrap.split(',')[0]!.trim());
  const client = await RawKafkaClient.connect(port, host);
  let metadata: ApiResponse<typeof ApiKey.Metadata>;
  try {
    metadata = await client.request(ApiKey.Metadata, METADATA_VERSION, {
      topics: [{ name: topic }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  } catch (error) {
    client.close();
    throw error;
  }
  const leaderId = metadata.topics
    .find((t) => t.name === topic)
    ?.partitions.find((p) => p.partitionIndex === partition)?.leaderId;
  const leader = metadata.brokers.find((b) => b.nodeId === leaderId);
  if (leader === undefined) {
    client.close();
    throw new Error(`no leader is known for ${topic}-${partition}; create the topic first and wait for its leader`);
  }
  if (leader.host === host && leader.port === port) return client;
  client.close();
  return RawKafkaClient.connect(leader.port, leader.host);
}
