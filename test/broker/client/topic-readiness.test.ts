import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { createTopics } from '../../../src/broker/client/request-builders.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { KafkaBroker } from '../../../src/broker/index.js';
import { WaitTimeoutError } from '../../../src/broker/utils/wait-until.js';

let broker: KafkaBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

describe('waitUntilTopicServed', () => {
  it('resolves once every partition of a created topic has a leader that answers ListOffsets', async () => {
    broker = await KafkaBroker.start();
    const client = await RawKafkaClient.connect(broker.port);
    try {
      await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'served', numPartitions: 3 }]));
    } finally {
      client.close();
    }
    await expect(waitUntilTopicServed(broker.bootstrap, ['served'], 5_000)).resolves.toBeUndefined();
  });

  it('times out naming the broker that does not know the topic', async () => {
    broker = await KafkaBroker.start();
    const waited = waitUntilTopicServed(broker.bootstrap, ['never-created'], 300);
    await expect(waited).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(waited).rejects.toThrow(
      /never-created to be served by every broker.*broker \d+ does not know never-created yet/,
    );
  });

  it('names a bootstrap address that is not host:port', async () => {
    await expect(waitUntilTopicServed('localhost', ['t'], 100)).rejects.toThrow(/not a host:port address: 'localhost'/);
  });
});
