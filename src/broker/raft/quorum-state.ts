/**
 * The five states a KRaft voter is in (KIP-595; Kafka's `raft.EpochState` implementations), plus
 * Resigned, the leader that has stepped down and waits for the next election. Plain data: the
 * transitions live in KafkaRaftClient, which alone may create these.
 */
export type EpochState =
  /** Knows the epoch but neither a leader nor its own vote; starts an election at `electionDeadline`. */
  | { readonly name: 'Unattached'; readonly epoch: number; readonly electionDeadline: number }
  /** Voted for `votedId` in this epoch (persisted before the vote was sent); never votes again in it. */
  | { readonly name: 'Voted'; readonly epoch: number; readonly votedId: number; readonly electionDeadline: number }
  | {
      readonly name: 'Candidate';
      readonly epoch: number;
      readonly granted: Set<number>;
      readonly rejected: Set<number>;
      readonly electionDeadline: number;
    }
  | {
      readonly name: 'Leader';
      readonly epoch: number;
      /** Where this epoch starts: the offset of the leader-change record this leader appended first. */
      readonly epochStartOffset: number;
      /** Each voter's log end offset as its last Fetch told (the leader's own is its log end offset). */
      readonly endOffsets: Map<number, number>;
      /** When this node became leader: check-quorum counts a voter that has not fetched yet from here. */
      readonly electedAt: number;
      /** When each voter really last fetched in this epoch (DescribeQuorum; check-quorum resigns when a majority has gone quiet). */
      readonly lastFetchTimes: Map<number, number>;
      /** When each replica last fetched from the leader's log end offset (DescribeQuorum's lastCaughtUpTimestamp). */
      readonly lastCaughtUpTimes: Map<number, number>;
      /** Voters that have not yet acknowledged BeginQuorumEpoch, and when it was last sent to each. */
      readonly unacknowledged: Map<number, number>;
      /** Observers (non-voters) that fetch: their log end offset and last fetch, for DescribeQuorum only. */
      readonly observers: Map<number, { endOffset: number; lastFetchTime: number }>;
    }
  | {
      readonly name: 'Follower';
      readonly epoch: number;
      readonly leaderId: number;
      /** A follower that has not heard from its leader by then becomes a candidate. */
      readonly fetchDeadline: number;
    }
  | { readonly name: 'Resigned'; readonly epoch: number; readonly electionDeadline: number };

export type EpochStateName = EpochState['name'];
