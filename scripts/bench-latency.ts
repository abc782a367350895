// Section 4 of `npm run bench:broker`: produce-to-consume latency and the broker's GC pauses at a steady rate.
// A fresh broker child runs with --trace-gc. In this process one connection produces at R msgs/s (every tick it
// sends, as one batch, the records the schedule says are due; acks=1, one request in flight) and another
// long-polls Fetch (max wait 500 ms, min bytes 1) from the end. Each record's value starts with its send time;
// latency = receive time - send time, on one clock. The first second is warm-up and not counted. GC pauses are
// the broker's own (--trace-gc lines during the steady window): count, total, longest, and how many exceed 50 ms.
// The load generator shares the machine (and this process's event loop) with the consumer, so these latencies
// are an upper bound on the broker's share.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { createTopics, fetch, listOffsets, produce } from '../src/broker/client/request-builders.js';
import { batchesIn } from '../src/broker/record/record-batch.js';
import { buildRecordBatch } from '../src/broker/record/record-batch-builder.js';
import { decodeRecords } from '../src/broker/record/record-decoder.js';
import {
  fmt,
  peakRssMb,
  percentile,
  printTable,
  rate,
  startKqBroker,
  type BenchOptions,
  type KqBroker,
} from './bench-support.js';

const WARMUP_MS = 1000;
const VALUE_BYTES = 100;

/** Pauses (ms) in V8's --trace-gc lines: "...: Scavenge 9.6 (11.5) -> 9.0 (12.5) MB, 1.25 / 0.00 ms ...". */
export function gcPauses(lines: readonly string[]): Array<{ kind: string; ms: number }> {
  const pauses: Array<{ kind: string; ms: number }> = [];
  for (const line of lines) {
    const match = /\d+ ms: ([A-Za-z-]+(?: [A-Za-z-]+)?)\b.*? MB, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (match) pauses.push({ kind: match[1]!, ms: Number(match[2]) });
  }
  return pauses;
}

/**
 * An idle Node process that watches its own event loop for `ms` (monitorEventLoopDelay): it does nothing, so
 * every delay it sees is the machine not running it. Its longest stall, beside the broker's longest GC pause in
 * the same window, says whether that pause was the collector or the scheduler (--trace-gc times are wall time).
 */
function controlStalls(ms: number): Promise<{ longest: number; over50: number }> {
  const script = `
    const { monitorEventLoopDelay } = require('node:perf_hooks');
    const h = monitorEventLoopDelay({ resolution: 5 });
    let over50 = 0, last = performance.now();
    const tick = setInterval(() => { const t = performance.now(); if (t - last > 55) over50++; last = t; }, 5);
    h.enable();
    setTimeout(() => { h.disable(); clearInterval(tick);
      console.log(JSON.stringify({ longest: h.max / 1e6, over50 })); }, ${Math.round(ms)});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as { longest: number; over50: number });
      else reject(new Error(`the control process exited ${code}`));
    });
  });
}

async function steadyRun(broker: KqBroker, topic: string, msgsPerSecond: number, seconds: number) {
  const producer = await RawKafkaClient.connect(broker.port);
  const consumer = await RawKafkaClient.connect(broker.port);
  const latencies: number[] = [];
  const filler = 'x'.repeat(VALUE_BYTES);
  const now = () => performance.timeOrigin + performance.now();
  const started = now();
  const steadyFrom = started + WARMUP_MS;
  const until = steadyFrom + seconds * 1000;
  let gcFrom = broker.stdoutLines.length;
  let sent = 0;
  let producing = true;

  // the consumer starts at the current end of the topic
  const listed = await consumer.request(ApiKey.ListOffsets, 5, listOffsets(topic, -1n));
  let offset = listed.topics[0]!.partitions[0]!.offset;
  const firstOffset = offset;
  const consumed = (async () => {
    while (producing || offset < firstOffset + BigInt(sent)) {
      const response = await consumer.request(
        ApiKey.Fetch,
        11,
        fetch(topic, offset, { maxWaitMs: 500, minBytes: 1 }),
        10_000,
      );
      const records = response.responses[0]?.partitions[0]?.records;
      if (!records) continue;
      const received = now();
      for (const batch of batchesIn(records)) {
        for (const record of decodeRecords(batch)) {
          if (record.offset < offset) continue;
          offset = record.offset + 1n;
          const sentAt = Number(record.value!.subarray(0, record.value!.indexOf(0x7c)).toString());
          if (sentAt >= steadyFrom && sentAt < until) latencies.push(received - sentAt);
        }
      }
    }
  })();

  // A failing consumer stops the producer; its error is rethrown below, once both loops are done.
  let consumerFailure: Error | undefined;
  const consumerDone = consumed.catch((error: unknown) => {
    consumerFailure = error instanceof Error ? error : new Error('the consumer failed', { cause: error });
    producing = false;
  });

  let steadyStarted = false;
  let control: Promise<{ longest: number; over50: number }> | undefined;
  while (now() < until && consumerFailure === undefined) {
    if (!steadyStarted && now() >= steadyFrom) {
      steadyStarted = true;
      gcFrom = broker.stdoutLines.length;
      control = controlStalls(until - now());
    }
    // At most 5,000 records (~0.6 MB) a batch, under message.max.bytes even after a stall of the event loop.
    const due = Math.min(5000, Math.floor(((now() - started) / 1000) * msgsPerSecond) - sent);
    if (due <= 0) {
      await sleep(1);
      continue;
    }
    const sentAt = now();
    const value = `${sentAt}|${filler}`.slice(0, Math.max(VALUE_BYTES, String(sentAt).length + 1));
    const batch = buildRecordBatch({ records: Array.from({ length: due }, () => ({ key: null, value })) });
    sent += due;
    const answer = await producer.request(ApiKey.Produce, 8, produce(topic, batch, { acks: 1 }), 10_000);
    const error = answer.responses[0]?.partitions[0]?.errorCode;
    if (error) throw new Error(`produce answered error ${error}`);
  }
  const gcTo = broker.stdoutLines.length;
  producing = false;
  await consumerDone;
  if (consumerFailure !== undefined) throw consumerFailure;
  producer.close();
  consumer.close();
  const gc = gcPauses(broker.stdoutLines.slice(gcFrom, gcTo));
  latencies.sort((a, b) => a - b);
  const stalls = await control;
  return { latencies, gc, stalls, achieved: (sent / (now() - started)) * 1000 };
}

export async function latencySection(options: BenchOptions): Promise<{ peakRssMb: number[] }> {
  const seconds = options.quick ? 3 : 15;
  const broker = await startKqBroker(options, `${options.work}/latency`, { nodeArgs: ['--trace-gc'] });
  const rows: string[][] = [];
  const controls: string[] = [];
  const peaks: number[] = [];
  try {
    const admin = await RawKafkaClient.connect(broker.port);
    await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'latency' }]));
    admin.close();
    for (const target of [10_000, 50_000]) {
      const { latencies, gc, stalls, achieved } = await steadyRun(broker, 'latency', target, seconds).catch(
        async (error: Error) => {
          await sleep(500); // the broker's log line about the failure may still be in the pipe
          throw new Error(`${target} msgs/s: ${error.message}\nbroker log:\n${broker.stderrTail()}`);
        },
      );
      const longest = gc.reduce((max, p) => Math.max(max, p.ms), 0);
      rows.push([
        `${rate(target)} msgs/s`,
        rate(achieved),
        fmt(percentile(latencies, 50), 1),
        fmt(percentile(latencies, 99), 1),
        fmt(percentile(latencies, 99.9), 1),
        fmt(latencies.at(-1) ?? NaN, 1),
        `${gc.length} (${fmt(
          gc.reduce((sum, p) => sum + p.ms, 0),
          0,
        )} ms)`,
        fmt(longest, 1),
        String(gc.filter((p) => p.ms > 50).length),
      ]);
      controls.push(
        stalls
          ? `${rate(target)}: longest ${fmt(stalls.longest, 1)} ms, ${stalls.over50} > 50 ms`
          : `${rate(target)}: not measured`,
      );
    }
    peaks.push(peakRssMb(broker.pid));
  } finally {
    await broker.stop();
  }
  console.log(
    `(4) latency, produce to consume (ms), ${seconds} s steady after 1 s warm-up, 1 partition, ${VALUE_BYTES} B values; broker GC pauses from --trace-gc`,
  );
  printTable(['rate', 'achieved', 'p50', 'p99', 'p999', 'max', 'GC pauses (total)', 'longest', '> 50 ms'], rows);
  console.log('    goal: no GC pause above 50 ms at 10k msgs/s');
  console.log(
    `    the machine's own stalls, seen by an idle control process in the same windows: ${controls.join('; ')}`,
  );
  return { peakRssMb: peaks };
}
