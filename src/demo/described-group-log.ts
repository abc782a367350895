import {
  ApiKey,
  decodeAssignment,
  ErrorCode,
  errorInfo,
  RawKafkaClient,
  Signal,
  WaitTimeoutError,
  type GroupEvent,
} from '../broker/index.js';

const FIND_COORDINATOR_VERSION = 3; // one key per request; served by kq and by Kafka 4.x (which dropped v0)
const DESCRIBE_GROUPS_VERSION = 5;
const REQUEST_TIMEOUT_MS = 3000;
/** How often the coordinator is asked: short enough to see a member go within a few tens of ms. */
const POLL_EVERY_MS = 20;

/** A member the coordinator no longer lists: it left (LeaveGroup) or was removed (a timeout); Describe cannot tell. */
export interface MemberGone {
  type: 'member-gone';
  groupId: string;
  memberId: string;
  clientId: string;
  at: number;
}

export type RebalanceStarted = Extract<GroupEvent, { type: 'rebalance-started' }>;

/**
 * What an operator sees of a group from outside: every new stable assignment (`generation-completed`), a rebalance
 * beginning (`rebalance-started`, the state PreparingRebalance seen) and each member the coordinator stops listing
 * (`member-gone`). The `generationId` of a generation is the ordinal of the distinct stable assignments seen here
 * (DescribeGroups does not carry Kafka's generation id), so two rebalances that end in an identical assignment
 * count once.
 */
export type ObservedGroupEvent = GenerationCompleted | RebalanceStarted | MemberGone;

/**
 * One consumer group observed through the protocol, the same way on kq's broker and on Apache Kafka: its coordinator
 * (FindCoordinator) is asked DescribeGroups every 20 ms, and each change becomes an event with the time it was seen
 * (at most a poll late). A demo waits for "the next generation with 3 members" or "member X gone" on it instead of
 * sleeping. Owned by one demo run: polling starts with `observe` and stops at `close()` (register it with
 * ctx.defer); the connection is its own.
 */
export class DescribedGroupLog {
  readonly events: ObservedGroupEvent[] = [];
  private readonly arrived = new Signal();
  private client: RawKafkaClient | undefined;
  private closed = false;
  private polling: Promise<void> = Promise.resolve();
  private lastProblem = '';
  /** The last answer in a few words (state and members), for a wait that times out. */
  private lastSeen = 'no answer yet';
  private members = new Map<string, string>();
  private lastStable = '';
  private generations = 0;
  private rebalancing = false;

  private constructor(
    private readonly bootstrap: string,
    private readonly groupId: string,
  ) {}

  /** Starts observing `groupId` on the cluster at `bootstrap` (host:port[,host:port…]). */
  static observe(bootstrap: string, groupId: string): DescribedGroupLog {
    const log = new DescribedGroupLog(bootstrap, groupId);
    log.polling = log.poll();
    return log;
  }

  /** Where the next event will land: pass it to `waitFor` to ignore what happened before. */
  get mark(): number {
    return this.events.length;
  }

  /**
   * The first event at index ≥ `from` matching `match`, waiting up to `timeoutMs` for it. Rejects with `what`
   * (and the last problem met asking the coordinator) in the message, so a demo that times out says which step
   * never happened.
   */
  waitFor<T extends ObservedGroupEvent>(
    match: (event: ObservedGroupEvent) => event is T,
    from: number,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  waitFor(
    match: (event: ObservedGroupEvent) => boolean,
    from: number,
    timeoutMs: number,
    what: string,
  ): Promise<ObservedGroupEvent>;
  async waitFor(
    match: (event: ObservedGroupEvent) => boolean,
    from: number,
    timeoutMs: number,
    what: string,
  ): Promise<ObservedGroupEvent> {
    const found = () => this.events.slice(from).find(match);
    await this.arrived
      .until(() => found() !== undefined, `group ${this.groupId}: ${what}`, timeoutMs)
      .catch((error: unknown) => {
        // the same WaitTimeoutError, saying what the coordinator last answered (or what went wrong asking it)
        if (!(error instanceof WaitTimeoutError)) throw error;
        throw new WaitTimeoutError(error.what, timeoutMs, this.lastProblem || `last seen: ${this.lastSeen}`);
      });
    return found()!;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client?.close();
    await this.polling;
  }

  private async poll(): Promise<void> {
    while (!this.closed) {
      try {
        this.client ??= await this.connectToCoordinator();
        const response = await this.client.request(
          ApiKey.DescribeGroups,
          DESCRIBE_GROUPS_VERSION,
          { groups: [this.groupId], includeAuthorizedOperations: false },
          REQUEST_TIMEOUT_MS,
        );
        const group = response.groups[0];
        if (!group || group.errorCode !== ErrorCode.NONE) {
          // NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS: look the coordinator up again
          this.lastProblem = group ? errorInfo(group.errorCode).name : 'no group in the answer';
          this.reconnect();
        } else {
          this.lastProblem = '';
          this.record(group, Date.now());
        }
      } catch (error) {
        if (this.closed) return;
        this.lastProblem = error instanceof Error ? error.message : String(error);
        this.reconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS)); // paces the asking, not a synchronisation
    }
  }

  private reconnect(): void {
    this.client?.close();
    this.client = undefined;
  }

  private async connectToCoordinator(): Promise<RawKafkaClient> {
    const [host, port] = splitAddress(this.bootstrap.split(',')[0]!.trim());
    const bootstrap = await RawKafkaClient.connect(port, host);
    try {
      const found = await bootstrap.request(
        ApiKey.FindCoordinator,
        FIND_COORDINATOR_VERSION,
        { key: this.groupId, keyType: 0 },
        REQUEST_TIMEOUT_MS,
      );
      if (found.errorCode !== ErrorCode.NONE) throw new Error(`FindCoordinator: ${errorInfo(found.errorCode).name}`);
      return await RawKafkaClient.connect(found.port, found.host);
    } finally {
      bootstrap.close();
    }
  }

  private record(
    group: {
      groupState: string;
      protocolData: string;
      members: Array<{ memberId: string; clientId: string; memberAssignment: Buffer }>;
    },
    at: number,
  ): void {
    const now = new Map(group.members.map((m) => [m.memberId, m.clientId]));
    this.lastSeen = `${group.groupState} with ${[...now.values()].sort().join(', ') || 'no members'}`;
    for (const [memberId, clientId] of this.members) {
      if (!now.has(memberId)) this.emit({ type: 'member-gone', groupId: this.groupId, memberId, clientId, at });
    }
    this.members = now;
    if (group.groupState === 'PreparingRebalance' && !this.rebalancing) {
      this.rebalancing = true;
      this.emit({
        type: 'rebalance-started',
        groupId: this.groupId,
        generationId: this.generations,
        reason: 'the coordinator is in PreparingRebalance',
        at,
      });
    }
    if (group.groupState !== 'Stable') return;
    this.rebalancing = false;
    const assignment = group.members
      .map((m) => ({ memberId: m.memberId, clientId: m.clientId, partitions: decodeAssignment(m.memberAssignment) }))
      .sort((a, b) => a.memberId.localeCompare(b.memberId));
    const signature = JSON.stringify(assignment);
    if (signature === this.lastStable) return;
    this.lastStable = signature;
    this.generations += 1;
    this.emit({
      type: 'generation-completed',
      groupId: this.groupId,
      generationId: this.generations,
      protocolName: group.protocolData || null,
      leaderId: null,
      assignment,
      at,
    });
  }

  private emit(event: ObservedGroupEvent): void {
    this.events.push(event);
    this.arrived.notify();
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

export type GenerationCompleted = Extract<GroupEvent, { type: 'generation-completed' }>;

export function isGeneration(members: number): (event: ObservedGroupEvent) => event is GenerationCompleted {
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
