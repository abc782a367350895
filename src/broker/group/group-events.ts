import { formatAssignment, type TopicPartitions } from './consumer-protocol.js';

/**
 * What the coordinator reports as it works: every state change of every group. `kq broker` logs them and demos
 * wait on them ("member B timed out", "generation 3 completed"), so tests can wait on an observed event instead
 * of sleeping. Events are facts after the fact: listeners cannot change what happened.
 */
export type GroupEvent =
  | { type: 'member-joined'; groupId: string; memberId: string; clientId: string; at: number }
  | { type: 'member-left'; groupId: string; memberId: string; at: number }
  | {
      type: 'member-removed';
      groupId: string;
      memberId: string;
      /** session-timeout: no heartbeat in session.timeout.ms; rebalance-timeout: did not rejoin in time. */
      reason: 'session-timeout' | 'rebalance-timeout' | 'pending-timeout';
      at: number;
    }
  | { type: 'rebalance-started'; groupId: string; generationId: number; reason: string; at: number }
  | {
      type: 'generation-completed';
      groupId: string;
      generationId: number;
      protocolName: string | null;
      leaderId: string | null;
      /** Per member, the partitions it was given (null when the protocol is not the consumer protocol). */
      assignment: Array<{ memberId: string; clientId: string; partitions: TopicPartitions[] | null }>;
      at: number;
    }
  | { type: 'group-emptied'; groupId: string; generationId: number; at: number }
  | {
      type: 'offsets-committed';
      groupId: string;
      memberId: string;
      generationId: number;
      offsets: Array<{ topic: string; partition: number; offset: bigint }>;
      at: number;
    }
  | { type: 'offsets-expired'; groupId: string; offsets: Array<{ topic: string; partition: number }>; at: number }
  | { type: 'group-removed'; groupId: string; at: number }
  | { type: 'groups-loaded'; groups: number; offsets: number; recordsRead: number; recordsSkipped: number; at: number };

export type GroupEventListener = (event: GroupEvent) => void;

/** One line for the broker log, e.g. `group g: generation 2 completed (range, leader c-1): c-1 → t-0,t-1`. */
export function describeGroupEvent(event: GroupEvent): string {
  switch (event.type) {
    case 'member-joined':
      return `group ${event.groupId}: member ${event.memberId} (client ${event.clientId}) joined`;
    case 'member-left':
      return `group ${event.groupId}: member ${event.memberId} left`;
    case 'member-removed':
      return `group ${event.groupId}: member ${event.memberId} removed (${event.reason})`;
    case 'rebalance-started':
      return `group ${event.groupId}: rebalance started after generation ${event.generationId} (${event.reason})`;
    case 'generation-completed': {
      const members = event.assignment
        .map((a) => `${a.memberId} → ${a.partitions ? formatAssignment(a.partitions) : '(opaque)'}`)
        .join('; ');
      return `group ${event.groupId}: generation ${event.generationId} completed (${event.protocolName ?? 'no protocol'}, leader ${event.leaderId ?? 'none'}): ${members}`;
    }
    case 'group-emptied':
      return `group ${event.groupId}: empty after generation ${event.generationId}`;
    case 'offsets-committed':
      return `group ${event.groupId}: committed ${event.offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(', ')}`;
    case 'offsets-expired':
      return `group ${event.groupId}: offsets expired for ${event.offsets.map((o) => `${o.topic}-${o.partition}`).join(', ')}`;
    case 'group-removed':
      return `group ${event.groupId}: removed (no members, no offsets)`;
    case 'groups-loaded':
      return (
        `__consumer_offsets replayed: ${event.recordsRead} records → ${event.groups} groups, ${event.offsets} committed offsets` +
        (event.recordsSkipped > 0 ? ` (${event.recordsSkipped} unreadable records skipped)` : '')
      );
  }
}
