import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { groupDemoCluster } from '../src/demo/group-demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { Signal, withTimeout } from '../src/broker/index.js';

/**
 * Proves delayed-messages (F28): Kafka has no delayed delivery — a record is readable as soon as it is written,
 * whatever its timestamp says — and the standard workaround works: one topic per delay level, and a forwarder that
 * looks only at each level's head record; if it is not due (record timestamp + level) the forwarder pauses that
 * partition and seeks back to it, resuming when it is due, then forwards it to the target topic and commits.
 * Within a level, write order is due order, so nothing waits behind a record that is due later.
 * Speaks only the Kafka protocol (kafkajs), so it runs against a real cluster too.
 */
const PER_LEVEL = 3;
/** Pacing between produces, so due times spread out and the forwarder must pause more than once per level. */
const PRODUCE_EVERY_MS = 150;
/** Loose upper bound on lateness: forwarding is poll-driven, but a forwarder that never paused would be far off. */
const LATE_BOUND_MS = 1500;
const WAIT_MS = 8000;

interface Arrival {
  id: string;
  topic: string;
  at: number;
}

export default defineDemo({
  id: 'delayed-delivery',
  title: { zh: '延迟消息：按延迟等级分 topic + 转发服务', en: 'Delayed messages: delay-level topics and a forwarder' },
  claim: {
    zh: 'Kafka 没有原生延迟投递：记录写入后立即可读；按延迟等级分 topic、转发服务在队头未到期时 pause 分区，可以让每条消息不早于到期时间、按到期顺序到达目标 topic',
    en: 'Kafka has no native delayed delivery: a record is readable as soon as it is written; delay-level topics plus a forwarder that pauses a partition while its head is not due deliver every message to the target no earlier than its due time, in due order',
  },
  needs: 'client',
  knobs: {
    'delay.ms': {
      default: 600,
      min: 200,
      max: 3000,
      about: {
        zh: '第一个延迟等级（第二个是它的两倍）',
        en: 'the first delay level (the second is twice it)',
      },
    },
    'future.ms': {
      default: 2000,
      min: 500,
      max: 5000,
      about: {
        zh: '普通 topic 上那条记录的时间戳比现在晚多少',
        en: 'how far in the future the plain topic record is stamped',
      },
    },
  },
  async run(ctx) {
    const delayMs = ctx.knobs['delay.ms'];
    const LEVELS = [
      { name: `delay-${delayMs}ms`, delayMs },
      { name: `delay-${2 * delayMs}ms`, delayMs: 2 * delayMs },
    ];
    // the plain topic's record claims to be for later; a broker that held it would show ≥ future.ms
    const FUTURE_MS = ctx.knobs['future.ms'];
    const target = ctx.topic('delay-target');
    const plain = ctx.topic('delay-plain');
    const levels = LEVELS.map((l) => ({ ...l, topic: ctx.topic(l.name) }));
    ctx.step({
      zh: `创建延迟等级 topic ${levels.map((l) => l.topic).join('、')}，目标 topic ${target}，以及普通 topic ${plain}`,
      en: `create the delay-level topics ${levels.map((l) => l.topic).join(', ')}, the target topic ${target} and a plain topic ${plain}`,
    });
    // groups that form at once (group.initial.rebalance.delay.ms 0 on kq's broker), see groupDemoCluster
    const cluster = await groupDemoCluster(ctx);
    const consumer = async (groupId: string) => {
      const c = cluster.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
      ctx.defer(() => c.disconnect());
      await c.connect();
      return c;
    };
    const admin = await cluster.admin();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [...levels.map((l) => l.topic), target, plain].map((topic) => ({ topic, numPartitions: 1 })),
    });
    const producer = await cluster.producer();
    const progress = new Signal();

    ctx.step({
      zh: '启动转发服务（一个消费者组订阅所有等级 topic，手动提交）和一个读取目标 topic 与普通 topic 的消费者',
      en: 'start the forwarder (one consumer group on every level topic, committing by hand) and a consumer reading the target and plain topics',
    });
    const pauses = new Map<string, number>(levels.map((l) => [l.topic, 0]));
    const timers = new Set<NodeJS.Timeout>();
    ctx.defer(() => timers.forEach(clearTimeout));
    const forwarder = await consumer(ctx.topic('delay-forwarder'));
    await forwarder.subscribe({ topics: levels.map((l) => l.topic), fromBeginning: true });
    const forwarderJoined = joined(forwarder);
    // run() resolves only once the consumer has joined; start the sink meanwhile so both groups' joins overlap
    const forwarderRunning = forwarder.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const level = levels.find((l) => l.topic === topic)!;
        const dueAt = Number(message.timestamp) + level.delayMs;
        const wait = dueAt - Date.now();
        if (wait > 0) {
          // The head is not due, so nothing behind it is: stop fetching this level until it is, and re-read it then.
          forwarder.pause([{ topic, partitions: [partition] }]);
          forwarder.seek({ topic, partition, offset: message.offset });
          pauses.set(topic, (pauses.get(topic) ?? 0) + 1);
          const timer = setTimeout(() => {
            timers.delete(timer);
            forwarder.resume([{ topic, partitions: [partition] }]);
          }, wait);
          timers.add(timer);
          return;
        }
        await producer.send({
          topic: target,
          acks: -1,
          messages: [
            { key: message.key, value: message.value, headers: { 'due-at': String(dueAt), level: level.name } },
          ],
        });
        // Commit only after forwarding: a crash in between forwards twice (at-least-once), never loses one.
        await forwarder.commitOffsets([{ topic, partition, offset: String(BigInt(message.offset) + 1n) }]);
      },
    });

    const arrivals: Arrival[] = [];
    const sink = await consumer(ctx.topic('delay-sink'));
    await sink.subscribe({ topics: [target, plain], fromBeginning: true });
    const sinkJoined = joined(sink);
    const sinkRunning = sink.run({
      eachMessage: async ({ topic, message }) => {
        arrivals.push({ id: message.value?.toString() ?? '', topic, at: Date.now() });
        progress.notify();
      },
    });
    // a new group waits group.initial.rebalance.delay.ms (3 s by default) before its first assignment
    await withTimeout(
      Promise.all([forwarderJoined, sinkJoined, forwarderRunning, sinkRunning]),
      'the forwarder and the sink joining their groups',
      WAIT_MS,
    );

    ctx.step({
      zh: `每隔 ${PRODUCE_EVERY_MS} ms 交替向两个等级各写一条，每级 ${PER_LEVEL} 条（到期时间 = 记录时间戳 + 等级延迟）`,
      en: `every ${PRODUCE_EVERY_MS} ms write one message to each level in turn, ${PER_LEVEL} per level (due = record timestamp + the level's delay)`,
    });
    const sent: Array<{ id: string; level: string; dueAt: number }> = [];
    for (let i = 0; i < PER_LEVEL; i++) {
      for (const level of levels) {
        const timestamp = Date.now();
        const id = `${level.name}#${i}`;
        await producer.send({ topic: level.topic, acks: -1, messages: [{ value: id, timestamp: String(timestamp) }] });
        sent.push({ id, level: level.name, dueAt: timestamp + level.delayMs });
        await delay(PRODUCE_EVERY_MS); // pacing the produces, not synchronisation
      }
    }

    ctx.step({
      zh: `向普通 topic 写一条时间戳在 ${FUTURE_MS} ms 之后的记录，看 broker 会不会等到那时才交付`,
      en: `write a record stamped ${FUTURE_MS} ms in the future to the plain topic and see whether the broker holds it until then`,
    });
    const plainSentAt = Date.now();
    await producer.send({
      topic: plain,
      acks: -1,
      messages: [{ value: 'plain', timestamp: String(plainSentAt + FUTURE_MS) }],
    });

    await progress.until(
      () => sent.every((s) => arrivals.some((a) => a.id === s.id)) && arrivals.some((a) => a.topic === plain),
      'every message reaching the target',
      WAIT_MS,
    );
    // Due times as the producer computed them, not as the forwarder says: the check must not trust the forwarder.
    const dueOf = new Map(sent.map((s) => [s.id, s.dueAt]));
    const delayed = arrivals
      .filter((a) => a.topic === target)
      .map((a) => ({ ...a, dueAt: dueOf.get(a.id) ?? Number.NaN }));
    for (const a of delayed)
      ctx.observe(a.id, `arrived ${a.at - a.dueAt >= 0 ? '+' : ''}${a.at - a.dueAt} ms after its due time`);
    ctx.observe('forwarder pauses', levels.map((l) => `${l.name}: ${pauses.get(l.topic)}`).join(', '));

    // Fails on a lost message or a duplicate (e.g. the not-due head forwarded and then re-read after the seek).
    const counts = sent.map((s) => delayed.filter((a) => a.id === s.id).length);
    ctx.check(
      { zh: '每条延迟消息都恰好到达目标 topic 一次', en: 'every delayed message reached the target exactly once' },
      {
        pass: counts.every((c) => c === 1) && delayed.length === sent.length,
        expected: { zh: `${sent.length} 条消息，各一次`, en: `${sent.length} messages, once each` },
        actual: {
          zh: `到达 ${delayed.length} 次；每条消息 ${counts.join(',')} 次`,
          en: `${delayed.length} arrivals; per message ${counts.join(',')}`,
        },
      },
    );
    // Fails if any message was forwarded before its due time (no pause, or a due time computed wrongly).
    const earliest = Math.min(...delayed.map((a) => a.at - a.dueAt));
    const latest = Math.max(...delayed.map((a) => a.at - a.dueAt));
    ctx.check(
      { zh: '没有一条消息早于到期时间到达', en: 'no message arrived before its due time' },
      {
        pass: earliest >= 0,
        expected: { zh: '每条都满足 到达 − 到期 ≥ 0 ms', en: 'arrival − due ≥ 0 ms for all' },
        actual: { zh: `最小 ${earliest} ms`, en: `min ${earliest} ms` },
      },
    );
    ctx.check(
      {
        zh: `消息在到期后不久到达（宽松上界 ${LATE_BOUND_MS} ms）`,
        en: `messages arrived soon after they were due (loose bound ${LATE_BOUND_MS} ms)`,
      },
      {
        pass: latest < LATE_BOUND_MS,
        expected: { zh: `到达 − 到期 < ${LATE_BOUND_MS} ms`, en: `arrival − due < ${LATE_BOUND_MS} ms` },
        actual: { zh: `最大 ${latest} ms`, en: `max ${latest} ms` },
      },
    );
    // Fails if a level's messages were delivered out of due order (e.g. a forwarder that skipped its head).
    const inOrder = levels.map((l) => {
      const got = delayed.filter((a) => a.id.startsWith(`${l.name}#`));
      return {
        level: l.name,
        ids: got.map((a) => a.id),
        ok: got.every((a, i) => i === 0 || a.dueAt >= got[i - 1]!.dueAt) && got.length === PER_LEVEL,
      };
    });
    ctx.check(
      { zh: '每个等级内按到期顺序到达', en: 'within each level, messages arrived in due order' },
      {
        pass: inOrder.every((o) => o.ok),
        expected: { zh: '每个级别：#0, #1, #2', en: 'per level: #0, #1, #2' },
        actual: inOrder.map((o) => `${o.level}: ${o.ids.map((id) => id.split('#')[1]).join(',')}`).join('; '),
      },
    );

    const plainArrival = arrivals.find((a) => a.topic === plain)!;
    const plainAfter = plainArrival.at - plainSentAt;
    ctx.observe('plain topic', `record stamped +${FUTURE_MS} ms was consumed ${plainAfter} ms after it was produced`);
    // Fails if the broker held the record until its timestamp (a native delay would show ≥ FUTURE_MS).
    ctx.check(
      {
        zh: `普通 topic 没有延迟：时间戳在未来的记录也被立即消费（远早于 ${FUTURE_MS} ms）`,
        en: `a plain topic has no delay: a record stamped in the future was consumed at once (well before ${FUTURE_MS} ms)`,
      },
      {
        pass: plainAfter < FUTURE_MS / 2,
        expected: { zh: `写入后 < ${FUTURE_MS / 2} ms`, en: `< ${FUTURE_MS / 2} ms after produce` },
        actual: `${plainAfter} ms`,
      },
    );
  },
});

/** Resolves when the consumer has joined its group and been given its assignment (kafkajs GROUP_JOIN). */
function joined(consumer: Consumer): Promise<void> {
  return new Promise((resolve) => {
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      remove();
      resolve();
    });
  });
}
