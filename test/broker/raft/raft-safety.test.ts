import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/broker/raft/kafka-raft-client.js';
import { entriesOf, RaftSimulation } from './raft-simulation.js';

/**
 * Raft's safety properties under seeded random faults (crashes with restart from the same log and
 * quorum-state store, cut links), checked after every 10 ms tick; then, all faults healed, liveness:
 * one leader, every log the same. A failure names the seed, so it replays.
 */
describe('KafkaRaftClient under seeded faults', () => {
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'seed %i: one leader per epoch, committed entries never change, and it heals',
    (seed) => {
      const voters = [1, 2, 3, 4, 5];
      const sim = new RaftSimulation(voters, seed);
      const chance = seededRandom(seed * 7919);
      const pick = () => voters[Math.floor(chance() * voters.length)]!;
      const leaderOfEpoch = new Map<number, number>();
      const committed: Array<[number, unknown]> = [];
      let appended = 0;

      const check = () => {
        for (const id of voters) {
          const c = sim.client(id);
          if (c.state.name === 'Leader') {
            const known = leaderOfEpoch.get(c.epoch);
            if (known !== undefined && known !== id)
              throw new Error(`seed ${seed}: epoch ${c.epoch} has two leaders, ${known} and ${id}`);
            leaderOfEpoch.set(c.epoch, id);
          }
          for (const entry of entriesOf(c.log, 0, c.highWatermark)) {
            const first = committed[entry.offset];
            if (!first) committed[entry.offset] = [entry.epoch, entry.record];
            else if (first[0] !== entry.epoch || first[1] !== entry.record) {
              throw new Error(
                `seed ${seed}: node ${id} has ${JSON.stringify([entry.epoch, entry.record])} at committed offset ${entry.offset}, first committed as ${JSON.stringify(first)}`,
              );
            }
          }
        }
      };

      for (let step = 0; step < 1500; step++) {
        const roll = chance();
        if (roll < 0.004) sim.stop(pick());
        else if (roll < 0.012) {
          const id = pick();
          if (sim.down.has(id)) sim.start(id);
        } else if (roll < 0.018) sim.cut(pick(), pick());
        else if (roll < 0.026) sim.cut(pick(), pick(), false);
        else if (roll < 0.2) {
          const leader = sim.leaders()[0];
          if (leader) leader.appendAsLeader([`r${appended++}`], sim.now);
        }
        sim.tick();
        check();
      }

      for (const id of voters) {
        if (sim.down.has(id)) sim.start(id);
        for (const other of voters) sim.cut(id, other, false);
      }
      sim.runUntil(`seed ${seed}: a leader after healing`, () => sim.agreedLeader() !== undefined, 60_000);
      const leader = sim.agreedLeader()!;
      leader.appendAsLeader(['final'], sim.now);
      sim.runUntil(`seed ${seed}: every log equal to the leader's and committed`, () =>
        voters.every(
          (id) =>
            sim.client(id).log.endOffset === leader.log.endOffset &&
            sim.client(id).highWatermark === leader.log.endOffset,
        ),
      );
      check();
      const leaderLog = JSON.stringify(leader.log.read(0, 100_000));
      for (const id of voters) expect(JSON.stringify(sim.client(id).log.read(0, 100_000))).toBe(leaderLog);
      expect(committed.length).toBeGreaterThan(1);
    },
  );
});
