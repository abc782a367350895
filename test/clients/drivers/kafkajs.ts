import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ClientDriver } from '../client-driver.js';
import { producedValues } from '../client-driver.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';

/** kafkajs (npm), in this process. Its defaults: acks=-1 (all), idempotent=false, no compression. */
const ACKS = { '0': 0, '1': 1, all: -1 } as const;

function kafka(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'kq-matrix', brokers: [bootstrap], logLevel: logLevel.NOTHING });
}

export const kafkajs: ClientDriver = {
  id: 'kafkajs',
  name: 'kafkajs',
  producerDefaults: 'acks=all, idempotent=false',

  prepare() {
    const manifest = createRequire(import.meta.url).resolve('kafkajs/package.json');
    return Promise.resolve((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
  },

  async produce(bootstrap, topic, count, mode) {
    const idempotent = mode === 'idempotent';
    const acks = mode === undefined || idempotent ? undefined : mode;
    const producer = kafka(bootstrap).producer(idempotent ? { idempotent: true } : {});
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: producedValues(count).map((value) => ({ value, partition: 0 })),
        ...(acks === undefined ? {} : { acks: ACKS[acks] }),
      });
    } finally {
      await producer.disconnect();
    }
  },

  async consumeInGroup(bootstrap, topic, group, expected) {
    const consumer = kafka(bootstrap).consumer({ groupId: group });
    const values: string[] = [];
    await consumer.connect();
    try {
      // fromBeginning: a group without a commit starts at the earliest offset (the matrix's contract)
      await consumer.subscribe({ topic, fromBeginning: true });
      let next = '0';
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`read ${values.length} of ${expected} in 30 s`)), 30_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: ({ message }) => {
              values.push(message.value?.toString() ?? '');
              next = (BigInt(message.offset) + 1n).toString();
              if (values.length === expected) {
                clearTimeout(deadline);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
      await consumer.commitOffsets([{ topic, partition: 0, offset: next }]);
    } finally {
      await consumer.disconnect();
    }
    return values;
  },

  async createTopic(bootstrap, topic, partitions) {
    const admin = kafka(bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: false });
      await waitUntilTopicServed(bootstrap, [topic]);
      const described = await admin.fetchTopicMetadata({ topics: [topic] });
      const listed = (await admin.listTopics()).includes(topic);
      return { partitions: described.topics[0]?.partitions.length ?? 0, listed };
    } finally {
      await admin.disconnect();
    }
  },
};
