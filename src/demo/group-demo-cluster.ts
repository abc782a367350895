import type { Admin, Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { DemoContext } from './demo-definition.js';

/**
 * The cluster a consumer-group demo runs its groups on, and kafkajs consumers that record what they were handed.
 *
 * On kq's own broker the demo starts a second mini-broker whose groups form at once
 * (`group.initial.rebalance.delay.ms` 0 instead of 3000): a demo that forms several groups one after another
 * would otherwise spend most of its 10 s budget waiting for nothing. Against a real cluster
 * (`--bootstrap-server`) it uses that cluster as it is configured — only slower. Every client made here is
 * disconnected when the demo ends (registered with `ctx.defer`).
 */
export const FAST_GROUP_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'group.min.session.timeout.ms': 1000,
} as const;

/** Consumer timings every broker accepts (Kafka's default group.min.session.timeout.ms is 6000). */
const SESSION_TIMEOUT_MS = 6000;
const HEARTBEAT_INTERVAL_MS = 500;
/** Short long polls, so a consumer notices new records and disconnects quickly. */
const MAX_WAIT_MS = 100;

export interface GroupDemoCluster {
  /** host:port of the cluster the groups run on. */
  readonly bootstrap: string;
  readonly kafka: Kafka;
  producer(): Promise<Producer>;
  admin(): Promise<Admin>;
  /** A connected consumer subscribed to `topic`; call `run` on the result to start it. */
  consumer(options: { groupId: string; topic: string; fromBeginning: boolean }): Promise<Consumer>;
}

export async function groupDemoCluster(ctx: DemoContext): Promise<GroupDemoCluster> {
  // one __consumer_offsets partition instead of 50: the groups' demos claim nothing about it, and creating (and at
  // the end flushing) 50 partitions cost each group demo about a second on a loaded machine
  const bootstrap = ctx.broker
    ? (await ctx.startBroker({ config: { ...FAST_GROUP_CONFIG, 'offsets.topic.num.partitions': 1 } })).bootstrap
    : ctx.bootstrap;
  const kafka = ctx.kafka({ brokers: bootstrap.split(',').map((a) => a.trim()), requestTimeout: 10_000 });
  async function connected<C extends { connect(): Promise<void>; disconnect(): Promise<void> }>(client: C): Promise<C> {
    ctx.defer(() => client.disconnect());
    await client.connect();
    return client;
  }
  return {
    bootstrap,
    kafka,
    producer: () => connected(kafka.producer({ allowAutoTopicCreation: false })),
    admin: () => connected(kafka.admin()),
    async consumer({ groupId, topic, fromBeginning }) {
      const consumer = await connected(
        kafka.consumer({
          groupId,
          sessionTimeout: SESSION_TIMEOUT_MS,
          heartbeatInterval: HEARTBEAT_INTERVAL_MS,
          maxWaitTimeInMs: MAX_WAIT_MS,
          retry: { retries: 5, initialRetryTime: 50, maxRetryTime: 500 },
        }),
      );
      await consumer.subscribe({ topic, fromBeginning });
      return consumer;
    },
  };
}

/** The record's offset in `payload`, as bigint. */
export function offsetOf(payload: EachMessagePayload): bigint {
  return BigInt(payload.message.offset);
}

/** The group's committed offset for `topic`-`partition` as admin.fetchOffsets reports it; null when none (-1). */
export async function committedOffset(
  admin: Admin,
  groupId: string,
  topic: string,
  partition = 0,
): Promise<bigint | null> {
  const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const offset = answer?.partitions.find((p) => p.partition === partition)?.offset;
  return offset === undefined || offset === '-1' ? null : BigInt(offset);
}

/** `[a, b, c]` → "a, b, c"; long runs of consecutive offsets as "a–b", so 300 offsets print as one range. */
export function describeOffsets(offsets: readonly bigint[]): string {
  if (offsets.length === 0) return 'none';
  const parts: string[] = [];
  let start = offsets[0]!;
  let previous = start;
  for (const offset of [...offsets.slice(1), undefined]) {
    if (offset !== undefined && offset === previous + 1n) {
      previous = offset;
      continue;
    }
    parts.push(
      start === previous ? `${start}` : previous === start + 1n ? `${start}, ${previous}` : `${start}–${previous}`,
    );
    if (offset !== undefined) start = previous = offset;
  }
  return parts.join(', ');
}
