/**
 * What one chaos run recorded, as plain data: every write the producers attempted and how it ended, what a live
 * consumer read while the faults ran, what a consumer read from the leaders at the end, and what each replica held
 * on disk after the cluster was stopped. The checker (checker.ts) judges it; nothing here judges anything.
 */

/** One produced record. Values are unique (`p<producer>-<seq>`), so a value names its write. */
export interface WriteAttempt {
  readonly producer: number;
  /** The producer's own count: its writes are sent in this order, one send at a time. */
  readonly seq: number;
  readonly key: string;
  readonly value: string;
  /** When the send began and ended, ms since the run started. */
  readonly startMs: number;
  readonly endMs: number;
  /** acked: the broker acknowledged it; failed: the send gave up (it may or may not be in the log). */
  readonly outcome: 'acked' | 'failed';
  /** For an acked write: where the broker said it went. */
  readonly partition?: number;
  readonly offset?: bigint;
}

/** One record as read back (from a consumer or from a replica's files). */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly value: string;
}

/** What the live consumer saw, in the order it saw it; `session` changes whenever its group rebalanced. */
export interface LiveRead extends ReadRecord {
  readonly session: number;
  readonly atMs: number;
}

/** One replica's copy of one partition, read from its files once every node had stopped cleanly. */
export interface ReplicaCopy {
  readonly node: number;
  readonly partition: number;
  readonly records: readonly ReadRecord[];
}

export interface History {
  readonly durationMs: number;
  readonly partitions: number;
  readonly writes: readonly WriteAttempt[];
  readonly liveReads: readonly LiveRead[];
  /** Times the live reader's next offset was past the leader's log end (the log went back under a reader). */
  readonly liveLogWentBack?: number;
  /** Read from the partition leaders after every fault was healed: what clients can see. */
  readonly finalReads: readonly ReadRecord[];
  readonly replicas: readonly ReplicaCopy[];
}
