/**
 * `controller.quorum.voters` as Kafka spells it: `id@host:port` per voter, comma-separated
 * (`1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095`). Pure parsing; KafkaConfig validates the setting
 * with it and KafkaRaftManager connects to these endpoints.
 */
export interface QuorumVoter {
  readonly id: number;
  readonly host: string;
  readonly port: number;
}

export class QuorumVotersError extends Error {
  override readonly name = 'QuorumVotersError';
}

export function parseQuorumVoters(text: string): QuorumVoter[] {
  const voters: QuorumVoter[] = [];
  for (const entry of text.split(',').map((s) => s.trim())) {
    if (entry === '') continue;
    const match = /^(\d+)@(.+):(\d+)$/.exec(entry);
    if (!match) {
      throw new QuorumVotersError(
        `'${entry}' is not a voter: write each as id@host:port, e.g. controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9094`,
      );
    }
    const voter = { id: Number(match[1]), host: match[2]!, port: Number(match[3]) };
    if (voter.port > 65535) throw new QuorumVotersError(`'${entry}': port ${voter.port} is above 65535`);
    if (voters.some((v) => v.id === voter.id)) throw new QuorumVotersError(`voter id ${voter.id} appears twice`);
    voters.push(voter);
  }
  return voters;
}

export function formatQuorumVoters(voters: readonly QuorumVoter[]): string {
  return voters.map((v) => `${v.id}@${v.host}:${v.port}`).join(',');
}
