import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ApiRequest } from '../protocol/api-registry.js';
import { waitUntil } from '../utils/wait-until.js';
import { RawKafkaClient } from './raw-kafka-client.js';
import { listOffsets, metadata } from './request-builders.js';

const METADATA_VERSION = 8; // leader epochs; served by kq and by Kafka 4.x (which dropped v0-v3)
const LIST_OFFSETS_VERSION = 5; // the current leader epoch is checked; served by both
const REQUEST_TIMEOUT_MS = 3000;

interface Address {
  host: string;
  port: number;
}

function parseBootstrap(bootstrap: string): Address[] {
  return bootstrap.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    const port = Number(entry.slice(at + 1));
    if (at < 1 || !Number.isInteger(port)) throw new Error(`not a host:port address: '${entry}'`);
    return { host: entry.slice(0, at), port };
  });
}

/**
 * Waits (bounded) until a just-created topic is served everywhere a client may look: every live broker's
 * Metadata names every partition with the same leader and epoch, and each partition's leader answers a
 * ListOffsets for it with NONE.
 *
 * Why: on a multi-node KRaft cluster CreateTopics returns once the controller has committed the records, while each
 * broker applies them later, on its own. Until then a broker answers UNKNOWN_TOPIC_OR_PARTITION (which kafkajs'
 * `waitForLeaders` does not retry), and a leader named in another broker's Metadata may still answer
 * NOT_LEADER_OR_FOLLOWER. A test or demo that creates a topic and at once measures something must not measure this
 * propagation instead.
 */
export async function waitUntilTopicServed(bootstrap: string, topics: string[], timeoutMs = 30_000): Promise<void> {
  const connections = new Map<string, RawKafkaClient>();
  let lastProblem = 'no answer yet';

  const ask = async <K extends ApiKey>(address: Address, apiKey: K, version: number, request: ApiRequest<K>) => {
    const key = `${address.host}:${address.port}`;
    let client = connections.get(key);
    if (!client || client.isClosed) {
      client = await RawKafkaClient.connect(address.port, address.host);
      connections.set(key, client);
    }
    try {
      return await client.request(apiKey, version, request, REQUEST_TIMEOUT_MS);
    } catch (error) {
      // A timed-out answer would arrive later and be matched to the next request: start the connection again.
      client.close();
      connections.delete(key);
      throw error;
    }
  };

  const served = async (): Promise<boolean> => {
    const [first] = parseBootstrap(bootstrap);
    const cluster = await ask(first!, ApiKey.Metadata, METADATA_VERSION, metadata(topics, false));
    const brokers = new Map(cluster.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    const leaders = new Map<string, { leader: number; epoch: number }>();
    for (const [brokerId, address] of brokers) {
      const answer = await ask(address, ApiKey.Metadata, METADATA_VERSION, metadata(topics, false));
      for (const name of topics) {
        const topic = answer.topics.find((t) => t.name === name);
        if (!topic || topic.errorCode !== ErrorCode.NONE || topic.partitions.length === 0) {
          lastProblem = `broker ${brokerId} does not know ${name} yet`;
          return false;
        }
        for (const p of topic.partitions) {
          const id = `${name}-${p.partitionIndex}`;
          if (p.errorCode !== ErrorCode.NONE || p.leaderId < 0) {
            lastProblem = `broker ${brokerId} names no leader for ${id}`;
            return false;
          }
          const seen = leaders.get(id);
          if (seen && (seen.leader !== p.leaderId || seen.epoch !== p.leaderEpoch)) {
            lastProblem = `brokers disagree on ${id}'s leader (${seen.leader}/${seen.epoch} vs ${p.leaderId}/${p.leaderEpoch})`;
            return false;
          }
          leaders.set(id, { leader: p.leaderId, epoch: p.leaderEpoch });
        }
      }
    }
    for (const [id, { leader }] of leaders) {
      const address = brokers.get(leader);
      if (!address) {
        lastProblem = `${id}'s leader ${leader} is not among the live brokers`;
        return false;
      }
      const at = id.lastIndexOf('-');
      const answer = await ask(
        address,
        ApiKey.ListOffsets,
        LIST_OFFSETS_VERSION,
        listOffsets(id.slice(0, at), -1n, Number(id.slice(at + 1))),
      );
      const errorCode = answer.topics[0]?.partitions[0]?.errorCode;
      if (errorCode !== ErrorCode.NONE) {
        lastProblem = `${id}'s leader ${leader} answers ListOffsets with error ${errorCode}`;
        return false;
      }
    }
    return true;
  };

  try {
    await waitUntil(
      () =>
        served().catch((error: unknown) => {
          lastProblem = error instanceof Error ? error.message : String(error);
          return false;
        }),
      `${topics.join(', ')} to be served by every broker`,
      timeoutMs,
      { everyMs: 50, detail: () => `last: ${lastProblem}` },
    );
  } finally {
    for (const client of connections.values()) client.close();
  }
}
