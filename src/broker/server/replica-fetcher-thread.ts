import type { Partition } from '../cluster/partition.js';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../log/leader-epoch-file-cache.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { FetchPartitionResponse } from '../protocol/fetch/response.js';
import { RecordBatch, readBatchAt } from '../record/record-batch.js';
import type { BrokerEndPoint } from './leader-end-point.js';
import { LeaderEndPoint } from './leader-end-point.js';

/** The follower settings (`replica.fetch.*`, `request.timeout.ms`, and kq's truncation mode for the KIP-101 demo). */
export interface ReplicaFetcherSettings {
  readonly replicaFetchWaitMaxMs: number;
  readonly replicaFetchMaxBytes: number;
  readonly replicaFetchBackoffMs: number;
  readonly requestTimeoutMs: number;
  /** 'leader-epoch': KIP-101/279 (Kafka). 'high-watermark': the pre-KIP-101 rule, for the demo only. */
  readonly truncation: 'leader-epoch' | 'high-watermark';
}

/** What a fetcher thread tells its ReplicaManager. */
export interface ReplicaFetcherHooks {
  /** The partition as ReplicaManager holds it now (a removed or replaced one is not fetched for). */
  partition(topic: string, partition: number): Partition | undefined;
  /** `highWatermark`: the partition's high watermark just before the cut. */
  onTruncated(partition: Partition, from: bigint, to: bigint, highWatermark: bigint): void;
  /** Records were appended to the follower, or its high watermark moved (consumers parked on it wait for that). */
  onAppended(partition: Partition): void;
}

/** Kafka's PartitionFetchState: truncating first (after a leader change), then fetching; delayed after errors. */
interface PartitionFetchState {
  readonly partition: Partition;
  /** The leader epoch this state was created for: answers for another epoch are dropped. */
  readonly leaderEpoch: number;
  state: 'truncating' | 'fetching';
  delayedUntil: number;
}

/** Kafka's replica.fetch.response.max.bytes default: the whole fetch response's limit. */
const FETCH_RESPONSE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * One follower fetch loop against one leader broker (Kafka's `ReplicaFetcherThread` / `AbstractFetcherThread`;
 * a loop on the event loop here, not an OS thread). For each partition it follows from that leader:
 *
 * 1. **Truncate** (after every leader change): ask the leader, with OffsetsForLeaderEpoch, where this replica's
 *    latest epoch ends in the leader's log, and cut the local log there (KIP-101; KIP-279 repeats the question
 *    with an older epoch when the leader answers with an epoch this replica never had). Never to the high
 *    watermark — unless the broker runs the pre-KIP-101 rule for the demo (`kq.follower.truncation`).
 * 2. **Fetch**: Fetch with `replica_id` = this broker, from the local log end offset, `current_leader_epoch` =
 *    the epoch it follows; append what comes back as it is (offsets and epochs assigned by the leader) and take
 *    the high watermark from the response (so a follower's HW trails the leader's by one fetch).
 *
 * Errors: NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH back off until the metadata moves
 * the partition; OFFSET_OUT_OF_RANGE below the leader's log start restarts the local log there, above its end
 * truncates again; a lost connection backs off `replica.fetch.backoff.ms` and reconnects.
 *
 * Owned by the ReplicaFetcherManager; touched only on the event loop.
 */
export class ReplicaFetcherThread {
  private readonly states = new Map<string, PartitionFetchState>();
  private readonly endPoint: LeaderEndPoint;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    readonly localBrokerId: number,
    leader: BrokerEndPoint,
    private readonly settings: ReplicaFetcherSettings,
    private readonly hooks: ReplicaFetcherHooks,
  ) {
    this.endPoint = new LeaderEndPoint(leader, settings.requestTimeoutMs);
  }

  get leader(): BrokerEndPoint {
    return this.endPoint.leader;
  }

  get partitionCount(): number {
    return this.states.size;
  }

  /** Starts following `partition` from this leader, truncating first. */
  addPartition(partition: Partition): void {
    this.states.set(partition.name, {
      partition,
      leaderEpoch: partition.leaderEpoch,
      state: 'truncating',
      delayedUntil: 0,
    });
    // The loop starts on the next turn of the event loop, never inside the metadata update that added it.
    this.running ??= new Promise<void>((start) => setImmediate(start)).then(() => this.run());
    this.wake();
  }

  removePartition(partition: Partition): void {
    this.states.delete(partition.name);
  }

  moveLeader(endPoint: BrokerEndPoint): void {
    this.endPoint.moveTo(endPoint);
    for (const state of this.states.values()) state.delayedUntil = 0;
    this.wake();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.endPoint.close();
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      const ready = [...this.states.values()].filter((s) => s.delayedUntil <= now && this.isCurrent(s));
      if (ready.length === 0) {
        const next = Math.min(...[...this.states.values()].map((s) => s.delayedUntil));
        await this.sleep(Number.isFinite(next) ? Math.max(1, next - now) : 60_000);
        continue;
      }
      try {
        const truncating = ready.filter((s) => s.state === 'truncating');
        if (truncating.length > 0) await this.truncate(truncating);
        const fetching = ready.filter((s) => s.state === 'fetching' && this.isCurrent(s));
        if (fetching.length > 0) await this.fetch(fetching);
      } catch {
        // The leader is unreachable or answered garbage: back off, reconnect on the next round.
        if (this.stopped) break;
        for (const state of ready) state.delayedUntil = Date.now() + this.settings.replicaFetchBackoffMs;
      }
    }
  }

  /** Still the partition ReplicaManager holds, still following the same leader epoch. */
  private isCurrent(state: PartitionFetchState): boolean {
    const current = this.hooks.partition(state.partition.topic, state.partition.partitionIndex);
    return (
      current === state.partition &&
      !current.isLeader &&
      current.leaderEpoch === state.leaderEpoch &&
      this.states.get(state.partition.name) === state
    );
  }

  // ---------------------------------------------------------------- truncation (KIP-101 / KIP-279)

  private async truncate(states: PartitionFetchState[]): Promise<void> {
    if (this.settings.truncation === 'high-watermark') {
      // Pre-KIP-101: cut back to the local high watermark and refetch from there.
      for (const s of states) {
        this.truncateTo(s.partition, s.partition.highWatermark);
        s.state = 'fetching';
      }
      return;
    }
    const withEpochs = states.filter((s) => s.partition.log.leaderEpochCache.latestEpoch() !== undefined);
    for (const s of states.filter((x) => !withEpochs.includes(x))) {
      // No epoch history (an empty or pre-epoch log): Kafka falls back to the high watermark.
      this.truncateTo(s.partition, s.partition.highWatermark);
      s.state = 'fetching';
    }
    // KIP-279 may take several rounds: each answer can name an older epoch to ask about next.
    const asked = new Map(withEpochs.map((s) => [s, s.partition.log.leaderEpochCache.latestEpoch() as number]));
    for (let round = 0; asked.size > 0 && round < 16; round++) {
      const response = await this.endPoint.offsetsForLeaderEpoch({
        replicaId: this.localBrokerId,
        topics: groupByTopic([...asked.keys()], (s) => ({
          partition: s.partition.partitionIndex,
          currentLeaderEpoch: s.leaderEpoch,
          leaderEpoch: asked.get(s) as number,
        })),
      });
      for (const [state, epoch] of [...asked]) {
        asked.delete(state);
        if (!this.isCurrent(state)) continue;
        const answer = response.topics
          .find((t) => t.topic === state.partition.topic)
          ?.partitions.find((p) => p.partition === state.partition.partitionIndex);
        if (!answer || answer.errorCode !== ErrorCode.NONE) {
          state.delayedUntil = Date.now() + this.settings.replicaFetchBackoffMs;
          continue;
        }
        const next = this.offsetTruncationState(state.partition, epoch, answer.leaderEpoch, answer.endOffset);
        this.truncateTo(state.partition, next.offset);
        if (next.askAgainFor === undefined) state.state = 'fetching';
        else asked.set(state, next.askAgainFor);
      }
    }
  }

  /**
   * Kafka's `getOffsetTruncationState`: the leader said its largest epoch ≤ ours is `leaderEpoch`, ending at
   * `leaderEndOffset`. If we have that epoch too, cut at the smaller of the two ends; if not, cut at the end of
   * our largest epoch below it and ask again about that one.
   */
  private offsetTruncationState(
    partition: Partition,
    _askedEpoch: number,
    leaderEpoch: number,
    leaderEndOffset: bigint,
  ): { offset: bigint; askAgainFor?: number } {
    const logEnd = partition.logEndOffset;
    if (leaderEndOffset === UNDEFINED_EPOCH_OFFSET) return { offset: partition.highWatermark };
    if (leaderEpoch === UNDEFINED_EPOCH) return { offset: min(leaderEndOffset, logEnd) };
    const ours = partition.log.leaderEpochCache.endOffsetFor(leaderEpoch, logEnd);
    if (ours.epoch === UNDEFINED_EPOCH) return { offset: min(leaderEndOffset, logEnd) };
    if (ours.epoch !== leaderEpoch) return { offset: min(ours.startOffset, logEnd), askAgainFor: ours.epoch };
    return { offset: min(min(ours.startOffset, leaderEndOffset), logEnd) };
  }

  private truncateTo(partition: Partition, offset: bigint): void {
    const from = partition.logEndOffset;
    if (offset >= from) return;
    const highWatermark = partition.highWatermark;
    partition.truncateTo(offset);
    this.hooks.onTruncated(partition, from, partition.logEndOffset, highWatermark);
  }

  // ---------------------------------------------------------------- fetching

  private async fetch(states: PartitionFetchState[]): Promise<void> {
    const asked = new Map(states.map((s) => [s.partition.name, { state: s, fetchOffset: s.partition.logEndOffset }]));
    const response = await this.endPoint.fetch({
      replicaId: this.localBrokerId,
      maxWaitMs: this.settings.replicaFetchWaitMaxMs,
      minBytes: 1,
      maxBytes: FETCH_RESPONSE_MAX_BYTES,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: groupByTopic(states, (s) => ({
        partition: s.partition.partitionIndex,
        currentLeaderEpoch: s.leaderEpoch,
        fetchOffset: s.partition.logEndOffset,
        logStartOffset: s.partition.logStartOffset,
        partitionMaxBytes: this.settings.replicaFetchMaxBytes,
      })),
      forgottenTopicsData: [],
      rackId: '',
    });
    if (response.errorCode !== ErrorCode.NONE) throw new Error(`fetch failed with error ${response.errorCode}`);
    for (const topic of response.responses) {
      for (const data of topic.partitions) {
        const entry = asked.get(`${topic.topic}-${data.partitionIndex}`);
        if (!entry || !this.isCurrent(entry.state)) continue;
        // The log moved meanwhile (truncated by a newer state): this answer is for an old position.
        if (entry.state.partition.logEndOffset !== entry.fetchOffset) continue;
        this.processPartitionData(entry.state, entry.fetchOffset, data);
      }
    }
  }

  private processPartitionData(state: PartitionFetchState, fetchOffset: bigint, data: FetchPartitionResponse): void {
    const partition = state.partition;
    switch (data.errorCode) {
      case ErrorCode.NONE: {
        const records = data.records ? dropBatchesBelow(data.records, fetchOffset) : null;
        const appended = records !== null && records.length > 0;
        if (appended) partition.appendRecordsToFollower(records);
        const highWatermarkBefore = partition.highWatermark;
        partition.updateFollowerHighWatermark(data.highWatermark);
        // A consumer parked at this follower (KIP-392) waits for its HW, not its log end: wake it on either.
        if (appended || partition.highWatermark > highWatermarkBefore) this.hooks.onAppended(partition);
        return;
      }
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        if (data.logStartOffset >= 0n && fetchOffset < data.logStartOffset) {
          // Behind the leader's log start (retention or DeleteRecords there): restart empty at its start.
          const from = partition.logEndOffset;
          partition.log.truncateFullyAndStartAt(data.logStartOffset);
          this.hooks.onTruncated(partition, from, data.logStartOffset, partition.highWatermark);
        } else {
          state.state = 'truncating';
        }
        return;
      default:
        // NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION…: the metadata will
        // tell this broker what changed; until then, ask again after the backoff.
        state.delayedUntil = Date.now() + this.settings.replicaFetchBackoffMs;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }
}

function groupByTopic<P>(items: readonly PartitionFetchState[], toPartition: (item: PartitionFetchState) => P) {
  const byTopic = new Map<string, P[]>();
  for (const item of items) {
    const list = byTopic.get(item.partition.topic) ?? [];
    list.push(toPartition(item));
    byTopic.set(item.partition.topic, list);
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** The leader returns whole batches, possibly starting below the fetch offset: drop those already here. */
function dropBatchesBelow(records: Buffer, fetchOffset: bigint): Buffer {
  let position = 0;
  while (position < records.length) {
    const batch = readBatchAt(records, position);
    if (!(batch instanceof RecordBatch) || batch.lastOffset >= fetchOffset) break;
    position += batch.sizeInBytes;
  }
  return position === 0 ? records : records.subarray(position);
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
