import { performance } from 'node:perf_hooks';
import { ApiKey, RawKafkaClient, type KafkaBroker, type KafkaBrokerMetrics } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { FETCH_VERSION, fetchRequest } from '../src/demo/raw-fetch.js';

/**
 * Proves reactor-network-model and reactor-thread-facts on a broker started with num.network.threads=3,
 * num.io.threads=4, queued.max.requests=2: the Acceptor deals connections round-robin to the Processors; one
 * connection's pipelined requests are answered in request order (the Processor mutes it while a request is in
 * flight); requests from many connections are handled by several request handlers (I/O threads); and the bounded
 * request queue never grows past queued.max.requests — when it is full the Processors stop reading instead.
 * Reads the broker's network metrics, so it needs the mini-broker's internals.
 */
const CONNECTIONS = 6;
const PIPELINED_FAST_REQUESTS = 8;
const BURST_PER_CONNECTION = 10;
/** Connections in the backpressure burst: more than handlers + queue slots, so some requests cannot be queued. */
const BURST_CONNECTIONS = 12;
const SLOW_FETCH_WAIT_MS = 600;
const METADATA_VERSION = 8;
const API_VERSIONS_VERSION = 2;
const CREATE_TOPICS_VERSION = 4;

export default defineDemo({
  id: 'reactor-pipeline',
  title: { zh: 'broker 的 Reactor 网络模型', en: "The broker's Reactor network model" },
  claim: {
    zh: 'Acceptor 轮询分配连接给 num.network.threads 个 Processor；同一连接上流水线发送的请求按序应答；请求分散到 num.io.threads 个处理线程；请求队列从不超过 queued.max.requests，满了就停止读 socket（背压）；等待中的 Fetch 停在 purgatory，不占处理线程',
    en: 'the Acceptor deals connections round-robin to num.network.threads Processors; pipelined requests on one connection are answered in order; requests spread over num.io.threads handlers; the request queue never exceeds queued.max.requests, and when full the Processors stop reading (backpressure); waiting Fetches are parked in purgatory, not on a handler',
  },
  needs: 'internals',
  knobs: {
    'num.network.threads': { default: 3, min: 1, max: 8, about: { zh: 'Processor 线程数', en: 'Processor threads' } },
    'num.io.threads': { default: 4, min: 1, max: 16, about: { zh: '请求处理线程数', en: 'request handler threads' } },
    'queued.max.requests': {
      default: 2,
      min: 1,
      max: 500,
      about: { zh: '请求队列容量', en: 'request queue capacity' },
    },
  },
  async run(ctx) {
    const {
      'num.network.threads': NETWORK_THREADS,
      'num.io.threads': IO_THREADS,
      'queued.max.requests': QUEUED_MAX_REQUESTS,
    } = ctx.knobs;
    ctx.step({
      zh: `启动 broker：num.network.threads=${NETWORK_THREADS}，num.io.threads=${IO_THREADS}，queued.max.requests=${QUEUED_MAX_REQUESTS}`,
      en: `start a broker with num.network.threads=${NETWORK_THREADS}, num.io.threads=${IO_THREADS}, queued.max.requests=${QUEUED_MAX_REQUESTS}`,
    });
    const broker = await ctx.startBroker({
      config: {
        'num.network.threads': NETWORK_THREADS,
        'num.io.threads': IO_THREADS,
        'queued.max.requests': QUEUED_MAX_REQUESTS,
      },
    });

    // ------------------------------------------------------------ Acceptor: round-robin
    ctx.step({ zh: `依次打开 ${CONNECTIONS} 个连接`, en: `open ${CONNECTIONS} connections, one after another` });
    const clients = await openConnections(ctx, broker, CONNECTIONS);
    const afterAccept = broker.metrics();
    const perProcessor = afterAccept.processors.map((p) => p.connections);
    ctx.observe('connections per processor', perProcessor.join(' / '));
    // Round-robin from processor 0: the first CONNECTIONS % n processors get one more.
    const roundRobin = Array.from(
      { length: NETWORK_THREADS },
      (_, i) => Math.floor(CONNECTIONS / NETWORK_THREADS) + (i < CONNECTIONS % NETWORK_THREADS ? 1 : 0),
    );
    // Fails if the Acceptor favoured one Processor (e.g. all on processor 0) or the count of Processors is wrong.
    ctx.check(
      {
        zh: `${CONNECTIONS} 个连接轮流分给 ${NETWORK_THREADS} 个 Processor`,
        en: `the ${CONNECTIONS} connections are dealt round-robin to the ${NETWORK_THREADS} Processors`,
      },
      {
        pass: perProcessor.join(' / ') === roundRobin.join(' / '),
        expected: roundRobin.join(' / '),
        actual: perProcessor.join(' / '),
      },
    );

    const topic = ctx.topic('reactor');
    const first = clients[0]!;
    const created = await first.request(ApiKey.CreateTopics, CREATE_TOPICS_VERSION, {
      topics: [{ name: topic, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    if (created.topics[0]?.errorCode !== 0)
      throw new Error(`CreateTopics ${topic} failed with error ${created.topics[0]?.errorCode}`);

    // ------------------------------------------------------------ per-connection order
    ctx.step({
      zh: `在一个连接上不等应答连发：先一个会等待 ${SLOW_FETCH_WAIT_MS} ms 的 Fetch（空分区长轮询），再 ${PIPELINED_FAST_REQUESTS} 个很快的 Metadata / ApiVersions`,
      en: `pipeline on one connection without waiting: first a Fetch that waits ${SLOW_FETCH_WAIT_MS} ms (long poll on an empty partition), then ${PIPELINED_FAST_REQUESTS} fast Metadata / ApiVersions`,
    });
    const sentOrder = [
      first.send(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, 0n, { maxWaitMs: SLOW_FETCH_WAIT_MS })),
    ];
    for (let i = 0; i < PIPELINED_FAST_REQUESTS; i++) sentOrder.push(sendFast(first, topic, i));
    const answerOrder: number[] = [];
    for (let i = 0; i < sentOrder.length; i++)
      answerOrder.push(
        correlationIdOf(await first.nextFrame(SLOW_FETCH_WAIT_MS + 5000, `pipelined response ${i + 1}`)),
      );
    ctx.observe('correlation ids sent', sentOrder.join(' '));
    ctx.observe('correlation ids answered', answerOrder.join(' '));
    // Fails if the fast requests overtook the slow Fetch (requests of one connection handled concurrently).
    ctx.check(
      {
        zh: '应答顺序与请求顺序一致：快请求没有越过前面的慢 Fetch',
        en: 'responses come back in request order: the fast requests did not overtake the slow Fetch',
      },
      {
        pass: answerOrder.join(' ') === sentOrder.join(' '),
        expected: sentOrder.join(' '),
        actual: answerOrder.join(' '),
      },
    );

    // ------------------------------------------------------------ I/O threads
    ctx.step({
      zh: `${CONNECTIONS} 个连接各流水线发送 ${BURST_PER_CONNECTION} 个 Metadata / ApiVersions`,
      en: `each of the ${CONNECTIONS} connections pipelines ${BURST_PER_CONNECTION} Metadata / ApiVersions requests`,
    });
    const handledBefore = broker.metrics().handlers.map((h) => h.handled);
    await Promise.all(clients.map((client, c) => pipelineFast(client, topic, BURST_PER_CONNECTION, c)));
    const handledInBurst = broker.metrics().handlers.map((h, i) => h.handled - (handledBefore[i] ?? 0));
    ctx.observe('requests handled per I/O thread', handledInBurst.join(' / '));
    // Which handler took which request depends on the order the handlers' waits were resolved, not on anything the
    // cards claim; so this is shown, not checked.
    ctx.observe('requests in the burst', sum(handledInBurst));

    // ------------------------------------------------------------ backpressure
    ctx.step({
      zh:
        `背压：再开 ${BURST_CONNECTIONS - CONNECTIONS} 个连接，${BURST_CONNECTIONS} 个连接同时各发一个等待 ${SLOW_FETCH_WAIT_MS} ms 的 Fetch，再各跟 2 个快请求。` +
        `一波请求到达的速度超过 ${IO_THREADS} 个处理线程取走的速度，于是在队列里排队；等待中的 Fetch 进入 purgatory，不占处理线程`,
      en:
        `backpressure: open ${BURST_CONNECTIONS - CONNECTIONS} more connections; all ${BURST_CONNECTIONS} send a Fetch that waits ${SLOW_FETCH_WAIT_MS} ms, each followed by 2 fast requests. ` +
        `The burst arrives faster than the ${IO_THREADS} handlers take requests, so requests queue up; each waiting Fetch is parked in purgatory and holds no handler`,
    });
    clients.push(...(await openConnections(ctx, broker, BURST_CONNECTIONS - CONNECTIONS)));
    const before = broker.metrics().requestQueue;
    let samples = 0;
    let blockedSeen = 0;
    let allPausedWhileBlocked = true;
    const sample = (metrics: KafkaBrokerMetrics) => {
      samples++;
      for (const p of metrics.processors) {
        if (!p.blockedOnFullQueue) continue;
        blockedSeen++;
        // A Processor blocked on the full queue must read none of its sockets (Kafka's processor blocks in put()).
        if (p.pausedConnections !== p.connections) allPausedWhileBlocked = false;
      }
    };
    const burstStarted = performance.now();
    const burst = Promise.all(
      clients.map(async (client, c) => {
        const ids = [
          client.send(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, 0n, { maxWaitMs: SLOW_FETCH_WAIT_MS })),
          sendFast(client, topic, c),
          sendFast(client, topic, c + 1),
        ];
        const answered: number[] = [];
        for (let i = 0; i < ids.length; i++)
          answered.push(
            correlationIdOf(
              await client.nextFrame(
                BURST_CONNECTIONS * SLOW_FETCH_WAIT_MS + 5000,
                `burst response ${i + 1} on connection ${c}`,
              ),
            ),
          );
        return answered.join(' ') === ids.join(' ');
      }),
    );
    // Sampling only: the burst's own responses end the loop; the timer merely spaces the samples. Both outcomes
    // end it (a `finally` here would re-reject unhandled and crash the demo); `await burst` below reports a failure.
    let done = false;
    const stop = () => (done = true);
    void burst.then(stop, stop);
    while (!done) {
      sample(broker.metrics());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const inOrder = await burst;
    const burstMs = performance.now() - burstStarted;
    ctx.observe(
      'burst duration',
      `${burstMs.toFixed(0)} ms for ${BURST_CONNECTIONS} Fetches of ${SLOW_FETCH_WAIT_MS} ms on ${IO_THREADS} handlers`,
    );
    // Fails if a waiting Fetch held its handler: then the Fetches would take turns, ⌈12/4⌉ = 3 rounds of 600 ms.
    const rounds = Math.ceil(BURST_CONNECTIONS / IO_THREADS);
    const purgatoryLabel = {
      zh: `等待中的 Fetch 停在 purgatory，不占处理线程：${BURST_CONNECTIONS} 个 Fetch 并行等待`,
      en: `waiting Fetches are parked in purgatory, not on the handlers: all ${BURST_CONNECTIONS} wait side by side`,
    };
    if (rounds < 2)
      ctx.notApplicable(purgatoryLabel, {
        zh: `${IO_THREADS} 个处理线程能同时拿住全部 ${BURST_CONNECTIONS} 个 Fetch，用时间分不出挂起还是占用`,
        en: `${IO_THREADS} handlers could hold all ${BURST_CONNECTIONS} Fetches at once, so timing cannot tell parked from held`,
      });
    else
      ctx.check(purgatoryLabel, {
        pass: burstMs < (rounds - 0.5) * SLOW_FETCH_WAIT_MS,
        expected: {
          zh: `< ${((rounds - 0.5) * SLOW_FETCH_WAIT_MS).toFixed(0)} ms（若占用处理线程需 ${rounds} 轮，≈ ${rounds * SLOW_FETCH_WAIT_MS} ms）`,
          en: `< ${((rounds - 0.5) * SLOW_FETCH_WAIT_MS).toFixed(0)} ms (holding handlers would take ${rounds} rounds, ≈ ${rounds * SLOW_FETCH_WAIT_MS} ms)`,
        },
        actual: `${burstMs.toFixed(0)} ms`,
      });
    const after = broker.metrics().requestQueue;
    ctx.observe(
      'request queue',
      `capacity ${after.capacity}, max depth ${after.maxDepthSeen}, times full ${after.timesFull - before.timesFull}, requests ${after.totalRequests - before.totalRequests}`,
    );
    ctx.observe('metric samples', `${samples} samples; ${blockedSeen} processor-samples blocked on the full queue`);
    // Fails if the queue grew past its bound (an unbounded queue: no backpressure).
    ctx.check(
      {
        zh: `请求队列深度从未超过 queued.max.requests=${QUEUED_MAX_REQUESTS}`,
        en: `the request queue never held more than queued.max.requests=${QUEUED_MAX_REQUESTS}`,
      },
      {
        pass: after.maxDepthSeen <= QUEUED_MAX_REQUESTS,
        expected: { zh: `最大深度 ≤ ${QUEUED_MAX_REQUESTS}`, en: `max depth ≤ ${QUEUED_MAX_REQUESTS}` },
        actual: { zh: `最大深度 ${after.maxDepthSeen}`, en: `max depth ${after.maxDepthSeen}` },
      },
    );
    // The burst is 3 requests on each of 12 connections; with fewer queue slots than that minus the handlers, the
    // queue must fill. A larger queue (--set queued.max.requests=100) absorbs the burst: then no Processor blocks.
    const mustFill = QUEUED_MAX_REQUESTS + IO_THREADS < BURST_CONNECTIONS * 3;
    if (!mustFill) {
      ctx.check(
        {
          zh: `队列（${QUEUED_MAX_REQUESTS}）+ 处理线程能容下整波请求：Processor 从不阻塞`,
          en: `the queue (${QUEUED_MAX_REQUESTS}) plus the handlers hold the whole burst: no Processor ever blocks`,
        },
        {
          pass: blockedSeen === 0 && after.timesFull === before.timesFull,
          expected: { zh: '从未满，没有 Processor 被阻塞', en: 'never full, no blocked Processor' },
          actual: {
            zh: `满了 ${after.timesFull - before.timesFull} 次，${blockedSeen} 次采样看到阻塞`,
            en: `full ${after.timesFull - before.timesFull} times, ${blockedSeen} blocked samples`,
          },
        },
      );
    } else
      // Fails if the queue never filled (then the bound was never tested) or a blocked Processor kept reading.
      ctx.check(
        {
          zh: '队列确实满过，此时 Processor 停止读取它所有的 socket',
          en: 'the queue did fill, and then the Processors stopped reading all their sockets',
        },
        {
          pass:
            after.timesFull > before.timesFull && after.maxDepthSeen === QUEUED_MAX_REQUESTS && allPausedWhileBlocked,
          expected: {
            zh: `队列至少满过一次（深度 ${QUEUED_MAX_REQUESTS}）；被阻塞的 Processor 不读任何 socket`,
            en: `queue full at least once (depth ${QUEUED_MAX_REQUESTS}); blocked processors read no socket`,
          },
          actual: {
            zh: `满了 ${after.timesFull - before.timesFull} 次，最大深度 ${after.maxDepthSeen}；${allPausedWhileBlocked ? '被阻塞的 Processor 暂停了所有 socket' : '有被阻塞的 Processor 仍在读 socket'}`,
            en: `full ${after.timesFull - before.timesFull} times, max depth ${after.maxDepthSeen}; ${allPausedWhileBlocked ? 'blocked processors had every socket paused' : 'a blocked processor still read a socket'}`,
          },
        },
      );
    // Fails if backpressure lost or reordered a request instead of delaying it.
    const answeredRequests = after.totalRequests - before.totalRequests;
    ctx.check(
      {
        zh: '背压只是推迟：每个请求最终都按序得到应答',
        en: 'backpressure only delays: every request was answered, in order',
      },
      {
        pass: inOrder.every(Boolean) && answeredRequests === BURST_CONNECTIONS * 3,
        expected: {
          zh: `${BURST_CONNECTIONS * 3} 个请求按顺序得到回答`,
          en: `${BURST_CONNECTIONS * 3} requests answered in order`,
        },
        actual: {
          zh: `${answeredRequests} 个请求，${BURST_CONNECTIONS} 个连接中 ${inOrder.filter(Boolean).length} 个按顺序`,
          en: `${answeredRequests} requests, ${inOrder.filter(Boolean).length} of ${BURST_CONNECTIONS} connections in order`,
        },
      },
    );
  },
});

/** Opens `count` raw connections and resolves once the broker has accepted all of them. */
async function openConnections(
  ctx: { defer(cleanup: () => void): void },
  broker: KafkaBroker,
  count: number,
): Promise<RawKafkaClient[]> {
  let opened = 0;
  let wake: () => void = () => {};
  const onOpened = () => {
    opened++;
    if (opened === count) wake();
  };
  broker.on('connectionOpened', onOpened);
  try {
    const accepted = new Promise<void>((resolve, reject) => {
      wake = resolve;
      setTimeout(
        () => reject(new Error(`the broker accepted ${opened} of ${count} connections within 5000 ms`)),
        5000,
      ).unref();
    });
    const clients: RawKafkaClient[] = [];
    for (let i = 0; i < count; i++) {
      const client = await RawKafkaClient.connect(broker.port, broker.host);
      ctx.defer(() => client.close());
      clients.push(client);
    }
    await accepted;
    return clients;
  } finally {
    broker.off('connectionOpened', onOpened);
  }
}

/** A quick request that never waits: Metadata for the topic or ApiVersions, alternating. */
function sendFast(client: RawKafkaClient, topic: string, i: number): number {
  return i % 2 === 0
    ? client.send(ApiKey.Metadata, METADATA_VERSION, {
        topics: [{ name: topic }],
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      })
    : client.send(ApiKey.ApiVersions, API_VERSIONS_VERSION, {});
}

async function pipelineFast(client: RawKafkaClient, topic: string, count: number, seed: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => sendFast(client, topic, seed + i));
  for (const id of ids) {
    const answered = correlationIdOf(await client.nextFrame(5000, `response to request ${id}`));
    if (answered !== id) throw new Error(`expected the response to request ${id}, got ${answered}`);
  }
}

/** Response header v0: the correlation id is the first int32 of the frame. */
function correlationIdOf(frame: Buffer): number {
  return frame.readInt32BE(0);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
