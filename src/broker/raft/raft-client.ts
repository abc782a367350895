/**
 * The seam between the Raft layer and the state machine it replicates (Kafka's `org.apache.kafka.raft.RaftClient`
 * and `RaftClient.Listener`): the QuorumController writes metadata records through a `RaftClient`, and every node's
 * controller and MetadataLoader learn the committed ones through a `RaftClientListener`. Generic in the record
 * type so the Raft layer never learns what a metadata record is; the on-disk form goes through a `RecordSerde`.
 *
 * Owned by the raft layer (`src/broker/raft/`); the controller (`src/broker/controller/`) and the metadata loader
 * (`src/broker/metadata/`) depend on these types only, never on KafkaRaftClient, so they are testable against a
 * local single-voter double.
 */

/**
 * A committed stretch of the log as one leader appended it (Kafka's `raft.Batch`). A control batch (the
 * leader-change record a new leader appends first, Kafka's LeaderChangeMessage) is delivered too, with no records
 * and `lastOffset === baseOffset`: the QuorumController becomes active only once it has seen a batch of its own
 * epoch, which proves it has replayed everything committed before the epoch.
 */
export interface Batch<T> {
  readonly baseOffset: number;
  /** Offset of the last record: `baseOffset + records.length - 1` (`baseOffset` for a control batch). */
  readonly lastOffset: number;
  /** The leader epoch the batch was appended in. */
  readonly epoch: number;
  /** Wall-clock milliseconds when the leader appended it. */
  readonly appendTimestamp: number;
  readonly records: readonly T[];
}

/** Who leads the quorum and in which epoch (Kafka's `LeaderAndEpoch`); `leaderId` is -1 when none is known. */
export interface LeaderAndEpoch {
  readonly leaderId: number;
  readonly epoch: number;
}

/**
 * Called on the node's event loop, in log order. A listener registered late is first replayed every committed
 * batch from the start of the log, then follows live — so a restarted node rebuilds its state the same way.
 */
export interface RaftClientListener<T> {
  /** One committed batch (every record below the high watermark is delivered exactly once, in order). */
  handleCommit(batch: Batch<T>): void;
  /**
   * The quorum's leader changed. A node that becomes leader must not write until it has seen every batch committed
   * before its epoch (Kafka's controller waits for `handleCommit` to pass the epoch's start offset).
   */
  handleLeaderChange(leader: LeaderAndEpoch): void;
  /** The client is shutting down; no more callbacks follow. */
  beginShutdown?(): void;
}

/** This node does not lead at the epoch the caller named (Kafka's `NotLeaderException`): retry at the leader. */
export class NotLeaderError extends Error {
  constructor(
    readonly requestedEpoch: number,
    readonly current: LeaderAndEpoch,
  ) {
    super(`not the quorum leader at epoch ${requestedEpoch} (leader ${current.leaderId}, epoch ${current.epoch})`);
    this.name = 'NotLeaderError';
  }
}

export interface RaftClient<T> {
  readonly nodeId: number;
  register(listener: RaftClientListener<T>): void;
  unregister(listener: RaftClientListener<T>): void;
  leaderAndEpoch(): LeaderAndEpoch;
  /**
   * Appends `records` as one batch, all or nothing, if this node leads at `epoch`; returns the offset of the last
   * record. The records are committed (and reach `handleCommit`) once a majority of voters has them. Throws
   * `NotLeaderError` when this node does not lead at `epoch`.
   */
  scheduleAtomicAppend(epoch: number, records: readonly T[]): number;
  /** The leader of `epoch` steps down (controlled shutdown of the active controller). */
  resign(epoch: number): void;
  /**
   * Wall-clock ms when this node last heard anything from node `nodeId` over the quorum's RPCs, or undefined when
   * it never did (or the implementation has no network). A new active controller uses it for the node that led
   * before it: that node's broker session goes on from when it went quiet instead of starting afresh.
   */
  lastHeardFrom?(nodeId: number): number | undefined;
}

/** How records of type T are stored in the log's record batches (Kafka's `RecordSerde`). */
export interface RecordSerde<T> {
  write(record: T): Buffer;
  read(bytes: Buffer): T;
}
