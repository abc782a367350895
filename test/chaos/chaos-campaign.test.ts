import { describe, expect, it } from 'vitest';
import { runChaos } from '../../src/chaos/chaos-run.js';
import { scenarioNamed } from '../../src/chaos/scenarios.js';
import { kqBin } from '../broker/support/broker-process.js';

const nodeCommand = [process.execPath, kqBin, 'broker'];

/**
 * The small campaign `npm test` runs (the full one is `npm run chaos`): a few hundred writes per run on a real
 * 3-node kq cluster under one seeded fault, judged by the checker.
 */
describe('the fault campaign, small', () => {
  it('acks=all, idempotent, RF 3, min.insync.replicas 2 through a SIGKILL of the leader: no acknowledged write lost, none duplicated, no offset reused', async () => {
    const report = await runChaos({
      scenario: scenarioNamed('kill-leader')!,
      seed: 1,
      writes: 300,
      faults: 1,
      nodeCommand,
    });
    expect(report.faultLog.some((line) => /inject kill node \d/.test(line))).toBe(true);
    expect(report.result.writes).toBeGreaterThanOrEqual(300);
    expect(report.result.acked).toBeGreaterThan(0);
    // The live reader followed the partitions through the leader change.
    expect(report.result.liveReads).toBeGreaterThan(0);
    expect(report.result).toMatchObject({
      lostAcked: 0,
      duplicates: 0,
      offsetReuse: 0,
      orderViolations: 0,
      readThenLost: 0,
      replicaDivergence: 0,
    });
  }, 240_000);

  it('an unclean election (min.insync.replicas 1, both followers out of the ISR, the leader killed) loses acknowledged writes, and the checker counts them', async () => {
    const report = await runChaos({
      scenario: scenarioNamed('unclean-election')!,
      seed: 1,
      writes: 300,
      faults: 1,
      nodeCommand,
    });
    // The staging happened: both followers slowed, the ISR down to the leader, the leader killed, another elected.
    expect(report.faultLog.filter((line) => /inject slow-follower node \d/.test(line))).toHaveLength(2);
    expect(report.faultLog.some((line) => /inject kill node \d/.test(line))).toBe(true);
    expect(report.notes.filter((n) => n.startsWith('unclean-failover'))).toEqual([]);
    expect(report.result.lostAcked).toBeGreaterThan(0);
    // What the new leader never had, the old one truncated: the replicas agree again.
    expect(report.result.replicaDivergence).toBe(0);
  }, 240_000);

  it('power loss of every node at once loses acknowledged writes, and the checker counts them', async () => {
    const report = await runChaos({
      scenario: scenarioNamed('power-loss-all')!,
      seed: 2,
      writes: 300,
      faults: 1,
      nodeCommand,
    });
    expect(report.faultLog.filter((line) => /inject power-loss node \d/.test(line))).toHaveLength(3);
    expect(report.result.lostAcked).toBeGreaterThan(0);
  }, 240_000);
});
