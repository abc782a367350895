import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiKey, batchesIn, decodeRecords, type RawKafkaClient } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import {
  connectToLeader,
  FETCH_VERSION,
  fetchRequest,
  partitionOf,
  type FetchPartitionResponse,
} from '../src/demo/raw-fetch.js';

/**
 * Proves consumer-pull-long-poll and the predict card fetch-long-poll-empty-partition: a consumer pulls with Fetch,
 * and a Fetch that finds less than min_bytes is parked by the broker — it answers after max_wait_ms with no
 * records and no error if nothing arrives, and at once when a record arrives during the wait.
 * Speaks only the protocol (raw Fetch, kafkajs producer), so it runs against a real cluster too.
 */
const LONG_WAIT_MS = 3000;
/** How far into the long wait the record is produced: well inside it, so an early answer is visible. */
const PRODUCE_AFTER_MS = 300;
/** Timing slack for a loaded machine: generous, but still far from the wrong answers (0 ms, or never). */
const EARLY_SLACK_MS = 50;

const B_ = (zh: string, en: string) => ({ zh, en });

export default defineDemo({
  id: 'pull-long-poll',
  title: { zh: '消费者拉取与长轮询', en: 'Consumers pull, with long polling' },
  claim: {
    zh: '空分区上的 Fetch（min_bytes=1）被 broker 挂起：无数据时约 max_wait_ms 后返回空结果且无错误；等待期间有记录写入则立即带着记录返回',
    en: 'a Fetch (min_bytes=1) on an empty partition is parked by the broker: with no data it returns after about max_wait_ms, empty and without error; a record written during the wait makes it return at once with the record',
  },
  needs: 'client',
  knobs: {
    'fetch.max.wait.ms': {
      default: 500,
      min: 100,
      max: 3000,
      about: { zh: '空分区上那次 Fetch 的 max_wait_ms', en: 'max_wait_ms of the Fetch on the empty partition' },
    },
  },
  async run(ctx) {
    const SHORT_WAIT_MS = ctx.knobs['fetch.max.wait.ms'];
    const topic = ctx.topic('long-poll');
    const admin = await ctx.admin();
    ctx.step({ zh: `创建空 topic ${topic}`, en: `create the empty topic ${topic}` });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = await ctx.producer();
    const client = await connectToLeader(ctx.bootstrap, topic);
    ctx.defer(() => client.close());

    ctx.step({
      zh: `Fetch offset 0：min_bytes=1，max_wait_ms=${SHORT_WAIT_MS}，期间不写入任何数据`,
      en: `Fetch offset 0 with min_bytes=1, max_wait_ms=${SHORT_WAIT_MS}, producing nothing meanwhile`,
    });
    const idle = await timedFetch(client, topic, SHORT_WAIT_MS);
    ctx.observe('empty-partition Fetch', describe(idle));
    // Fails for "answers at once" (no long poll: a busy-polling consumer).
    ctx.check(
      {
        zh: 'broker 没有立即返回，而是等满 max_wait_ms',
        en: 'the broker did not answer at once but waited out max_wait_ms',
      },
      {
        pass: idle.elapsedMs >= SHORT_WAIT_MS - EARLY_SLACK_MS,
        expected: `≥ ${SHORT_WAIT_MS - EARLY_SLACK_MS} ms`,
        actual: `${idle.elapsedMs.toFixed(0)} ms`,
      },
    );
    // Fails for "blocks until data" (no answer) and for "REQUEST_TIMED_OUT" (an error code) or stray records.
    const empty = idle.partition !== undefined && (idle.partition.records?.length ?? 0) === 0;
    ctx.check(
      {
        zh: '到期后返回的是正常的空响应：错误码 0（NONE），没有记录',
        en: 'on expiry it returns a normal empty response: error code 0 (NONE), no records',
      },
      {
        pass: idle.partition?.errorCode === 0 && empty && idle.elapsedMs < SHORT_WAIT_MS * 4,
        expected: {
          zh: `错误码 0，0 字节记录，${SHORT_WAIT_MS * 4} ms 以内`,
          en: `error 0, 0 record bytes, within ${SHORT_WAIT_MS * 4} ms`,
        },
        actual: idle.partition
          ? B_(
              `错误码 ${idle.partition.errorCode}，${idle.partition.records?.length ?? 0} 字节记录，${idle.elapsedMs.toFixed(0)} ms`,
              `error ${idle.partition.errorCode}, ${idle.partition.records?.length ?? 0} record bytes, ${idle.elapsedMs.toFixed(0)} ms`,
            )
          : idle.failure!,
      },
    );

    ctx.step({
      zh: `再 Fetch 一次，max_wait_ms=${LONG_WAIT_MS}；在等待的第 ${PRODUCE_AFTER_MS} ms 用 kafkajs 写入一条记录`,
      en: `Fetch again with max_wait_ms=${LONG_WAIT_MS}; ${PRODUCE_AFTER_MS} ms into the wait, produce one record with kafkajs`,
    });
    const value = `arrived during the long poll ${Date.now()}`;
    const parked = timedFetch(client, topic, LONG_WAIT_MS);
    let answered = false;
    // Only notes when it answers; a failure is reported by `await parked` below, not as an unhandled rejection here.
    void parked.then(
      () => (answered = true),
      () => undefined,
    );
    await delay(PRODUCE_AFTER_MS);
    const pendingWhenProduced = !answered;
    const producedAt = performance.now();
    await producer.send({ topic, acks: 1, messages: [{ value }] });
    const woken = await parked;
    const sinceProduce = woken.endedAt - producedAt;
    const values = [...batchesIn(woken.partition?.records ?? Buffer.alloc(0))].flatMap((b) =>
      decodeRecords(b).map((r) => r.value?.toString()),
    );
    ctx.observe(
      'long-poll Fetch',
      `${describe(woken)}; answered ${sinceProduce.toFixed(0)} ms after the produce started`,
    );
    // Fails if the Fetch had already come back before the record was produced (no parking).
    ctx.check(
      {
        zh: '写入时 Fetch 仍挂在 broker 上',
        en: 'the Fetch was still parked at the broker when the record was produced',
      },
      {
        pass: pendingWhenProduced,
        expected: { zh: '仍在等待', en: 'pending' },
        actual: pendingWhenProduced
          ? { zh: '仍在等待', en: 'pending' }
          : {
              zh: `${woken.elapsedMs.toFixed(0)} ms 后已经回答`,
              en: `already answered after ${woken.elapsedMs.toFixed(0)} ms`,
            },
      },
    );
    // Fails if new data did not complete the wait (the broker sat out max_wait) or the record is missing.
    ctx.check(
      {
        zh: '新记录让等待中的 Fetch 立刻返回，并带回了这条记录',
        en: 'the new record completed the waiting Fetch at once, and the Fetch carried it',
      },
      {
        pass: woken.partition?.errorCode === 0 && values.includes(value) && sinceProduce < LONG_WAIT_MS / 2,
        expected: {
          zh: `那条记录，写入后 ${LONG_WAIT_MS / 2} ms 以内（max_wait_ms ${LONG_WAIT_MS}）`,
          en: `the record, within ${LONG_WAIT_MS / 2} ms of the produce (max_wait_ms ${LONG_WAIT_MS})`,
        },
        actual: woken.partition
          ? B_(
              `${values.includes(value) ? '那条记录' : `${values.length} 条别的记录`}，写入后 ${sinceProduce.toFixed(0)} ms（共 ${woken.elapsedMs.toFixed(0)} ms）`,
              `${values.includes(value) ? 'the record' : `${values.length} other records`}, ${sinceProduce.toFixed(0)} ms after the produce (${woken.elapsedMs.toFixed(0)} ms in all)`,
            )
          : woken.failure!,
      },
    );
  },
});

interface TimedFetch {
  elapsedMs: number;
  endedAt: number;
  partition?: FetchPartitionResponse;
  /** Why there is no answer: a timeout (the broker never answered) or a broken connection. */
  failure?: string;
}

/** One long-poll Fetch from offset 0, timed; an answer that never comes is recorded, not thrown. */
async function timedFetch(client: RawKafkaClient, topic: string, maxWaitMs: number): Promise<TimedFetch> {
  const started = performance.now();
  // The client's own deadline is well beyond max_wait_ms, as request.timeout.ms must be.
  const timeoutMs = maxWaitMs + 5000;
  try {
    const response = await client.request(
      ApiKey.Fetch,
      FETCH_VERSION,
      fetchRequest(topic, 0n, { maxWaitMs, minBytes: 1 }),
      timeoutMs,
    );
    const endedAt = performance.now();
    return { elapsedMs: endedAt - started, endedAt, partition: partitionOf(response, topic) };
  } catch (error) {
    const endedAt = performance.now();
    return {
      elapsedMs: endedAt - started,
      endedAt,
      failure: `no answer: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function describe(fetch: TimedFetch): string {
  if (!fetch.partition) return `${fetch.failure} after ${fetch.elapsedMs.toFixed(0)} ms`;
  return `${fetch.elapsedMs.toFixed(0)} ms, error ${fetch.partition.errorCode}, ${fetch.partition.records?.length ?? 0} record bytes, high watermark ${fetch.partition.highWatermark}`;
}
