import { describe, expect, it } from 'vitest';
import { KafkaRaftClient, seededRandom } from '../../../src/broker/raft/kafka-raft-client.js';
import { MemoryQuorumStateStore } from '../../../src/broker/raft/quorum-state-store.js';
import type { OutboundMessage, RaftMessage } from '../../../src/broker/raft/raft-messages.js';
import { MemoryReplicatedLog } from '../../../src/broker/raft/replicated-log.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { entriesOf, logOf, RaftSimulation } from './raft-simulation.js';

const records = (sim: RaftSimulation, id: number): unknown[] =>
  entriesOf(sim.client(id).log).map((e) => [e.epoch, e.record]);

/**
 * Drives `client` through an election in which voter `voter` says yes twice: to its pre-vote (answered in the
 * client's epoch, KIP-996) and then to its vote in the next epoch.
 */
function electAlone(client: KafkaRaftClient, voter: number, now: number): void {
  const epoch = client.epoch;
  client.poll(now);
  expect(client.state).toMatchObject({ name: 'Prospective', epoch });
  const yes = (leaderEpoch: number): RaftMessage => ({
    type: 'VoteResponse',
    errorCode: 0,
    leaderId: -1,
    leaderEpoch,
    voteGranted: true,
  });
  client.handle(voter, yes(epoch), now);
  expect(client.state).toMatchObject({ name: 'Candidate', epoch: epoch + 1 });
  client.handle(voter, yes(epoch + 1), now);
}

function electedLeader(sim: RaftSimulation): KafkaRaftClient {
  sim.runUntil('one leader all voters follow', () => sim.agreedLeader() !== undefined);
  return sim.agreedLeader()!;
}

describe('KafkaRaftClient: elections', () => {
  it.each([1, 2, 3, 4, 5])('three voters elect exactly one leader at epoch ≥ 1 (seed %i)', (seed) => {
    const sim = new RaftSimulation([1, 2, 3], seed);
    const leader = electedLeader(sim);
    expect(sim.leaders()).toHaveLength(1);
    expect(leader.epoch).toBeGreaterThanOrEqual(1);
    for (const id of [1, 2, 3]) {
      const c = sim.client(id);
      if (c !== leader)
        expect(c.state).toMatchObject({ name: 'Follower', leaderId: leader.nodeId, epoch: leader.epoch });
    }
    // The leader's first entry is its leader-change record, committed on a majority.
    sim.runUntil('the leader-change record committed everywhere', () =>
      [1, 2, 3].every((id) => sim.client(id).highWatermark === 1),
    );
    expect(entriesOf(leader.log)[0]).toMatchObject({
      epoch: leader.epoch,
      record: { type: 'leader-change', leaderId: leader.nodeId },
    });
  });

  it('the seed decides the election: the same seed elects the same leader at the same time', () => {
    const run = (seed: number) => {
      const sim = new RaftSimulation([1, 2, 3, 4, 5], seed);
      const leader = electedLeader(sim);
      return [leader.nodeId, leader.epoch, sim.now];
    };
    expect(run(42)).toEqual(run(42));
  });

  it('split vote: two candidates in one epoch each get half the votes, nobody leads, a later epoch elects one', () => {
    const sim = new RaftSimulation([1, 2, 3, 4], 7);
    const [c1, c2] = [sim.client(1), sim.client(2)];
    const voteTo = (out: OutboundMessage[], to: number) => out.find((m) => m.to === to)!.message;
    // Both time out together. Their pre-votes pass: 3 and 4 know no leader, and answering one changes nothing,
    // so both would vote for either; each becomes a candidate in epoch 1 with its third yes.
    const preVotes1 = c1.poll(10_000);
    const preVotes2 = c2.poll(10_000);
    expect(c1.state).toMatchObject({ name: 'Prospective', epoch: 0 });
    const passPreVote = (candidate: number, preVotes: OutboundMessage[]): OutboundMessage[] =>
      [3, 4].flatMap((voter) => {
        const [reply] = sim.client(voter).handle(candidate, voteTo(preVotes, voter), 10_002);
        expect(reply!.message).toMatchObject({ voteGranted: true, leaderEpoch: 0 });
        return sim.client(candidate).handle(voter, reply!.message, 10_004);
      });
    const votes1 = passPreVote(1, preVotes1);
    const votes2 = passPreVote(2, preVotes2);
    expect(c1.state).toMatchObject({ name: 'Candidate', epoch: 1 });
    expect(c2.state).toMatchObject({ name: 'Candidate', epoch: 1 });
    // 3 hears 1's vote first, 4 hears 2's first.
    const answer = (voter: number, candidate: number, vote: RaftMessage) => {
      const [reply] = sim.client(voter).handle(candidate, vote, 10_005);
      sim.client(candidate).handle(voter, reply!.message, 10_010);
      return reply!.message;
    };
    expect(answer(3, 1, voteTo(votes1, 3))).toMatchObject({ voteGranted: true });
    expect(answer(4, 2, voteTo(votes2, 4))).toMatchObject({ voteGranted: true });
    expect(answer(3, 2, voteTo(votes2, 3))).toMatchObject({ voteGranted: false }); // 3 already voted in epoch 1
    expect(answer(4, 1, voteTo(votes1, 4))).toMatchObject({ voteGranted: false });
    expect(answer(2, 1, voteTo(votes1, 2))).toMatchObject({ voteGranted: false }); // a candidate votes for itself
    expect(sim.leaders()).toHaveLength(0);
    expect(c1.state).toMatchObject({ name: 'Candidate', epoch: 1, granted: new Set([1, 3]) });
    sim.now = 10_010;
    const leader = electedLeader(sim);
    expect(leader.epoch).toBeGreaterThanOrEqual(2);
  });

  it('leader failure: the survivors elect a new leader in a higher epoch and keep every committed record', () => {
    const sim = new RaftSimulation([1, 2, 3], 11);
    const first = electedLeader(sim);
    for (const r of ['a', 'b', 'c']) first.appendAsLeader([r], sim.now);
    sim.runUntil('a, b, c committed', () => first.highWatermark === 4);
    sim.stop(first.nodeId);
    const survivors = [1, 2, 3].filter((id) => id !== first.nodeId);
    sim.runUntil('a new leader among the survivors', () => sim.agreedLeader(survivors) !== undefined);
    const second = sim.agreedLeader(survivors)!;
    expect(second.nodeId).not.toBe(first.nodeId);
    expect(second.epoch).toBeGreaterThan(first.epoch);
    expect(entriesOf(second.log, 1, 3).map((e) => e.record)).toEqual(['a', 'b', 'c']);
    // The old leader comes back and follows the new epoch.
    sim.start(first.nodeId);
    sim.runUntil('the old leader follows the new one', () => sim.agreedLeader() === second);
  });

  it('a restarted voter keeps its vote: it never votes for two candidates in one epoch', () => {
    const store = new MemoryQuorumStateStore();
    const log = new MemoryReplicatedLog();
    const make = () => new KafkaRaftClient({ nodeId: 3, voters: [1, 2, 3], random: seededRandom(1), store, log }, 0);
    const vote = (candidateId: number): RaftMessage => ({
      type: 'Vote',
      candidateEpoch: 5,
      candidateId,
      lastOffsetEpoch: 0,
      lastOffset: 0,
      preVote: false,
    });
    expect(make().handle(1, vote(1), 0)[0]!.message).toMatchObject({ voteGranted: true, leaderEpoch: 5 });
    expect(store.read()).toMatchObject({ epoch: 5, votedId: 1, leaderId: -1 });
    const restarted = make();
    expect(restarted.state).toMatchObject({ name: 'Voted', epoch: 5, votedId: 1 });
    expect(restarted.handle(2, vote(2), 0)[0]!.message).toMatchObject({ voteGranted: false });
    expect(restarted.handle(1, vote(1), 0)[0]!.message).toMatchObject({ voteGranted: true }); // a resent vote is answered the same
  });

  it('a voter refuses a candidate whose log is behind its own (a later last epoch, or the same epoch and longer)', () => {
    const log = logOf([
      [2, 'x'],
      [2, 'y'],
    ]);
    const voter = new KafkaRaftClient(
      { nodeId: 3, voters: [1, 2, 3], random: seededRandom(1), store: new MemoryQuorumStateStore(), log },
      0,
    );
    const ask = (candidateEpoch: number, lastOffsetEpoch: number, lastOffset: number) =>
      voter.handle(
        1,
        { type: 'Vote', candidateEpoch, candidateId: 1, lastOffsetEpoch, lastOffset, preVote: false },
        0,
      )[0]!.message;
    expect(ask(3, 1, 10)).toMatchObject({ voteGranted: false }); // older last epoch, however long
    expect(ask(4, 2, 1)).toMatchObject({ voteGranted: false }); // same epoch, shorter
    expect(ask(5, 2, 2)).toMatchObject({ voteGranted: true, leaderEpoch: 5 });
    expect(ask(4, 9, 9)).toMatchObject({
      voteGranted: false,
      errorCode: ErrorCode.FENCED_LEADER_EPOCH,
      leaderEpoch: 5,
    });
  });

  describe('a refused vote in a leaderless epoch: the voter that would win runs next, after the retry backoff', () => {
    const ELECTION_TIMEOUT = 1000;
    const FETCH_TIMEOUT = 2000;
    /** Voter `id` of [1, 2, 3], following leader 1 in epoch 1 (as after a restart), with the given log. */
    const follower = (id: number, log = new MemoryReplicatedLog()) => {
      const store = new MemoryQuorumStateStore();
      store.write({ epoch: 1, leaderId: 1, votedId: -1, voters: [1, 2, 3] });
      const config = { nodeId: id, voters: [1, 2, 3], random: seededRandom(id), store, log };
      return new KafkaRaftClient(
        { ...config, electionTimeoutMs: ELECTION_TIMEOUT, fetchTimeoutMs: FETCH_TIMEOUT, retryBackoffMs: 20 },
        0,
      );
    };
    const to = (out: OutboundMessage[], id: number) => out.find((m) => m.to === id)!.message;
    /** Delivers `message` from `from` to `voter` and the answer back; returns the answer. */
    const exchange = (from: KafkaRaftClient, voter: KafkaRaftClient, message: RaftMessage, now: number) => {
      const [reply] = voter.handle(from.nodeId, message, now);
      return { reply: reply!.message, followUps: from.handle(voter.nodeId, reply!.message, now) };
    };

    it('both survivors of a dead leader run in the same instant: the first pre-vote answered wins, no split vote', () => {
      const [c2, c3] = [follower(2), follower(3)];
      // Leader 1 is gone; both fetch timers started at its last answer, so both run in the same instant. Without
      // pre-vote both became candidates in epoch 2 and refused each other (a split vote, another epoch).
      const t = FETCH_TIMEOUT;
      const [out2, out3] = [c2.poll(t), c3.poll(t)];
      expect([c2.state, c3.state]).toMatchObject([
        { name: 'Prospective', epoch: 1 },
        { name: 'Prospective', epoch: 1 },
      ]);
      // 3, itself without a leader, would vote for 2: 2 runs in epoch 2 and asks for the real vote.
      const { reply: preReply, followUps: votes } = exchange(c2, c3, to(out2, 3), t + 1);
      expect(preReply).toMatchObject({ voteGranted: true, leaderEpoch: 1 });
      expect(c2.state).toMatchObject({ name: 'Candidate', epoch: 2 });
      // 3's own pre-vote reaches a candidate already in the epoch it asks about: refused, and 3 learns epoch 2.
      expect(exchange(c3, c2, to(out3, 2), t + 2).reply).toMatchObject({ voteGranted: false, leaderEpoch: 2 });
      expect(c3.state).toMatchObject({ name: 'Unattached', epoch: 2 });
      const { reply, followUps } = exchange(c2, c3, to(votes, 3), t + 3);
      expect(reply).toMatchObject({ voteGranted: true, leaderEpoch: 2 });
      expect(c2.state).toMatchObject({ name: 'Leader', epoch: 2 });
      expect(followUps.map((o) => o.message.type)).toContain('BeginQuorumEpoch');
    });

    it('a voter that refuses a pre-vote because its own log is longer runs next, and wins', () => {
      const c2 = follower(2);
      const c3 = follower(3, logOf([[1, 'committed-on-3-only']]));
      const t = FETCH_TIMEOUT;
      // 3 times out first; 2's pre-vote then finds a voter without a leader whose log is longer: refused, and
      // 3's next pre-vote round moves to the retry backoff, since 3 is the one that can win.
      const first = c3.poll(t);
      expect(c3.state).toMatchObject({ name: 'Prospective', epoch: 1 });
      const out2 = c2.poll(t);
      const { reply } = exchange(c2, c3, to(out2, 3), t + 1);
      expect(reply).toMatchObject({ voteGranted: false, leaderEpoch: 1 });
      expect(c3.state).toMatchObject({ name: 'Prospective', epoch: 1 }); // a pre-vote changes nothing
      expect(first.length).toBe(2); // its first round went to 1 (gone) and 2 (then still a follower): lost
      const next = c3.poll(t + 21);
      expect(c3.state).toMatchObject({ name: 'Prospective', epoch: 1 });
      const { followUps: votes } = exchange(c3, c2, to(next, 2), t + 22);
      expect(c3.state).toMatchObject({ name: 'Candidate', epoch: 2 });
      expect(exchange(c3, c2, to(votes, 2), t + 23).reply).toMatchObject({ voteGranted: true });
      expect(c3.state).toMatchObject({ name: 'Leader', epoch: 2 });
    });
  });

  it('EndQuorumEpoch: a leader that resigns hands over to the first preferred successor, in a higher epoch', () => {
    const sim = new RaftSimulation([1, 2, 3], 5);
    const first = electedLeader(sim);
    first.appendAsLeader(['r'], sim.now);
    sim.runUntil('r committed', () => first.highWatermark === 2);
    const out = first.resign(sim.now);
    const successor = (out[0]!.message as Extract<RaftMessage, { type: 'EndQuorumEpoch' }>).preferredSuccessors[0]!;
    expect(first.state.name).toBe('Resigned');
    sim.send(first.nodeId, out);
    sim.runUntil('a new leader', () => sim.agreedLeader() !== undefined);
    expect(sim.agreedLeader()!.nodeId).toBe(successor);
    expect(sim.agreedLeader()!.epoch).toBe(first.epoch);
    expect(sim.agreedLeader()!.epoch).toBeGreaterThan(1);
  });
});

describe('KafkaRaftClient: pre-vote (KIP-996)', () => {
  const TIMEOUTS = { electionTimeoutMs: 1000, fetchTimeoutMs: 2000 };

  it('a follower frozen past its fetch timeout runs its timers before it reads: its pre-vote is refused, the epoch stays and it follows the same leader', () => {
    const sim = new RaftSimulation([1, 2, 3], 3, 5, TIMEOUTS);
    const leader = electedLeader(sim);
    const epoch = leader.epoch;
    const frozen = [1, 2, 3].find((id) => id !== leader.nodeId)!;
    sim.pause(frozen);
    for (let i = 0; i < 30; i++) {
      leader.appendAsLeader([`w${i}`], sim.now);
      sim.run(100); // 3 s frozen, past the 2 s fetch timeout
    }
    sim.resume(frozen);
    // Before pre-vote this was a Candidate in epoch + 1, and its Vote unseated the leader.
    expect(sim.client(frozen).state).toMatchObject({ name: 'Prospective', epoch, leaderId: leader.nodeId });
    sim.runUntil('the thawed follower caught up', () => sim.client(frozen).highWatermark === leader.log.endOffset);
    expect(sim.agreedLeader()).toBe(leader);
    expect([1, 2, 3].map((id) => sim.client(id).epoch)).toEqual([epoch, epoch, epoch]);
    expect(sim.client(frozen).state).toMatchObject({ name: 'Follower', leaderId: leader.nodeId });
  });

  it('a voter cut off from the others for 10 s never raises the epoch; healed, the leader it had still leads', () => {
    const sim = new RaftSimulation([1, 2, 3], 4, 5, TIMEOUTS);
    const leader = electedLeader(sim);
    const epoch = leader.epoch;
    const cut = [1, 2, 3].find((id) => id !== leader.nodeId)!;
    sim.isolate(cut);
    const states = new Set<string>();
    for (let i = 0; i < 100; i++) {
      sim.run(100);
      states.add(sim.client(cut).state.name);
    }
    expect(states).toContain('Prospective'); // it did try, every round refused or unanswered
    expect(states).not.toContain('Candidate');
    expect(sim.client(cut).epoch).toBe(epoch);
    sim.isolate(cut, false);
    leader.appendAsLeader(['after'], sim.now);
    sim.runUntil('the healed voter caught up', () => sim.client(cut).highWatermark === leader.log.endOffset);
    expect(sim.agreedLeader()).toBe(leader);
    expect(leader.epoch).toBe(epoch);
  });

  it('answering a pre-vote changes nothing: the epoch, the vote and the quorum-state file stay as they were', () => {
    const store = new MemoryQuorumStateStore();
    store.write({ epoch: 5, leaderId: -1, votedId: -1, voters: [1, 2, 3] });
    const voter = new KafkaRaftClient(
      { nodeId: 3, voters: [1, 2, 3], random: seededRandom(1), store, log: new MemoryReplicatedLog() },
      0,
    );
    const before = store.read();
    const preVote: RaftMessage = {
      type: 'Vote',
      candidateEpoch: 6,
      candidateId: 1,
      lastOffsetEpoch: 0,
      lastOffset: 0,
      preVote: true,
    };
    expect(voter.handle(1, preVote, 10)[0]!.message).toMatchObject({ voteGranted: true, leaderEpoch: 5 });
    expect(voter.handle(2, { ...preVote, candidateId: 2 }, 11)[0]!.message).toMatchObject({ voteGranted: true });
    expect(voter.state).toMatchObject({ name: 'Unattached', epoch: 5 });
    expect(store.read()).toEqual(before);
    // a real vote in that epoch still goes to exactly one candidate
    expect(voter.handle(2, { ...preVote, candidateId: 2, preVote: false }, 12)[0]!.message).toMatchObject({
      voteGranted: true,
      leaderEpoch: 6,
    });
    expect(voter.handle(1, { ...preVote, preVote: false }, 13)[0]!.message).toMatchObject({ voteGranted: false });
  });

  it('a follower refuses pre-votes once its leader has answered a fetch, and grants them before that', () => {
    const store = new MemoryQuorumStateStore();
    store.write({ epoch: 2, leaderId: 1, votedId: -1, voters: [1, 2, 3] });
    const follower = new KafkaRaftClient(
      { nodeId: 3, voters: [1, 2, 3], random: seededRandom(1), store, log: new MemoryReplicatedLog(), ...TIMEOUTS },
      0,
    );
    const preVote: RaftMessage = {
      type: 'Vote',
      candidateEpoch: 3,
      candidateId: 2,
      lastOffsetEpoch: 0,
      lastOffset: 0,
      preVote: true,
    };
    // Restarted, it has not reached its leader yet: the leader may be the one that is gone.
    expect(follower.state).toMatchObject({ name: 'Follower', leaderId: 1, fetchedFromLeader: false });
    expect(follower.handle(2, preVote, 10)[0]!.message).toMatchObject({ voteGranted: true });
    const [fetch] = follower.poll(20);
    expect(fetch!.message).toMatchObject({ type: 'Fetch' });
    follower.handle(
      1,
      {
        type: 'FetchResponse',
        errorCode: 0,
        leaderId: 1,
        leaderEpoch: 2,
        highWatermark: 0,
        divergingEpoch: null,
        records: [],
      },
      30,
    );
    expect(follower.handle(2, preVote, 40)[0]!.message).toMatchObject({ voteGranted: false, leaderId: 1 });
    // the leader then goes quiet for the fetch timeout: the follower runs itself (a pre-vote, epoch unchanged)
    follower.poll(30 + TIMEOUTS.fetchTimeoutMs);
    expect(follower.state).toMatchObject({ name: 'Prospective', epoch: 2, leaderId: 1 });
    expect(follower.handle(2, preVote, 2040)[0]!.message).toMatchObject({ voteGranted: true });
  });
});

describe('KafkaRaftClient: the metadata log', () => {
  it('the high watermark advances when a majority has fetched a record, not before, and followers learn it a round trip later', () => {
    // A lost Fetch is resent after the request timeout; shorter than the fetch timeout here, so the follower
    // whose link comes back resumes fetching before it would run for election.
    const sim = new RaftSimulation([1, 2, 3], 3, 5, { requestTimeoutMs: 200 });
    const leader = electedLeader(sim);
    sim.runUntil('leader-change committed', () => leader.highWatermark === 1);
    const [f1, f2] = [1, 2, 3].filter((id) => id !== leader.nodeId);
    sim.cut(leader.nodeId, f1!);
    sim.isolate(f2!); // down for the rest of the test, as far as the others can tell
    const offset = leader.appendAsLeader(['m'], sim.now);
    sim.run(500); // shorter than the fetch timeout: nobody runs for election
    expect(leader.highWatermark).toBe(1); // only the leader has it: 1 of 3 is no majority
    sim.cut(leader.nodeId, f1!, false);
    sim.runUntil('m committed by the leader', () => leader.highWatermark === offset + 1, 1000);
    expect(leader.state.name).toBe('Leader');
    expect(sim.client(f1!).log.endOffset).toBe(2);
    expect(sim.client(f2!).log.endOffset).toBe(1); // still cut off, and not needed
    sim.runUntil('the follower learns the new high watermark', () => sim.client(f1!).highWatermark === 2);
  });

  it('a stale leader is fenced by epoch: it steps down, and its uncommitted records are truncated to the new leader’s epoch boundary', () => {
    const sim = new RaftSimulation([1, 2, 3], 21);
    const old = electedLeader(sim);
    old.appendAsLeader(['committed'], sim.now);
    sim.runUntil(
      'committed',
      () => old.highWatermark === 2 && [1, 2, 3].every((id) => sim.client(id).highWatermark === 2),
    );
    const oldEpoch = old.epoch;
    sim.isolate(old.nodeId);
    old.appendAsLeader(['lost-1'], sim.now);
    old.appendAsLeader(['lost-2'], sim.now);
    const others = [1, 2, 3].filter((id) => id !== old.nodeId);
    sim.runUntil('the majority side elects a leader', () => sim.agreedLeader(others) !== undefined);
    const next = sim.agreedLeader(others)!;
    expect(next.epoch).toBeGreaterThan(oldEpoch);
    next.appendAsLeader(['kept'], sim.now);
    sim.runUntil('kept committed', () => next.highWatermark === next.log.endOffset);
    // A Fetch carrying the old epoch is refused with FENCED_LEADER_EPOCH.
    const [fenced] = next.handle(
      old.nodeId,
      {
        type: 'Fetch',
        replicaId: old.nodeId,
        currentLeaderEpoch: oldEpoch,
        fetchOffset: 4,
        lastFetchedEpoch: oldEpoch,
      },
      sim.now,
    );
    expect(fenced!.message).toMatchObject({
      errorCode: ErrorCode.FENCED_LEADER_EPOCH,
      leaderId: next.nodeId,
      leaderEpoch: next.epoch,
    });
    // Cut off from a majority, the old leader resigns (check quorum) and has committed nothing of its own.
    sim.runUntil('the cut-off leader resigns', () => old.state.name !== 'Leader');
    expect(old.highWatermark).toBe(2);
    expect(records(sim, old.nodeId)).toContainEqual([oldEpoch, 'lost-2']);
    sim.isolate(old.nodeId, false);
    sim.runUntil(
      'the old leader catches up with the new one',
      () => old.log.endOffset === next.log.endOffset && old.highWatermark === next.highWatermark,
    );
    expect(records(sim, old.nodeId)).toEqual(records(sim, next.nodeId));
    expect(records(sim, old.nodeId)).not.toContainEqual([oldEpoch, 'lost-1']);
    expect(records(sim, old.nodeId).slice(0, 2)).toEqual([
      [oldEpoch, expect.anything()],
      [oldEpoch, 'committed'],
    ]);
  });

  it('a follower whose log diverges is answered with the leader’s end offset for its last epoch and truncates there', () => {
    const leaderLog = logOf([
      [1, 'a'],
      [1, 'b'],
      [3, 'c'],
    ]);
    const store = new MemoryQuorumStateStore();
    store.write({ epoch: 3, leaderId: -1, votedId: 1, voters: [1, 2] });
    const leader = new KafkaRaftClient(
      { nodeId: 1, voters: [1, 2], random: seededRandom(1), store, log: leaderLog },
      0,
    );
    // two voters: it needs 2 to win; past its pre-vote it becomes a candidate in epoch 4
    electAlone(leader, 2, 10_000);
    expect(leader.state).toMatchObject({ name: 'Leader', epoch: 4 });
    // The follower has a, b at epoch 1 and then x, y at epoch 2 (a leader that never committed them).
    const [reply] = leader.handle(
      2,
      { type: 'Fetch', replicaId: 2, currentLeaderEpoch: 4, fetchOffset: 4, lastFetchedEpoch: 2 },
      10_001,
    );
    expect(reply!.message).toMatchObject({ errorCode: 0, divergingEpoch: { epoch: 1, offset: 2 }, records: [] });
    expect(leader.highWatermark).toBe(0); // a diverging fetch says nothing about what the follower holds
    const [ok] = leader.handle(
      2,
      { type: 'Fetch', replicaId: 2, currentLeaderEpoch: 4, fetchOffset: 2, lastFetchedEpoch: 1 },
      10_002,
    );
    expect((ok!.message as Extract<RaftMessage, { type: 'FetchResponse' }>).records.flatMap((b) => b.records)).toEqual([
      'c',
      { type: 'leader-change', leaderId: 1, voters: [1, 2], grantingVoters: [1, 2] },
    ]);
  });

  it('a follower whose diverging tail ends where the leader’s epoch ends truncates to its own end of that epoch, then converges', () => {
    // As the fault campaign left node 2 of isolate-leader seed 1 (pre-vote era): it won epochs 8 and 10 and wrote
    // their leader-change records at 26 and 27, which nobody else got; the others led 7, 9, 11 and 13 from 26 on.
    // Asked about epoch 10, the leader answers "your epoch 9 ends at 28" — not below this follower's log end (28).
    // Cutting at min(28, log end) cuts nothing and the same fetch repeats forever; Kafka's truncateToEndOffset
    // cuts where the follower's own largest epoch ≤ 9 ends (epoch 8, at 27) and asks again.
    const common: Array<[number, string]> = [
      [3, 'a'],
      [5, 'b'],
    ];
    const leaderLog = logOf([...common, [7, 'L7'], [9, 'L9'], [11, 'L11']]);
    const followerLog = logOf([...common, [8, 'F8'], [10, 'F10']]);
    const leaderStore = new MemoryQuorumStateStore();
    leaderStore.write({ epoch: 12, leaderId: -1, votedId: -1, voters: [1, 2] });
    const leader = new KafkaRaftClient(
      { nodeId: 1, voters: [1, 2], random: seededRandom(1), store: leaderStore, log: leaderLog },
      0,
    );
    electAlone(leader, 2, 10_000);
    expect(leader.state).toMatchObject({ name: 'Leader', epoch: 13 });
    const followerStore = new MemoryQuorumStateStore();
    followerStore.write({ epoch: 13, leaderId: 1, votedId: -1, voters: [1, 2] });
    const follower = new KafkaRaftClient(
      { nodeId: 2, voters: [1, 2], random: seededRandom(2), store: followerStore, log: followerLog },
      10_000,
    );
    expect(follower.state).toMatchObject({ name: 'Follower', leaderId: 1, epoch: 13 });
    // Fetch round trips, as many as KIP-595 may need (one per diverging epoch) and a few more.
    let now = 10_001;
    for (let round = 0; round < 8; round++) {
      const fetches = follower.poll(now).filter((m) => m.message.type === 'Fetch');
      for (const { message } of fetches)
        for (const reply of leader.handle(2, message, now)) follower.handle(1, reply.message, now);
      now += 1;
    }
    const withoutOffsets = (log: typeof leaderLog) => entriesOf(log).map((e) => [e.epoch, e.record]);
    expect(withoutOffsets(followerLog)).toEqual(withoutOffsets(leaderLog));
    expect(follower.highWatermark).toBe(leaderLog.endOffset);
  });

  it('a new leader commits earlier epochs’ entries only together with one of its own (Raft §5.4.2)', () => {
    const log = logOf([
      [1, 'a'],
      [1, 'b'],
    ]);
    const store = new MemoryQuorumStateStore();
    store.write({ epoch: 2, leaderId: -1, votedId: -1, voters: [1, 2, 3] });
    const leader = new KafkaRaftClient({ nodeId: 1, voters: [1, 2, 3], random: seededRandom(1), store, log }, 0);
    electAlone(leader, 2, 10_000); // past its pre-vote, a candidate in epoch 3, then its leader
    expect(leader.state).toMatchObject({ name: 'Leader', epoch: 3, epochStartOffset: 2 });
    // A majority (1 and 2) holds a and b, but not yet the leader's own leader-change record at offset 2.
    leader.handle(
      2,
      { type: 'Fetch', replicaId: 2, currentLeaderEpoch: 3, fetchOffset: 2, lastFetchedEpoch: 1 },
      10_001,
    );
    expect(leader.highWatermark).toBe(0);
    leader.handle(
      2,
      { type: 'Fetch', replicaId: 2, currentLeaderEpoch: 3, fetchOffset: 3, lastFetchedEpoch: 3 },
      10_002,
    );
    expect(leader.highWatermark).toBe(3);
  });

  it('DescribeQuorum: the leader reports each voter’s log end offset and last fetch; a follower has nothing to report', () => {
    const sim = new RaftSimulation([1, 2, 3], 9);
    const leader = electedLeader(sim);
    leader.appendAsLeader(['d'], sim.now);
    sim.runUntil('every follower at the end', () => [1, 2, 3].every((id) => sim.client(id).highWatermark === 2));
    sim.run(200);
    const description = leader.describeQuorum()!;
    expect(description).toMatchObject({ leaderId: leader.nodeId, leaderEpoch: leader.epoch, highWatermark: 2 });
    expect(description.currentVoters.map((v) => [v.replicaId, v.logEndOffset])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    const follower = sim.client([1, 2, 3].find((id) => id !== leader.nodeId)!);
    expect(follower.describeQuorum()).toBeUndefined();
  });

  it('an observer (a node not among the voters) finds the leader, fetches the log and learns the high watermark, without counting towards it', () => {
    const sim = new RaftSimulation([1, 2, 3], 4, 5, {}, [7]);
    const leader = electedLeader(sim);
    const observer = sim.client(7);
    expect(observer.isVoter).toBe(false);
    leader.appendAsLeader(['seen-by-observer'], sim.now);
    sim.runUntil('the observer has the committed log', () => observer.highWatermark === 2);
    expect(observer.state).toMatchObject({ name: 'Follower', leaderId: leader.nodeId, epoch: leader.epoch });
    expect(records(sim, 7)).toEqual(records(sim, leader.nodeId));
    sim.runUntil('the leader saw the observer fetch from 2', () =>
      leader.describeQuorum()!.observers.some((o) => o.logEndOffset === 2),
    );
    expect(leader.describeQuorum()!.observers).toEqual([expect.objectContaining({ replicaId: 7, logEndOffset: 2 })]);
    // Two voters down: the observer's fetches alone never commit anything.
    const others = [1, 2, 3].filter((id) => id !== leader.nodeId);
    for (const id of others) sim.stop(id);
    leader.appendAsLeader(['uncommitted'], sim.now);
    sim.runUntil('the observer fetched the new record', () => observer.log.endOffset === 3);
    sim.run(500);
    expect(leader.highWatermark).toBe(2);
    // An observer never runs for election, however long it hears nothing.
    sim.stop(leader.nodeId);
    sim.run(10_000);
    expect(sim.delivered.some((m) => m.from === 7 && m.message.type === 'Vote')).toBe(false);
    expect(observer.state.name).not.toBe('Candidate');
  });
});
