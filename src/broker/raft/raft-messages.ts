import type { LogBatch, OffsetAndEpoch } from './replicated-log.js';

/**
 * What one voter says to another, field for field the partition-level part of Kafka's KIP-595 RPCs
 * (VoteRequest/Response, BeginQuorumEpoch…, EndQuorumEpoch…, Fetch with `LastFetchedEpoch`). The
 * state machine speaks these plain objects; turning them into wire bytes is the codecs' job
 * (`src/broker/protocol/vote`, …), so KafkaRaftClient is testable without sockets.
 */
export type RaftMessage =
  | {
      type: 'Vote';
      /** The epoch the voter runs in; for a pre-vote, the epoch it would run in (its own + 1). */
      candidateEpoch: number;
      candidateId: number;
      lastOffsetEpoch: number;
      lastOffset: number;
      /** KIP-996: asks whether the vote would be granted; the receiver changes no state answering it. */
      preVote: boolean;
    }
  | { type: 'VoteResponse'; errorCode: number; leaderId: number; leaderEpoch: number; voteGranted: boolean }
  | { type: 'BeginQuorumEpoch'; leaderId: number; leaderEpoch: number }
  | { type: 'BeginQuorumEpochResponse'; errorCode: number; leaderId: number; leaderEpoch: number }
  | { type: 'EndQuorumEpoch'; leaderId: number; leaderEpoch: number; preferredSuccessors: number[] }
  | { type: 'EndQuorumEpochResponse'; errorCode: number; leaderId: number; leaderEpoch: number }
  | { type: 'Fetch'; replicaId: number; currentLeaderEpoch: number; fetchOffset: number; lastFetchedEpoch: number }
  | {
      type: 'FetchResponse';
      errorCode: number;
      leaderId: number;
      leaderEpoch: number;
      highWatermark: number;
      /** Set when the fetcher's log diverges from the leader's: truncate to here, then fetch again. */
      divergingEpoch: OffsetAndEpoch | null;
      records: LogBatch[];
    };

export interface OutboundMessage {
  readonly to: number;
  readonly message: RaftMessage;
}
