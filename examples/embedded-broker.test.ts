// Embedding kq's broker in a test suite: what a Node project writes to test its Kafka code against a real
// broker with no Docker and no JVM. It imports the package entry point `kq/broker` (package.json "exports"), as
// another project would after `npm install kq` — not a path into src/ — so it tests the published shape too.
import { existsSync } from 'node:fs';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type KafkaBroker } from 'kq/broker';

let broker: KafkaBroker;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startBroker(); // 127.0.0.1, a free port, a temp data dir
  kafka = new Kafka({ clientId: 'example', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  await broker.close(); // also removes the temp data dir
});

describe('a kafkajs app against startBroker()', () => {
  it('produces three messages and a consumer group reads them back in order', async () => {
    const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
    const consumer: Consumer = kafka.consumer({ groupId: 'example-group' });
    try {
      await producer.connect();
      await producer.send({
        topic: 'orders',
        messages: ['created', 'paid', 'shipped'].map((value) => ({ key: 'order-1', value })),
      });

      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      const allThree = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the consumer received ${JSON.stringify(received)} within 20 s, not all 3`)),
          20_000,
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message.value?.toString() ?? '');
            if (received.length === 3) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await allThree;
      expect(received).toEqual(['created', 'paid', 'shipped']);
      expect(broker.group('example-group')?.members).toHaveLength(1);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('a second broker gets its own port and data dir, and close() removes that dir', async () => {
    const other = await startBroker();
    expect(other.port).not.toBe(broker.port);
    expect(other.dataDir).not.toBe(broker.dataDir);
    expect(existsSync(other.dataDir)).toBe(true);
    await other.close();
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
