import { ApiKey, ErrorCode, RawKafkaClient, batchesIn, decodeRecords, fetch, metadata } from '../broker/index.js';
import type { LiveRead, ReadRecord } from './history.js';

const FETCH_VERSION = 11; // topics by name, the current leader epoch checked; served by kq
const METADATA_VERSION = 8;
const REQUEST_TIMEOUT_MS = 3000;

type Address = { readonly host: string; readonly port: number };

/** Who leads `partition` now, as the first node that answers says; undefined when none knows. */
async function leaderOf(
  bootstrap: readonly Address[],
  topic: string,
  partition: number,
): Promise<{ host: string; port: number; epoch: number } | undefined> {
  for (const address of bootstrap) {
    const client = await RawKafkaClient.connect(address.port, address.host).catch(() => undefined);
    if (!client) continue;
    try {
      const m = await client.request(ApiKey.Metadata, METADATA_VERSION, metadata([topic], false), REQUEST_TIMEOUT_MS);
      const p = m.topics[0]?.partitions.find((x) => x.partitionIndex === partition);
      const broker = m.brokers.find((b) => b.nodeId === p?.leaderId);
      if (p && broker && p.errorCode === 0) return { host: broker.host, port: broker.port, epoch: p.leaderEpoch };
    } catch {
      // try the next node
    } finally {
      client.close();
    }
  }
  return undefined;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/**
 * The final read of a chaos run: every partition from offset 0 up to `ends` (its high watermark once the faults
 * healed), from its leader now, with raw Fetches. The log the checker judges. Raw rather than a kafkajs consumer
 * for the LiveReader's reason, and because a consumer group's join costs seconds per run; the real clients'
 * reads after faults are tested on their own (clients-after-faults.test.ts). Bounded: throws after `timeoutMs`.
 */
export async function readToEnd(
  bootstrap: readonly Address[],
  topic: string,
  ends: ReadonlyMap<number, bigint>,
  timeoutMs: number,
): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  for (const [partition, end] of ends) {
    let offset = 0n;
    while (offset < end) {
      if (Date.now() > deadline)
        throw new Error(
          `the final read of ${topic}-${partition} stopped at offset ${offset} of ${end} after ${timeoutMs} ms`,
        );
      const leader = await leaderOf(bootstrap, topic, partition);
      const client = leader && (await RawKafkaClient.connect(leader.port, leader.host).catch(() => undefined));
      if (!leader || !client) {
        await pause();
        continue;
      }
      try {
        for (;;) {
          const response = await client.request(
            ApiKey.Fetch,
            FETCH_VERSION,
            fetch(topic, offset, { partition, maxWaitMs: 100, currentLeaderEpoch: leader.epoch }),
            REQUEST_TIMEOUT_MS,
          );
          const p = response.responses[0]?.partitions[0];
          if (!p || p.errorCode !== 0) break;
          const before = offset;
          for (const batch of batchesIn(p.records ?? Buffer.alloc(0))) {
            if (!batch.isControl)
              for (const r of decodeRecords(batch))
                if (r.offset >= offset && r.offset < end)
                  out.push({ partition, offset: r.offset, value: r.value?.toString() ?? '' });
            offset = batch.nextOffset;
          }
          if (offset >= end || offset === before) break;
        }
      } catch {
        // a new leader, or a slow answer: ask again who leads
      } finally {
        client.close();
      }
      if (offset < end) await pause();
    }
  }
  return out;
}

/**
 * The live consumer of a chaos run: one loop per partition that asks any node who leads, fetches from that leader
 * from the next offset, and records every record it is given (only records below the high watermark are served).
 * Raw Fetches rather than a kafkajs consumer: kafkajs 2.2.4's fetcher can spin on microtasks after a leader moves
 * ("partition already being processed by another fetcher"), which starves the whole process, the fault proxies
 * included. No group, so no rebalances: a `session` is one leader's tenure as this reader saw it.
 *
 * Reads going backwards are counted where they show: the leader answers OFFSET_OUT_OF_RANGE because its log now
 * ends before the offset this reader already reached (the log went back under it). Owned by runChaos; `stop()`.
 */
export class LiveReader {
  readonly reads: LiveRead[] = [];
  /** Times a leader's log ended before what this reader had already read (the log went backwards). */
  logWentBack = 0;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly bootstrap: readonly Address[],
    private readonly topic: string,
    partitions: number,
    private readonly started: number,
  ) {
    for (let p = 0; p < partitions; p++) this.loops.push(this.follow(p));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async follow(partition: number): Promise<void> {
    let offset = 0n;
    let session = 0;
    let client: RawKafkaClient | undefined;
    let epoch = -1;
    while (!this.stopped) {
      try {
        if (!client || client.isClosed) {
          const leader = await leaderOf(this.bootstrap, this.topic, partition);
          if (!leader) {
            await pause();
            continue;
          }
          client = await RawKafkaClient.connect(leader.port, leader.host);
          epoch = leader.epoch;
          session++;
        }
        const response = await client.request(
          ApiKey.Fetch,
          FETCH_VERSION,
          fetch(this.topic, offset, { partition, maxWaitMs: 200, currentLeaderEpoch: epoch }),
          REQUEST_TIMEOUT_MS,
        );
        const p = response.responses[0]?.partitions[0];
        if (!p || p.errorCode !== 0) {
          if (p?.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
            this.logWentBack++;
            offset = p.highWatermark >= 0n && p.highWatermark < offset ? p.highWatermark : offset;
          }
          client.close();
          await pause();
          continue;
        }
        for (const batch of batchesIn(p.records ?? Buffer.alloc(0))) {
          if (batch.isControl) {
            offset = batch.nextOffset;
            continue;
          }
          for (const r of decodeRecords(batch))
            if (r.offset >= offset)
              this.reads.push({
                partition,
                offset: r.offset,
                value: r.value?.toString() ?? '',
                session,
                atMs: Date.now() - this.started,
              });
          offset = batch.nextOffset;
        }
      } catch {
        client?.close();
        await pause();
      }
    }
    client?.close();
  }
}
