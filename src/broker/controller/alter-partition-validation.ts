import type { PartitionRegistration } from '../metadata/partition-registration.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** One partition of an AlterPartition request, as the checks need it. */
export interface AlterPartitionProposal {
  /** The broker that sent it (it must lead the partition). */
  readonly brokerId: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
}

/**
 * Kafka's `ReplicationControlManager.validateAlterPartitionData`, in its order: the sender must lead the
 * partition (NOT_LEADER_OR_FOLLOWER), at the current leader epoch (FENCED_LEADER_EPOCH) and partition epoch
 * (INVALID_UPDATE_VERSION), and every proposed member must be assigned and eligible (INELIGIBLE_REPLICA: fenced,
 * shutting down, or known by a stale broker epoch). Returns the error code, ErrorCode.NONE when the change may be
 * committed. Pure: the QuorumController and the data-plane tests' controller double share it.
 */
export function validateAlterPartition(
  current: PartitionRegistration,
  proposal: AlterPartitionProposal,
  isEligible: (brokerId: number) => boolean,
): number {
  if (current.leader !== proposal.brokerId) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  if (proposal.leaderEpoch !== current.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
  if (proposal.partitionEpoch !== current.partitionEpoch) return ErrorCode.INVALID_UPDATE_VERSION;
  if (proposal.isr.some((id) => !current.replicas.includes(id) || !isEligible(id))) return ErrorCode.INELIGIBLE_REPLICA;
  return ErrorCode.NONE;
}
