import type { EachMessagePayload } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import { groupDemoCluster } from '../src/demo/group-demo-cluster.js';
import { waitUntil } from '../src/broker/index.js';

/**
 * Proves idempotent-consumer-dedupe and dedupe-key-choice: at-least-once delivery redelivers, and only the consumer
 * can make the effect happen once. A consumer applies each order to three sinks — naive, deduplicated by
 * (partition, offset), deduplicated by the order id carried in the record key — commits after the first few, and
 * crashes before committing the rest; the next member re-reads from the commit. Then the producer side sends one
 * order twice (an application-level resend, as a retry without idempotence would), which Kafka stores at two
 * offsets. Counts: the naive sink applies the redelivered orders twice; the offset-keyed sink absorbs the
 * redelivery but not the resend; the order-id sink applies every order exactly once. Speaks only the protocol,
 * so it runs against a real cluster too.
 */
const ORDERS = 10;
/** The crashing consumer commits after this many records... */
const COMMITTED_BEFORE_CRASH = 3;
/** The order the producer sends a second time. */
const RESENT = 'order-7';

/** One consumer-side effect store. `apply` returns whether the effect ran (false: recognised as a duplicate). */
class Sink {
  readonly applied: string[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly keyOf: ((p: EachMessagePayload) => string) | undefined) {}
  apply(payload: EachMessagePayload): boolean {
    const key = this.keyOf?.(payload);
    if (key !== undefined) {
      // In production the key and the effect are written in one transaction (or the effect is an upsert by key).
      if (this.seen.has(key)) return false;
      this.seen.add(key);
    }
    this.applied.push(payload.message.key?.toString() ?? '?');
    return true;
  }
  duplicates(): number {
    return this.applied.length - new Set(this.applied).size;
  }
}

export default defineDemo({
  id: 'dedupe-consumer',
  title: {
    zh: '幂等消费：重复投递不可避免，去重要在消费端按业务 id 做',
    en: 'Idempotent consumers: redelivery happens; dedupe on the consumer, by business id',
  },
  claim: {
    zh: '提交前崩溃会让未提交的记录被重新投递，不去重的处理会重复生效；按 (分区, offset) 去重能挡住重新投递，挡不住生产端重发（同一订单落在两个 offset）；按订单 id 去重让每个订单恰好生效一次',
    en: 'a crash before committing redelivers the uncommitted records and a naive handler applies them twice; deduplicating by (partition, offset) absorbs the redelivery but not a producer-side resend (one order at two offsets); deduplicating by order id applies every order exactly once',
  },
  needs: 'client',
  knobs: {
    'processed.before.crash': {
      default: 6,
      min: COMMITTED_BEFORE_CRASH + 1,
      max: ORDERS,
      about: {
        zh: `消费者 A 崩溃前处理的记录数（它在第 ${COMMITTED_BEFORE_CRASH} 条后提交过）`,
        en: `records consumer A has processed when it crashes (it committed after ${COMMITTED_BEFORE_CRASH})`,
      },
    },
  },
  async run(ctx) {
    const PROCESSED_BEFORE_CRASH = ctx.knobs['processed.before.crash'];
    const cluster = await groupDemoCluster(ctx);
    const topic = ctx.topic('orders');
    const groupId = ctx.topic('order-handlers');
    const admin = await cluster.admin();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = await cluster.producer();
    ctx.step({
      zh: `写入 ${ORDERS} 个订单（key = 订单 id），再把 ${RESENT} 重发一次（应用层重发，落在新的 offset）`,
      en: `write ${ORDERS} orders (key = order id), then send ${RESENT} once more (an application resend, at a new offset)`,
    });
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: ORDERS }, (_, i) => ({ key: `order-${i}`, value: `amount ${i * 10}` })),
    });
    await producer.send({ topic, acks: -1, messages: [{ key: RESENT, value: 'amount 70' }] });
    const total = ORDERS + 1;

    const naive = new Sink(undefined);
    const byOffset = new Sink((p) => `${p.partition}@${p.message.offset}`);
    const byOrderId = new Sink((p) => p.message.key?.toString() ?? '');
    const handle = (payload: EachMessagePayload) => {
      naive.apply(payload);
      byOffset.apply(payload);
      byOrderId.apply(payload);
    };

    ctx.step({
      zh: `消费者 A 关闭自动提交：处理 ${COMMITTED_BEFORE_CRASH} 条后提交，再处理到第 ${PROCESSED_BEFORE_CRASH} 条时崩溃（未提交）`,
      en: `consumer A, auto-commit off, commits after ${COMMITTED_BEFORE_CRASH} records, then crashes at record ${PROCESSED_BEFORE_CRASH} without committing`,
    });
    let seenByA = 0;
    const a = await cluster.consumer({ groupId, topic, fromBeginning: true });
    await a.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        if (seenByA >= PROCESSED_BEFORE_CRASH) return; // dead already: handles nothing more
        handle(payload);
        seenByA++;
        if (seenByA === COMMITTED_BEFORE_CRASH) {
          const next = String(BigInt(payload.message.offset) + 1n);
          await a.commitOffsets([{ topic, partition: payload.partition, offset: next }]);
        }
        if (seenByA === PROCESSED_BEFORE_CRASH) payload.pause();
      },
    });
    await waitUntil(
      () => seenByA >= PROCESSED_BEFORE_CRASH,
      `consumer A processes ${PROCESSED_BEFORE_CRASH} records`,
      8000,
    );
    // The crash as the group sees it: the member goes away without committing what it processed after the
    // commit (kafkajs's disconnect sends LeaveGroup; a killed process is dropped after session.timeout.ms instead).
    await a.disconnect();

    ctx.step({
      zh: '同组的消费者 B 接手，读到末尾',
      en: 'consumer B of the same group takes over and reads to the end',
    });
    let seenByB = 0;
    const b = await cluster.consumer({ groupId, topic, fromBeginning: true });
    await b.run({
      autoCommitThreshold: 1,
      eachMessage: async (payload) => {
        handle(payload);
        seenByB++;
      },
    });
    const redelivered = PROCESSED_BEFORE_CRASH - COMMITTED_BEFORE_CRASH;
    await waitUntil(
      () => seenByB >= total - COMMITTED_BEFORE_CRASH,
      `consumer B reads from offset ${COMMITTED_BEFORE_CRASH} to the end`,
      10_000,
      { detail: () => `B saw ${seenByB}` },
    );
    await b.disconnect();

    ctx.observe('deliveries (A then B)', `${seenByA} + ${seenByB} = ${seenByA + seenByB} for ${total} records`);
    ctx.observe('naive sink', `${naive.applied.length} effects, ${naive.duplicates()} duplicate(s)`);
    ctx.observe(
      'dedupe by (partition, offset)',
      `${byOffset.applied.length} effects, ${byOffset.duplicates()} duplicate(s)`,
    );
    ctx.observe('dedupe by order id', `${byOrderId.applied.length} effects, ${byOrderId.duplicates()} duplicate(s)`);

    // Fails for "Kafka never redelivers" (0 duplicates) and for any other count than the uncommitted records plus
    // the resend.
    ctx.check(
      {
        zh: `不去重：A 处理过但没提交的 ${redelivered} 条被重新投递并再次生效，加上重发的 ${RESENT}，共 ${redelivered + 1} 次重复`,
        en: `no dedupe: the ${redelivered} records A processed but never committed are redelivered and applied again, plus the resent ${RESENT}: ${redelivered + 1} duplicates`,
      },
      {
        pass: naive.duplicates() === redelivered + 1,
        expected: String(redelivered + 1),
        actual: String(naive.duplicates()),
      },
    );
    ctx.check(
      {
        zh: '按 (分区, offset) 去重：挡住了重新投递，但重发的订单在新 offset 上，仍然生效两次',
        en: 'dedupe by (partition, offset): the redelivery is absorbed, but the resent order sits at a new offset and applies twice',
      },
      {
        pass: byOffset.duplicates() === 1 && byOffset.applied.filter((k) => k === RESENT).length === 2,
        expected: { zh: `1 次重复（${RESENT}）`, en: `1 duplicate (${RESENT})` },
        actual: {
          zh: `${byOffset.duplicates()} 次重复，${RESENT} 生效 ${byOffset.applied.filter((k) => k === RESENT).length} 次`,
          en: `${byOffset.duplicates()} duplicate(s), ${RESENT} applied ${byOffset.applied.filter((k) => k === RESENT).length}×`,
        },
      },
    );
    ctx.check(
      {
        zh: `按订单 id 去重：${ORDERS} 个订单各生效恰好一次`,
        en: `dedupe by order id: each of the ${ORDERS} orders applies exactly once`,
      },
      {
        pass: byOrderId.applied.length === ORDERS && byOrderId.duplicates() === 0,
        expected: { zh: `生效 ${ORDERS} 次，0 次重复`, en: `${ORDERS} effects, 0 duplicates` },
        actual: {
          zh: `生效 ${byOrderId.applied.length} 次，${byOrderId.duplicates()} 次重复`,
          en: `${byOrderId.applied.length} effects, ${byOrderId.duplicates()} duplicates`,
        },
      },
    );
  },
});
