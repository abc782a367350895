import { JavaClient } from '../../java/run-java.js';
import type { ClientDriver } from '../client-driver.js';

/**
 * The Java kafka-clients (producer, consumer, admin) of the Apache Kafka version kq pins, through the `kafka`
 * helper's KqInterop (test/java): one short JVM per step. Its producer defaults: acks=all, idempotence on; an
 * acks=0 or 1 override turns idempotence off, as the client does when enable.idempotence is not set.
 */
let java: JavaClient | undefined;

function client(): JavaClient {
  if (!java) throw new Error('kafka-clients: prepare() was not called');
  return java;
}

export const javaClients: ClientDriver = {
  id: 'kafka-clients',
  name: 'Java kafka-clients',
  producerDefaults: 'acks=all, enable.idempotence=true',

  prepare() {
    java ??= JavaClient.compile();
    return Promise.resolve(java.kafka.version);
  },

  async produce(bootstrap, topic, count, mode) {
    const settings = { default: [], idempotent: ['enable.idempotence=true'], acks: [`acks=${mode}`] };
    await client().run([
      bootstrap,
      'produce',
      topic,
      String(count),
      ...settings[mode === undefined ? 'default' : mode === 'idempotent' ? 'idempotent' : 'acks'],
    ]);
  },

  async consumeInGroup(bootstrap, topic, group, expected) {
    return (await client().run([bootstrap, 'consume', topic, group, String(expected)])).values as string[];
  },

  async createTopic(bootstrap, topic, partitions) {
    const created = await client().run([bootstrap, 'create', topic, String(partitions)]);
    return { partitions: created.partitions as number, listed: created.listed as boolean };
  },
};
