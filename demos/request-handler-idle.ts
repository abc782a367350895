import { ApiKey, batchOf, produce, RawKafkaClient, type KafkaBroker } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { FETCH_VERSION, fetchRequest, parseHostPort } from '../src/demo/raw-fetch.js';

/**
 * Proves broker-key-metrics and request-handler-idle-ratio on a mini-broker with num.io.threads=1: the request
 * handler idle ratio (Kafka's RequestHandlerAvgIdlePercent: the share of time the handlers wait on the request
 * queue) is near 1 at rest, stays near 1 with 50 long-poll Fetches parked in the purgatory (they hold no
 * handler), and falls clearly while concurrent producers keep the one handler appending (to a topic with flush.messages=1, so
 * every append also waits for the disk, as a loaded disk would make it). Reads each handler's
 * accumulated busy time from KafkaBroker.metrics() (the `busyMs` kq's broker exposes for this), so it needs the
 * mini-broker in-process.
 */
const PHASE_MS = 800;
/** The long polls wait longer than their phase, so all of them are parked throughout it. */
const LONG_POLL_WAIT_MS = 3000;
const PRODUCERS = 8;
const RECORDS_PER_BATCH = 500;
const PRODUCE_VERSION = 8;
/** "Near idle": at rest and with parked long polls the handler must be idle at least this share of the time. */
const IDLE_FLOOR = 0.9;
/** "Clearly lower": under load at least this much below the long-poll phase. */
const MIN_DROP = 0.2;

/** Handler busy time (ms, summed over handlers) and the handler count, now. */
function busySnapshot(broker: KafkaBroker): { at: number; busyMs: number; handlers: number } {
  const { handlers } = broker.metrics();
  return { at: performance.now(), busyMs: handlers.reduce((sum, h) => sum + h.busyMs, 0), handlers: handlers.length };
}

/** Idle ratio over a phase: 1 − busy / (elapsed × handlers), Kafka's RequestHandlerAvgIdlePercent. */
async function idleRatioDuring(broker: KafkaBroker, phase: () => Promise<void>): Promise<number> {
  const start = busySnapshot(broker);
  await phase();
  const end = busySnapshot(broker);
  return 1 - (end.busyMs - start.busyMs) / ((end.at - start.at) * end.handlers);
}

const measured = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export default defineDemo({
  id: 'request-handler-idle',
  title: {
    zh: '请求处理线程空闲率：挂起的长轮询不算忙，真实写入才算',
    en: 'Request handler idle ratio: parked long polls are not work, appends are',
  },
  claim: {
    zh: 'num.io.threads=1 时，请求处理线程的空闲率在空闲时接近 1；50 个挂起在 purgatory 的长轮询 Fetch 不占处理线程，空闲率仍接近 1；并发生产者持续写入（每次追加都刷盘的 topic）时空闲率明显下降',
    en: 'with num.io.threads=1 the request handler idle ratio is near 1 at rest; 50 long-poll Fetches parked in the purgatory hold no handler and leave it near 1; concurrent producers writing continuously (to a topic that fsyncs every append) make it fall clearly',
  },
  needs: 'internals',
  knobs: {
    'long.polls': {
      default: 50,
      min: 1,
      max: 200,
      about: {
        zh: '同时挂起在 purgatory 里的长轮询 Fetch 数（各用一个连接）',
        en: 'long-poll Fetches parked in the purgatory at once (one connection each)',
      },
    },
  },
  async run(ctx) {
    const LONG_POLLS = ctx.knobs['long.polls'];
    const broker = await ctx.startBroker({ config: { 'num.io.threads': 1 } });
    const topic = ctx.topic('idle');
    const admin = ctx.kafka({ brokers: [broker.bootstrap] }).admin();
    ctx.defer(() => admin.disconnect());
    await admin.connect();
    // flush.messages=1: every append is fsynced inside the request, as on a busy or slow disk, so the handler's work
    // dominates the produce path even on a loaded machine where the demo's own clients compete for the CPU.
    // The long polls wait on `topic`; the producers write to `loadTopic`, so their appends do not answer the long
    // polls (which are left to expire on their own, unawaited: waiting them out would only cost time).
    const loadTopic = ctx.topic('idle-load');
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 1 },
        { topic: loadTopic, numPartitions: 1, configEntries: [{ name: 'flush.messages', value: '1' }] },
      ],
    });
    const { host, port } = parseHostPort(broker.bootstrap);
    const connect = async () => {
      const client = await RawKafkaClient.connect(port, host);
      ctx.defer(() => client.close());
      return client;
    };

    ctx.step({ zh: `broker 空闲 ${PHASE_MS} ms`, en: `the broker sits idle for ${PHASE_MS} ms` });
    const atRest = await idleRatioDuring(broker, () => measured(PHASE_MS));

    ctx.step({
      zh: `${LONG_POLLS} 个连接各发一个等待 ${LONG_POLL_WAIT_MS} ms 的长轮询 Fetch（分区没有新数据），再测 ${PHASE_MS} ms`,
      en: `${LONG_POLLS} connections each send a long-poll Fetch waiting ${LONG_POLL_WAIT_MS} ms (no new data), then measure for ${PHASE_MS} ms`,
    });
    const pollers = await Promise.all(Array.from({ length: LONG_POLLS }, connect));
    // Not awaited: they expire on their own, or their connection closes when the demo ends (caught either way).
    for (const c of pollers)
      void c
        .request(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, 0n, { maxWaitMs: LONG_POLL_WAIT_MS }))
        .catch(() => undefined);
    // Parked: every Fetch has reached the handler and moved to the purgatory. Bounded, and judged by the check
    // below: a handler that holds a waiting Fetch parks one at a time.
    await eventually(() => broker.metrics().delayedFetches >= LONG_POLLS, 5000);
    const parked = broker.metrics().delayedFetches;
    const withLongPolls = await idleRatioDuring(broker, () => measured(PHASE_MS));

    ctx.step({
      zh: `${PRODUCERS} 个连接不停地发送 acks=-1 的生产请求（每批 ${RECORDS_PER_BATCH} 条，每次追加都刷盘），测 ${PHASE_MS} ms`,
      en: `${PRODUCERS} connections send acks=-1 Produce requests back to back (${RECORDS_PER_BATCH} records a batch, each append fsynced) for ${PHASE_MS} ms`,
    });
    const batch = batchOf(Array.from({ length: RECORDS_PER_BATCH }, (_, i) => `record ${i} ${'x'.repeat(100)}`));
    const producers = await Promise.all(Array.from({ length: PRODUCERS }, connect));
    let stop = false;
    let produced = 0;
    let loopsDone = 0;
    for (const client of producers)
      void (async () => {
        try {
          while (!stop) {
            await client.request(ApiKey.Produce, PRODUCE_VERSION, produce(loadTopic, batch));
            produced++;
          }
        } catch {
          // a connection closed at the end of a demo that did not get its answers (a held handler)
        } finally {
          loopsDone++;
        }
      })();
    const underLoad = await idleRatioDuring(broker, async () => {
      await measured(PHASE_MS);
      stop = true;
    });
    await eventually(() => loopsDone === PRODUCERS, 5000);

    const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
    ctx.observe('idle ratio at rest', pct(atRest));
    ctx.observe(`idle ratio with ${parked} parked long polls`, pct(withLongPolls));
    ctx.observe(`idle ratio under load (${produced} Produce requests)`, pct(underLoad));
    ctx.check(
      { zh: '空闲时处理线程几乎一直在等待', en: 'at rest the handler is waiting nearly all the time' },
      { pass: atRest >= IDLE_FLOOR, expected: `≥ ${pct(IDLE_FLOOR)}`, actual: pct(atRest) },
    );
    // Fails if a waiting Fetch held the handler: with one handler and 50 of them, it would be busy throughout.
    ctx.check(
      {
        zh: `${LONG_POLLS} 个挂起的长轮询不占处理线程：空闲率仍接近 1`,
        en: `${LONG_POLLS} parked long polls hold no handler: the idle ratio stays near 1`,
      },
      {
        pass: parked === LONG_POLLS && withLongPolls >= IDLE_FLOOR,
        expected: {
          zh: `挂起 ${LONG_POLLS} 个，空闲率 ≥ ${pct(IDLE_FLOOR)}`,
          en: `${LONG_POLLS} parked, idle ≥ ${pct(IDLE_FLOOR)}`,
        },
        actual: {
          zh: `挂起 ${parked} 个，空闲率 ${pct(withLongPolls)}`,
          en: `${parked} parked, idle ${pct(withLongPolls)}`,
        },
      },
    );
    ctx.check(
      {
        zh: '并发写入让处理线程忙起来：空闲率明显下降',
        en: 'concurrent writes keep the handler busy: the idle ratio falls clearly',
      },
      {
        pass: produced > 0 && underLoad <= withLongPolls - MIN_DROP,
        expected: `≤ ${pct(withLongPolls - MIN_DROP)}`,
        actual: pct(underLoad),
      },
    );
  },
});
