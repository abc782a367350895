import { setTimeout as delay } from 'node:timers/promises';
import type { IHeaders } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { groupDemoCluster } from '../src/demo/group-demo-cluster.js';

/**
 * Proves consumer-retry-dlq-design, poison-message-blocking, retry-topic-ordering-cost and retry-topic-backoff:
 * one poison record among healthy ones, handled two ways.
 * - Retry topic + dead-letter topic: the main consumer hands the failure to a retry topic and moves on, so the
 *   healthy records behind the poison are processed at once; a retry consumer tries again after a growing
 *   back-off (100 ms, then 200 ms) and, after the last attempt, parks the record in the DLQ with its history in
 *   headers. The price: a record behind the poison takes effect before the poison's final outcome — the
 *   partition's order is given up for that record.
 * - Blocking retry in place: order is kept, but every record behind the poison waits out all the back-offs
 *   (head-of-line blocking); with unbounded retries the partition would never move again.
 * Speaks only the protocol, so it runs against a real cluster too.
 */
const VALUES = ['m0', 'm1', 'POISON m2', 'm3', 'm4', 'm5'];
const HEALTHY = VALUES.filter((v) => !v.startsWith('POISON'));
/** The first back-off; each later one doubles it (100 ms, 200 ms, 400 ms…). */
const FIRST_BACKOFF_MS = 100;
/** Timer slack: a back-off of N ms may fire a millisecond early as Date.now() sees it. */
const SLACK_MS = 5;

function handlePayment(value: string): void {
  if (value.startsWith('POISON')) throw new Error(`cannot parse ${value}`);
}

const header = (headers: IHeaders | undefined, name: string) => headers?.[name]?.toString() ?? '';

export default defineDemo({
  id: 'retry-dlq',
  title: {
    zh: '消费失败怎么办：重试 topic + 死信队列，和原地阻塞重试的代价',
    en: 'When processing fails: retry topics + a dead-letter topic, versus blocking retries in place',
  },
  claim: {
    zh: '重试 topic 让毒消息后面的健康消息立即被处理，毒消息按递增的退避重试 3 次后进入死信队列（头里带着重试历史），代价是后面的消息先于毒消息的最终结果生效（顺序被打破）；原地阻塞重试保住顺序，但后面的每条消息都要等完全部退避',
    en: 'a retry topic lets the healthy records behind a poison message be processed at once while the poison is retried 3 times with growing back-off and then parked in the dead-letter topic (its history in headers), at the cost of records behind it taking effect before its final outcome (order broken); blocking retries in place keep the order, but every record behind the poison waits out all the back-offs',
  },
  needs: 'client',
  knobs: {
    'max.attempts': {
      default: 3,
      min: 2,
      max: 5,
      about: {
        zh: '毒消息的处理尝试次数（第 1 次在主消费者，之后在重试 topic，退避每次翻倍）',
        en: 'attempts at the poison record (the first by the main consumer, the rest from the retry topic, each back-off doubling)',
      },
    },
  },
  async run(ctx) {
    const MAX_ATTEMPTS = ctx.knobs['max.attempts'];
    /** Back-off before retry attempt 2, 3, …; attempt 1 is the main consumer's. */
    const BACKOFF_MS = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => FIRST_BACKOFF_MS * 2 ** i);
    const cluster = await groupDemoCluster(ctx);
    const main = ctx.topic('payments');
    const retry = ctx.topic('payments-retry');
    const dlq = ctx.topic('payments-dlq');
    const admin = await cluster.admin();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [main, retry, dlq].map((topic) => ({ topic, numPartitions: 1 })),
    });
    const producer = await cluster.producer();
    ctx.step({
      zh: `向 ${main} 写入 ${VALUES.length} 条，第 3 条是无法处理的毒消息`,
      en: `write ${VALUES.length} records to ${main}; the third is a poison message no handler can process`,
    });
    await producer.send({ topic: main, acks: -1, messages: VALUES.map((value) => ({ value })) });

    // 1. Non-blocking: main → retry topic (back-off) → DLQ.
    ctx.step({
      zh: `非阻塞：主消费者把失败交给 ${retry} 后继续；重试消费者按 ${BACKOFF_MS.join(' / ')} ms 退避重试，共 ${MAX_ATTEMPTS} 次后写入 ${dlq}`,
      en: `non-blocking: the main consumer hands a failure to ${retry} and moves on; the retry consumer backs off ${BACKOFF_MS.join(' / ')} ms, and after ${MAX_ATTEMPTS} attempts in all writes it to ${dlq}`,
    });
    const doneAt = new Map<string, number>();
    const attemptsAt: number[] = [];
    let parkedAt = 0;
    let parkedHeaders: IHeaders | undefined;
    const mainConsumer = await cluster.consumer({
      groupId: ctx.topic('main-handler'),
      topic: main,
      fromBeginning: true,
    });
    await mainConsumer.run({
      eachMessage: async ({ message, partition }) => {
        const value = message.value!.toString();
        try {
          attemptsAt.push(...(value.startsWith('POISON') ? [Date.now()] : []));
          handlePayment(value);
          doneAt.set(value, Date.now());
        } catch (error) {
          await producer.send({
            topic: retry,
            acks: -1,
            messages: [
              {
                value,
                headers: {
                  attempt: '1',
                  'due-at': String(Date.now() + BACKOFF_MS[0]!),
                  origin: `${main}-${partition}@${message.offset}`,
                  'last-error': (error as Error).message,
                },
              },
            ],
          });
        }
      },
    });
    const retryConsumer = await cluster.consumer({
      groupId: ctx.topic('retry-handler'),
      topic: retry,
      fromBeginning: true,
    });
    await retryConsumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value!.toString();
        const attempt = Number(header(message.headers, 'attempt')) + 1;
        // Wait until due. (A production retry consumer pauses the partition and resumes it when due, so the
        // group's poll loop keeps running; with back-offs this short a wait in place shows the same thing.)
        const wait = Number(header(message.headers, 'due-at')) - Date.now();
        if (wait > 0) await delay(wait);
        try {
          attemptsAt.push(Date.now());
          handlePayment(value);
          doneAt.set(value, Date.now());
        } catch (error) {
          const headers = { ...message.headers, attempt: String(attempt), 'last-error': (error as Error).message };
          if (attempt < MAX_ATTEMPTS) {
            const dueAt = String(Date.now() + BACKOFF_MS[attempt - 1]!);
            await producer.send({
              topic: retry,
              acks: -1,
              messages: [{ value, headers: { ...headers, 'due-at': dueAt } }],
            });
          } else {
            await producer.send({ topic: dlq, acks: -1, messages: [{ value, headers }] });
          }
        }
      },
    });
    const dlqConsumer = await cluster.consumer({ groupId: ctx.topic('dlq-reader'), topic: dlq, fromBeginning: true });
    await dlqConsumer.run({
      eachMessage: async ({ message }) => {
        parkedAt = Date.now();
        parkedHeaders = message.headers;
      },
    });
    // Bounded: what did not happen in time is judged by the checks below (a record never done, no DLQ entry).
    const finished = await eventually(() => parkedAt > 0 && HEALTHY.every((v) => doneAt.has(v)), 15_000);
    if (!finished)
      ctx.observe(
        'not finished within 15 s',
        `done ${[...doneAt.keys()].join(', ') || 'nothing'}; ${attemptsAt.length} attempt(s); DLQ ${parkedAt > 0 ? 'written' : 'empty'}`,
      );
    await Promise.all([mainConsumer.disconnect(), retryConsumer.disconnect(), dlqConsumer.disconnect()]);

    const firstAttempt = attemptsAt[0]!;
    const gaps = attemptsAt.slice(1).map((t, i) => t - attemptsAt[i]!);
    ctx.observe(
      'healthy records done, ms after the poison first failed',
      HEALTHY.map((v) => `${v} ${doneAt.get(v)! - firstAttempt}`).join(', '),
    );
    ctx.observe('poison attempts, ms apart', gaps.join(', '));
    ctx.observe(
      'DLQ headers',
      Object.entries(parkedHeaders ?? {})
        .map(([k, v]) => `${k}=${v?.toString()}`)
        .join(' '),
    );
    ctx.check(
      {
        zh: '毒消息后面的健康消息没有等重试：m3 在毒消息第二次尝试之前就已处理',
        en: 'the healthy records behind the poison did not wait for its retries: m3 was done before the poison’s second attempt',
      },
      {
        pass: HEALTHY.every((v) => doneAt.has(v)) && doneAt.get('m3')! <= attemptsAt[1]!,
        expected: {
          zh: `m3 在第 2 次尝试（${attemptsAt[1]! - firstAttempt} ms）之前完成`,
          en: `m3 done before attempt 2 (${attemptsAt[1]! - firstAttempt} ms)`,
        },
        actual: {
          zh: `m3 在 ${doneAt.get('m3')! - firstAttempt} ms 完成`,
          en: `m3 done at ${doneAt.get('m3')! - firstAttempt} ms`,
        },
      },
    );
    ctx.check(
      {
        zh: `毒消息恰好尝试 ${MAX_ATTEMPTS} 次，间隔不少于 ${BACKOFF_MS.join(' / ')} ms，之后进入死信队列，头里记着次数和来源`,
        en: `the poison was tried exactly ${MAX_ATTEMPTS} times, at least ${BACKOFF_MS.join(' / ')} ms apart, then parked in the DLQ with its attempt count and origin in headers`,
      },
      {
        pass:
          attemptsAt.length === MAX_ATTEMPTS &&
          gaps.every((gap, i) => gap >= BACKOFF_MS[i]! - SLACK_MS) &&
          header(parkedHeaders, 'attempt') === String(MAX_ATTEMPTS) &&
          header(parkedHeaders, 'origin') === `${main}-0@2`,
        expected: {
          zh: `尝试 ${MAX_ATTEMPTS} 次，间隔 ≥ ${BACKOFF_MS.join('/')} ms，attempt=${MAX_ATTEMPTS}，origin=${main}-0@2`,
          en: `${MAX_ATTEMPTS} attempts, gaps ≥ ${BACKOFF_MS.join('/')} ms, attempt=${MAX_ATTEMPTS}, origin=${main}-0@2`,
        },
        actual: {
          zh: `尝试 ${attemptsAt.length} 次，间隔 ${gaps.join('/')} ms，attempt=${header(parkedHeaders, 'attempt')}，origin=${header(parkedHeaders, 'origin')}`,
          en: `${attemptsAt.length} attempts, gaps ${gaps.join('/')} ms, attempt=${header(parkedHeaders, 'attempt')}, origin=${header(parkedHeaders, 'origin')}`,
        },
      },
    );
    ctx.check(
      {
        zh: '顺序的代价：offset 在毒消息之后的 m3，先于毒消息的最终结果（进入 DLQ）生效',
        en: 'the ordering cost: m3, behind the poison in the partition, took effect before the poison’s final outcome (the DLQ)',
      },
      {
        pass: doneAt.get('m3')! < parkedAt,
        expected: { zh: 'm3 先于写入 DLQ', en: 'm3 before the DLQ write' },
        actual: `m3 ${doneAt.get('m3')! - firstAttempt} ms, DLQ ${parkedAt - firstAttempt} ms`,
      },
    );

    // 2. Blocking: retry in place, in order.
    ctx.step({
      zh: `对照：另一个组原地阻塞重试（同样 ${MAX_ATTEMPTS} 次、同样退避），放弃后才继续`,
      en: `for contrast: another group retries in place (the same ${MAX_ATTEMPTS} attempts and back-offs) and moves on only after giving up`,
    });
    const blockedDoneAt = new Map<string, number>();
    let blockedFirstFailure = 0;
    let blockedGaveUpAt = 0;
    const blocking = await cluster.consumer({
      groupId: ctx.topic('blocking-handler'),
      topic: main,
      fromBeginning: true,
    });
    await blocking.run({
      eachMessage: async ({ message }) => {
        const value = message.value!.toString();
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          try {
            handlePayment(value);
            blockedDoneAt.set(value, Date.now());
            return;
          } catch {
            blockedFirstFailure ||= Date.now();
            if (attempt < MAX_ATTEMPTS) await delay(BACKOFF_MS[attempt - 1]);
          }
        }
        blockedGaveUpAt = Date.now();
      },
    });
    const blockedFinished = await eventually(() => HEALTHY.every((v) => blockedDoneAt.has(v)), 15_000);
    if (!blockedFinished)
      ctx.observe('blocking: not finished within 15 s', `done ${[...blockedDoneAt.keys()].join(', ') || 'nothing'}`);
    await blocking.disconnect();
    const waited = blockedDoneAt.get('m3')! - blockedFirstFailure;
    const totalBackoff = BACKOFF_MS.reduce((a, b) => a + b, 0);
    ctx.observe('blocking: m3 waited behind the poison, ms', String(waited));
    ctx.check(
      {
        zh: `原地重试保住了顺序，但 m3 要等毒消息的全部退避（≥ ${totalBackoff} ms）之后才被处理`,
        en: `retrying in place keeps the order, but m3 is processed only after all of the poison's back-offs (≥ ${totalBackoff} ms)`,
      },
      {
        pass: waited >= totalBackoff - SLACK_MS && blockedDoneAt.get('m3')! >= blockedGaveUpAt && blockedGaveUpAt > 0,
        expected: {
          zh: `m3 在第一次失败后 ≥ ${totalBackoff} ms、放弃之后`,
          en: `m3 ≥ ${totalBackoff} ms after the first failure, after the give-up`,
        },
        actual: {
          zh: `m3 在第一次失败后 ${waited} ms；放弃于 ${blockedGaveUpAt - blockedFirstFailure} ms`,
          en: `m3 ${waited} ms after the first failure; give-up at ${blockedGaveUpAt - blockedFirstFailure} ms`,
        },
      },
    );
  },
});
