/**
 * The states a KRaft voter is in (KIP-595 and KIP-996; Kafka's `raft.EpochState` implementations), plus
 * Resigned, the leader that has stepped down and waits for the next election. Plain data: the
 * transitions live in KafkaRaftClient, which alone may create these.
 */
export type EpochState =
  /** Knows the epoch but neither a leader nor its own vote; starts an election at `electionDeadline`. */
  | { readonly name: 'Unattached'; readonly epoch: number; readonly electionDeadline: number }
  /** Voted for `votedId` in this epoch (persisted before the vote was sent); never votes again in it. */
  | { readonly name: 'Voted'; readonly epoch: number; readonly votedId: number; readonly electionDeadline: number }
  /**
   * KIP-996 pre-vote: a voter that lost its leader (fetch timeout) or has none asks the others whether they would
   * vote for it in the next epoch, without bumping its own. Only a majority of yeses makes it a Candidate; so a
   * voter that was frozen, cut off or is behind never unseats a working leader. Keeps the leader it followed (it
   * goes back to it when the leader answers) and the vote it cast in this epoch (still binding).
   */
  | {
      readonly name: 'Prospective';
      readonly epoch: number;
      /** The leader it followed in this epoch, or -1. */
      readonly leaderId: number;
      /** The vote it cast in this epoch, or -1. */
      readonly votedId: number;
      readonly granted: Set<number>;
      readonly rejected: Set<number>;
      /** When this pre-vote round ends without a majority either way, and a new round starts. */
      readonly electionDeadline: number;
    }
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
      /** A follower that has not heard from its leader by then becomes a prospective (pre-vote, KIP-996). */
      readonly fetchDeadline: number;
      /**
       * Whether a fetch from the leader has succeeded since this node began following it: only then does it refuse
       * others' pre-votes (the leader is alive for it). A follower that came back from a lost pre-vote, or was
       * told of a leader it never reached, has not, so voters that all lost touch cannot keep refusing each other.
       */
      readonly fetchedFromLeader: boolean;
    }
  | { readonly name: 'Resigned'; readonly epoch: number; readonly electionDeadline: number };

export type EpochStateName = EpochState['name'];
