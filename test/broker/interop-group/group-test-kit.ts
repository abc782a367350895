import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Consumer, ConsumerConfig, Producer } from 'kafkajs';
import type { GroupEvent } from '../../../src/broker/group/group-events.js';
import { KafkaBroker, type KafkaBrokerOptions } from '../../../src/broker/server/kafka-broker.js';

/** Settings that make groups fast enough to test: no initial delay, short sessions allowed. */
export const FAST_GROUPS = {
  'group.initial.rebalance.delay.ms': 0,
  'group.min.session.timeout.ms': 500,
} as const;

/**
 * A broker plus kafkajs clients that are all disconnected by `close()`, and the broker's group events as they
 * came, so a test waits on "generation 3 completed" rather than on time.
 */
export class GroupTestKit {
  readonly events: GroupEvent[] = [];
  private readonly clients: Array<Producer | Consumer | Admin> = [];
  kafka!: Kafka;
  broker!: KafkaBroker;

  static async start(options: KafkaBrokerOptions = {}): Promise<GroupTestKit> {
    const kit = new GroupTestKit();
    await kit.startBroker(options);
    return kit;
  }

  async startBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const config = { ...FAST_GROUPS, ...(options.config as Record<string, string | number | boolean> | undefined) };
    this.broker = await KafkaBroker.start({ ...options, config });
    this.broker.on('group', (e) => this.events.push(e));
    this.kafka = kafkaFor(this.broker.bootstrap);
    return this.broker;
  }

  async producer(): Promise<Producer> {
    const p = this.kafka.producer({ allowAutoTopicCreation: false });
    this.clients.push(p);
    await p.connect();
    return p;
  }

  async admin(): Promise<Admin> {
    const a = this.kafka.admin();
    this.clients.push(a);
    await a.connect();
    return a;
  }

  consumer(config: Partial<ConsumerConfig> & { groupId: string }): Consumer {
    const c = this.kafka.consumer({
      sessionTimeout: 6_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 200,
      maxWaitTimeInMs: 100,
      retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 500 },
      ...config,
    });
    this.clients.push(c);
    return c;
  }

  generations(groupId: string): Array<Extract<GroupEvent, { type: 'generation-completed' }>> {
    return this.events.filter(
      (e): e is Extract<GroupEvent, { type: 'generation-completed' }> =>
        e.type === 'generation-completed' && e.groupId === groupId,
    );
  }

  async disconnectClients(): Promise<void> {
    for (const client of this.clients.splice(0).reverse()) await client.disconnect();
  }

  async close(): Promise<void> {
    await this.disconnectClients();
    await this.broker?.close();
  }
}

export function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'kq-group-test',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
  });
}

/** `n` messages `prefix-0…` spread round-robin over `partitions` partitions. */
export function messages(prefix: string, n: number, partitions: number): Array<{ value: string; partition: number }> {
  return Array.from({ length: n }, (_, i) => ({ value: `${prefix}-${i}`, partition: i % partitions }));
}
