import { Kafka, logLevel } from 'kafkajs';
import { fetch } from '../../src/broker/client/request-builders.js';
import { waitUntilTopicServed } from '../../src/broker/client/topic-readiness.js';
import { ApiKey } from '../../src/broker/protocol/api-keys.js';
import type { OracleTarget } from '../oracle/oracle-targets.js';
import { runProgram } from './run-program.js';

/**
 * The neutral side of every matrix scenario: sets a topic up and reads back what the client under test did,
 * with tools the oracle tests already prove behave the same on kq and Apache Kafka (kafkajs for admin and
 * writes, kcat for reads since librdkafka decodes every compression codec, a raw Fetch for batch headers).
 */
export class ReferenceTools {
  constructor(readonly target: OracleTarget) {}

  private kafka(): Kafka {
    return new Kafka({
      clientId: 'kq-matrix-reference',
      brokers: [this.target.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 8, initialRetryTime: 100 },
    });
  }

  async createTopic(topic: string, partitions = 1): Promise<void> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
    } finally {
      await admin.disconnect();
    }
    await waitUntilTopicServed(this.target.bootstrap, [topic]);
  }

  /** Writes `values` to partition 0, acknowledged by all in-sync replicas. */
  async produce(topic: string, values: string[]): Promise<void> {
    const producer = this.kafka().producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value, partition: 0 })) });
    } finally {
      await producer.disconnect();
    }
  }

  /** The group's committed offset of partition 0 (-1 when none). */
  async committedOffset(group: string, topic: string): Promise<number> {
    const admin = this.kafka().admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return Number(offsets?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Reads the first `count` records of partition 0 (waiting, bounded, for records an acks=0 producer sent and
   * the broker may not have appended yet). Returns the values with their offsets.
   */
  async read(topic: string, count: number): Promise<Array<{ offset: number; value: string }>> {
    const timeoutMs = 20_000;
    const run = await runProgram(
      'kcat',
      ['-b', this.target.bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-c', String(count), '-J', '-q'],
      { timeoutMs },
    );
    const records = run.stdout
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { offset: number; payload: string })
      .map(({ offset, payload }) => ({ offset, value: payload }));
    if (records.length < count) {
      throw new Error(
        `the reference reader found ${records.length} of ${count} records in ${topic}/0 after ${run.timedOut ? `${timeoutMs} ms` : `kcat exited ${run.code}: ${run.stderr.trim().slice(-300)}`}`,
      );
    }
    return records;
  }

  /** The producer id stamped on partition 0's first batch (-1: not an idempotent producer's batch). */
  async firstBatchProducerId(topic: string): Promise<bigint> {
    const client = await this.target.connect();
    try {
      const response = await client.request(ApiKey.Fetch, 11, fetch(topic, 0n));
      const partition = response.responses[0]!.partitions[0]!;
      if (partition.errorCode !== 0 || !partition.records?.length) {
        throw new Error(`fetching ${topic}/0 answered error ${partition.errorCode} with no records`);
      }
      return partition.records.readBigInt64BE(43); // record batch v2: producerId at byte 43
    } finally {
      client.close();
    }
  }
}
