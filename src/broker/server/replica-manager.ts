import { Partition } from '../cluster/partition.js';
import type { FetchIsolation, IsrChange } from '../cluster/partition.js';
import { PartitionStateError } from '../cluster/partition-state-error.js';
import type { LocalPartitionChange, MetadataDelta } from '../metadata/metadata-delta.js';
import { kafkaTopicId } from './topic-id.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import type { BrokerControlPlane, MetadataPublisher } from '../metadata/metadata-publisher.js';
import { isActive } from '../metadata/broker-registration.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { InvalidRecordBatchError, OffsetOutOfRangeError, ProducerStateError } from '../record/storage-errors.js';
import { DelayedFetch } from './delayed-fetch.js';
import { DelayedOperationPurgatory } from './delayed-operation-purgatory.js';
import { DelayedProduce } from './delayed-produce.js';
import type { ProducePartitionStatus } from './delayed-produce.js';
import type { LogManager } from './log-manager.js';
import type { ReadBufferAllocator } from '../log/read-buffer-pool.js';
import { ReplicaFetcherManager } from './replica-fetcher-manager.js';
import type { ReplicaFetcherSettings } from './replica-fetcher-thread.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ProducePartitionResult extends TopicPartition {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** Offset given to the first record; -1 on error. */
  readonly baseOffset: bigint;
  /** -1: the topic uses CreateTime (kq does not rewrite timestamps). */
  readonly logAppendTimeMs: bigint;
  readonly logStartOffset: bigint;
}

export interface FetchPartitionRequest extends TopicPartition {
  readonly fetchOffset: bigint;
  readonly partitionMaxBytes: number;
  /** KIP-320: the leader epoch the fetcher knows (-1: unknown, not checked). */
  readonly currentLeaderEpoch?: number;
}

export interface FetchParams {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolation: FetchIsolation;
  readonly partitions: readonly FetchPartitionRequest[];
  /** The fetching follower's broker id; absent (or < 0) for consumers. */
  readonly replicaId?: number;
  /** Where stored bytes are read into (a lease released once the response is written); fresh buffers if absent. */
  readonly allocate?: ReadBufferAllocator;
  /**
   * Kafka's FetchParams.fetchOnlyLeader: a follower's fetch, or a consumer's before Fetch v11, is served only by the
   * leader; a consumer's from v11 on (KIP-392, rack_id) is served by any replica, up to that replica's own HW.
   * Absent: leader only.
   */
  readonly fetchOnlyLeader?: boolean;
}

export interface FetchPartitionResult extends TopicPartition {
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  /** Stored batches exactly as appended (possibly starting below fetchOffset); null on error. */
  readonly records: Buffer | null;
}

/** Replication settings the ReplicaManager takes from KafkaConfig. */
export interface ReplicationSettings extends ReplicaFetcherSettings {
  readonly replicaLagTimeMaxMs: number;
  /** How often the leader checks its ISR for laggards (Kafka: replica.lag.time.max.ms / 2). */
  readonly isrShrinkIntervalMs?: number;
}

/** What ReplicaManager reports for the "why" log, tests and the live view. */
export type ReplicaManagerEvent =
  | {
      readonly kind: 'isr';
      readonly partition: string;
      readonly change: IsrChange;
      /** The committed ISR when the event was emitted (before a proposal's change). */
      readonly committedIsr?: readonly number[];
    }
  | { readonly kind: 'leader'; readonly partition: string; readonly leaderEpoch: number }
  | { readonly kind: 'follower'; readonly partition: string; readonly leader: number; readonly leaderEpoch: number }
  | {
      readonly kind: 'truncated';
      readonly partition: string;
      readonly from: bigint;
      readonly to: bigint;
      /** This replica's high watermark before the cut: records below it had been acknowledged (acks=all). */
      readonly highWatermark: bigint;
    }
  | {
      readonly kind: 'produce-rejected';
      readonly partition: string;
      readonly errorCode: number;
      readonly acks: number;
      readonly isr: readonly number[];
      readonly minInsyncReplicas: number;
    }
  | { readonly kind: 'high-watermark'; readonly partition: string; readonly highWatermark: bigint };

export interface ReplicaManagerOptions {
  readonly replication?: ReplicationSettings;
  /** The metadata image source and the controller channel: present in a replicated cluster. */
  readonly controlPlane?: BrokerControlPlane;
  /** `min.insync.replicas` of a topic (its override, else the broker default). */
  readonly minInsyncReplicas?: (topic: string) => number;
  readonly clock?: () => number;
  readonly onEvent?: (event: ReplicaManagerEvent) => void;
  /** Producer ids InitProducerId handed out; batches carrying any other are refused (UNKNOWN_PRODUCER_ID). */
  readonly isProducerIdIssued?: (producerId: bigint) => boolean;
}

const NO_OFFSET = -1n;
const DEFAULT_REPLICATION: ReplicationSettings = {
  replicaLagTimeMaxMs: 30_000,
  replicaFetchWaitMaxMs: 500,
  replicaFetchMaxBytes: 1 << 20,
  replicaFetchBackoffMs: 1000,
  requestTimeoutMs: 30_000,
  truncation: 'leader-epoch',
};

/**
 * The replicas on this broker and the two data paths through them (Kafka's `ReplicaManager`): `appendRecords`
 * for Produce (acks=all waits in the produce purgatory, `DelayedProduce`) and `fetchMessages` for Fetch from
 * consumers and from follower replicas (long polls wait in the fetch purgatory, `DelayedFetch`; a follower's
 * fetch offset is its log end offset, `Partition.updateFollowerFetchState`).
 *
 * Two modes:
 * - Standalone (no control plane): every local log is a partition this broker leads with ISR [itself], created
 *   on first use, as the single-broker kq always did.
 * - Replicated: it is a MetadataPublisher; `applyDelta` makes partitions leader or follower as the controller's
 *   metadata says, starts and stops ReplicaFetcherThreads against the leaders, and deletes replicas moved away.
 *   Leaders check their ISR for laggards every `replica.lag.time.max.ms / 2` and propose changes through the
 *   AlterPartitionManager.
 *
 * Concurrency: event-loop thread only; `appendRecords` appends synchronously, so appends to one partition never
 * interleave. Owns the Partition objects, both purgatories and the fetcher manager; logs belong to LogManager.
 */
export class ReplicaManager implements MetadataPublisher {
  readonly name = 'ReplicaManager';
  private readonly partitions = new Map<string, Partition>();
  private readonly fetchPurgatory = new DelayedOperationPurgatory<DelayedFetch>('Fetch');
  private readonly producePurgatory = new DelayedOperationPurgatory<DelayedProduce>('Produce');
  private readonly replication: ReplicationSettings;
  private readonly clock: () => number;
  private readonly fetcherManager: ReplicaFetcherManager | undefined;
  private isrTimer: NodeJS.Timeout | undefined;
  private image: MetadataImage | undefined;

  constructor(
    readonly localBrokerId: number,
    private readonly logManager: LogManager,
    private readonly options: ReplicaManagerOptions = {},
  ) {
    this.replication = options.replication ?? DEFAULT_REPLICATION;
    this.clock = options.clock ?? Date.now;
    if (options.controlPlane) {
      this.fetcherManager = new ReplicaFetcherManager(localBrokerId, this.replication, {
        partition: (topic, partition) => this.partitions.get(partitionKey(topic, partition)),
        onTruncated: (partition, from, to, highWatermark) =>
          this.emit({ kind: 'truncated', partition: partition.name, from, to, highWatermark }),
        onAppended: (partition) => this.fetchPurgatory.checkAndComplete(partition.name),
      });
    }
  }

  /** Replicated mode: the newest metadata image applied (what Metadata requests are answered from). */
  get metadataImage(): MetadataImage | undefined {
    return this.image;
  }

  get isReplicated(): boolean {
    return this.options.controlPlane !== undefined;
  }

  /** Replicated mode: subscribes to metadata (applying the current image at once) and starts the ISR checks. */
  startup(): void {
    const plane = this.options.controlPlane;
    if (!plane) return;
    plane.metadata.installPublisher(this);
    const interval = this.replication.isrShrinkIntervalMs ?? Math.max(1, this.replication.replicaLagTimeMaxMs / 2);
    this.isrTimer = setInterval(() => this.maybeShrinkIsr(), interval);
    this.isrTimer.unref();
  }

  /** Kafka's id of a topic this broker knows (from the metadata image when replicated), in Uuid form. */
  topicId(topic: string): string | undefined {
    const id = this.isReplicated ? this.image?.topic(topic)?.id : this.logManager.topic(topic)?.id;
    return id === undefined ? undefined : kafkaTopicId(id);
  }

  /** The name of the topic with this id (Kafka's Uuid form), if this broker knows it. */
  topicName(topicId: string): string | undefined {
    if (!this.isReplicated) return this.logManager.topicById(topicId)?.name;
    return this.image?.topics().find((t) => kafkaTopicId(t.id) === topicId)?.name;
  }

  /** The partition if this broker holds it (standalone: creating the Partition object on first use). */
  getPartition(topic: string, partition: number): Partition | undefined {
    const key = partitionKey(topic, partition);
    const existing = this.partitions.get(key);
    if (existing || this.isReplicated) return existing;
    const log = this.logManager.log(topic, partition);
    if (!log) return undefined;
    const created = new Partition(topic, partition, log, this.partitionContext(topic));
    this.partitions.set(key, created);
    return created;
  }

  /** Every partition this broker holds (leader or follower), for introspection. */
  allPartitions(): Partition[] {
    if (!this.isReplicated) {
      // Standalone: every local log is a partition, even if no request has touched it since the start.
      for (const topic of this.logManager.topicNames())
        (this.logManager.topic(topic)?.logs ?? []).forEach((_, index) => this.getPartition(topic, index));
    }
    return [...this.partitions.values()];
  }

  /** Forgets a topic's partitions before its logs are deleted; their waiting requests complete now. */
  stopPartitions(topic: string): void {
    for (const [key, partition] of this.partitions) {
      if (partition.topic !== topic) continue;
      this.partitions.delete(key);
      this.fetcherManager?.removePartition(partition);
      this.fetchPurgatory.checkAndComplete(key);
      this.producePurgatory.checkAndComplete(key);
    }
  }

  // ------------------------------------------------------------------ metadata (replicated mode)

  /** MetadataPublisher: Kafka's `ReplicaManager.applyDelta` — deletes, then leaders, then followers. */
  onMetadataUpdate(delta: MetadataDelta, image: MetadataImage): void {
    this.image = image;
    const changes = delta.localChanges(this.localBrokerId);
    for (const change of changes.deletes) {
      const key = partitionKey(change.topic, change.partition);
      const partition = this.partitions.get(key);
      if (partition) {
        this.partitions.delete(key);
        this.fetcherManager?.removePartition(partition);
        this.fetchPurgatory.checkAndComplete(key);
        this.producePurgatory.checkAndComplete(key);
      }
      this.logManager.deleteReplicaLog(change.topic, change.partition);
    }
    for (const change of changes.leaders) {
      const partition = this.getOrCreateReplica(change, image);
      this.fetcherManager?.removePartition(partition);
      if (partition.makeLeader(change.current))
        this.emit({ kind: 'leader', partition: partition.name, leaderEpoch: partition.leaderEpoch });
      this.producePurgatory.checkAndComplete(partition.name);
    }
    for (const change of changes.followers) {
      const partition = this.getOrCreateReplica(change, image);
      const wasLeader = partition.isLeader;
      if (!partition.makeFollower(change.current)) continue;
      this.emit({
        kind: 'follower',
        partition: partition.name,
        leader: partition.leaderId,
        leaderEpoch: partition.leaderEpoch,
      });
      // Produces waiting as leader can no longer be acknowledged here; consumers are told to move.
      if (wasLeader) {
        this.producePurgatory.checkAndComplete(partition.name);
        this.fetchPurgatory.checkAndComplete(partition.name);
      }
      const leader = image.broker(change.current.leader);
      if (leader && !leader.fenced)
        this.fetcherManager?.addPartition(partition, { id: leader.id, host: leader.host, port: leader.port });
      else this.fetcherManager?.removePartition(partition);
    }
    // A leader that moved to a new address (restart on another port) needs its fetchers re-pointed.
    for (const broker of delta.brokerChanges) this.fetcherManager?.updateLeaderEndpoint(broker);
  }

  private getOrCreateReplica(change: LocalPartitionChange, image: MetadataImage): Partition {
    const key = partitionKey(change.topic, change.partition);
    const existing = this.partitions.get(key);
    if (existing) return existing;
    const configs = image.topic(change.topic)?.configs ?? new Map<string, string>();
    const log = this.logManager.getOrCreateReplicaLog(change.topic, change.partition, configs);
    const partition = new Partition(
      change.topic,
      change.partition,
      log,
      this.partitionContext(change.topic),
      change.topicId,
    );
    this.partitions.set(key, partition);
    return partition;
  }

  private partitionContext(topic: string) {
    const minIsr = this.options.minInsyncReplicas;
    const plane = this.options.controlPlane;
    return {
      localBrokerId: this.localBrokerId,
      // The topic's setting in the metadata image (replicated), else its local override or the broker default.
      minInsyncReplicas: () => {
        const fromImage = Number(this.image?.topic(topic)?.configs.get('min.insync.replicas'));
        return Number.isInteger(fromImage) && fromImage > 0 ? fromImage : (minIsr?.(topic) ?? 1);
      },
      replicaLagTimeMaxMs: this.replication.replicaLagTimeMaxMs,
      clock: this.clock,
      ...(plane ? { alterPartitionManager: plane.alterPartitionManager } : {}),
      isReplicaIsrEligible: (id: number) => {
        if (!this.image) return true;
        const broker = this.image.broker(id);
        return broker !== undefined && isActive(broker);
      },
      onHighWatermarkIncreased: (p: Partition) => {
        this.emit({ kind: 'high-watermark', partition: p.name, highWatermark: p.highWatermark });
        this.producePurgatory.checkAndComplete(p.name);
        this.fetchPurgatory.checkAndComplete(p.name);
      },
      onIsrChanged: (p: Partition, change: IsrChange) => {
        this.emit({ kind: 'isr', partition: p.name, change, committedIsr: [...p.isr] });
        this.producePurgatory.checkAndComplete(p.name);
      },
    };
  }

  /** Every leader proposes removing followers that lagged for longer than `replica.lag.time.max.ms`. */
  maybeShrinkIsr(now = this.clock()): void {
    for (const partition of this.partitions.values()) if (partition.isLeader) partition.maybeShrinkIsr(now);
  }

  // ------------------------------------------------------------------ produce

  /**
   * Appends each partition's record set; one partition's failure does not affect the others. acks=0/1 answer
   * after the leader's append; acks=all (-1) answers when the high watermark passes each batch (DelayedProduce),
   * or REQUEST_TIMED_OUT after `timeoutMs`. Returns the results directly when nothing has to wait.
   */
  appendRecords(
    entries: ReadonlyArray<TopicPartition & { records: Buffer | null }>,
    requiredAcks = 1,
    timeoutMs = 30_000,
  ): ProducePartitionResult[] | Promise<ProducePartitionResult[]> {
    const appended = entries.map((entry) => this.appendToPartition(entry, requiredAcks));
    for (const { result } of appended)
      if (result.errorCode === ErrorCode.NONE)
        this.fetchPurgatory.checkAndComplete(partitionKey(result.topic, result.partition));
    const results = appended.map((a) => a.result);
    const waiting = appended.flatMap((a) =>
      a.partition && a.result.errorCode === ErrorCode.NONE && a.requiredOffset !== undefined
        ? [
            {
              partition: a.partition,
              requiredOffset: a.requiredOffset,
              errorCode: undefined,
              index: results.indexOf(a.result),
            },
          ]
        : [],
    );
    if (requiredAcks !== -1 || waiting.length === 0) return results;
    return new Promise((resolve) => {
      const statuses: Array<ProducePartitionStatus & { index: number }> = waiting;
      const delayed = new DelayedProduce(timeoutMs, statuses, () => {
        for (const status of statuses) {
          if (status.errorCode === ErrorCode.NONE) continue;
          const before = results[status.index]!;
          this.produceRejected(status.partition, status.errorCode ?? ErrorCode.REQUEST_TIMED_OUT, requiredAcks);
          results[status.index] = {
            ...before,
            errorCode: status.errorCode ?? ErrorCode.REQUEST_TIMED_OUT,
            errorMessage: produceWaitMessage(status.errorCode, status.partition),
          };
        }
        resolve(results);
      });
      this.producePurgatory.tryCompleteElseWatch(
        delayed,
        statuses.map((s) => s.partition.name),
      );
    });
  }

  private appendToPartition(
    entry: TopicPartition & { records: Buffer | null },
    requiredAcks: number,
  ): { result: ProducePartitionResult; partition?: Partition; requiredOffset?: bigint } {
    const failed = (errorCode: number, errorMessage: string, logStartOffset = NO_OFFSET) => ({
      result: {
        topic: entry.topic,
        partition: entry.partition,
        errorCode,
        errorMessage,
        baseOffset: NO_OFFSET,
        logAppendTimeMs: NO_OFFSET,
        logStartOffset,
      },
    });
    const partition = this.getPartition(entry.topic, entry.partition);
    if (!partition) {
      return failed(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `This broker does not host ${entry.topic}-${entry.partition}.`,
      );
    }
    if (entry.records === null || entry.records.length === 0) {
      return failed(
        ErrorCode.INVALID_RECORD,
        'The produce request carried no record batch for this partition.',
        partition.logStartOffset,
      );
    }
    try {
      const info = partition.appendRecordsToLeader(entry.records, requiredAcks, this.options.isProducerIdIssued);
      return {
        result: {
          topic: entry.topic,
          partition: entry.partition,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          baseOffset: info.baseOffset,
          logAppendTimeMs: NO_OFFSET,
          logStartOffset: partition.logStartOffset,
        },
        partition,
        requiredOffset: info.lastOffset + 1n,
      };
    } catch (error) {
      if (error instanceof InvalidRecordBatchError || error instanceof ProducerStateError)
        return failed(error.code, error.message, partition.logStartOffset);
      if (error instanceof PartitionStateError) {
        this.produceRejected(partition, error.code, requiredAcks);
        return failed(error.code, error.message, partition.logStartOffset);
      }
      throw error;
    }
  }

  /** A produce refused for the partition's replication state (ISR, leadership): said in the why log. */
  private produceRejected(partition: Partition, errorCode: number, acks: number): void {
    this.emit({
      kind: 'produce-rejected',
      partition: partition.name,
      errorCode,
      acks,
      isr: [...partition.isr],
      minInsyncReplicas: partition.minInsyncReplicas,
    });
  }

  // ------------------------------------------------------------------ fetch

  /**
   * Reads every requested partition; if fewer than min_bytes were found and max_wait_ms > 0, waits in the
   * purgatory for appends (followers) or high-watermark moves (consumers) and reads again when woken (or at the
   * deadline). Returns the results directly when no wait is needed, so the caller can tell an answered fetch
   * from a parked one (which frees its handler).
   */
  fetchMessages(params: FetchParams): FetchPartitionResult[] | Promise<FetchPartitionResult[]> {
    const first = this.readFromLocalLog(params);
    const bytesFound = first.reduce((sum, r) => sum + (r.records?.length ?? 0), 0);
    const anyError = first.some((r) => r.errorCode !== ErrorCode.NONE);
    // Answered now: the results themselves. Parked: a promise the DelayedFetch settles.
    if (params.maxWaitMs <= 0 || params.partitions.length === 0 || bytesFound >= params.minBytes || anyError) {
      return first;
    }
    return new Promise((resolve) => {
      const watched = params.partitions.flatMap(({ topic, partition }) => {
        const p = this.getPartition(topic, partition);
        return p ? [{ partition: p, bytesAppendedMark: p.bytesAppended, highWatermarkMark: p.highWatermark }] : [];
      });
      const delayed = new DelayedFetch(
        params.maxWaitMs,
        params.minBytes,
        bytesFound,
        watched,
        (p) =>
          this.partitions.get(partitionKey(p.topic, p.partitionIndex)) !== p ||
          ((params.fetchOnlyLeader ?? true) && !p.isLeader),
        () => resolve(this.readFromLocalLog(params)),
        params.isolation,
      );
      this.fetchPurgatory.tryCompleteElseWatch(
        delayed,
        params.partitions.map((p) => partitionKey(p.topic, p.partition)),
      );
    });
  }

  /**
   * DeleteRecords: moves the partition's log start offset up to `offset` (-1: the high watermark) and deletes
   * the segments wholly below it. Consumers below the new start get OFFSET_OUT_OF_RANGE.
   */
  deleteRecords(topic: string, partition: number, offset: bigint): { errorCode: number; lowWatermark: bigint } {
    const p = this.getPartition(topic, partition);
    if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, lowWatermark: NO_OFFSET };
    if (!p.isLeader) return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, lowWatermark: NO_OFFSET };
    const target = offset === -1n ? p.highWatermark : offset;
    if (target < 0n || target > p.highWatermark)
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: NO_OFFSET }; // -1 on any error, as Kafka
    return { errorCode: ErrorCode.NONE, lowWatermark: p.log.deleteRecordsBefore(target) };
  }

  /** OffsetsForLeaderEpoch for one partition (see Partition.lastOffsetForLeaderEpoch). */
  lastOffsetForLeaderEpoch(
    topic: string,
    partition: number,
    currentLeaderEpoch: number,
    leaderEpoch: number,
    fetchOnlyFromLeader: boolean,
  ): { errorCode: number; leaderEpoch: number; endOffset: bigint } {
    const p = this.getPartition(topic, partition);
    if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, leaderEpoch: -1, endOffset: NO_OFFSET };
    return p.lastOffsetForLeaderEpoch(currentLeaderEpoch, leaderEpoch, fetchOnlyFromLeader);
  }

  /** Fetches waiting in the purgatory right now (for introspection and tests). */
  get delayedFetches(): number {
    return this.fetchPurgatory.delayed;
  }

  /** acks=all produces waiting for replication right now. */
  get delayedProduces(): number {
    return this.producePurgatory.delayed;
  }

  /** Stops fetchers and ISR checks, and answers every parked request now, so the close is not held up. */
  async shutdown(): Promise<void> {
    if (this.isrTimer) clearInterval(this.isrTimer);
    this.options.controlPlane?.metadata.removePublisher(this);
    this.fetchPurgatory.shutdown();
    this.producePurgatory.shutdown();
    await this.fetcherManager?.shutdown();
  }

  /**
   * One read pass. The response-wide max_bytes is shared in request order; the first partition with data may
   * exceed its limits by one whole batch (Kafka's minOneMessage), so a batch larger than max_bytes can never
   * stall a consumer. A follower's fetch also records its fetch offset as its log end offset.
   */
  private readFromLocalLog(params: FetchParams): FetchPartitionResult[] {
    let remaining = params.maxBytes;
    let minOneBatch = true;
    const replicaId = params.replicaId ?? -1;
    const fetchOnlyLeader = params.fetchOnlyLeader ?? true;
    return params.partitions.map((request) => {
      const partition = this.getPartition(request.topic, request.partition);
      const base = { topic: request.topic, partition: request.partition };
      if (!partition) {
        return {
          ...base,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: NO_OFFSET,
          logStartOffset: NO_OFFSET,
          records: null,
        };
      }
      const answer = (errorCode: number, records: Buffer | null): FetchPartitionResult => ({
        ...base,
        errorCode,
        highWatermark: partition.highWatermark,
        logStartOffset: partition.logStartOffset,
        records,
      });
      const epochError = partition.leaderEpochError(request.currentLeaderEpoch ?? -1);
      if (epochError !== ErrorCode.NONE) return answer(epochError, null);
      if (fetchOnlyLeader && !partition.isLeader) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER, null);
      if (request.fetchOffset < partition.logStartOffset || request.fetchOffset > partition.logEndOffset) {
        return answer(ErrorCode.OFFSET_OUT_OF_RANGE, null);
      }
      if (replicaId >= 0) partition.updateFollowerFetchState(replicaId, request.fetchOffset, this.clock());
      const limit = Math.max(0, Math.min(request.partitionMaxBytes, remaining));
      try {
        const { records } = partition.readRecords(
          request.fetchOffset,
          limit,
          minOneBatch,
          params.isolation,
          params.allocate,
        );
        if (records.length > 0) minOneBatch = false;
        remaining = Math.max(0, remaining - records.length);
        return answer(ErrorCode.NONE, records);
      } catch (error) {
        if (error instanceof OffsetOutOfRangeError) return answer(ErrorCode.OFFSET_OUT_OF_RANGE, null);
        throw error;
      }
    });
  }

  private emit(event: ReplicaManagerEvent): void {
    this.options.onEvent?.(event);
  }
}

function produceWaitMessage(errorCode: number | undefined, partition: Partition): string {
  switch (errorCode) {
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return `${partition.name}: appended on the leader, but the ISR [${partition.isr.join(', ')}] fell below min.insync.replicas=${partition.minInsyncReplicas} before it was replicated.`;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      return `${partition.name}: this broker lost the leadership while the produce waited for acks=all; refresh metadata and retry.`;
    default:
      return `${partition.name}: not replicated to the ISR [${partition.maximalIsr.join(', ')}] within the request timeout (high watermark ${partition.highWatermark}).`;
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
