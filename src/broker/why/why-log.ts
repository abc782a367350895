/**
 * The "why" log (issue 13): every decision that changes who holds, leads or may read a partition — an ISR shrink
 * or expand, a high-watermark move, an election and the rule that chose the leader, a truncation, a fenced broker,
 * a leader-epoch bump, a refused produce — as one event naming the config, rule or KIP behind it, in Chinese and
 * English. The parts that decide (ReplicaManager, the QuorumController) explain their own events
 * (server/replica-why.ts, controller/controller-why.ts); this module only holds and hands them out.
 */

/** What happened (one per kind of decision). */
export type WhyKind =
  | 'isr-shrink'
  | 'isr-expand'
  | 'isr-committed'
  | 'isr-refused'
  | 'high-watermark'
  | 'election'
  | 'leader-epoch'
  | 'follower'
  | 'truncation'
  | 'broker-fenced'
  | 'broker-unfenced'
  | 'broker-registered'
  | 'controlled-shutdown'
  | 'produce-rejected'
  | 'reassignment'
  | 'elr';

/** One explained decision. Plain data: it crosses the IPC channel of a child-process broker as JSON. */
export interface WhyEvent {
  /** When it was decided (ms since the epoch). */
  readonly at: number;
  /** The node that decided or observed it (the partition leader, a follower, or the active controller). */
  readonly node: number;
  readonly kind: WhyKind;
  /** `topic-partition`, when the event is about one partition. */
  readonly partition?: string;
  /** The config, rule or KIP behind it, e.g. `replica.lag.time.max.ms`, `unclean.leader.election.enable`, `KIP-101`. */
  readonly rule: string;
  readonly text: { readonly zh: string; readonly en: string };
  /** The figures the text is made from (epochs, offsets, broker ids), for tools and tests. */
  readonly data: Readonly<Record<string, string | number | boolean | null | readonly number[]>>;
}

export type WhyListener = (event: WhyEvent) => void;

/** How many events a WhyLog keeps (the oldest go first); enough for a demo or a few minutes of a live view. */
export const WHY_LOG_CAPACITY = 2000;

/**
 * One node's why log: the last WHY_LOG_CAPACITY events in order, and listeners told of each new one (`kq broker`
 * prints them, KafkaCluster relays a child's over IPC). Owned by the node (KafkaBroker, or KafkaRaftServer which
 * hands it to its broker and controller); the deciding parts only call `record`.
 */
export class WhyLog {
  private readonly events: WhyEvent[] = [];
  private readonly listeners = new Set<WhyListener>();

  record(event: WhyEvent): void {
    this.events.push(event);
    if (this.events.length > WHY_LOG_CAPACITY) this.events.splice(0, this.events.length - WHY_LOG_CAPACITY);
    for (const listener of this.listeners) listener(event);
  }

  /** The events kept, oldest first. */
  all(): WhyEvent[] {
    return [...this.events];
  }

  /** Calls `listener` for every event recorded from now on; returns the function that stops it. */
  onEvent(listener: WhyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One line for a terminal: `node 2 orders-0 election: … [unclean.leader.election.enable]`. */
export function formatWhy(event: WhyEvent, lang: 'zh' | 'en' = 'en'): string {
  const where = event.partition ? ` ${event.partition}` : '';
  return `why: node ${event.node}${where} ${event.kind}: ${event.text[lang]} [${event.rule}]`;
}
