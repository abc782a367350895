import { Admin, Consumer, ProduceAcks, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ClientDriver } from '../client-driver.js';
import { producedValues } from '../client-driver.js';

/**
 * @platformatic/kafka (npm), in this process. Its defaults: acks=1, not idempotent (Producer options).
 *
 * It declares Node >= 22.22 and, of what Node 20 lacks, calls only Promise.withResolvers (Node 22): kq runs on
 * Node 20, so the test process gets that one function, exactly as Node 22 defines it, when it is missing.
 */
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

const ACKS = { '0': ProduceAcks.NO_RESPONSE, '1': ProduceAcks.LEADER, all: ProduceAcks.ALL } as const;
const CLIENT_ID = 'kq-matrix';

export const platformaticKafka: ClientDriver = {
  id: 'platformatic-kafka',
  name: '@platformatic/kafka',
  producerDefaults: 'acks=1, idempotent=false',

  prepare() {
    // the package exports no version and not its package.json: read the file beside its entry point (dist/)
    const entry = createRequire(import.meta.url).resolve('@platformatic/kafka');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    return Promise.resolve(manifest.version);
  },

  async produce(bootstrap, topic, count, mode) {
    const producer = new Producer({
      clientId: CLIENT_ID,
      bootstrapBrokers: [bootstrap],
      serializers: stringSerializers,
      ...(mode === undefined ? {} : mode === 'idempotent' ? { idempotent: true } : { acks: ACKS[mode] }),
    });
    try {
      await producer.send({ messages: producedValues(count).map((value) => ({ topic, partition: 0, value })) });
    } finally {
      await producer.close();
    }
  },

  async consumeInGroup(bootstrap, topic, group, expected) {
    const consumer = new Consumer({
      clientId: CLIENT_ID,
      groupId: group,
      bootstrapBrokers: [bootstrap],
      deserializers: stringDeserializers,
    });
    const values: string[] = [];
    try {
      // start at the group's committed offset, the earliest when it has none; commit by hand after reading
      const stream = await consumer.consume({
        topics: [topic],
        mode: 'committed',
        fallbackMode: 'earliest',
        autocommit: false,
      });
      const deadline = setTimeout(
        () => stream.destroy(new Error(`read ${values.length} of ${expected} in 30 s`)),
        30_000,
      );
      try {
        for await (const message of stream) {
          values.push(message.value);
          if (values.length === expected) {
            await message.commit();
            break;
          }
        }
      } finally {
        clearTimeout(deadline);
        await stream.close();
      }
    } finally {
      await consumer.close();
    }
    return values;
  },

  async createTopic(bootstrap, topic, partitions) {
    const admin = new Admin({ clientId: CLIENT_ID, bootstrapBrokers: [bootstrap] });
    try {
      await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
      const metadata = await admin.metadata({ topics: [topic] });
      const listed = (await admin.listTopics()).includes(topic);
      return { partitions: metadata.topics.get(topic)?.partitionsCount ?? 0, listed };
    } finally {
      await admin.close();
    }
  },
};
