import type { History, ReadRecord, WriteAttempt } from './history.js';

/** A gap this long without any acknowledged write counts as unavailability. */
export const UNAVAILABLE_GAP_MS = 1000;

/** The verdict on one run: every anomaly counted, with a few examples of each for the report. */
export interface CheckResult {
  readonly writes: number;
  readonly acked: number;
  readonly failed: number;
  /** Acknowledged writes missing from what the leaders serve at the end. */
  readonly lostAcked: number;
  /** Extra copies: a value stored at more than one offset (a retry appended twice). */
  readonly duplicates: number;
  /** Acknowledged writes whose offset now holds another value: the offset was given out twice. */
  readonly offsetReuse: number;
  /** Pairs of writes of one key (one producer, sent in order) stored in the opposite order. */
  readonly orderViolations: number;
  /** Records the live consumer read while the faults ran (the base of the two checks below). */
  readonly liveReads: number;
  /**
   * Reads going backwards: the live consumer read an offset at or below one it had already read in the same session,
   * or the log went back under it (its next offset past the leader's log end).
   */
  readonly backwardReads: number;
  /** The live consumer read a record that the final log does not hold at that offset (read, then lost). */
  readonly readThenLost: number;
  /** Records on which a replica disagrees with the leaders' final log (a different value, or missing). */
  readonly replicaDivergence: number;
  /** Seconds without an acknowledged write, summed over gaps of at least UNAVAILABLE_GAP_MS, for the worst producer. */
  readonly unavailableSeconds: number;
  /** Failed writes that are in the log anyway (indeterminate: allowed). */
  readonly failedButStored: number;
  readonly examples: readonly string[];
}

function keyOf(r: { partition: number; offset: bigint }): string {
  return `${r.partition}@${r.offset}`;
}

/**
 * Judges a History (Jepsen's Kafka checks, adapted): lost acknowledged writes, duplicates, offset reuse, per-key
 * order, reads going backwards, reads of records later lost, replicas that disagree, unavailability. Pure: the
 * same history, the same verdict.
 */
export function check(history: History): CheckResult {
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 12) examples.push(text);
  };
  const finalAt = new Map<string, string>();
  const offsetsOf = new Map<string, ReadRecord[]>();
  for (const r of history.finalReads) {
    finalAt.set(keyOf(r), r.value);
    const list = offsetsOf.get(r.value) ?? [];
    list.push(r);
    offsetsOf.set(r.value, list);
  }

  const acked = history.writes.filter((w) => w.outcome === 'acked');
  let lostAcked = 0;
  let offsetReuse = 0;
  for (const w of acked) {
    if (!offsetsOf.has(w.value)) {
      lostAcked++;
      note(`lost: ${w.value} (acked at ${w.partition}@${w.offset}, ${w.endMs} ms)`);
    }
    if (w.offset !== undefined && w.partition !== undefined) {
      const now = finalAt.get(keyOf({ partition: w.partition, offset: w.offset }));
      if (now !== undefined && now !== w.value) {
        offsetReuse++;
        note(`offset reuse: ${w.partition}@${w.offset} acked for ${w.value}, now holds ${now}`);
      }
    }
  }

  let duplicates = 0;
  for (const [value, copies] of offsetsOf)
    if (copies.length > 1) {
      duplicates += copies.length - 1;
      note(`duplicate: ${value} at ${copies.map(keyOf).join(', ')}`);
    }

  // Per key: a producer's writes, sent one after another, must be stored in that order.
  let orderViolations = 0;
  const byProducer = new Map<number, WriteAttempt[]>();
  for (const w of history.writes) {
    const list = byProducer.get(w.producer) ?? [];
    list.push(w);
    byProducer.set(w.producer, list);
  }
  for (const writes of byProducer.values()) {
    const stored = writes
      .sort((a, b) => a.seq - b.seq)
      .map((w) => ({ w, at: offsetsOf.get(w.value)?.[0] }))
      .filter((s): s is { w: WriteAttempt; at: ReadRecord } => s.at !== undefined);
    for (let i = 1; i < stored.length; i++) {
      const a = stored[i - 1]!;
      const b = stored[i]!;
      if (a.at.partition === b.at.partition && b.at.offset < a.at.offset) {
        orderViolations++;
        note(`order: ${a.w.value} at ${keyOf(a.at)} but the later ${b.w.value} at ${keyOf(b.at)}`);
      }
    }
  }

  let backwardReads = history.liveLogWentBack ?? 0;
  let readThenLost = 0;
  const lastRead = new Map<string, bigint>();
  for (const r of history.liveReads) {
    const lane = `${r.session}/${r.partition}`;
    const last = lastRead.get(lane);
    if (last !== undefined && r.offset <= last) {
      backwardReads++;
      note(`backward read: partition ${r.partition} offset ${r.offset} after ${last} (session ${r.session})`);
    }
    lastRead.set(lane, r.offset);
    const now = finalAt.get(keyOf(r));
    if (now !== r.value) {
      readThenLost++;
      note(`read then lost: ${r.value} read at ${keyOf(r)}, now ${now ?? 'nothing'} there`);
    }
  }

  let replicaDivergence = 0;
  for (const copy of history.replicas) {
    const held = new Map(copy.records.map((r) => [keyOf(r), r.value]));
    for (const r of history.finalReads) {
      if (r.partition !== copy.partition) continue;
      const mine = held.get(keyOf(r));
      if (mine !== r.value) {
        replicaDivergence++;
        note(
          `replica ${copy.node} partition ${r.partition} offset ${r.offset}: ${mine ?? 'missing'}, leader ${r.value}`,
        );
      }
    }
  }

  // Per producer (its key's partition): a producer stuck on a dead leader is unavailable even while the others,
  // writing to partitions led elsewhere, carry on. The worst producer's total is reported.
  let unavailableMs = 0;
  for (const writes of byProducer.values()) {
    const ackTimes = writes.filter((w) => w.outcome === 'acked').map((w) => w.endMs);
    ackTimes.sort((a, b) => a - b);
    let total = 0;
    let previous = 0;
    for (const t of [...ackTimes, history.durationMs]) {
      if (t - previous >= UNAVAILABLE_GAP_MS) total += t - previous;
      previous = Math.max(previous, t);
    }
    unavailableMs = Math.max(unavailableMs, total);
  }

  const failed = history.writes.filter((w) => w.outcome === 'failed');
  return {
    writes: history.writes.length,
    acked: acked.length,
    failed: failed.length,
    lostAcked,
    duplicates,
    offsetReuse,
    orderViolations,
    liveReads: history.liveReads.length,
    backwardReads,
    readThenLost,
    replicaDivergence,
    unavailableSeconds: Math.round(unavailableMs / 100) / 10,
    failedButStored: failed.filter((w) => offsetsOf.has(w.value)).length,
    examples,
  };
}
