import { randomBytes } from 'node:crypto';
import type { MetadataRecord, PartitionChangeRecord } from '../metadata/metadata-records.js';
import { ConfigResourceType } from '../metadata/metadata-records.js';
import type { TopicId } from '../metadata/partition-registration.js';
import type { AlterPartitionRequest } from '../protocol/alter-partition/request.js';
import { proposedIsr } from '../protocol/alter-partition/request.js';
import type { AlterPartitionPartitionResult, AlterPartitionResponse } from '../protocol/alter-partition/response.js';
import type { BrokerHeartbeatRequest } from '../protocol/broker-heartbeat/request.js';
import type { BrokerHeartbeatResponse } from '../protocol/broker-heartbeat/response.js';
import type { BrokerRegistrationRequest } from '../protocol/broker-registration/request.js';
import type { BrokerRegistrationResponse } from '../protocol/broker-registration/response.js';
import type { CreatePartitionsRequest } from '../protocol/create-partitions/request.js';
import type { CreatePartitionsResponse, CreatePartitionsTopicResult } from '../protocol/create-partitions/response.js';
import type { CreatableTopic, CreateTopicsRequest } from '../protocol/create-topics/request.js';
import type { CreatableTopicResult, CreateTopicsResponse } from '../protocol/create-topics/response.js';
import type { DeleteTopicsRequest } from '../protocol/delete-topics/request.js';
import type { AlterPartitionReassignmentsRequest } from '../protocol/alter-partition-reassignments/request.js';
import type { AlterPartitionReassignmentsResponse } from '../protocol/alter-partition-reassignments/response.js';
import type { ListPartitionReassignmentsRequest } from '../protocol/list-partition-reassignments/request.js';
import type { ListPartitionReassignmentsResponse } from '../protocol/list-partition-reassignments/response.js';
import type { ElectLeadersRequest } from '../protocol/elect-leaders/request.js';
import { ElectionType } from '../protocol/elect-leaders/request.js';
import type { ElectLeadersResponse } from '../protocol/elect-leaders/response.js';
import type { DeletableTopicResult, DeleteTopicsResponse } from '../protocol/delete-topics/response.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';
import { ZERO_UUID } from '../protocol/schema/message-codec.js';
import type { Batch, LeaderAndEpoch, RaftClient, RaftClientListener } from '../raft/raft-client.js';
import { NotLeaderError } from '../raft/raft-client.js';
import { topicNameProblem } from '../server/topic-name.js';
import { validateAlterPartition } from './alter-partition-validation.js';
import { BrokerHeartbeatManager } from './broker-heartbeat-manager.js';
import { ClusterControlManager } from './cluster-control-manager.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import { placeReplicas } from './replica-placer.js';
import { ProducerIdControlManager } from './producer-id-control-manager.js';
import { createClearElrRecordsAsNeeded, incrementalAlterConfigChanges } from './configuration-control-manager.js';
import { DEFAULT_ELIGIBLE_LEADER_REPLICAS_VERSION, FeatureControlManager } from './feature-control-manager.js';
import type { IncrementalAlterConfigsRequest } from '../protocol/incremental-alter-configs/request.js';
import type { IncrementalAlterConfigsResponse } from '../protocol/incremental-alter-configs/response.js';
import type { AllocateProducerIdsRequest } from '../protocol/allocate-producer-ids/request.js';
import type { AllocateProducerIdsResponse } from '../protocol/allocate-producer-ids/response.js';
import {
  MIN_IN_SYNC_REPLICAS,
  ReplicationControlManager,
  UNCLEAN_LEADER_ELECTION_ENABLE,
} from './replication-control-manager.js';
import type { Election, ElectionResult } from './leader-election.js';
import type { PartitionChange } from './partition-change-builder.js';
import { buildPartitionChange } from './partition-change-builder.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import { NO_LEADER_CHANGE } from '../metadata/metadata-records.js';

/** Kafka's ConfigSource TOPIC_CONFIG, for CreateTopics v5+ results. */
const CONFIG_SOURCE_TOPIC = 1;

export interface QuorumControllerConfig {
  /** `broker.heartbeat.interval.ms` (Kafka: 2000): how often brokers heartbeat; told to nobody, used for checks. */
  readonly brokerHeartbeatIntervalMs: number;
  /** `broker.session.timeout.ms` (Kafka: 9000): silent this long, a broker is fenced. */
  readonly brokerSessionTimeoutMs: number;
  /** `num.partitions` for CreateTopics with -1 and auto-created topics. */
  readonly numPartitions: number;
  /** `default.replication.factor` for CreateTopics with -1. */
  readonly defaultReplicationFactor: number;
  /** The cluster id brokers must present; undefined accepts any (tests). */
  readonly clusterId?: string;
  /** Checks one topic config (name, value); a message when it is refused. Default: everything accepted. */
  readonly validateTopicConfig?: (name: string, value: string) => string | null;
  /** How often the active controller looks for expired sessions; 0: never by itself (tests call `checkSessions`). */
  readonly sessionCheckIntervalMs?: number;
  /** The broker-level `unclean.leader.election.enable` (Kafka: false), the fallback of the topic config. */
  readonly uncleanLeaderElectionEnable?: boolean;
  /**
   * `unclean.leader.election.interval.ms` (Kafka: 300000): how long after a write that leaves a partition leaderless
   * the controller looks for topics that now allow an unclean election; 0: never by itself (tests call
   * `maybeElectUncleanLeaders`).
   */
  readonly uncleanLeaderElectionIntervalMs?: number;
  /** `auto.leader.rebalance.enable` (Kafka: true): move leadership back to preferred replicas periodically. */
  readonly autoLeaderRebalanceEnable?: boolean;
  /** `leader.imbalance.check.interval.seconds` × 1000 (Kafka: 300 s); 0: never by itself. */
  readonly leaderImbalanceCheckIntervalMs?: number;
  /** The broker-level `min.insync.replicas` (Kafka: 1), the fallback of the topic config (KIP-966's ELR uses it). */
  readonly minInsyncReplicas?: number;
  /**
   * The `eligible.leader.replicas.version` a new metadata log is bootstrapped with (Kafka 4.4: 1, ELR on; 0: off).
   * Only the first active controller of a log that has not finalized the feature writes it; later it is what the
   * log says.
   */
  readonly eligibleLeaderReplicasVersion?: number;
}

const DEFAULT_UNCLEAN_LEADER_ELECTION_INTERVAL_MS = 300_000;
const DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS = 300_000;

/** Something the controller decided, for logs, demos and the future "why" log. */
export type ControllerEvent =
  | { readonly kind: 'activated'; readonly epoch: number }
  | { readonly kind: 'renounced'; readonly epoch: number }
  | { readonly kind: 'broker-registered'; readonly brokerId: number; readonly brokerEpoch: bigint }
  | {
      readonly kind: 'broker-fenced';
      readonly brokerId: number;
      readonly reason: 'session-timeout' | 'want-fence' | 'controlled-shutdown-done';
    }
  | { readonly kind: 'broker-unfenced'; readonly brokerId: number }
  | { readonly kind: 'controlled-shutdown'; readonly brokerId: number }
  /** KIP-966: a min.insync.replicas change cleared the ELRs of a topic ('' every topic) — a ClearElrRecord. */
  | { readonly kind: 'elr-cleared'; readonly topicName: string; readonly minIsr: number }
  | {
      readonly kind: 'partition-change';
      readonly topicId: TopicId;
      readonly partition: number;
      readonly isr: readonly number[] | null;
      /** -2: unchanged; -1: no leader (offline). */
      readonly leader: number;
      /** Why the leader is who it is (the election's rule), and what the partition was before. */
      readonly election?: ElectionResult & { readonly kind: Election };
      readonly before?: {
        readonly leader: number;
        readonly isr: readonly number[];
        readonly leaderEpoch: number;
        /** KIP-966: the ELR before the change (empty without ELR). */
        readonly elr?: readonly number[];
      };
      /** KIP-966: the new ELR when the change moved it; absent: unchanged. */
      readonly elr?: readonly number[];
      /** KIP-966: the topic's effective min.insync.replicas the ELR was decided by. */
      readonly minIsr?: number;
      /** What asked for the change. */
      readonly cause?: PartitionChangeCause;
      /** The assignment after the change, when it moved (a reassignment started, completed or was cancelled). */
      readonly reassignment?: {
        readonly replicas: readonly number[];
        readonly addingReplicas: readonly number[];
        readonly removingReplicas: readonly number[];
        /** The replicas that left, when this change completed the reassignment. */
        readonly removed?: readonly number[];
      };
    };

/** What made the controller change a partition (the "why" log names it). */
export type PartitionChangeCause =
  | 'broker-fenced'
  | 'controlled-shutdown'
  | 'broker-registered'
  | 'broker-unclean-shutdown'
  | 'broker-unfenced'
  | 'alter-partition'
  | 'unclean-election-check'
  | 'leader-rebalance'
  | 'elect-leaders'
  | 'reassignment'
  | 'reassignment-cancelled';

export interface QuorumControllerOptions {
  readonly nodeId: number;
  readonly raft: RaftClient<MetadataRecord>;
  readonly config: QuorumControllerConfig;
  /** The clock (injectable so tests can expire sessions without waiting). */
  readonly now?: () => number;
  readonly onEvent?: (event: ControllerEvent) => void;
}

/** Thrown inside an operation that finds this controller not (or no longer) active; becomes NOT_CONTROLLER. */
class NotControllerError extends Error {}

interface OperationResult<R> {
  readonly records: readonly MetadataRecord[];
  readonly response: R;
}

/**
 * The KRaft controller of one node (Kafka's `QuorumController`, KIP-500/KIP-631). Every controller replays the
 * committed metadata log into its ClusterControlManager (brokers) and ReplicationControlManager (topics,
 * partitions); only the **active** one — the quorum leader, once it has replayed everything committed before its
 * epoch (it has seen its own epoch's first batch) — answers requests that write: it validates against that
 * state, appends records through the RaftClient, and answers once they are committed. A non-active controller
 * answers NOT_CONTROLLER.
 *
 * Operations run one at a time in arrival order (Kafka's controller event queue), each against committed state
 * only: the next starts after the previous one's records are committed, so nothing is applied speculatively and a
 * lost leadership needs no rollback — pending operations answer NOT_CONTROLLER.
 *
 * The rules it applies, Kafka's: brokers register fenced and are unfenced by a heartbeat once their metadata
 * offset reaches their registration; a broker silent for `broker.session.timeout.ms` is fenced and leaves every ISR
 * (not as last member); leaders are elected cleanly (first replica in assignment order in the ISR and active, else
 * -1); controlled shutdown moves leaderships away, then lets the broker stop; AlterPartition is checked for broker
 * epoch, leadership, leader epoch, partition epoch and eligible replicas.
 *
 * Owns its state; the node (KafkaCluster / `kq broker`) owns the controller and calls `close()`.
 */
export class QuorumController implements RaftClientListener<MetadataRecord>, ControllerApis {
  readonly cluster = new ClusterControlManager();
  readonly producerIds = new ProducerIdControlManager();
  readonly features = new FeatureControlManager();
  readonly replication: ReplicationControlManager;
  /** The election behind each PartitionChangeRecord this controller wrote, for its event after the commit. */
  private readonly changeCauses = new WeakMap<
    PartitionChangeRecord,
    { change: PartitionChange; cause: PartitionChangeCause }
  >();
  private uncleanTimer: NodeJS.Timeout | undefined;
  private rebalanceTimer: NodeJS.Timeout | undefined;
  private readonly heartbeats = new BrokerHeartbeatManager();
  private raftLeader: LeaderAndEpoch = { leaderId: -1, epoch: 0 };
  /** The last other node this controller knew as quorum leader (the likeliest to have died if it now leads). */
  private previousLeaderId = -1;
  /** The epoch this controller is active in, or -1. */
  private activeEpoch = -1;
  private lastCommittedOffset = -1;
  private lastCommittedEpoch = -1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly commitWaiters: Array<{ offset: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private sessionTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly options: QuorumControllerOptions) {
    this.now = options.now ?? Date.now;
    const { uncleanLeaderElectionEnable: unclean, minInsyncReplicas: minIsr } = options.config;
    this.replication = new ReplicationControlManager((name) => {
      if (name === UNCLEAN_LEADER_ELECTION_ENABLE && unclean !== undefined) return String(unclean);
      if (name === MIN_IN_SYNC_REPLICAS && minIsr !== undefined) return String(minIsr);
      return undefined;
    }, this.features);
    options.raft.register(this);
  }

  get nodeId(): number {
    return this.options.nodeId;
  }

  /** Whether this controller may write (it leads the quorum and has caught up with its epoch). */
  get isActive(): boolean {
    return this.activeEpoch !== -1;
  }

  /** The quorum leader as last announced to this controller. */
  get quorumLeader(): LeaderAndEpoch {
    return this.raftLeader;
  }

  /** Offset of the last record this controller has replayed. */
  get lastReplayedOffset(): number {
    return this.lastCommittedOffset;
  }

  // ------------------------------------------------------------------ RaftClientListener

  handleCommit(batch: Batch<MetadataRecord>): void {
    batch.records.forEach((record, i) => {
      this.cluster.replay(record, batch.baseOffset + i);
      this.features.replay(record);
      this.replication.replay(record);
      this.producerIds.replay(record);
    });
    this.lastCommittedOffset = batch.lastOffset;
    this.lastCommittedEpoch = batch.epoch;
    for (let i = this.commitWaiters.length - 1; i >= 0; i--) {
      const waiter = this.commitWaiters[i];
      if (waiter && waiter.offset <= batch.lastOffset) {
        this.commitWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    this.maybeActivate();
  }

  handleLeaderChange(leader: LeaderAndEpoch): void {
    const before = this.raftLeader.leaderId;
    if (before >= 0 && before !== leader.leaderId) this.previousLeaderId = before;
    this.raftLeader = leader;
    if (this.isActive && (leader.leaderId !== this.nodeId || leader.epoch !== this.activeEpoch)) this.renounce();
    this.maybeActivate();
  }

  beginShutdown(): void {
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.isActive) this.renounce();
    this.options.raft.unregister(this);
  }

  private maybeActivate(): void {
    const { leaderId, epoch } = this.raftLeader;
    if (this.closed || this.isActive || leaderId !== this.nodeId || this.lastCommittedEpoch < epoch) return;
    this.activeEpoch = epoch;
    // A new active controller has no heartbeat history: every broker starts a fresh session now (Kafka's rule)…
    const now = this.now();
    this.heartbeats.touchAll(
      this.cluster.registrations().map((b) => b.id),
      now,
    );
    this.continuePreviousLeaderSession(now);
    const interval = this.options.config.sessionCheckIntervalMs ?? this.defaultSessionCheckIntervalMs();
    if (interval > 0) {
      this.sessionTimer = setInterval(() => void this.checkSessions(), interval);
      this.sessionTimer.unref();
    }
    this.emit({ kind: 'activated', epoch });
    this.maybeBootstrapFeatures();
    this.maybeScheduleNextElectUncleanLeaders();
    this.maybeScheduleNextBalancePartitionLeaders();
  }

  /**
   * …except the broker on the node that led the quorum before this one (combined nodes: one process). That node
   * went quiet, which is why this controller leads; Raft knows when this node last heard from it, and its session
   * goes on from then, as if the controller had not changed. Without this, a node that dies with the active
   * controller keeps its leaderships for an election plus a whole fresh session. A live node still gets at least
   * two heartbeat intervals from now to reach the new controller before it is fenced.
   */
  private continuePreviousLeaderSession(now: number): void {
    const id = this.previousLeaderId;
    if (id < 0 || id === this.nodeId || !this.cluster.registration(id)) return;
    const heard = this.options.raft.lastHeardFrom?.(id);
    if (heard === undefined) return;
    const { brokerSessionTimeoutMs: session, brokerHeartbeatIntervalMs: interval } = this.options.config;
    const latestExpiry = now - session + Math.min(session, 2 * interval);
    this.heartbeats.touch(id, Math.min(now, Math.max(heard, latestExpiry)));
  }

  /**
   * Kafka's bootstrap metadata, for the one feature kq finalizes: a log that has not finalized
   * `eligible.leader.replicas.version` gets the configured level (default Kafka 4.4's, 1) as the new active
   * controller's first operation, before any request it answers.
   */
  private maybeBootstrapFeatures(): void {
    const level = this.options.config.eligibleLeaderReplicasVersion ?? DEFAULT_ELIGIBLE_LEADER_REPLICAS_VERSION;
    void this.write(
      () => ({ records: this.features.bootstrapRecords(level), response: undefined }),
      () => undefined,
    );
  }

  private renounce(): void {
    const epoch = this.activeEpoch;
    this.activeEpoch = -1;
    clearInterval(this.sessionTimer);
    this.sessionTimer = undefined;
    clearTimeout(this.uncleanTimer);
    this.uncleanTimer = undefined;
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = undefined;
    for (const waiter of this.commitWaiters.splice(0))
      waiter.reject(new NotControllerError(`controller ${this.nodeId} is no longer active`));
    this.emit({ kind: 'renounced', epoch });
  }

  private defaultSessionCheckIntervalMs(): number {
    return Math.min(1000, Math.max(10, Math.floor(this.options.config.brokerSessionTimeoutMs / 10)));
  }

  // ------------------------------------------------------------------ operations

  /**
   * Runs `operation` after every earlier one has finished, against committed state, on the active controller;
   * appends its records and resolves once they are committed. `notController` is the answer when this
   * controller is not (or stops being) active.
   */
  private write<R>(operation: () => OperationResult<R>, notController: () => R): Promise<R> {
    const run = async (): Promise<R> => {
      if (!this.isActive) return notController();
      try {
        const { records, response } = operation();
        if (records.length === 0) return response;
        const offset = this.options.raft.scheduleAtomicAppend(this.activeEpoch, records);
        await this.waitForCommit(offset);
        for (const record of records) {
          if (record.type === 'PartitionChangeRecord') this.emitChange(record);
          if (record.type === 'ClearElrRecord')
            this.emit({
              kind: 'elr-cleared',
              topicName: record.topicName,
              minIsr: this.replication.effectiveMinIsr(record.topicName),
            });
        }
        // Kafka's QuorumController, after every write: schedule the unclean check and the leader rebalance.
        this.maybeScheduleNextElectUncleanLeaders();
        this.maybeScheduleNextBalancePartitionLeaders();
        return response;
      } catch (error) {
        if (error instanceof NotLeaderError || error instanceof NotControllerError) return notController();
        throw error;
      }
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private waitForCommit(offset: number): Promise<void> {
    if (offset <= this.lastCommittedOffset) return Promise.resolve();
    return new Promise((resolve, reject) => this.commitWaiters.push({ offset, resolve, reject }));
  }

  /** The offset the next record will get: everything before it is committed (operations run one at a time). */
  private get nextWriteOffset(): number {
    return this.lastCommittedOffset + 1;
  }

  private isAcceptableLeader = (brokerId: number): boolean => this.cluster.isActive(brokerId);

  // ------------------------------------------------------------------ brokers

  registerBroker(request: BrokerRegistrationRequest): Promise<BrokerRegistrationResponse> {
    const answer = (errorCode: number, brokerEpoch = -1n): BrokerRegistrationResponse => ({
      throttleTimeMs: 0,
      errorCode,
      brokerEpoch,
    });
    return this.write(
      () => {
        const { clusterId, brokerSessionTimeoutMs } = this.options.config;
        if (clusterId !== undefined && request.clusterId !== clusterId)
          return { records: [], response: answer(ErrorCode.INCONSISTENT_CLUSTER_ID) };
        const existing = this.cluster.registration(request.brokerId);
        const now = this.now();
        if (
          existing &&
          existing.incarnationId !== request.incarnationId &&
          !existing.fenced &&
          this.heartbeats.hasValidSession(existing.id, now, brokerSessionTimeoutMs)
        )
          return { records: [], response: answer(ErrorCode.DUPLICATE_BROKER_REGISTRATION) };
        // The broker epoch is the offset the registration record gets (it is the first record of the batch).
        const brokerEpoch = BigInt(this.nextWriteOffset);
        const records: MetadataRecord[] = [
          {
            type: 'RegisterBrokerRecord',
            brokerId: request.brokerId,
            incarnationId: request.incarnationId,
            brokerEpoch,
            endPoints: request.listeners,
            features: request.features,
            rack: request.rack,
            fenced: true,
            inControlledShutdown: false,
          },
          // A restarted broker registers fenced: what it led or was in sync for moves on (its log may have lost an
          // unflushed tail), exactly as if it had been fenced; after an unclean shutdown also every ELR (KIP-966).
          ...(existing ? this.reregistrationRecords(existing.incarnationId, existing.epoch, request) : []),
        ];
        this.heartbeats.touch(request.brokerId, now);
        this.emit({ kind: 'broker-registered', brokerId: request.brokerId, brokerEpoch });
        return { records, response: answer(ErrorCode.NONE, brokerEpoch) };
      },
      () => answer(ErrorCode.NOT_CONTROLLER),
    );
  }

  /**
   * A registered broker registers again. Kafka's `handleBrokerShutdown`: it leaves every ISR and its leaderships
   * are elected elsewhere, as if fenced. With ELR (KIP-966), a new incarnation that does not present the broker
   * epoch it shut down cleanly with (`previousBrokerEpoch`) shut down uncleanly: it may have lost an unflushed
   * tail, so it also leaves every ELR (`uncleanShutdownReplicas`).
   */
  private reregistrationRecords(
    incarnationId: string,
    epoch: bigint,
    request: BrokerRegistrationRequest,
  ): PartitionChangeRecord[] {
    const unclean =
      incarnationId !== request.incarnationId &&
      this.replication.isElrEnabled() &&
      (request.previousBrokerEpoch ?? -1n) !== epoch;
    return unclean
      ? this.changeRecords(
          this.replication.changesForUncleanShutdown(request.brokerId, this.isAcceptableLeader),
          'broker-unclean-shutdown',
        )
      : this.changeRecords(
          this.replication.changesForRemovedBroker(request.brokerId, this.isAcceptableLeader),
          'broker-registered',
        );
  }

  processBrokerHeartbeat(request: BrokerHeartbeatRequest): Promise<BrokerHeartbeatResponse> {
    const answer = (
      errorCode: number,
      state: { isCaughtUp?: boolean; isFenced?: boolean; shouldShutDown?: boolean } = {},
    ): BrokerHeartbeatResponse => ({
      throttleTimeMs: 0,
      errorCode,
      isCaughtUp: state.isCaughtUp ?? false,
      isFenced: state.isFenced ?? true,
      shouldShutDown: state.shouldShutDown ?? false,
    });
    return this.write(
      () => {
        const broker = this.cluster.registration(request.brokerId);
        if (!broker) return { records: [], response: answer(ErrorCode.BROKER_ID_NOT_REGISTERED) };
        if (broker.epoch !== request.brokerEpoch)
          return { records: [], response: answer(ErrorCode.STALE_BROKER_EPOCH) };
        this.heartbeats.touch(broker.id, this.now());
        const isCaughtUp = request.currentMetadataOffset >= BigInt(broker.registerOffset);
        const id = broker.id;
        // Kafka's BrokerHeartbeatManager.calculateNextBrokerState, then ReplicationControlManager's records.
        if (broker.inControlledShutdown) {
          const done =
            this.replication.leaderCount(id) === 0 &&
            request.currentMetadataOffset >= BigInt(broker.controlledShutdownOffset);
          if (!done) return { records: [], response: answer(ErrorCode.NONE, { isCaughtUp, isFenced: broker.fenced }) };
          const records = broker.fenced ? [] : this.fenceRecords(id, broker.epoch, 'controlled-shutdown-done');
          return { records, response: answer(ErrorCode.NONE, { isCaughtUp, isFenced: true, shouldShutDown: true }) };
        }
        if (broker.fenced) {
          if (request.wantShutDown)
            return { records: [], response: answer(ErrorCode.NONE, { isCaughtUp, shouldShutDown: true }) };
          if (request.wantFence || !isCaughtUp)
            return { records: [], response: answer(ErrorCode.NONE, { isCaughtUp }) };
          this.emit({ kind: 'broker-unfenced', brokerId: id });
          const records: MetadataRecord[] = [
            { type: 'UnfenceBrokerRecord', id, epoch: broker.epoch },
            ...this.changeRecords(
              this.replication.changesForOfflinePartitions((b) => b === id || this.isAcceptableLeader(b)),
              'broker-unfenced',
            ),
          ];
          return { records, response: answer(ErrorCode.NONE, { isCaughtUp, isFenced: false }) };
        }
        if (request.wantFence)
          return {
            records: this.fenceRecords(id, broker.epoch, 'want-fence'),
            response: answer(ErrorCode.NONE, { isCaughtUp }),
          };
        if (request.wantShutDown) {
          this.emit({ kind: 'controlled-shutdown', brokerId: id });
          const records: MetadataRecord[] = [
            ...this.changeRecords(
              this.replication.changesForRemovedBroker(id, this.isAcceptableLeader),
              'controlled-shutdown',
            ),
            // Last, so a broker that has replayed it has also replayed every leadership move before it.
            {
              type: 'BrokerRegistrationChangeRecord',
              brokerId: id,
              brokerEpoch: broker.epoch,
              fenced: 0,
              inControlledShutdown: 1,
            },
          ];
          return { records, response: answer(ErrorCode.NONE, { isCaughtUp, isFenced: false }) };
        }
        return { records: [], response: answer(ErrorCode.NONE, { isCaughtUp, isFenced: false }) };
      },
      () => answer(ErrorCode.NOT_CONTROLLER),
    );
  }

  /**
   * Fences every unfenced broker whose session expired (Kafka's `maybeFenceOneStaleBroker`): one broker per
   * operation, so each election sees the previous fencing committed. Runs on a timer while active; tests with an
   * injected clock call it directly. Resolves with the fenced broker ids.
   */
  async checkSessions(): Promise<number[]> {
    const fenced: number[] = [];
    for (;;) {
      const id = await this.write<number | undefined>(
        () => {
          const now = this.now();
          const stale = this.cluster
            .registrations()
            .find(
              (b) =>
                !b.fenced && !this.heartbeats.hasValidSession(b.id, now, this.options.config.brokerSessionTimeoutMs),
            );
          if (!stale) return { records: [], response: undefined };
          return { records: this.fenceRecords(stale.id, stale.epoch, 'session-timeout'), response: stale.id };
        },
        () => undefined,
      );
      if (id === undefined) return fenced;
      fenced.push(id);
    }
  }

  // ------------------------------------------------------------------ periodic elections

  /**
   * Kafka's `maybeElectUncleanLeaders`: an UNCLEAN election for every leaderless partition whose topic now allows
   * it (`unclean.leader.election.enable` turned on by a config change after the partition went offline, or a
   * replica that came back). Runs `unclean.leader.election.interval.ms` after a write while some partition is
   * leaderless; tests call it directly. Resolves with how many partitions got a leader.
   */
  maybeElectUncleanLeaders(): Promise<number> {
    return this.write<number>(
      () => {
        const changes = this.replication.uncleanElectionsForLeaderlessPartitions(this.isAcceptableLeader);
        return { records: this.changeRecords(changes, 'unclean-election-check'), response: changes.length };
      },
      () => 0,
    );
  }

  /**
   * Kafka's `maybeBalancePartitionLeaders` (`auto.leader.rebalance.enable`): a PREFERRED election for every
   * partition not led by its preferred replica. Runs `leader.imbalance.check.interval.seconds` after a write that
   * leaves some partition imbalanced; tests call it directly. Resolves with how many leaders moved.
   */
  maybeBalancePartitionLeaders(): Promise<number> {
    return this.write<number>(
      () => {
        const changes = this.replication.preferredElectionsForImbalancedPartitions(this.isAcceptableLeader);
        return { records: this.changeRecords(changes, 'leader-rebalance'), response: changes.length };
      },
      () => 0,
    );
  }

  private maybeScheduleNextElectUncleanLeaders(): void {
    const interval = this.options.config.uncleanLeaderElectionIntervalMs ?? DEFAULT_UNCLEAN_LEADER_ELECTION_INTERVAL_MS;
    if (this.uncleanTimer || interval <= 0 || !this.isActive || !this.replication.hasLeaderlessPartitions()) return;
    this.uncleanTimer = setTimeout(() => {
      this.uncleanTimer = undefined;
      void this.maybeElectUncleanLeaders().then(() => this.maybeScheduleNextElectUncleanLeaders());
    }, interval);
    this.uncleanTimer.unref();
  }

  private maybeScheduleNextBalancePartitionLeaders(): void {
    const interval = this.options.config.leaderImbalanceCheckIntervalMs ?? DEFAULT_LEADER_IMBALANCE_CHECK_INTERVAL_MS;
    const enabled = this.options.config.autoLeaderRebalanceEnable ?? true;
    if (this.rebalanceTimer || !enabled || interval <= 0 || !this.isActive) return;
    if (!this.replication.hasImbalancedPartitions()) return;
    this.rebalanceTimer = setTimeout(() => {
      this.rebalanceTimer = undefined;
      void this.maybeBalancePartitionLeaders().then(() => this.maybeScheduleNextBalancePartitionLeaders());
    }, interval);
    this.rebalanceTimer.unref();
  }

  /** FenceBrokerRecord, then the broker leaves every ISR and its leaderships are elected elsewhere. */
  private fenceRecords(
    brokerId: number,
    epoch: bigint,
    reason: 'session-timeout' | 'want-fence' | 'controlled-shutdown-done',
  ): MetadataRecord[] {
    this.emit({ kind: 'broker-fenced', brokerId, reason });
    return [
      { type: 'FenceBrokerRecord', id: brokerId, epoch },
      ...this.changeRecords(
        this.replication.changesForRemovedBroker(brokerId, this.isAcceptableLeader),
        'broker-fenced',
      ),
    ];
  }

  // ------------------------------------------------------------------ producer ids

  /**
   * KIP-730: the next block of producer ids for a registered broker, claimed by a ProducerIdsRecord; answered once
   * that record is committed, so a block is never given twice (Kafka's ProducerIdControlManager).
   */
  allocateProducerIds(request: AllocateProducerIdsRequest): Promise<AllocateProducerIdsResponse> {
    const answer = (errorCode: number, producerIdStart = -1n, producerIdLen = 0): AllocateProducerIdsResponse => ({
      throttleTimeMs: 0,
      errorCode,
      producerIdStart,
      producerIdLen,
    });
    return this.write(
      () => {
        if (!this.cluster.hasEpoch(request.brokerId, request.brokerEpoch))
          return { records: [], response: answer(ErrorCode.STALE_BROKER_EPOCH) };
        const { block, record } = this.producerIds.generateNextProducerIdBlock(request.brokerId, request.brokerEpoch);
        return { records: [record], response: answer(ErrorCode.NONE, block.firstProducerId, block.size) };
      },
      () => answer(ErrorCode.NOT_CONTROLLER),
    );
  }

  // ------------------------------------------------------------------ configs

  /** Topic configs: see `incrementalAlterConfigChanges`; answered once the ConfigRecords are committed. */
  incrementalAlterConfigs(request: IncrementalAlterConfigsRequest): Promise<IncrementalAlterConfigsResponse> {
    const validate = this.options.config.validateTopicConfig ?? (() => null);
    return this.write(
      () => {
        const { records, responses } = incrementalAlterConfigChanges(request, this.replication, validate);
        const cleared = createClearElrRecordsAsNeeded(records, this.replication.isElrEnabled());
        return { records: [...records, ...cleared], response: { throttleTimeMs: 0, responses } };
      },
      () => ({
        throttleTimeMs: 0,
        responses: request.resources.map((r) => ({
          errorCode: ErrorCode.NOT_CONTROLLER,
          errorMessage: null,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
        })),
      }),
    );
  }

  // ------------------------------------------------------------------ ISR changes

  alterPartition(request: AlterPartitionRequest): Promise<AlterPartitionResponse> {
    return this.write<AlterPartitionResponse>(
      () => {
        if (!this.cluster.hasEpoch(request.brokerId, request.brokerEpoch) && request.brokerEpoch !== -1n)
          return { records: [], response: { throttleTimeMs: 0, errorCode: ErrorCode.STALE_BROKER_EPOCH, topics: [] } };
        const records: PartitionChangeRecord[] = [];
        const topics = request.topics.map((t) => {
          const topic =
            t.topicId !== undefined && t.topicId !== ZERO_UUID
              ? this.replication.topicById(t.topicId)
              : this.replication.topic(t.topicName ?? '');
          const partitions = t.partitions.map((p): AlterPartitionPartitionResult => {
            const refuse = (errorCode: number): AlterPartitionPartitionResult => ({
              partitionIndex: p.partitionIndex,
              errorCode,
              leaderId: -1,
              leaderEpoch: -1,
              isr: [],
              partitionEpoch: -1,
            });
            if (!topic)
              return refuse(
                t.topicId !== undefined ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              );
            const current = topic.partitions.get(p.partitionIndex);
            if (!current) return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            const isr = proposedIsr(p);
            const epochs = new Map((p.newIsrWithEpochs ?? []).map((b) => [b.brokerId, b.brokerEpoch]));
            const error = validateAlterPartition(
              current,
              { brokerId: request.brokerId, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch, isr },
              (id) => {
                const epoch = epochs.get(id) ?? -1n;
                return this.cluster.isActive(id) && (epoch === -1n || this.cluster.hasEpoch(id, epoch));
              },
            );
            if (error !== ErrorCode.NONE) return refuse(error);
            const built = this.replication.changeFor(topic.id, p.partitionIndex, { isr }, this.isAcceptableLeader);
            const change = (built && this.changeRecords([built], 'alter-partition')[0]) ?? {
              // The same ISR again: still a new partition epoch, so the leader's pending proposal completes.
              type: 'PartitionChangeRecord' as const,
              topicId: topic.id,
              partitionId: p.partitionIndex,
              isr,
              leader: -2,
            };
            records.push(change);
            const leaderChanged = change.leader !== -2;
            // The ISR change completed a reassignment that removed this leader: the record is written and the
            // sender told to learn the new leader from the metadata (Kafka answers the same, NEW_LEADER_ELECTED).
            if (leaderChanged && change.leader !== request.brokerId) return refuse(ErrorCode.NEW_LEADER_ELECTED);
            return {
              partitionIndex: p.partitionIndex,
              errorCode: ErrorCode.NONE,
              leaderId: leaderChanged ? change.leader : current.leader,
              leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
              isr: change.isr ?? [...current.isr],
              partitionEpoch: current.partitionEpoch + 1,
            };
          });
          return {
            topicName: topic?.name ?? t.topicName ?? '',
            topicId: topic?.id ?? t.topicId ?? ZERO_UUID,
            partitions,
          };
        });
        return { records, response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics } };
      },
      () => ({ throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, topics: [] }),
    );
  }

  // ------------------------------------------------------------------ ElectLeaders

  /**
   * ElectLeaders (KIP-183, KIP-460; Kafka's `ReplicationControlManager.electLeaders`): a PREFERRED or UNCLEAN
   * election for each named partition, or for every partition when `topicPartitions` is null (then partitions whose
   * election was not needed are left out of the answer). Per partition: UNKNOWN_TOPIC_OR_PARTITION; ELECTION_NOT_NEEDED
   * when the preferred replica already leads (PREFERRED) or the partition has a leader (UNCLEAN);
   * PREFERRED_LEADER_NOT_AVAILABLE / ELIGIBLE_LEADERS_NOT_AVAILABLE when the election finds nobody new. An UNCLEAN
   * request elects an out-of-sync replica whatever the topic's config says: the admin asked for it.
   */
  electLeaders(request: ElectLeadersRequest): Promise<ElectLeadersResponse> {
    const everything = (errorCode: number): ElectLeadersResponse => ({
      throttleTimeMs: 0,
      errorCode,
      replicaElectionResults: (request.topicPartitions ?? []).map((t) => ({
        topic: t.topic,
        partitionResult: t.partitions.map((partitionId) => ({
          partitionId,
          errorCode,
          errorMessage: errorInfo(errorCode).message,
        })),
      })),
    });
    if (request.electionType !== ElectionType.PREFERRED && request.electionType !== ElectionType.UNCLEAN)
      return Promise.resolve(everything(ErrorCode.INVALID_REQUEST));
    const election: Election = request.electionType === ElectionType.UNCLEAN ? 'UNCLEAN' : 'PREFERRED';
    return this.write<ElectLeadersResponse>(
      () => {
        const changes: PartitionChange[] = [];
        const elect = (topicName: string, partitionId: number): { errorCode: number; errorMessage: string | null } => {
          const topic = this.replication.topic(topicName);
          const current = topic?.partitions.get(partitionId);
          if (!topic || !current)
            return {
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              errorMessage: topic
                ? `No such partition as ${topicName}-${partitionId}`
                : `No such topic as ${topicName}`,
            };
          if (
            (election === 'PREFERRED' && current.leader === current.replicas[0]) ||
            (election === 'UNCLEAN' && current.leader !== NO_LEADER)
          )
            return {
              errorCode: ErrorCode.ELECTION_NOT_NEEDED,
              errorMessage: errorInfo(ErrorCode.ELECTION_NOT_NEEDED).message,
            };
          const change = buildPartitionChange(topic.id, partitionId, current, { election }, this.isAcceptableLeader);
          if (!change || change.record.leader === NO_LEADER || change.record.leader === NO_LEADER_CHANGE) {
            const errorCode =
              election === 'PREFERRED'
                ? ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE
                : ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
            return { errorCode, errorMessage: errorInfo(errorCode).message };
          }
          changes.push(change);
          return { errorCode: ErrorCode.NONE, errorMessage: null };
        };
        const replicaElectionResults =
          request.topicPartitions === null
            ? this.replication.topics().map((topic) => ({
                topic: topic.name,
                partitionResult: [...topic.partitions.keys()]
                  .sort((a, b) => a - b)
                  .map((partitionId) => ({ partitionId, ...elect(topic.name, partitionId) }))
                  .filter((r) => r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED),
              }))
            : request.topicPartitions.map((t) => ({
                topic: t.topic,
                partitionResult: t.partitions.map((partitionId) => ({ partitionId, ...elect(t.topic, partitionId) })),
              }));
        return {
          records: this.changeRecords(changes, 'elect-leaders'),
          response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults },
        };
      },
      () => everything(ErrorCode.NOT_CONTROLLER),
    );
  }

  // ------------------------------------------------------------------ partition reassignment

  /**
   * AlterPartitionReassignments (KIP-455; Kafka's `ReplicationControlManager.alterPartitionReassignments`): per
   * partition, start a move to the target replicas or cancel the running one (`reassignPartition`); the records
   * of all partitions are written atomically. The move finishes later, in the AlterPartition that brings the last
   * adding replica into the ISR (the builder's `completeReassignment`), or at once when the target is in sync.
   */
  alterPartitionReassignments(
    request: AlterPartitionReassignmentsRequest,
  ): Promise<AlterPartitionReassignmentsResponse> {
    const answer = (
      errorCode: number,
      errorMessage: string | null,
      responses: AlterPartitionReassignmentsResponse['responses'],
    ): AlterPartitionReassignmentsResponse => ({
      throttleTimeMs: 0,
      allowReplicationFactorChange: request.allowReplicationFactorChange,
      errorCode,
      errorMessage,
      responses,
    });
    return this.write<AlterPartitionReassignmentsResponse>(
      () => {
        const started: PartitionChange[] = [];
        const cancelled: PartitionChange[] = [];
        const responses = request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => {
            const result = this.replication.reassignPartition(t.name, p.partitionIndex, p.replicas, {
              allowReplicationFactorChange: request.allowReplicationFactorChange,
              isRegistered: (id) => this.cluster.registration(id) !== undefined,
              isAcceptableLeader: this.isAcceptableLeader,
            });
            if (result.change) (p.replicas === null ? cancelled : started).push(result.change);
            return { partitionIndex: p.partitionIndex, errorCode: result.errorCode, errorMessage: result.errorMessage };
          }),
        }));
        return {
          records: [
            ...this.changeRecords(started, 'reassignment'),
            ...this.changeRecords(cancelled, 'reassignment-cancelled'),
          ],
          response: answer(ErrorCode.NONE, null, responses),
        };
      },
      () => answer(ErrorCode.NOT_CONTROLLER, errorInfo(ErrorCode.NOT_CONTROLLER).message, []),
    );
  }

  /** ListPartitionReassignments (KIP-455): the partitions with adding or removing replicas, from committed state. */
  listPartitionReassignments(request: ListPartitionReassignmentsRequest): Promise<ListPartitionReassignmentsResponse> {
    return this.write<ListPartitionReassignmentsResponse>(
      () => ({
        records: [],
        response: {
          throttleTimeMs: 0,
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          topics: this.replication.listPartitionReassignments(request.topics),
        },
      }),
      () => ({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NOT_CONTROLLER,
        errorMessage: errorInfo(ErrorCode.NOT_CONTROLLER).message,
        topics: [],
      }),
    );
  }

  // ------------------------------------------------------------------ topics

  createTopics(request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
    return this.write(
      () => {
        const counts = new Map<string, number>();
        for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
        const records: MetadataRecord[] = [];
        let start = this.replication.partitionCount;
        const topics = request.topics.map((topic): CreatableTopicResult => {
          const fail = (errorCode: number, errorMessage: string): CreatableTopicResult => ({
            name: topic.name,
            topicId: ZERO_UUID,
            errorCode,
            errorMessage,
            numPartitions: -1,
            replicationFactor: -1,
            configs: null,
          });
          if ((counts.get(topic.name) ?? 0) > 1)
            return fail(ErrorCode.INVALID_REQUEST, `Topic '${topic.name}' appears more than once in the request.`);
          const planned = this.planTopic(topic, start);
          if ('errorCode' in planned) return fail(planned.errorCode, planned.message);
          const topicId = newUuid();
          const configs = topic.configs.map((c) => ({ name: c.name, value: c.value ?? '' }));
          if (!request.validateOnly) {
            records.push({ type: 'TopicRecord', name: topic.name, topicId });
            for (const c of configs)
              records.push({
                type: 'ConfigRecord',
                resourceType: ConfigResourceType.TOPIC,
                resourceName: topic.name,
                name: c.name,
                value: c.value,
              });
            planned.assignment.forEach((replicas, partitionId) => {
              const isr = replicas.filter((id) => this.cluster.isActive(id));
              records.push({
                type: 'PartitionRecord',
                partitionId,
                topicId,
                replicas,
                isr,
                removingReplicas: [],
                addingReplicas: [],
                leader: isr[0] ?? -1,
                leaderEpoch: 0,
                partitionEpoch: 0,
              });
            });
            start += planned.assignment.length;
          }
          return {
            name: topic.name,
            topicId: request.validateOnly ? ZERO_UUID : topicId,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            numPartitions: planned.assignment.length,
            replicationFactor: planned.assignment[0]?.length ?? 0,
            configs: configs.map((c) => ({
              name: c.name,
              value: c.value,
              readOnly: false,
              configSource: CONFIG_SOURCE_TOPIC,
              isSensitive: false,
            })),
          };
        });
        return { records, response: { throttleTimeMs: 0, topics } };
      },
      () => ({
        throttleTimeMs: 0,
        topics: request.topics.map((t) => ({
          name: t.name,
          topicId: ZERO_UUID,
          errorCode: ErrorCode.NOT_CONTROLLER,
          errorMessage: errorInfo(ErrorCode.NOT_CONTROLLER).message,
          numPartitions: -1,
          replicationFactor: -1,
          configs: null,
        })),
      }),
    );
  }

  /** Validates one CreateTopics entry against the cluster and places its replicas (Kafka's createTopic checks). */
  private planTopic(
    topic: CreatableTopic,
    start: number,
  ): { assignment: number[][] } | { errorCode: number; message: string } {
    const nameProblem = topicNameProblem(topic.name);
    if (nameProblem) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: nameProblem };
    if (this.replication.topic(topic.name))
      return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${topic.name}' already exists.` };
    for (const c of topic.configs) {
      if (c.value === null)
        return {
          errorCode: ErrorCode.INVALID_CONFIG,
          message: `Config ${c.name} has a null value; give a value or leave it out.`,
        };
      const problem = this.options.config.validateTopicConfig?.(c.name, c.value);
      if (problem) return { errorCode: ErrorCode.INVALID_CONFIG, message: problem };
    }
    if (topic.assignments.length > 0) {
      if (topic.numPartitions !== -1 || topic.replicationFactor !== -1)
        return {
          errorCode: ErrorCode.INVALID_REQUEST,
          message: 'Give either num_partitions/replication_factor or a replica assignment, not both (set them to -1).',
        };
      const assignment = topic.assignments.map((a) => a.brokerIds);
      const problem = topic.assignments
        .map((a, i) =>
          a.partitionIndex !== i
            ? `partitions must be 0..n-1 in order, got ${a.partitionIndex} at ${i}`
            : this.assignmentProblem(a.brokerIds),
        )
        .find((p) => p !== null);
      if (problem) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, message: problem };
      return { assignment };
    }
    const partitions = topic.numPartitions === -1 ? this.options.config.numPartitions : topic.numPartitions;
    const rf = topic.replicationFactor === -1 ? this.options.config.defaultReplicationFactor : topic.replicationFactor;
    if (partitions < 1)
      return {
        errorCode: ErrorCode.INVALID_PARTITIONS,
        message: `Number of partitions must be at least 1 (or -1 for the default), got ${topic.numPartitions}.`,
      };
    if (rf < 1)
      return {
        errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
        message: `Replication factor must be at least 1 (or -1 for the default), got ${topic.replicationFactor}.`,
      };
    const usable = this.cluster.activeBrokerIds();
    if (rf > usable.length)
      return {
        errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
        message: `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only ${usable.length} broker(s) are registered.`,
      };
    return { assignment: placeReplicas(usable, 0, partitions, rf, start) };
  }

  /** Why a manual assignment cannot be used, or null (Kafka: registered brokers, no duplicates, one active). */
  private assignmentProblem(brokerIds: readonly number[]): string | null {
    if (brokerIds.length === 0) return 'an assignment must name at least one broker';
    if (new Set(brokerIds).size !== brokerIds.length)
      return `assignment [${brokerIds.join(', ')}] names a broker twice`;
    const unknown = brokerIds.filter((id) => !this.cluster.registration(id));
    if (unknown.length > 0) return `assignment names unregistered broker(s) ${unknown.join(', ')}`;
    if (!brokerIds.some((id) => this.cluster.isActive(id)))
      return `all brokers of assignment [${brokerIds.join(', ')}] are fenced`;
    return null;
  }

  deleteTopics(request: DeleteTopicsRequest, version: number): Promise<DeleteTopicsResponse> {
    const asked =
      version >= 6
        ? (request.topics ?? []).map((t) => ({ name: t.name, topicId: t.topicId }))
        : request.topicNames.map((name) => ({ name: name, topicId: ZERO_UUID }));
    return this.write(
      () => {
        const records: MetadataRecord[] = [];
        const removed = new Set<TopicId>();
        const responses = asked.map(({ name: given, topicId }): DeletableTopicResult => {
          const byId = !given && topicId !== ZERO_UUID;
          const topic = byId ? this.replication.topicById(topicId) : this.replication.topic(given ?? '');
          if (!topic || removed.has(topic.id))
            return byId
              ? {
                  name: null,
                  topicId,
                  errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
                  errorMessage: `No topic with id ${topicId}.`,
                }
              : {
                  name: given,
                  topicId,
                  errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                  errorMessage: errorInfo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).message,
                };
          removed.add(topic.id);
          records.push({ type: 'RemoveTopicRecord', topicId: topic.id });
          return { name: topic.name, topicId: topic.id, errorCode: ErrorCode.NONE, errorMessage: null };
        });
        return { records, response: { throttleTimeMs: 0, responses } };
      },
      () => ({
        throttleTimeMs: 0,
        responses: asked.map(({ name, topicId }) => ({
          name,
          topicId,
          errorCode: ErrorCode.NOT_CONTROLLER,
          errorMessage: errorInfo(ErrorCode.NOT_CONTROLLER).message,
        })),
      }),
    );
  }

  createPartitions(request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
    return this.write(
      () => {
        const counts = new Map<string, number>();
        for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
        const records: MetadataRecord[] = [];
        let start = this.replication.partitionCount;
        const results = request.topics.map((t): CreatePartitionsTopicResult => {
          const result = (errorCode: number, errorMessage: string | null) => ({
            name: t.name,
            errorCode,
            errorMessage,
          });
          if ((counts.get(t.name) ?? 0) > 1)
            return result(ErrorCode.INVALID_REQUEST, `Topic '${t.name}' appears more than once in the request.`);
          const topic = this.replication.topic(t.name);
          if (!topic) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${t.name}' does not exist.`);
          const existing = topic.partitions.size;
          if (t.count <= existing)
            return result(
              ErrorCode.INVALID_PARTITIONS,
              `Topic currently has ${existing} partitions, which is higher than the requested ${t.count}.`,
            );
          let assignment: number[][];
          if (t.assignments) {
            if (t.assignments.length !== t.count - existing)
              return result(
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                `Expected ${t.count - existing} assignment(s), one per new partition, got ${t.assignments.length}.`,
              );
            const problem = t.assignments.map((a) => this.assignmentProblem(a.brokerIds)).find((p) => p !== null);
            if (problem) return result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
            assignment = t.assignments.map((a) => a.brokerIds);
          } else {
            const rf = topic.partitions.get(0)?.replicas.length ?? 1;
            const usable = this.cluster.activeBrokerIds();
            if (rf > usable.length)
              return result(
                ErrorCode.INVALID_REPLICATION_FACTOR,
                `Unable to replicate the partition ${rf} time(s): only ${usable.length} broker(s) are active.`,
              );
            assignment = placeReplicas(usable, existing, t.count - existing, rf, start);
          }
          if (!request.validateOnly) {
            assignment.forEach((replicas, i) => {
              const isr = replicas.filter((id) => this.cluster.isActive(id));
              records.push({
                type: 'PartitionRecord',
                partitionId: existing + i,
                topicId: topic.id,
                replicas,
                isr,
                removingReplicas: [],
                addingReplicas: [],
                leader: isr[0] ?? -1,
                leaderEpoch: 0,
                partitionEpoch: 0,
              });
            });
            start += assignment.length;
          }
          return result(ErrorCode.NONE, null);
        });
        return { records, response: { throttleTimeMs: 0, results } };
      },
      () => ({
        throttleTimeMs: 0,
        results: request.topics.map((t) => ({
          name: t.name,
          errorCode: ErrorCode.NOT_CONTROLLER,
          errorMessage: errorInfo(ErrorCode.NOT_CONTROLLER).message,
        })),
      }),
    );
  }

  // ------------------------------------------------------------------ events

  /** The records of `changes`, remembering each one's election and cause for its event once committed. */
  private changeRecords(changes: readonly PartitionChange[], cause: PartitionChangeCause): PartitionChangeRecord[] {
    return changes.map((change) => {
      this.changeCauses.set(change.record, { change, cause });
      return change.record;
    });
  }

  private emitChange(record: PartitionChangeRecord): void {
    const known = this.changeCauses.get(record);
    const change = known?.change;
    this.emit({
      kind: 'partition-change',
      topicId: record.topicId,
      partition: record.partitionId,
      isr: record.isr,
      leader: record.leader,
      ...(change
        ? {
            election: { ...change.election, kind: change.kind },
            before: {
              leader: change.before.leader,
              isr: change.before.isr,
              leaderEpoch: change.before.leaderEpoch,
              elr: change.before.elr ?? [],
            },
            cause: known.cause,
            minIsr: this.replication.effectiveMinIsr(this.replication.topicById(record.topicId)?.name ?? ''),
          }
        : {}),
      ...(record.eligibleLeaderReplicas ? { elr: record.eligibleLeaderReplicas } : {}),
      ...(record.replicas || record.addingReplicas || record.removingReplicas
        ? {
            reassignment: {
              replicas: record.replicas ?? change?.before.replicas ?? [],
              addingReplicas: record.addingReplicas ?? change?.before.addingReplicas ?? [],
              removingReplicas: record.removingReplicas ?? change?.before.removingReplicas ?? [],
              ...(change?.completedReassignment ? { removed: change.completedReassignment.removed } : {}),
            },
          }
        : {}),
    });
  }

  private emit(event: ControllerEvent): void {
    this.options.onEvent?.(event);
  }
}

/** A new topic id (Kafka's `Uuid.randomUuid`: never the zero or one uuid, never starting with '-'). */
function newUuid(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id !== ZERO_UUID && id !== 'AAAAAAAAAAAAAAAAAAAAAQ' && !id.startsWith('-')) return id;
  }
}
