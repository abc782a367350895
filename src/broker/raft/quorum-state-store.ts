import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../utils/atomic-file.js';

/**
 * The durable part of a voter's Raft state (Kafka's `ElectionState`): the epoch, the leader it knows
 * for that epoch and the candidate it voted for. Raft is only safe if a vote survives a restart (else a
 * voter could vote twice in one epoch), so KafkaRaftClient writes this before it answers or sends.
 */
export interface ElectionState {
  readonly epoch: number;
  /** -1 when no leader is known in this epoch. */
  readonly leaderId: number;
  /** -1 when this voter has not voted in this epoch. */
  readonly votedId: number;
  readonly voters: readonly number[];
}

export interface QuorumStateStore {
  read(): ElectionState | undefined;
  write(state: ElectionState): void;
}

/** For tests and in-process clusters that do not persist: remembers the last write. */
export class MemoryQuorumStateStore implements QuorumStateStore {
  #state: ElectionState | undefined;
  writes = 0;
  read(): ElectionState | undefined {
    return this.#state;
  }
  write(state: ElectionState): void {
    this.#state = state;
    this.writes++;
  }
}

/**
 * The `quorum-state` file in the metadata log directory (`__cluster_metadata-0/quorum-state`), in
 * Kafka's JSON form (FileQuorumStateStore, data_version 0) so an operator who knows Kafka can read it.
 * Written to a `.tmp` file, fsynced, then renamed over the old one: a crash leaves the old or the new
 * state, never half of one.
 */
export class FileQuorumStateStore implements QuorumStateStore {
  constructor(readonly path: string) {}

  read(): ElectionState | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const json = JSON.parse(text) as {
      leaderId?: unknown;
      leaderEpoch?: unknown;
      votedId?: unknown;
      currentVoters?: unknown;
      data_version?: unknown;
    };
    const voters = Array.isArray(json.currentVoters)
      ? json.currentVoters.map((v) => (v as { voterId?: unknown }).voterId)
      : undefined;
    if (
      json.data_version !== 0 ||
      typeof json.leaderEpoch !== 'number' ||
      typeof json.leaderId !== 'number' ||
      typeof json.votedId !== 'number' ||
      !voters?.every((v): v is number => typeof v === 'number')
    ) {
      throw new Error(`${this.path}: not a quorum-state file (data_version 0) kq can read`);
    }
    return { epoch: json.leaderEpoch, leaderId: json.leaderId, votedId: json.votedId, voters };
  }

  write(state: ElectionState): void {
    const json = JSON.stringify({
      clusterId: '',
      leaderId: state.leaderId,
      leaderEpoch: state.epoch,
      votedId: state.votedId,
      appliedOffset: 0,
      currentVoters: state.voters.map((voterId) => ({ voterId })),
      data_version: 0,
    });
    writeFileAtomically(this.path, json);
  }
}
