import { join } from 'node:path';
import { RawKafkaClient } from '../client/raw-kafka-client.js';
import { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { ZERO_UUID } from '../protocol/schema/message-codec.js';
import type { DescribeQuorumPartition, ReplicaState } from '../protocol/describe-quorum/response.js';
import type { FetchPartitionResponse } from '../protocol/fetch/response.js';
import { KafkaMetadataLog, METADATA_PARTITION, METADATA_TOPIC, METADATA_TOPIC_ID } from './kafka-metadata-log.js';
import { KafkaRaftClient, type RaftConfig, type ReplicaDescription } from './kafka-raft-client.js';
import { MetadataRecordBatchCodec } from './metadata-record-batch.js';
import type { QuorumVoter } from './quorum-config.js';
import { FileQuorumStateStore, type QuorumStateStore } from './quorum-state-store.js';
import {
  type Batch,
  type LeaderAndEpoch,
  NotLeaderError,
  type RaftClient,
  type RaftClientListener,
  type RecordSerde,
} from './raft-client.js';
import type { OutboundMessage, RaftMessage } from './raft-messages.js';
import { batchLastOffset, type ReplicatedLog } from './replicated-log.js';

/** The versions this node speaks to the other voters (and answers; see api-keys.ts). */
export const RAFT_RPC_VERSIONS = {
  /** v2 carries KIP-996's PreVote flag. */
  Vote: 2,
  BeginQuorumEpoch: 0,
  EndQuorumEpoch: 0,
  DescribeQuorum: 1,
  /** v15+ names the fetching replica in ReplicaState (KIP-903); v12+ carries LastFetchedEpoch / DivergingEpoch. */
  Fetch: 16,
} as const;

const FETCH_MAX_BYTES = 8 << 20;

export interface KafkaRaftManagerOptions<T> {
  /** `node.id`. */
  readonly nodeId: number;
  /** `controller.quorum.voters`. A node not among them is an observer: it fetches the log but never votes. */
  readonly voters: readonly QuorumVoter[];
  readonly serde: RecordSerde<T>;
  /** The metadata log; `KafkaRaftManager.open` gives the on-disk one. */
  readonly log: ReplicatedLog;
  readonly store: QuorumStateStore;
  readonly clusterId?: string | null;
  /** `controller.quorum.election.timeout.ms`, Kafka's default 1000. */
  readonly electionTimeoutMs?: number;
  /** `controller.quorum.fetch.timeout.ms`, Kafka's default 2000. */
  readonly fetchTimeoutMs?: number;
  /** `controller.quorum.request.timeout.ms`, Kafka's default 2000. */
  readonly requestTimeoutMs?: number;
  /** `controller.quorum.retry.backoff.ms`, Kafka's default 20. */
  readonly retryBackoffMs?: number;
  /**
   * How long the leader holds a follower's Fetch that has nothing new: Kafka's raft fetch max wait, 500 ms, but
   * never more than half the fetch timeout, so a short `controller.quorum.fetch.timeout.ms` is not raced by a
   * healthy leader's held answer.
   */
  readonly fetchMaxWaitMs?: number;
  /** How often the timers run (`poll`). */
  readonly pollIntervalMs?: number;
  readonly random?: () => number;
  readonly clock?: () => number;
  /** Where a listener's exception is reported (it does not stop the others); default stderr. */
  readonly onListenerError?: (error: unknown) => void;
}

/** What the node's KafkaApis asks of the Raft layer: the RPCs only a KRaft node answers. */
export interface RaftApis {
  handleVoteRequest(request: ApiRequest<typeof ApiKey.Vote>): ApiResponse<typeof ApiKey.Vote>;
  handleBeginQuorumEpochRequest(
    request: ApiRequest<typeof ApiKey.BeginQuorumEpoch>,
  ): ApiResponse<typeof ApiKey.BeginQuorumEpoch>;
  handleEndQuorumEpochRequest(
    request: ApiRequest<typeof ApiKey.EndQuorumEpoch>,
  ): ApiResponse<typeof ApiKey.EndQuorumEpoch>;
  handleDescribeQuorumRequest(
    request: ApiRequest<typeof ApiKey.DescribeQuorum>,
  ): ApiResponse<typeof ApiKey.DescribeQuorum> | Promise<ApiResponse<typeof ApiKey.DescribeQuorum>>;
  /** The voters' endpoints and the quorum leader (-1 when unknown): DescribeCluster for the controller endpoint. */
  describeControllers(): { leaderId: number; voters: QuorumVoter[] };
  /** Whether a Fetch is for `__cluster_metadata` (by id from v13, by name before). */
  isMetadataFetch(request: ApiRequest<typeof ApiKey.Fetch>, version: number): boolean;
  handleFetchRequest(
    request: ApiRequest<typeof ApiKey.Fetch>,
    version: number,
  ): ApiResponse<typeof ApiKey.Fetch> | Promise<ApiResponse<typeof ApiKey.Fetch>>;
}

/** A node's view of the quorum, for `describe()` and tests. */
export interface RaftNodeSnapshot {
  readonly nodeId: number;
  readonly state: string;
  readonly epoch: number;
  readonly leaderId: number;
  readonly highWatermark: number;
  readonly logEndOffset: number;
  readonly voter: boolean;
}

interface ListenerContext<T> {
  readonly listener: RaftClientListener<T>;
  /** The next offset to deliver: every batch below it has reached `handleCommit`, exactly once. */
  nextOffset: number;
  lastFired: LeaderAndEpoch | undefined;
}

interface ParkedFetch {
  readonly replicaId: number;
  readonly message: Extract<RaftMessage, { type: 'Fetch' }>;
  readonly complete: () => void;
}

type RequestType = 'Vote' | 'BeginQuorumEpoch' | 'EndQuorumEpoch' | 'Fetch';

/**
 * One KRaft node's Raft layer at work (Kafka's `KafkaRaftManager` with its `KafkaNetworkChannel`): it owns one
 * KafkaRaftClient (the pure state machine) and its log and quorum-state file, runs the client's timers
 * (`poll(now)` every `pollIntervalMs`), turns each `{to, message}` the client returns into the real RPC to that
 * voter's listener, hands the answers back to the client, and answers the RPCs other nodes send here (through
 * KafkaApis, which calls the `RaftApis` methods). It implements the seam `RaftClient<T>` for the controller and
 * the MetadataLoader: listeners get every committed batch exactly once and in order (replayed from the log start
 * when they register late), and `handleLeaderChange` — for the local leader only once the listener has seen
 * everything before the leader's epoch, as Kafka does, so a new active controller never writes on a stale state.
 *
 * A follower's Fetch waits at the leader (long poll) for up to `fetchMaxWaitMs` when there is nothing new, and
 * is answered as soon as a batch is appended or the high watermark moves past what that follower last heard; so
 * followers fetch continuously without busy polling, and one lost answer costs a retry, not an election.
 *
 * Everything runs on the event loop: the timer, answers from other nodes and incoming requests each call into
 * the client synchronously, so the state machine never sees two things at once. Listener callbacks run on a
 * microtask after the change that caused them, never inside a caller's `scheduleAtomicAppend`.
 * Owned by whoever created it (the node's runtime), which calls `startup()` and `shutdown()`.
 */
export class KafkaRaftManager<T> implements RaftClient<T>, RaftApis {
  readonly nodeId: number;
  readonly #client: KafkaRaftClient;
  readonly #log: ReplicatedLog;
  readonly #codec: MetadataRecordBatchCodec<T>;
  readonly #endpoints = new Map<number, { host: string; port: number }>();
  readonly #clusterId: string | null;
  readonly #requestTimeoutMs: number;
  readonly #fetchMaxWaitMs: number;
  readonly #pollIntervalMs: number;
  readonly #clock: () => number;
  readonly #onListenerError: (error: unknown) => void;
  readonly #listeners = new Map<RaftClientListener<T>, ListenerContext<T>>();
  readonly #lanes = new Map<string, Lane>();
  #parked: ParkedFetch[] = [];
  /** The high watermark each fetcher was last told: a fetch is held only if it would tell nothing new. */
  readonly #hwSent = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #listenersScheduled = false;
  /** A controlled shutdown is sending EndQuorumEpoch: no more timers, no new appends. */
  #closing = false;
  #closed = false;

  constructor(options: KafkaRaftManagerOptions<T>) {
    this.nodeId = options.nodeId;
    for (const v of options.voters) this.#endpoints.set(v.id, { host: v.host, port: v.port });
    this.#log = options.log;
    this.#codec = new MetadataRecordBatchCodec(options.serde);
    this.#clusterId = options.clusterId ?? null;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 2000;
    this.#fetchMaxWaitMs = options.fetchMaxWaitMs ?? Math.min(500, Math.floor((options.fetchTimeoutMs ?? 2000) / 2));
    this.#pollIntervalMs = options.pollIntervalMs ?? 10;
    this.#clock = options.clock ?? Date.now;
    this.#onListenerError =
      options.onListenerError ??
      ((error) => process.stderr.write(`raft node ${this.nodeId}: a listener failed: ${String(error)}\n`));
    const config: RaftConfig = {
      nodeId: options.nodeId,
      voters: options.voters.map((v) => v.id),
      random: options.random ?? Math.random,
      store: options.store,
      log: options.log,
      ...(options.electionTimeoutMs !== undefined && { electionTimeoutMs: options.electionTimeoutMs }),
      ...(options.fetchTimeoutMs !== undefined && { fetchTimeoutMs: options.fetchTimeoutMs }),
      requestTimeoutMs: this.#requestTimeoutMs,
      ...(options.retryBackoffMs !== undefined && { retryBackoffMs: options.retryBackoffMs }),
    };
    this.#client = new KafkaRaftClient(config, this.#clock());
  }

  /**
   * A node's manager on its data dir: the metadata log in `<dataDir>/__cluster_metadata-0/` and the
   * `quorum-state` file beside it, both reopened as they were after a restart.
   */
  static open<T>(dataDir: string, options: Omit<KafkaRaftManagerOptions<T>, 'log' | 'store'>): KafkaRaftManager<T> {
    const log = KafkaMetadataLog.open(dataDir, options.serde);
    const store = new FileQuorumStateStore(join(log.dir, 'quorum-state'));
    return new KafkaRaftManager({ ...options, log, store });
  }

  /** The voters' endpoints may be learned late (ephemeral ports bound after every node was created). */
  setVoterEndpoint(voter: QuorumVoter): void {
    this.#endpoints.set(voter.id, { host: voter.host, port: voter.port });
    for (const [key, lane] of this.#lanes) {
      if (!key.startsWith(`${voter.id}:`)) continue;
      lane.close();
      this.#lanes.delete(key);
    }
  }

  startup(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => this.#poll(), this.#pollIntervalMs);
  }

  /**
   * Stops the node. `resign` (the default) is a controlled shutdown: a leader first sends EndQuorumEpoch and waits
   * (at most the request timeout) for the voters to take it, so they elect at once instead of waiting for their
   * fetch timeout. Then held fetches are answered, connections closed, listeners told `beginShutdown`, and the log
   * closed (flushed, with its clean-shutdown marker).
   */
  async shutdown(options: { resign?: boolean } = {}): Promise<void> {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    clearInterval(this.#timer);
    if (options.resign ?? true) {
      const out = this.#client.resign(this.#clock());
      await Promise.all(out.map((o) => this.#sendRequest(o.to, o.message)));
    }
    this.#closed = true;
    for (const parked of this.#parked.splice(0)) parked.complete();
    for (const lane of this.#lanes.values()) lane.close();
    for (const context of this.#listeners.values()) context.listener.beginShutdown?.();
    this.#listeners.clear();
    this.#log.close();
  }

  get highWatermark(): number {
    return this.#client.highWatermark;
  }

  describe(): RaftNodeSnapshot {
    return {
      nodeId: this.nodeId,
      state: this.#client.state.name,
      epoch: this.#client.epoch,
      leaderId: this.#client.leaderId,
      highWatermark: this.#client.highWatermark,
      logEndOffset: this.#log.endOffset,
      voter: this.#client.isVoter,
    };
  }

  // ------------------------------------------------------------------ RaftClient<T>

  register(listener: RaftClientListener<T>): void {
    if (this.#closed) throw new Error(`raft node ${this.nodeId} is shut down`);
    this.#listeners.set(listener, { listener, nextOffset: 0, lastFired: undefined });
    this.#scheduleListeners();
  }

  unregister(listener: RaftClientListener<T>): void {
    const context = this.#listeners.get(listener);
    if (!context) return;
    this.#listeners.delete(listener);
    listener.beginShutdown?.();
  }

  leaderAndEpoch(): LeaderAndEpoch {
    return { leaderId: this.#client.leaderId, epoch: this.#client.epoch };
  }

  scheduleAtomicAppend(epoch: number, records: readonly T[]): number {
    if (this.#closing || this.#client.state.name !== 'Leader' || this.#client.epoch !== epoch) {
      throw new NotLeaderError(epoch, this.leaderAndEpoch());
    }
    if (records.length === 0) throw new RangeError('scheduleAtomicAppend needs at least one record');
    const lastOffset = this.#client.appendAsLeader(records, this.#clock());
    this.#afterChange();
    return lastOffset;
  }

  resign(epoch: number): void {
    if (this.#client.state.name !== 'Leader' || this.#client.epoch !== epoch) return;
    this.#drive(this.#client.resign(this.#clock()));
  }

  lastHeardFrom(nodeId: number): number | undefined {
    return this.#client.lastHeardFrom(nodeId);
  }

  // ------------------------------------------------------------------ driving the state machine

  #poll(): void {
    if (this.#closed) return;
    this.#drive(this.#client.poll(this.#clock()));
  }

  /** Sends what the client asked to send, then lets everything that depends on its state catch up. */
  #drive(out: readonly OutboundMessage[]): void {
    for (const { to, message } of out) void this.#sendRequest(to, message);
    this.#afterChange();
  }

  #afterChange(): void {
    this.#wakeParkedFetches();
    this.#scheduleListeners();
  }

  // ------------------------------------------------------------------ listeners

  #scheduleListeners(): void {
    if (this.#listenersScheduled || this.#listeners.size === 0) return;
    this.#listenersScheduled = true;
    queueMicrotask(() => {
      this.#listenersScheduled = false;
      this.#pollListeners();
    });
  }

  /**
   * Kafka's `pollListeners`: each listener gets the committed batches it has not seen, in order, then the current
   * leader if it changed — except that this node's own leadership is announced only once the listener has
   * reached the epoch's start offset (everything committed before the epoch).
   */
  #pollListeners(): void {
    if (this.#closed) return;
    for (const context of [...this.#listeners.values()]) {
      if (!this.#listeners.has(context.listener)) continue;
      this.#maybeFireLeaderChange(context);
      while (context.nextOffset < this.#client.highWatermark && this.#listeners.has(context.listener)) {
        const batches = this.#log.read(context.nextOffset, 100);
        if (batches.length === 0) break;
        for (const batch of batches) {
          const last = batchLastOffset(batch);
          if (last < context.nextOffset) continue;
          if (last >= this.#client.highWatermark) break;
          const committed: Batch<T> = {
            baseOffset: batch.baseOffset,
            lastOffset: last,
            epoch: batch.epoch,
            appendTimestamp: batch.appendTimestamp,
            // A control batch (the leader change) reaches listeners as a batch without records, as in Kafka.
            records: batch.control ? [] : (batch.records as T[]),
          };
          context.nextOffset = last + 1;
          this.#call(() => context.listener.handleCommit(committed));
          this.#maybeFireLeaderChange(context);
        }
        if (batchLastOffset(batches.at(-1)!) >= this.#client.highWatermark) break;
      }
      this.#maybeFireLeaderChange(context);
    }
  }

  #maybeFireLeaderChange(context: ListenerContext<T>): void {
    const current = this.leaderAndEpoch();
    if (context.lastFired?.leaderId === current.leaderId && context.lastFired.epoch === current.epoch) return;
    const epochStart = this.#client.epochStartOffset;
    if (current.leaderId === this.nodeId && epochStart !== undefined && context.nextOffset < epochStart) return;
    context.lastFired = current;
    this.#call(() => context.listener.handleLeaderChange(current));
  }

  #call(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#onListenerError(error);
    }
  }

  // ------------------------------------------------------------------ outgoing RPCs

  #lane(to: number, kind: 'fetch' | 'control'): Lane | undefined {
    const endpoint = this.#endpoints.get(to);
    if (!endpoint || endpoint.port === 0) return undefined;
    const key = `${to}:${kind}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = new Lane(endpoint.host, endpoint.port);
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  /** One request from the client to node `to`; the answer goes back into the client as a message from `to`. */
  async #sendRequest(to: number, message: RaftMessage): Promise<void> {
    if (!isRequest(message)) return; // answers to incoming requests go back as RPC responses, never sent here
    const lane = this.#lane(to, message.type === 'Fetch' ? 'fetch' : 'control');
    let answer: RaftMessage | undefined;
    try {
      if (!lane) throw new Error(`no endpoint known for node ${to}`);
      answer = await this.#exchange(lane, to, message);
    } catch {
      if (!this.#closed) this.#client.requestFailed(to, message.type, this.#clock());
      return;
    }
    if (this.#closed || !answer) return;
    this.#drive(this.#client.handle(to, answer, this.#clock()));
  }

  async #exchange(
    lane: Lane,
    to: number,
    message: RaftMessage & { type: RequestType },
  ): Promise<RaftMessage | undefined> {
    const timeout = this.#requestTimeoutMs;
    switch (message.type) {
      case 'Vote': {
        const response = await lane.request(
          ApiKey.Vote,
          RAFT_RPC_VERSIONS.Vote,
          {
            clusterId: this.#clusterId,
            voterId: to,
            topics: [
              {
                topicName: METADATA_TOPIC,
                partitions: [
                  {
                    partitionIndex: METADATA_PARTITION,
                    replicaEpoch: message.candidateEpoch,
                    replicaId: message.candidateId,
                    replicaDirectoryId: ZERO_UUID,
                    voterDirectoryId: ZERO_UUID,
                    lastOffsetEpoch: message.lastOffsetEpoch,
                    lastOffset: BigInt(message.lastOffset),
                    preVote: message.preVote,
                  },
                ],
              },
            ],
          },
          timeout,
        );
        const p = response.topics[0]?.partitions[0];
        if (response.errorCode !== ErrorCode.NONE || !p) return undefined;
        return {
          type: 'VoteResponse',
          errorCode: p.errorCode,
          leaderId: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          voteGranted: p.voteGranted,
        };
      }
      case 'BeginQuorumEpoch':
      case 'EndQuorumEpoch': {
        const partition = {
          partitionIndex: METADATA_PARTITION,
          leaderId: message.leaderId,
          leaderEpoch: message.leaderEpoch,
        };
        const response =
          message.type === 'BeginQuorumEpoch'
            ? await lane.request(
                ApiKey.BeginQuorumEpoch,
                RAFT_RPC_VERSIONS.BeginQuorumEpoch,
                { clusterId: this.#clusterId, topics: [{ topicName: METADATA_TOPIC, partitions: [partition] }] },
                timeout,
              )
            : await lane.request(
                ApiKey.EndQuorumEpoch,
                RAFT_RPC_VERSIONS.EndQuorumEpoch,
                {
                  clusterId: this.#clusterId,
                  topics: [
                    {
                      topicName: METADATA_TOPIC,
                      partitions: [{ ...partition, preferredSuccessors: message.preferredSuccessors }],
                    },
                  ],
                },
                timeout,
              );
        const p = response.topics[0]?.partitions[0];
        if (response.errorCode !== ErrorCode.NONE || !p) return undefined;
        return {
          type: message.type === 'BeginQuorumEpoch' ? 'BeginQuorumEpochResponse' : 'EndQuorumEpochResponse',
          errorCode: p.errorCode,
          leaderId: p.leaderId,
          leaderEpoch: p.leaderEpoch,
        };
      }
      case 'Fetch': {
        const response = await lane.request(
          ApiKey.Fetch,
          RAFT_RPC_VERSIONS.Fetch,
          {
            replicaId: -1,
            maxWaitMs: this.#fetchMaxWaitMs,
            minBytes: 0,
            maxBytes: FETCH_MAX_BYTES,
            isolationLevel: 0,
            sessionId: 0,
            sessionEpoch: -1,
            topics: [
              {
                topic: '',
                topicId: METADATA_TOPIC_ID,
                partitions: [
                  {
                    partition: METADATA_PARTITION,
                    currentLeaderEpoch: message.currentLeaderEpoch,
                    fetchOffset: BigInt(message.fetchOffset),
                    lastFetchedEpoch: message.lastFetchedEpoch,
                    logStartOffset: -1n,
                    partitionMaxBytes: FETCH_MAX_BYTES,
                  },
                ],
              },
            ],
            forgottenTopicsData: [],
            rackId: '',
            clusterId: this.#clusterId,
            replicaState: { replicaId: this.nodeId, replicaEpoch: -1n },
          },
          // The leader may hold the fetch for its max wait before answering.
          timeout + this.#fetchMaxWaitMs,
        );
        const p = response.responses[0]?.partitions[0];
        if (response.errorCode !== ErrorCode.NONE || !p) return undefined;
        const diverging = p.divergingEpoch && p.divergingEpoch.epoch >= 0 ? p.divergingEpoch : undefined;
        return {
          type: 'FetchResponse',
          errorCode: p.errorCode,
          leaderId: p.currentLeader?.leaderId ?? -1,
          leaderEpoch: p.currentLeader?.leaderEpoch ?? -1,
          highWatermark: Number(p.highWatermark),
          divergingEpoch: diverging ? { epoch: diverging.epoch, offset: Number(diverging.endOffset) } : null,
          records: p.records && p.records.length > 0 ? this.#codec.decode(p.records) : [],
        };
      }
    }
  }

  // ------------------------------------------------------------------ incoming RPCs (RaftApis)

  /** The client's answer to a request from `from`, with anything else it wants sent as a consequence. */
  #answer<M extends RaftMessage['type']>(
    from: number,
    request: RaftMessage,
    type: M,
  ): Extract<RaftMessage, { type: M }> | undefined {
    if (this.#closed) return undefined;
    const out = this.#client.handle(from, request, this.#clock());
    const index = out.findIndex((o) => o.to === from && o.message.type === type);
    const answer = index >= 0 ? out.splice(index, 1)[0]!.message : undefined;
    this.#drive(out);
    return answer as Extract<RaftMessage, { type: M }> | undefined;
  }

  #isMetadataPartition(topicName: string, partitions: readonly { partitionIndex: number }[]): boolean {
    return topicName === METADATA_TOPIC && partitions.length === 1 && partitions[0]!.partitionIndex === 0;
  }

  handleVoteRequest(request: ApiRequest<typeof ApiKey.Vote>): ApiResponse<typeof ApiKey.Vote> {
    const topic = request.topics[0];
    if (request.topics.length !== 1 || !topic || !this.#isMetadataPartition(topic.topicName, topic.partitions)) {
      return { errorCode: ErrorCode.INVALID_REQUEST, topics: [], nodeEndpoints: [] };
    }
    const p = topic.partitions[0]!;
    const answer = this.#answer(
      p.replicaId,
      {
        type: 'Vote',
        candidateEpoch: p.replicaEpoch,
        candidateId: p.replicaId,
        lastOffsetEpoch: p.lastOffsetEpoch,
        lastOffset: Number(p.lastOffset),
        preVote: p.preVote,
      },
      'VoteResponse',
    );
    if (!answer) return { errorCode: ErrorCode.BROKER_NOT_AVAILABLE, topics: [], nodeEndpoints: [] };
    return {
      errorCode: ErrorCode.NONE,
      topics: [
        {
          topicName: METADATA_TOPIC,
          partitions: [
            {
              partitionIndex: METADATA_PARTITION,
              errorCode: answer.errorCode,
              leaderId: answer.leaderId,
              leaderEpoch: answer.leaderEpoch,
              voteGranted: answer.voteGranted,
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
  }

  handleBeginQuorumEpochRequest(
    request: ApiRequest<typeof ApiKey.BeginQuorumEpoch>,
  ): ApiResponse<typeof ApiKey.BeginQuorumEpoch> {
    return this.#quorumEpochRequest(request.topics, (p) => ({
      type: 'BeginQuorumEpoch',
      leaderId: p.leaderId,
      leaderEpoch: p.leaderEpoch,
    }));
  }

  handleEndQuorumEpochRequest(
    request: ApiRequest<typeof ApiKey.EndQuorumEpoch>,
  ): ApiResponse<typeof ApiKey.EndQuorumEpoch> {
    return this.#quorumEpochRequest(request.topics, (p) => ({
      type: 'EndQuorumEpoch',
      leaderId: p.leaderId,
      leaderEpoch: p.leaderEpoch,
      preferredSuccessors: p.preferredSuccessors,
    }));
  }

  #quorumEpochRequest<P extends { partitionIndex: number; leaderId: number; leaderEpoch: number }>(
    topics: readonly { topicName: string; partitions: P[] }[],
    toMessage: (p: P) => RaftMessage & { type: 'BeginQuorumEpoch' | 'EndQuorumEpoch' },
  ): ApiResponse<typeof ApiKey.BeginQuorumEpoch> {
    const topic = topics[0];
    if (topics.length !== 1 || !topic || !this.#isMetadataPartition(topic.topicName, topic.partitions)) {
      return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
    }
    const message = toMessage(topic.partitions[0]!);
    const answer = this.#answer(
      message.leaderId,
      message,
      message.type === 'BeginQuorumEpoch' ? 'BeginQuorumEpochResponse' : 'EndQuorumEpochResponse',
    );
    if (!answer) return { errorCode: ErrorCode.BROKER_NOT_AVAILABLE, topics: [] };
    return {
      errorCode: ErrorCode.NONE,
      topics: [
        {
          topicName: METADATA_TOPIC,
          partitions: [
            {
              partitionIndex: METADATA_PARTITION,
              errorCode: answer.errorCode,
              leaderId: answer.leaderId,
              leaderEpoch: answer.leaderEpoch,
            },
          ],
        },
      ],
    };
  }

  /**
   * The leader answers from its own view; any other node passes the question to the leader it knows (as a
   * Kafka broker forwards DescribeQuorum to the active controller), so `kafka-metadata-quorum` works against
   * any node.
   */
  handleDescribeQuorumRequest(
    request: ApiRequest<typeof ApiKey.DescribeQuorum>,
  ): ApiResponse<typeof ApiKey.DescribeQuorum> | Promise<ApiResponse<typeof ApiKey.DescribeQuorum>> {
    const topic = request.topics[0];
    if (request.topics.length !== 1 || !topic || !this.#isMetadataPartition(topic.topicName, topic.partitions)) {
      return { errorCode: ErrorCode.INVALID_REQUEST, topics: [] };
    }
    const description = this.#client.describeQuorum();
    const leaderId = this.#client.leaderId;
    if (!description && leaderId >= 0 && leaderId !== this.nodeId) {
      const lane = this.#lane(leaderId, 'control');
      if (lane) {
        return lane
          .request(ApiKey.DescribeQuorum, RAFT_RPC_VERSIONS.DescribeQuorum, request, this.#requestTimeoutMs)
          .catch(() => this.#describeQuorumResponse(undefined));
      }
    }
    return this.#describeQuorumResponse(description);
  }

  #describeQuorumResponse(
    description: ReturnType<KafkaRaftClient['describeQuorum']>,
  ): ApiResponse<typeof ApiKey.DescribeQuorum> {
    const now = this.#clock();
    const replica = (r: ReplicaDescription): ReplicaState => ({
      replicaId: r.replicaId,
      logEndOffset: BigInt(r.logEndOffset),
      // The leader is always fetching from itself and caught up with itself.
      lastFetchTimestamp: BigInt(r.replicaId === this.nodeId ? now : r.lastFetchTimestamp),
      lastCaughtUpTimestamp: BigInt(r.replicaId === this.nodeId ? now : r.lastCaughtUpTimestamp),
    });
    const partition: DescribeQuorumPartition = description
      ? {
          partitionIndex: METADATA_PARTITION,
          errorCode: ErrorCode.NONE,
          leaderId: description.leaderId,
          leaderEpoch: description.leaderEpoch,
          highWatermark: BigInt(description.highWatermark),
          currentVoters: description.currentVoters.map(replica),
          observers: description.observers.map(replica),
        }
      : {
          partitionIndex: METADATA_PARTITION,
          errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
          leaderId: this.#client.leaderId,
          leaderEpoch: this.#client.epoch,
          highWatermark: -1n,
          currentVoters: [],
          observers: [],
        };
    return { errorCode: ErrorCode.NONE, topics: [{ topicName: METADATA_TOPIC, partitions: [partition] }] };
  }

  describeControllers(): { leaderId: number; voters: QuorumVoter[] } {
    return {
      leaderId: this.#client.leaderId,
      voters: [...this.#endpoints].map(([id, e]) => ({ id, host: e.host, port: e.port })),
    };
  }

  isMetadataFetch(request: ApiRequest<typeof ApiKey.Fetch>, version: number): boolean {
    return request.topics.some((t) => (version >= 13 ? t.topicId === METADATA_TOPIC_ID : t.topic === METADATA_TOPIC));
  }

  handleFetchRequest(
    request: ApiRequest<typeof ApiKey.Fetch>,
    version: number,
  ): ApiResponse<typeof ApiKey.Fetch> | Promise<ApiResponse<typeof ApiKey.Fetch>> {
    const replicaId = version >= 15 ? (request.replicaState?.replicaId ?? -1) : request.replicaId;
    const topic = request.topics[0];
    const p = topic?.partitions[0];
    if (request.topics.length !== 1 || !topic || topic.partitions.length !== 1 || !p || p.partition !== 0) {
      return this.#fetchResponse(version, ErrorCode.INVALID_REQUEST, undefined);
    }
    if (replicaId < 0) {
      // Only replicas read the metadata log (Kafka refuses consumers the same way).
      return this.#fetchResponse(version, ErrorCode.NONE, undefined, ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }
    const message: Extract<RaftMessage, { type: 'Fetch' }> = {
      type: 'Fetch',
      replicaId,
      currentLeaderEpoch: p.currentLeaderEpoch,
      fetchOffset: Number(p.fetchOffset),
      lastFetchedEpoch: p.lastFetchedEpoch ?? -1,
    };
    const answer = () => {
      const response = this.#answer(replicaId, message, 'FetchResponse');
      if (response) this.#hwSent.set(replicaId, response.highWatermark);
      return this.#fetchResponse(version, ErrorCode.NONE, response);
    };
    const first = this.#answer(replicaId, message, 'FetchResponse');
    if (!first || !this.#shouldHold(replicaId, first, request.maxWaitMs)) {
      if (first) this.#hwSent.set(replicaId, first.highWatermark);
      return this.#fetchResponse(version, ErrorCode.NONE, first);
    }
    return new Promise((resolve) => {
      let done = false;
      const complete = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#parked = this.#parked.filter((x) => x !== parked);
        resolve(answer());
      };
      const timer = setTimeout(complete, Math.min(request.maxWaitMs, this.#fetchMaxWaitMs));
      const parked: ParkedFetch = { replicaId, message, complete };
      this.#parked.push(parked);
    });
  }

  /** Kafka's rule: answer at once on an error, records, a divergence or a zero wait; otherwise hold it. */
  #shouldHold(replicaId: number, response: Extract<RaftMessage, { type: 'FetchResponse' }>, maxWaitMs: number) {
    return (
      maxWaitMs > 0 &&
      response.errorCode === ErrorCode.NONE &&
      response.records.length === 0 &&
      response.divergingEpoch === null &&
      response.highWatermark <= (this.#hwSent.get(replicaId) ?? -1)
    );
  }

  #wakeParkedFetches(): void {
    if (this.#parked.length === 0) return;
    const leading = this.#client.state.name === 'Leader';
    for (const parked of [...this.#parked]) {
      if (
        !leading ||
        this.#client.epoch !== parked.message.currentLeaderEpoch ||
        this.#log.endOffset > parked.message.fetchOffset ||
        this.#client.highWatermark > (this.#hwSent.get(parked.replicaId) ?? -1)
      ) {
        parked.complete();
      }
    }
  }

  #fetchResponse(
    version: number,
    errorCode: number,
    response: Extract<RaftMessage, { type: 'FetchResponse' }> | undefined,
    partitionError: number = ErrorCode.NONE,
  ): ApiResponse<typeof ApiKey.Fetch> {
    const partition: FetchPartitionResponse = {
      partitionIndex: METADATA_PARTITION,
      errorCode: response?.errorCode ?? (errorCode === ErrorCode.NONE ? partitionError : errorCode),
      highWatermark: BigInt(response?.highWatermark ?? -1),
      lastStableOffset: -1n,
      logStartOffset: 0n,
      abortedTransactions: null,
      preferredReadReplica: -1,
      records: response && response.records.length > 0 ? this.#codec.encodeAll(response.records) : Buffer.alloc(0),
      currentLeader: {
        leaderId: response?.leaderId ?? this.#client.leaderId,
        leaderEpoch: response?.leaderEpoch ?? this.#client.epoch,
      },
      ...(response?.divergingEpoch && {
        divergingEpoch: {
          epoch: response.divergingEpoch.epoch,
          endOffset: BigInt(response.divergingEpoch.offset),
        },
      }),
    };
    return {
      throttleTimeMs: 0,
      errorCode: errorCode === ErrorCode.INVALID_REQUEST ? errorCode : ErrorCode.NONE,
      sessionId: 0,
      responses: [{ topic: version >= 13 ? '' : METADATA_TOPIC, topicId: METADATA_TOPIC_ID, partitions: [partition] }],
    };
  }
}

function isRequest(message: RaftMessage): message is RaftMessage & { type: RequestType } {
  return (
    message.type === 'Vote' ||
    message.type === 'BeginQuorumEpoch' ||
    message.type === 'EndQuorumEpoch' ||
    message.type === 'Fetch'
  );
}

/**
 * One connection to one node for one kind of traffic, one request at a time (a second waits for the first): the
 * follower's long-polled Fetch has a lane of its own, so a held fetch never delays a Vote or BeginQuorumEpoch.
 * Any failure closes the connection; the next request reconnects (Kafka's NetworkClient does the same).
 */
class Lane {
  #client: RawKafkaClient | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  request<K extends ApiKey>(
    key: K,
    version: number,
    request: ApiRequest<K>,
    timeoutMs: number,
  ): Promise<ApiResponse<K>> {
    const run = async (): Promise<ApiResponse<K>> => {
      if (this.#closed) throw new Error('lane closed');
      try {
        this.#client ??= await RawKafkaClient.connect(this.port, this.host);
        if (this.#client.isClosed) throw new Error(`connection to ${this.host}:${this.port} closed`);
        return await this.#client.request(key, version, request, timeoutMs);
      } catch (error) {
        this.#client?.close();
        this.#client = undefined;
        throw error;
      }
    };
    const result = this.#tail.then(run, run);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.#closed = true;
    this.#client?.close();
    this.#client = undefined;
  }
}
