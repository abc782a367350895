import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import type { KafkaClusterOptions } from '../../../src/broker/cluster/kafka-cluster.js';
import { kqBin } from './broker-process.js';

/**
 * Timings that let a child-process cluster notice a dead node and fail over within a second or two, where Kafka's
 * defaults (9 s session, 1 s election timeout, 500 ms fetch waits) would make every crash test take half a minute.
 * A test that needs a longer session (a node must survive a pause, a JVM client must not be fenced) overrides it.
 */
export const FAST_KRAFT: Readonly<Record<string, number>> = {
  'broker.heartbeat.interval.ms': 100,
  'broker.session.timeout.ms': 1000,
  'controller.quorum.election.timeout.ms': 300,
  'controller.quorum.fetch.timeout.ms': 600,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
};

export type ChildProcessClusterOptions = Omit<KafkaClusterOptions, 'brokers' | 'mode' | 'nodeCommand'> & {
  /** Default 3. */
  readonly brokers?: number;
  /** Default true. False keeps Kafka's own timings (a one-node cluster has nothing to fail over to). */
  readonly fastKraft?: boolean;
};

/**
 * Starts kq nodes as child processes (the built bin/kq.js, one `kq broker` each, so they can be SIGKILLed and
 * SIGSTOPped) with FAST_KRAFT (unless `fastKraft: false`) under `options.config`. Nodes get 60 s to print their `listening on` line: three
 * JVM-free Node processes start in 2–3 s on a quiet machine, but the suite runs two such files at once.
 * The caller closes the cluster (`cluster.close()` SIGKILLs whatever is left of a temp-dir cluster).
 */
export function startChildProcessCluster(options: ChildProcessClusterOptions = {}): Promise<KafkaCluster> {
  const { fastKraft = true, brokers = 3, ...rest } = options;
  return KafkaCluster.start({
    startTimeoutMs: 60_000,
    ...rest,
    brokers,
    mode: 'child-process',
    nodeCommand: [process.execPath, kqBin, 'broker'],
    config: { ...(fastKraft ? FAST_KRAFT : {}), ...options.config },
  });
}

/**
 * A kafkajs client of `cluster` that rides out a failover: retries every 100 ms..1 s, `retries` times (40 ≈ 35 s),
 * long enough for an election plus the client's metadata refresh under load.
 */
export function failoverKafkaClient(cluster: KafkaCluster, clientId: string, retries = 40): Kafka {
  return new Kafka({
    clientId,
    brokers: cluster.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries, maxRetryTime: 1000 },
  });
}

/**
 * Creates `topic` the way the crash tests need it — RF 3, min.insync.replicas 2, so acks=all survives one node —
 * and resolves once every node of `cluster` serves it (Kafka answers CreateTopics before every broker has applied it).
 */
export async function createReplicatedTopic(
  admin: Admin,
  cluster: KafkaCluster,
  topic: string,
  partitions = 1,
): Promise<void> {
  await admin.createTopics({
    topics: [
      {
        topic,
        numPartitions: partitions,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      },
    ],
    waitForLeaders: false,
  });
  await waitUntilTopicServed(cluster.bootstrap, [topic]);
}
