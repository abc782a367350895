import type { UnifiedLog } from '../log/unified-log.js';
import type { ReadBufferAllocator } from '../log/read-buffer-pool.js';
import type { AlterPartitionManager } from '../metadata/alter-partition-manager.js';
import type { LeaderAndIsr, PartitionRegistration } from '../metadata/partition-registration.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { ReplicaState } from './replica-state.js';
import { PartitionStateError } from './partition-state-error.js';

/** How far a fetcher may read: consumers up to the high watermark, follower replicas to the log end. */
export type FetchIsolation = 'HIGH_WATERMARK' | 'LOG_END';

/** What a Partition needs from its broker besides its log. */
export interface PartitionContext {
  readonly localBrokerId: number;
  /** `min.insync.replicas` for this topic (topic override, else the broker default); read per use. */
  readonly minInsyncReplicas: () => number;
  /** `replica.lag.time.max.ms`. */
  readonly replicaLagTimeMaxMs: number;
  readonly clock: () => number;
  /** Where ISR changes are proposed; absent on a standalone broker (its ISR is itself, forever). */
  readonly alterPartitionManager?: AlterPartitionManager;
  /** Whether a broker may join an ISR (registered and unfenced, KIP-841); true for all when absent. */
  readonly isReplicaIsrEligible?: (brokerId: number) => boolean;
  /** Called when the high watermark moved up: parked acks=all produces and consumer fetches may complete. */
  readonly onHighWatermarkIncreased?: (partition: Partition) => void;
  /** Called when the committed ISR or an in-flight proposal changed (acks=all waiters re-check, "why" log). */
  readonly onIsrChanged?: (partition: Partition, change: IsrChange) => void;
}

/** One step of the ISR's history, as this leader saw it (proposed, committed, or refused by the controller). */
export interface IsrChange {
  readonly kind: 'shrink-proposed' | 'expand-proposed' | 'committed' | 'refused';
  readonly isr: readonly number[];
  readonly partitionEpoch: number;
  readonly errorCode?: number;
}

/** Leader-side answer of OffsetsForLeaderEpoch for one partition. */
export interface EpochEndOffsetResult {
  readonly errorCode: number;
  readonly leaderEpoch: number;
  readonly endOffset: bigint;
}

/**
 * One partition as this broker sees it (Kafka's `cluster.Partition`): leader or follower, the leader epoch and
 * partition epoch, the assigned replicas (AR) and in-sync replicas (ISR), the local log, and — while leader —
 * each follower's fetch state (`ReplicaState`: its log end offset and when it was last caught up).
 *
 * The leader's rules, as Kafka ≥ 3.7 has them:
 * - High watermark = the smallest LEO among the "maximal ISR" (the committed ISR plus a pending expansion), and
 *   among caught-up eligible followers about to join; it never moves while the committed ISR is smaller than
 *   `min.insync.replicas` (KAFKA-15583), and never moves backwards.
 * - `maybeShrinkIsr`: followers not caught up for `replica.lag.time.max.ms` are proposed out;
 *   `maybeExpandIsr`: a follower whose LEO reached the HW (and the start of this leader epoch) is proposed in.
 *   One proposal in flight at a time, sent through the AlterPartitionManager; the answer (or the metadata log)
 *   commits it with a new partition epoch.
 * - acks=all: refused before the append with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas;
 *   `checkEnoughReplicasReachOffset` tells DelayedProduce when the HW passed a batch (or that the ISR shrank
 *   below the minimum meanwhile: NOT_ENOUGH_REPLICAS_AFTER_APPEND).
 *
 * A standalone broker (no controller) builds it as leader of [itself] with leader epoch 0; everything above
 * then reduces to "the HW follows the LEO".
 *
 * Concurrency: event-loop thread only, called by ReplicaManager (appends, reads, follower fetch state, metadata
 * changes) and its fetcher threads (follower appends and truncation). The log belongs to LogManager; this class
 * appends to it, reads it, truncates it and moves its high watermark.
 */
export class Partition {
  /** Bytes appended since the broker started; DelayedFetch compares marks of it to decide when min_bytes arrived. */
  private appendedBytes = 0;
  private _leaderId: number;
  private _leaderEpoch: number;
  private _partitionEpoch: number;
  private _assignedReplicas: readonly number[];
  /** The ISR as last committed by the controller. */
  private committedIsr: readonly number[];
  private _elr: readonly number[] = [];
  /** Committed ISR plus a pending expansion: what the HW waits for while a proposal is in flight. */
  private _maximalIsr: readonly number[];
  private pendingIsrChange = false;
  /** The log end offset when this broker became leader at this epoch (a follower must reach it to join). */
  private leaderEpochStartOffset = 0n;
  private readonly remoteReplicas = new Map<number, ReplicaState>();

  constructor(
    readonly topic: string,
    readonly partitionIndex: number,
    readonly log: UnifiedLog,
    private readonly context: PartitionContext,
    readonly topicId: string = '',
  ) {
    const self = context.localBrokerId;
    if (!context.alterPartitionManager) {
      // Standalone: leader of itself at epoch 0, for good.
      this._leaderId = self;
      this._leaderEpoch = 0;
      this._partitionEpoch = 0;
      this._assignedReplicas = [self];
      this.committedIsr = [self];
      this._maximalIsr = [self];
      // Kafka's makeLeader stamps the epoch's start at the log end even before a record of it arrives, so
      // OffsetsForLeaderEpoch answers the current epoch (not UNDEFINED) on a log that is still empty.
      this.log.leaderEpochCache.assign(0, this.log.logEndOffset);
      // Becoming leader: the checkpointed HW may trail the LEO after a crash. With the ISR being just this
      // broker, everything in the local log is committed, so the HW catches up now.
      this.maybeIncrementLeaderHW();
    } else {
      // Replicated: nothing is known until the first registration arrives (makeLeader / makeFollower).
      this._leaderId = NO_LEADER;
      this._leaderEpoch = -1;
      this._partitionEpoch = -1;
      this._assignedReplicas = [];
      this.committedIsr = [];
      this._maximalIsr = [];
    }
  }

  get localBrokerId(): number {
    return this.context.localBrokerId;
  }
  get leaderId(): number {
    return this._leaderId;
  }
  get isLeader(): boolean {
    return this._leaderId === this.context.localBrokerId;
  }
  get leaderEpoch(): number {
    return this._leaderEpoch;
  }
  get partitionEpoch(): number {
    return this._partitionEpoch;
  }
  get assignedReplicas(): readonly number[] {
    return this._assignedReplicas;
  }
  /** The committed ISR (what Metadata reports). */
  get isr(): readonly number[] {
    return this.committedIsr;
  }
  /** KIP-966 Eligible Leader Replicas of the latest registration seen (empty without ELR). */
  get eligibleLeaderReplicas(): readonly number[] {
    return this._elr;
  }
  get maximalIsr(): readonly number[] {
    return this._maximalIsr;
  }
  get hasPendingIsrChange(): boolean {
    return this.pendingIsrChange;
  }
  get logStartOffset(): bigint {
    return this.log.logStartOffset;
  }
  get logEndOffset(): bigint {
    return this.log.logEndOffset;
  }
  get highWatermark(): bigint {
    return this.log.highWatermark;
  }
  get bytesAppended(): number {
    return this.appendedBytes;
  }
  get minInsyncReplicas(): number {
    return this.context.minInsyncReplicas();
  }
  /** Kafka's isUnderMinIsr: the committed ISR is smaller than min.insync.replicas. */
  get isUnderMinIsr(): boolean {
    return this.isLeader && this.committedIsr.length < this.minInsyncReplicas;
  }

  /** Each follower's state as the leader tracks it (empty on a follower). */
  followerStates(): ReadonlyMap<number, ReplicaState> {
    return this.remoteReplicas;
  }

  // ------------------------------------------------------------------ leadership changes (from metadata)

  /**
   * Applies a registration naming this broker leader (Kafka's `makeLeader`). A new leader epoch stamps the epoch
   * into the leader-epoch cache at the log end and forgets what followers had fetched (they must fetch again);
   * the same epoch with a newer partition epoch is an ISR change. Returns whether the leader epoch is new.
   */
  makeLeader(registration: PartitionRegistration): boolean {
    this.noteEligibleLeaderReplicas(registration);
    const isNewLeaderEpoch = !this.isLeader || registration.leaderEpoch > this._leaderEpoch;
    if (!isNewLeaderEpoch && registration.partitionEpoch <= this._partitionEpoch) return false;
    this.applyRegistration(registration);
    const now = this.context.clock();
    if (isNewLeaderEpoch) {
      this.leaderEpochStartOffset = this.log.logEndOffset;
      this.log.leaderEpochCache.assign(registration.leaderEpoch, this.log.logEndOffset);
      this.remoteReplicas.clear();
    }
    for (const id of this._assignedReplicas) {
      if (id === this.localBrokerId || this.remoteReplicas.has(id)) continue;
      // In-sync followers get a fresh lag clock, so a new leader does not shrink them before their first fetch.
      this.remoteReplicas.set(id, new ReplicaState(id, this.committedIsr.includes(id) ? now : 0));
    }
    for (const id of [...this.remoteReplicas.keys()])
      if (!this._assignedReplicas.includes(id)) this.remoteReplicas.delete(id);
    this.maybeIncrementLeaderHW(now);
    return isNewLeaderEpoch;
  }

  /**
   * Applies a registration naming another broker leader (Kafka's `makeFollower`). Returns whether the leader or
   * its epoch changed, i.e. whether the fetcher must restart (and truncate) against the new leader.
   */
  makeFollower(registration: PartitionRegistration): boolean {
    this.noteEligibleLeaderReplicas(registration);
    const changed = this._leaderId !== registration.leader || registration.leaderEpoch > this._leaderEpoch;
    if (!changed && registration.partitionEpoch <= this._partitionEpoch) return false;
    this.applyRegistration(registration);
    this.remoteReplicas.clear();
    return changed;
  }

  /**
   * KIP-966's ELR as the controller registered it, for views only (this broker acts on no ELR). Taken from every
   * registration not older than the one applied: the leader's own AlterPartition answer may already have applied
   * the ISR of the same partition epoch, so the registration that carries the ELR would otherwise be skipped.
   */
  private noteEligibleLeaderReplicas(registration: PartitionRegistration): void {
    if (registration.partitionEpoch >= this._partitionEpoch) this._elr = [...(registration.elr ?? [])];
  }

  private applyRegistration(registration: PartitionRegistration): void {
    this._leaderId = registration.leader;
    this._leaderEpoch = registration.leaderEpoch;
    this._partitionEpoch = registration.partitionEpoch;
    this._assignedReplicas = [...registration.replicas];
    this.committedIsr = [...registration.isr];
    this._maximalIsr = this.committedIsr;
    this.pendingIsrChange = false;
  }

  // ------------------------------------------------------------------ leader: appends and the high watermark

  /**
   * Appends a producer's record set as leader. Throws PartitionStateError NOT_LEADER_OR_FOLLOWER on a follower
   * and NOT_ENOUGH_REPLICAS for acks=all below min.insync.replicas (nothing appended), and the log's
   * InvalidRecordBatchError for a corrupt or oversized batch.
   */
  appendRecordsToLeader(
    records: Buffer,
    requiredAcks = 1,
    /** Producer ids InitProducerId handed out; a batch with any other is refused (UNKNOWN_PRODUCER_ID). */
    isProducerIdIssued?: (producerId: bigint) => boolean,
  ): ReturnType<UnifiedLog['append']> {
    if (!this.isLeader) throw this.notLeader();
    const inSync = this.committedIsr.length;
    const minIsr = this.minInsyncReplicas;
    if (requiredAcks === -1 && inSync < minIsr) {
      throw new PartitionStateError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `${this.name}: the ISR [${this.committedIsr.join(', ')}] has ${inSync} member(s), fewer than ` +
          `min.insync.replicas=${minIsr}; acks=all produce is refused until followers catch up.`,
      );
    }
    const info = this.log.append(
      records,
      isProducerIdIssued ? { leaderEpoch: this._leaderEpoch, isProducerIdIssued } : { leaderEpoch: this._leaderEpoch },
    );
    this.appendedBytes += records.length;
    this.maybeIncrementLeaderHW();
    return info;
  }

  /**
   * Kafka's `checkEnoughReplicasReachOffset`, asked by DelayedProduce: done once the HW passed `requiredOffset`
   * (NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR has meanwhile fallen below min.insync.replicas), not done yet
   * otherwise; NOT_LEADER_OR_FOLLOWER if this broker lost the leadership while the produce waited.
   */
  checkEnoughReplicasReachOffset(requiredOffset: bigint): { done: boolean; errorCode: number } {
    if (!this.isLeader) return { done: true, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
    if (this.log.highWatermark < requiredOffset) return { done: false, errorCode: ErrorCode.NONE };
    const enough = this.minInsyncReplicas <= this._maximalIsr.length;
    return { done: true, errorCode: enough ? ErrorCode.NONE : ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND };
  }

  /**
   * The leader's side of a follower fetch (Kafka's `updateFollowerFetchState`): the follower's LEO is its fetch
   * offset, and it counts as caught up at the fetch time if it asked for the leader's LEO (or at its previous
   * fetch time if it then reached what the leader had). May propose an ISR expansion and move the HW.
   */
  updateFollowerFetchState(replicaId: number, fetchOffset: bigint, fetchTimeMs = this.context.clock()): void {
    const replica = this.remoteReplicas.get(replicaId);
    if (!replica) return;
    const oldLeo = replica.logEndOffset;
    replica.updateFetchState(fetchOffset, this.log.logEndOffset, fetchTimeMs);
    this.maybeExpandIsr(replica);
    if (oldLeo !== fetchOffset) this.maybeIncrementLeaderHW(fetchTimeMs);
  }

  /**
   * High watermark = min LEO over the maximal ISR and over caught-up, eligible followers not yet in it (so the HW
   * does not run ahead of a replica that is about to join); frozen while the committed ISR is below
   * min.insync.replicas (KAFKA-15583). Returns whether it moved.
   */
  maybeIncrementLeaderHW(now = this.context.clock()): boolean {
    if (!this.isLeader || this.isUnderMinIsr) return false;
    const leaderEnd = this.log.logEndOffset;
    let newHighWatermark = leaderEnd;
    for (const replica of this.remoteReplicas.values()) {
      const waitForIt =
        this._maximalIsr.includes(replica.brokerId) ||
        (replica.isCaughtUp(leaderEnd, now, this.context.replicaLagTimeMaxMs) && this.isEligible(replica.brokerId));
      if (waitForIt && replica.logEndOffset < newHighWatermark) newHighWatermark = replica.logEndOffset;
    }
    if (newHighWatermark <= this.log.highWatermark) return false;
    this.log.updateHighWatermark(newHighWatermark);
    this.context.onHighWatermarkIncreased?.(this);
    return true;
  }

  // ------------------------------------------------------------------ leader: ISR changes

  /** Proposes removing followers that have not been caught up for `replica.lag.time.max.ms` (Kafka's name). */
  maybeShrinkIsr(now = this.context.clock()): readonly number[] {
    if (!this.isLeader || this.pendingIsrChange || !this.context.alterPartitionManager) return [];
    const leaderEnd = this.log.logEndOffset;
    const outOfSync = this.committedIsr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const replica = this.remoteReplicas.get(id);
      return !replica || !replica.isCaughtUp(leaderEnd, now, this.context.replicaLagTimeMaxMs);
    });
    if (outOfSync.length === 0) return [];
    this.proposeIsr(
      this.committedIsr.filter((id) => !outOfSync.includes(id)),
      'shrink-proposed',
    );
    return outOfSync;
  }

  private maybeExpandIsr(replica: ReplicaState): void {
    if (!this.isLeader || this.pendingIsrChange || !this.context.alterPartitionManager) return;
    const id = replica.brokerId;
    if (this.committedIsr.includes(id) || !this._assignedReplicas.includes(id)) return;
    if (replica.logEndOffset < this.log.highWatermark || replica.logEndOffset < this.leaderEpochStartOffset) return;
    if (!this.isEligible(id)) return;
    this.proposeIsr([...this.committedIsr, id], 'expand-proposed');
  }

  private proposeIsr(newIsr: readonly number[], kind: 'shrink-proposed' | 'expand-proposed'): void {
    const manager = this.context.alterPartitionManager;
    if (!manager) return;
    const proposed: LeaderAndIsr = {
      leader: this.localBrokerId,
      leaderEpoch: this._leaderEpoch,
      isr: newIsr,
      partitionEpoch: this._partitionEpoch,
    };
    this.pendingIsrChange = true;
    // While in flight the HW waits for the larger set: an expansion counts at once, a shrink only once committed.
    this._maximalIsr = [...new Set([...this.committedIsr, ...newIsr])];
    this.context.onIsrChanged?.(this, { kind, isr: newIsr, partitionEpoch: this._partitionEpoch });
    void manager
      .submit({ topicId: this.topicId, topic: this.topic, partition: this.partitionIndex, proposed })
      .then((result) => {
        // Answered for an epoch we no longer hold (leadership moved, or the metadata log overtook it): ignore.
        if (this._leaderEpoch !== proposed.leaderEpoch || !this.isLeader) return;
        if (result.errorCode === ErrorCode.NONE && 'leaderAndIsr' in result) {
          if (result.leaderAndIsr.partitionEpoch > this._partitionEpoch) {
            this.committedIsr = [...result.leaderAndIsr.isr];
            this._partitionEpoch = result.leaderAndIsr.partitionEpoch;
          }
        }
        if (!this.pendingIsrChange) return;
        this.pendingIsrChange = false;
        this._maximalIsr = this.committedIsr;
        const refused = result.errorCode !== ErrorCode.NONE;
        this.context.onIsrChanged?.(this, {
          kind: refused ? 'refused' : 'committed',
          isr: this.committedIsr,
          partitionEpoch: this._partitionEpoch,
          ...(refused ? { errorCode: result.errorCode } : {}),
        });
        this.maybeIncrementLeaderHW();
      });
  }

  private isEligible(brokerId: number): boolean {
    return this.context.isReplicaIsrEligible?.(brokerId) ?? true;
  }

  // ------------------------------------------------------------------ reads, follower appends, truncation

  /** Reads stored batches from `fetchOffset`; consumers never see past the high watermark. */
  readRecords(
    fetchOffset: bigint,
    maxBytes: number,
    minOneBatch: boolean,
    isolation: FetchIsolation = 'HIGH_WATERMARK',
    allocate?: ReadBufferAllocator,
  ) {
    const maxOffset = isolation === 'HIGH_WATERMARK' ? this.highWatermark : undefined;
    return this.log.read(fetchOffset, maxBytes, { minOneBatch, maxOffset, allocate });
  }

  /** Appends batches fetched from the leader (offsets and epochs as the leader assigned them). */
  appendRecordsToFollower(records: Buffer): ReturnType<UnifiedLog['appendAsFollower']> {
    const info = this.log.appendAsFollower(records);
    this.appendedBytes += records.length;
    return info;
  }

  /** A follower learns the HW from the leader's fetch response: never past its own log end. */
  updateFollowerHighWatermark(leaderHighWatermark: bigint): void {
    const hw = leaderHighWatermark < this.log.logEndOffset ? leaderHighWatermark : this.log.logEndOffset;
    if (hw !== this.log.highWatermark) this.log.updateHighWatermark(hw);
  }

  /** Cuts the local log back to `offset` (whole batches) and the epoch cache with it. */
  truncateTo(offset: bigint): void {
    this.log.truncateTo(offset);
  }

  /**
   * OffsetsForLeaderEpoch (KIP-101/279): where `leaderEpoch` ends in this log. Asked of the leader (followers
   * after a leader change); `currentLeaderEpoch` fences an asker that is behind (FENCED_LEADER_EPOCH) or ahead
   * (UNKNOWN_LEADER_EPOCH) of this broker.
   */
  lastOffsetForLeaderEpoch(
    currentLeaderEpoch: number,
    leaderEpoch: number,
    fetchOnlyFromLeader: boolean,
  ): EpochEndOffsetResult {
    const fail = (errorCode: number): EpochEndOffsetResult => ({ errorCode, leaderEpoch: -1, endOffset: -1n });
    if (currentLeaderEpoch >= 0 && currentLeaderEpoch < this._leaderEpoch) return fail(ErrorCode.FENCED_LEADER_EPOCH);
    if (currentLeaderEpoch > this._leaderEpoch) return fail(ErrorCode.UNKNOWN_LEADER_EPOCH);
    if (fetchOnlyFromLeader && !this.isLeader) return fail(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const answer = this.log.leaderEpochCache.endOffsetFor(leaderEpoch, this.log.logEndOffset);
    return { errorCode: ErrorCode.NONE, leaderEpoch: answer.epoch, endOffset: answer.startOffset };
  }

  /** Checks a client's leader epoch (KIP-320): FENCED_LEADER_EPOCH if older, UNKNOWN_LEADER_EPOCH if newer. */
  leaderEpochError(currentLeaderEpoch: number): number {
    if (currentLeaderEpoch < 0) return ErrorCode.NONE;
    if (currentLeaderEpoch < this._leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
    if (currentLeaderEpoch > this._leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
    return ErrorCode.NONE;
  }

  get name(): string {
    return `${this.topic}-${this.partitionIndex}`;
  }

  /** Whether this partition currently has no leader at all (every ISR member offline). */
  get isOffline(): boolean {
    return this._leaderId === NO_LEADER;
  }

  private notLeader(): PartitionStateError {
    return new PartitionStateError(
      ErrorCode.NOT_LEADER_OR_FOLLOWER,
      `Broker ${this.localBrokerId} is not the leader of ${this.name} (leader: ${this._leaderId}, epoch ` +
        `${this._leaderEpoch}); refresh metadata and send to the leader.`,
    );
  }
}
