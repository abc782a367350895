import { describe, expect, it } from 'vitest';
import { check } from '../../src/chaos/checker.js';
import type { History, ReadRecord, WriteAttempt } from '../../src/chaos/history.js';

function acked(producer: number, seq: number, offset: number, endMs = seq * 10, partition = 0): WriteAttempt {
  const value = `p${producer}-${seq}`;
  return {
    producer,
    seq,
    key: `k${producer}`,
    value,
    startMs: endMs - 5,
    endMs,
    outcome: 'acked',
    partition,
    offset: BigInt(offset),
  };
}

function failed(producer: number, seq: number, endMs = seq * 10): WriteAttempt {
  return {
    producer,
    seq,
    key: `k${producer}`,
    value: `p${producer}-${seq}`,
    startMs: endMs - 5,
    endMs,
    outcome: 'failed',
  };
}

function at(offset: number, value: string, partition = 0): ReadRecord {
  return { partition, offset: BigInt(offset), value };
}

/** A clean run: three acked writes, stored in order, read live and by every replica. */
function clean(): History {
  const finalReads = [at(0, 'p1-0'), at(1, 'p1-1'), at(2, 'p1-2')];
  return {
    durationMs: 30,
    partitions: 1,
    writes: [acked(1, 0, 0), acked(1, 1, 1), acked(1, 2, 2)],
    liveReads: finalReads.map((r, i) => ({ ...r, session: 1, atMs: i })),
    finalReads,
    replicas: [1, 2, 3].map((node) => ({ node, partition: 0, records: finalReads })),
  };
}

describe('the chaos checker', () => {
  it('finds nothing wrong in a clean history', () => {
    const r = check(clean());
    expect(r).toMatchObject({
      writes: 3,
      acked: 3,
      lostAcked: 0,
      duplicates: 0,
      offsetReuse: 0,
      orderViolations: 0,
      backwardReads: 0,
      readThenLost: 0,
      replicaDivergence: 0,
      unavailableSeconds: 0,
    });
    expect(r.examples).toEqual([]);
  });

  it('counts an acknowledged write missing at the end as lost, and its offset given to another write as reuse', () => {
    const h = clean();
    const finalReads = [at(0, 'p1-0'), at(1, 'p1-1'), at(2, 'p2-0')];
    const r = check({ ...h, writes: [...h.writes, acked(2, 0, 2)], finalReads, liveReads: [], replicas: [] });
    expect(r.lostAcked).toBe(1);
    expect(r.offsetReuse).toBe(1); // p1-2 was acked at offset 2, which holds p2-0 now
    expect(r.examples.join('\n')).toMatch(/lost: p1-2/);
  });

  it('counts a value stored twice as a duplicate, and a failed write in the log as indeterminate, not lost', () => {
    const h = clean();
    const finalReads = [...h.finalReads, at(3, 'p1-2'), at(4, 'p1-3')];
    const r = check({ ...h, writes: [...h.writes, failed(1, 3)], finalReads, liveReads: [], replicas: [] });
    expect(r.duplicates).toBe(1);
    expect(r.failedButStored).toBe(1);
    expect(r.lostAcked).toBe(0);
  });

  it('counts writes of one key stored out of their send order', () => {
    const h = clean();
    const finalReads = [at(0, 'p1-1'), at(1, 'p1-0'), at(2, 'p1-2')];
    const r = check({
      ...h,
      writes: [acked(1, 0, 1), acked(1, 1, 0), acked(1, 2, 2)],
      finalReads,
      liveReads: [],
      replicas: [],
    });
    expect(r.orderViolations).toBe(1);
  });

  it('counts live reads going backwards within a session but not across a rebalance, and reads of records later lost', () => {
    const h = clean();
    const r = check({
      ...h,
      liveReads: [
        { ...at(0, 'p1-0'), session: 1, atMs: 0 },
        { ...at(1, 'p1-1'), session: 1, atMs: 1 },
        { ...at(1, 'p1-1'), session: 1, atMs: 2 },
        { ...at(0, 'p1-0'), session: 2, atMs: 3 },
        { ...at(2, 'p9-9'), session: 2, atMs: 4 },
      ],
    });
    expect(r.backwardReads).toBe(1);
    expect(r.readThenLost).toBe(1);
  });

  it('counts records on which a replica disagrees with the final log', () => {
    const h = clean();
    const r = check({
      ...h,
      replicas: [...h.replicas, { node: 4, partition: 0, records: [at(0, 'p1-0'), at(1, 'other')] }],
    });
    expect(r.replicaDivergence).toBe(2); // offset 1 differs, offset 2 missing
  });

  it('sums the gaps of at least a second without an acknowledged write', () => {
    const h = clean();
    const r = check({
      ...h,
      durationMs: 5000,
      writes: [acked(1, 0, 0, 100), acked(1, 1, 1, 2600), acked(1, 2, 2, 2700)],
    });
    // 100 -> 2600 (2.5 s) and 2700 -> 5000 (2.3 s)
    expect(r.unavailableSeconds).toBe(4.8);
  });
});
