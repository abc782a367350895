import { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { ApacheKafkaCluster, fetchKafka } from '../../src/kafka/index.js';

/** One side of a differential test: kq's broker or Apache Kafka, reachable on 127.0.0.1. */
export interface OracleTarget {
  name: 'kq' | 'kafka';
  host: string;
  port: number;
  bootstrap: string;
  /** A fresh raw connection (the caller closes it). */
  connect(): Promise<RawKafkaClient>;
}

/**
 * Settings both sides share so that what differs is behaviour, not configuration: node id 1 (a KRaft node's
 * first id), no initial rebalance delay (Kafka's shipped server.properties), Kafka's defaults otherwise.
 */
export const SHARED_CONFIG = { 'node.id': '1', 'group.initial.rebalance.delay.ms': '0' } as const;

/**
 * Starts kq's broker in this process and one Apache Kafka node (a JVM), for one test file: start them in
 * beforeAll, stop in afterAll. Topic and group names in scenarios must be unique per file and version, since the
 * two brokers live for the whole file.
 */
export async function startOracleTargets(): Promise<{ kq: OracleTarget; kafka: OracleTarget; stop(): Promise<void> }> {
  fetchKafka();
  const [broker, cluster] = await Promise.all([
    KafkaBroker.start({ host: '127.0.0.1', port: 0, config: SHARED_CONFIG }),
    ApacheKafkaCluster.start({ brokers: 1 }),
  ]);
  const target = (name: OracleTarget['name'], host: string, port: number): OracleTarget => ({
    name,
    host,
    port,
    bootstrap: `${host}:${port}`,
    connect: () => RawKafkaClient.connect(port, host),
  });
  return {
    kq: target('kq', '127.0.0.1', broker.port),
    kafka: target('kafka', cluster.node(1).host, cluster.node(1).port),
    async stop() {
      await Promise.all([broker.close(), cluster.stop()]);
    },
  };
}
