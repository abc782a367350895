import { Signal, type GroupEvent, type KafkaBroker } from '../broker/index.js';

/**
 * Records one group's coordinator events as the broker emits them, so a demo can wait for "the next generation
 * with 4 members" or "member X removed" instead of sleeping. Owned by one demo run; listening starts at
 * construction and stops at `close()` (register it with ctx.defer).
 */
export class GroupEventLog {
  readonly events: GroupEvent[] = [];
  private readonly arrived = new Signal();
  private readonly listener = (event: GroupEvent) => {
    if (!('groupId' in event) || event.groupId !== this.groupId) return;
    this.events.push(event);
    this.arrived.notify();
  };

  constructor(
    private readonly broker: KafkaBroker,
    private readonly groupId: string,
  ) {
    broker.on('group', this.listener);
  }

  /** Where the next event will land: pass it to `waitFor` to ignore what happened before. */
  get mark(): number {
    return this.events.length;
  }

  /**
   * The first event at index ≥ `from` matching `match`, waiting up to `timeoutMs` for it. Rejects with `what`
   * in the message, so a demo that times out says which step never happened.
   */
  waitFor<T extends GroupEvent>(
    match: (event: GroupEvent) => event is T,
    from: number,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  waitFor(match: (event: GroupEvent) => boolean, from: number, timeoutMs: number, what: string): Promise<GroupEvent>;
  async waitFor(
    match: (event: GroupEvent) => boolean,
    from: number,
    timeoutMs: number,
    what: string,
  ): Promise<GroupEvent> {
    const found = () => this.events.slice(from).find(match);
    await this.arrived.until(() => found() !== undefined, `group ${this.groupId}: ${what}`, timeoutMs);
    return found()!;
  }

  close(): void {
    this.broker.off('group', this.listener);
  }
}

export type GenerationCompleted = Extract<GroupEvent, { type: 'generation-completed' }>;

export function isGeneration(members: number): (event: GroupEvent) => event is GenerationCompleted {
  return (event): event is GenerationCompleted =>
    event.type === 'generation-completed' && event.assignment.length === members;
}

/** Partition numbers of `topic` each member was given in a generation, by member id. */
export function partitionsByMember(generation: GenerationCompleted, topic: string): Map<string, number[]> {
  return new Map(
    generation.assignment.map((a) => [
      a.memberId,
      (a.partitions ?? [])
        .filter((tp) => tp.topic === topic)
        .flatMap((tp) => tp.partitions)
        .sort((x, y) => x - y),
    ]),
  );
}

/**
 * The group's assignment over time as a small table: one row per member (client id), one column per generation,
 * each cell the partitions it owned (`p0,p2`), `idle` (a member with none), or `·` (not a member then).
 */
export function drawAssignmentTimeline(generations: readonly GenerationCompleted[], topic: string): string {
  const members = [...new Set(generations.flatMap((g) => g.assignment.map((a) => a.clientId)))].sort();
  const cells = generations.map((generation) => {
    const byMember = partitionsByMember(generation, topic);
    return new Map(
      generation.assignment.map((a) => [
        a.clientId,
        (byMember.get(a.memberId) ?? []).map((p) => `p${p}`).join(',') || 'idle',
      ]),
    );
  });
  const header = ['', ...generations.map((g) => `gen ${g.generationId}`)];
  const rows = [header, ...members.map((m) => [m, ...cells.map((c) => c.get(m) ?? '·')])];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `    ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd()).join('\n');
}
