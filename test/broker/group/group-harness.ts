import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GroupConfig } from '../../../src/broker/group/group-config.js';
import type { GroupEvent } from '../../../src/broker/group/group-events.js';
import { GroupCoordinator, type GroupRequestContext } from '../../../src/broker/group/group-coordinator.js';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import type { JoinGroupRequest, JoinGroupRequestProtocol } from '../../../src/broker/protocol/join-group/request.js';
import type { JoinGroupResponse } from '../../../src/broker/protocol/join-group/response.js';
import type { SyncGroupResponse } from '../../../src/broker/protocol/sync-group/response.js';
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';
import { MockScheduler } from './mock-scheduler.js';

/** Test settings: Kafka's rules, smaller numbers (3 offsets partitions, no initial delay unless a test wants it). */
export const TEST_CONFIG: Partial<GroupConfig> = {
  groupMinSessionTimeoutMs: 1_000,
  groupMaxSessionTimeoutMs: 60_000,
  groupInitialRebalanceDelayMs: 0,
  offsetsTopicNumPartitions: 3,
  offsetsRetentionMinutes: 60,
  offsetsRetentionCheckIntervalMs: 60_000,
};

/** A consumer subscription (ConsumerProtocolSubscription v0) for `topics`. */
export function subscription(...topics: string[]): Buffer {
  return new ByteWriter()
    .writeInt16(0)
    .writeArray(topics, (w, t) => w.writeString(t))
    .writeNullableBytes(null)
    .toBuffer();
}

/** A consumer assignment (ConsumerProtocolAssignment v0). */
export function assignment(partitions: Record<string, number[]>): Buffer {
  return new ByteWriter()
    .writeInt16(0)
    .writeArray(Object.entries(partitions), (w, [topic, ps]) =>
      w.writeString(topic).writeArray(ps, (pw, p) => pw.writeInt32(p)),
    )
    .writeNullableBytes(null)
    .toBuffer();
}

export function protocols(...names: string[]): JoinGroupRequestProtocol[] {
  return names.map((name) => ({ name, metadata: subscription('t') }));
}

/** A promise whose settlement a test can look at synchronously after `settle()`. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly done: boolean;
  readonly value: T;
}

export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = { done: false, value: undefined as T, failure: undefined as Error | undefined };
  // Observes only: a rejection is kept and rethrown by `value`, where the test looks, rather than left unhandled.
  void promise.then(
    (v) => {
      state.done = true;
      state.value = v;
    },
    (error: unknown) => {
      state.done = true;
      state.failure = error instanceof Error ? error : new Error(`rejected with ${String(error)}`);
    },
  );
  return {
    promise,
    get done() {
      return state.done;
    },
    get value() {
      if (!state.done) throw new Error('the response is still pending');
      if (state.failure !== undefined) throw state.failure;
      return state.value;
    },
  };
}

/** Lets resolved promises run their callbacks: a deterministic turn of the event loop, not a wait for time. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface JoinOptions {
  groupId?: string;
  memberId?: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  protocolType?: string;
  protocols?: JoinGroupRequestProtocol[];
  version?: number;
  clientId?: string;
}

/** A coordinator with a mock clock over real UnifiedLogs in a temp dir, and the events it emitted. */
export class GroupHarness {
  readonly scheduler = new MockScheduler();
  readonly events: GroupEvent[] = [];
  coordinator!: GroupCoordinator;
  private readonly dir = mkdtempSync(join(tmpdir(), 'kq-group-'));
  private logs = new Map<number, UnifiedLog>();

  constructor(readonly config: Partial<GroupConfig> = {}) {
    this.start();
  }

  private start(): void {
    this.coordinator = new GroupCoordinator({
      config: { ...TEST_CONFIG, ...this.config },
      logs: { existing: (p) => this.log(p), forWrite: (p) => this.log(p) },
      scheduler: this.scheduler,
      partitionExists: (topic) => topic !== 'missing',
    });
    this.coordinator.onEvent((e) => this.events.push(e));
    this.coordinator.startup();
  }

  log(partition: number): UnifiedLog {
    let log = this.logs.get(partition);
    if (!log) {
      log = UnifiedLog.open(join(this.dir, `__consumer_offsets-${partition}`));
      this.logs.set(partition, log);
    }
    return log;
  }

  /** Total records in `__consumer_offsets`: proves whether a request wrote anything. */
  offsetsTopicEnd(): bigint {
    let total = 0n;
    for (const log of this.logs.values()) total += log.logEndOffset;
    return total;
  }

  /** Stops the coordinator, closes the logs, and starts a new coordinator over the same files (a clean restart). */
  restart(): void {
    this.coordinator.shutdown();
    for (const log of this.logs.values()) log.close();
    this.logs = new Map();
    this.start();
  }

  close(): void {
    this.coordinator.shutdown();
    for (const log of this.logs.values()) log.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  context(version: number, clientId = 'client'): GroupRequestContext {
    return { apiVersion: version, clientId, clientHost: '/127.0.0.1' };
  }

  join(options: JoinOptions = {}): Tracked<JoinGroupResponse> {
    const request: JoinGroupRequest = {
      groupId: options.groupId ?? 'g',
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 30_000,
      memberId: options.memberId ?? '',
      groupInstanceId: null,
      protocolType: options.protocolType ?? 'consumer',
      protocols: options.protocols ?? protocols('range'),
    };
    return track(this.coordinator.handleJoinGroup(request, this.context(options.version ?? 5, options.clientId)));
  }

  /** JoinGroup v4+ as real clients do it: first without an id (MEMBER_ID_REQUIRED), then with the id given. */
  async joinWithId(options: JoinOptions = {}): Promise<{ memberId: string; response: Tracked<JoinGroupResponse> }> {
    const first = this.join({ ...options, memberId: '' });
    await this.settle();
    const memberId = first.value.memberId;
    return { memberId, response: this.join({ ...options, memberId }) };
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: Record<string, Buffer> = {},
    groupId = 'g',
  ): Tracked<SyncGroupResponse> {
    return track(
      this.coordinator.handleSyncGroup(
        {
          groupId,
          generationId,
          memberId,
          groupInstanceId: null,
          assignments: Object.entries(assignments).map(([m, a]) => ({ memberId: m, assignment: a })),
        },
        this.context(3),
      ),
    );
  }

  heartbeat(memberId: string, generationId: number, groupId = 'g'): number {
    return this.coordinator.handleHeartbeat({ groupId, generationId, memberId, groupInstanceId: null }).errorCode;
  }

  commit(
    memberId: string,
    generationId: number,
    offsets: Record<string, bigint>,
    groupId = 'g',
  ): Array<[string, number]> {
    const byTopic = new Map<
      string,
      Array<{
        partitionIndex: number;
        committedOffset: bigint;
        committedLeaderEpoch: number;
        committedMetadata: string | null;
      }>
    >();
    for (const [tp, offset] of Object.entries(offsets)) {
      const at = tp.lastIndexOf('-');
      const topic = tp.slice(0, at);
      const list = byTopic.get(topic) ?? [];
      list.push({
        partitionIndex: Number(tp.slice(at + 1)),
        committedOffset: offset,
        committedLeaderEpoch: -1,
        committedMetadata: '',
      });
      byTopic.set(topic, list);
    }
    const response = answeredNow(
      this.coordinator.handleCommitOffsets(
        {
          groupId,
          generationId,
          memberId,
          groupInstanceId: null,
          retentionTimeMs: -1n,
          topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
        },
        this.context(7),
      ),
    );
    return response.topics.flatMap((t) =>
      t.partitions.map((p): [string, number] => [`${t.name}-${p.partitionIndex}`, p.errorCode]),
    );
  }

  /** Committed offsets of `groupId` as `{ 'topic-partition': offset }` (OffsetFetch for all partitions). */
  committed(groupId = 'g'): Record<string, bigint> {
    const response = this.coordinator.handleFetchOffsets({ groupId, topics: null }, this.context(5));
    return Object.fromEntries(
      response.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.committedOffset])),
    );
  }

  /** Runs tasks due now (a zero initial delay is still a timer) and lets resolved responses arrive. */
  async settle(): Promise<void> {
    this.scheduler.advance(0);
    await settle();
  }

  eventsOf(type: GroupEvent['type']): GroupEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

/** Two members joined and synced into generation `generationId`; `a` leads. */
export async function stableGroupOfTwo(h: GroupHarness): Promise<{ a: string; b: string; generationId: number }> {
  const a = await h.joinWithId({ clientId: 'a' });
  await h.settle();
  const first = a.response.value;
  const syncA = h.sync(a.memberId, first.generationId, { [a.memberId]: assignment({ t: [0, 1, 2] }) });
  await h.settle();
  if (syncA.value.errorCode !== 0) throw new Error(`sync failed: ${syncA.value.errorCode}`);
  const b = await h.joinWithId({ clientId: 'b' });
  // a learns of the rebalance from its heartbeat, and rejoins.
  if (h.heartbeat(a.memberId, first.generationId) !== 27) throw new Error('expected REBALANCE_IN_PROGRESS');
  const rejoinA = h.join({ memberId: a.memberId, clientId: 'a' });
  await h.settle();
  const generationId = rejoinA.value.generationId;
  const sa = h.sync(a.memberId, generationId, {
    [a.memberId]: assignment({ t: [0, 1] }),
    [b.memberId]: assignment({ t: [2] }),
  });
  const sb = h.sync(b.memberId, generationId);
  await h.settle();
  if (sa.value.errorCode !== 0 || sb.value.errorCode !== 0) throw new Error('sync of two failed');
  return { a: a.memberId, b: b.memberId, generationId };
}

/** One broker's group writes are synchronous: the answer is there at once (a promise only in a replicated cluster). */
export function answeredNow<T>(answer: T | Promise<T>): T {
  if (answer instanceof Promise) throw new Error('expected an answer at once (one broker), got a promise');
  return answer;
}
