import { describe, expect, it } from 'vitest';
import { ClusterFaults } from '../../../../src/broker/cluster/faults/cluster-faults.js';
import type { FaultTarget } from '../../../../src/broker/cluster/faults/cluster-faults.js';
import { FaultError, describeFault, parseFault } from '../../../../src/broker/cluster/faults/fault.js';
import type { Fault } from '../../../../src/broker/cluster/faults/fault.js';
import { describePlan, planFaults, SCHEDULE_STEPS } from '../../../../src/broker/cluster/faults/fault-schedule.js';
import { isReplicaFetch } from '../../../../src/broker/cluster/faults/transport-proxy.js';
import { fetch, metadata } from '../../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../../src/broker/protocol/api-keys.js';
import { encodeRequestFrame } from '../../../../src/broker/protocol/frames.js';
import { METADATA_TOPIC, METADATA_TOPIC_ID } from '../../../../src/broker/raft/kafka-metadata-log.js';

/** Three nodes that only record what is done to them: ClusterFaults' checks and bookkeeping without processes. */
function fakeCluster(): FaultTarget & {
  calls: string[];
  states: Map<number, 'running' | 'stopped' | 'killed' | 'paused'>;
} {
  const states = new Map<number, 'running' | 'stopped' | 'killed' | 'paused'>([
    [1, 'running'],
    [2, 'running'],
    [3, 'running'],
  ]);
  const calls: string[] = [];
  const set = (id: number, s: 'running' | 'stopped' | 'killed' | 'paused') => {
    states.set(id, s);
    calls.push(`${s} ${id}`);
  };
  return {
    calls,
    states,
    nodeIds: () => [...states.keys()],
    nodeState: (id) => states.get(id)!,
    kill: async (id) => set(id, 'killed'),
    stop: async (id) => set(id, 'stopped'),
    pause: (id) => set(id, 'paused'),
    resume: (id) => set(id, 'running'),
    start: async (ids) => {
      for (const id of typeof ids === 'number' ? [ids] : ids) set(id, 'running');
    },
    powerLoss: async (id) => set(id, 'killed'),
    slowDisk: async (id, ms) => void calls.push(`slow-disk ${id} ${ms}`),
  };
}

describe('fault commands', () => {
  it.each([
    ['kill 2', { kind: 'kill', node: 2 }],
    ['power-loss 3', { kind: 'power-loss', node: 3 }],
    ['cut 1 clients', { kind: 'link', a: 1, b: 'clients', fault: { kind: 'cut' } }],
    ['delay 1 2 200', { kind: 'link', a: 1, b: 2, fault: { kind: 'delay', ms: 200 } }],
    ['drop 2 3 0.25', { kind: 'link', a: 2, b: 3, fault: { kind: 'drop', fraction: 0.25 } }],
    ['slow-follower 3 500', { kind: 'slow-follower', node: 3, ms: 500 }],
    ['slow-disk 1 20', { kind: 'slow-disk', node: 1, ms: 20 }],
  ] as const)('parses "%s"', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each(['explode 1', 'kill', 'kill x', 'cut 1', 'delay 1 2 fast', 'slow-disk 1'])(
    'refuses "%s" with the forms it accepts',
    (text) => {
      expect(() => parseFault(text)).toThrow(/expected one of: kill N/);
    },
  );

  it('names each fault in one line', () => {
    expect(describeFault(parseFault('delay 1 clients 200'))).toBe('link node 1 <-> clients: delay 200 ms');
    expect(describeFault(parseFault('pause 2'))).toBe('pause node 2');
  });
});

describe('ClusterFaults checks a fault before it changes anything', () => {
  it.each<[string, Fault, RegExp]>([
    ['an unknown node', { kind: 'kill', node: 7 }, /no node 7: the nodes are 1, 2, 3/],
    ['an unknown link end', { kind: 'link', a: 1, b: 9, fault: { kind: 'cut' } }, /no node 9/],
    ['a link to itself', { kind: 'link', a: 2, b: 2, fault: { kind: 'cut' } }, /two different ends/],
    ['a fraction of 0', { kind: 'link', a: 1, b: 2, fault: { kind: 'drop', fraction: 0 } }, /above 0 and at most 1/],
    ['a negative delay', { kind: 'slow-follower', node: 1, ms: -5 }, /whole number from 0/],
  ])('refuses %s with FaultError', async (_what, fault, message) => {
    const target = fakeCluster();
    const faults = new ClusterFaults(target);
    await expect(faults.inject(fault)).rejects.toThrow(FaultError);
    await expect(faults.inject(fault)).rejects.toThrow(message);
    expect(target.calls).toEqual([]);
    expect(faults.active()).toEqual([]);
    expect(faults.log).toEqual([]);
  });

  it('refuses link faults and power loss on a cluster started without proxies, naming the option', async () => {
    const faults = new ClusterFaults(fakeCluster());
    await expect(faults.inject(parseFault('cut 1 2'))).rejects.toThrow(/faults: true/);
    await expect(faults.inject(parseFault('power-loss 1'))).rejects.toThrow(/faults: true/);
  });

  it('refuses to pause a node that is not running', async () => {
    const target = fakeCluster();
    const faults = new ClusterFaults(target);
    await faults.inject({ kind: 'kill', node: 2 });
    await expect(faults.inject({ kind: 'pause', node: 2 })).rejects.toThrow(/it is killed, not running/);
    expect(target.calls).toEqual(['killed 2']);
  });

  it('heals what it injected: killed nodes restart together, paused ones resume', async () => {
    const target = fakeCluster();
    const faults = new ClusterFaults(target);
    await faults.inject({ kind: 'kill', node: 1 });
    await faults.inject({ kind: 'stop', node: 3 });
    await faults.inject({ kind: 'pause', node: 2 });
    expect(faults.active().map(describeFault)).toEqual(['kill node 1', 'pause node 2', 'stop node 3']);
    await faults.healAll();
    expect([...target.states.values()]).toEqual(['running', 'running', 'running']);
    expect(faults.active()).toEqual([]);
    expect(faults.log.map((e) => e.text)).toEqual([
      'inject kill node 1',
      'inject stop node 3',
      'inject pause node 2',
      'heal kill node 1',
      'heal pause node 2',
      'heal stop node 3',
    ]);
  });
});

describe('seeded fault plans', () => {
  const options = {
    nodes: [1, 2, 3],
    steps: SCHEDULE_STEPS,
    count: 12,
    gapMs: [100, 1000] as const,
    holdMs: [200, 3000] as const,
  };

  it('replays: the same seed gives the same plan, another seed another', () => {
    const a = planFaults({ ...options, seed: 42 });
    expect(planFaults({ ...options, seed: 42 })).toEqual(a);
    expect(describePlan(planFaults({ ...options, seed: 43 }))).not.toEqual(describePlan(a));
  });

  it('keeps every value inside the ranges it was given', () => {
    for (let seed = 1; seed <= 50; seed++) {
      for (const p of planFaults({ ...options, seed })) {
        expect(p.gapMs).toBeGreaterThanOrEqual(100);
        expect(p.gapMs).toBeLessThanOrEqual(1000);
        expect(p.holdMs).toBeGreaterThanOrEqual(200);
        expect(p.holdMs).toBeLessThanOrEqual(3000);
        expect(p.node).not.toBe(p.other);
        expect(SCHEDULE_STEPS).toContain(p.step);
      }
    }
  });
});

describe('a slow follower is slow at replicating, not at the quorum', () => {
  const frame = (version: number, request: ReturnType<typeof fetch>) =>
    encodeRequestFrame(ApiKey.Fetch, { apiVersion: version, correlationId: 7, clientId: 'node-2' }, request);

  it("delays a replica fetcher's Fetch of partition data, not KRaft's Fetch of __cluster_metadata, nor other requests", () => {
    expect(isReplicaFetch(frame(11, fetch('orders', 5n)))).toBe(true);
    const raft = fetch('', 0n);
    const metadataFetch = { ...raft, topics: [{ ...raft.topics[0]!, topicId: METADATA_TOPIC_ID }] };
    expect(isReplicaFetch(frame(16, metadataFetch))).toBe(false);
    expect(isReplicaFetch(frame(11, fetch(METADATA_TOPIC, 0n)))).toBe(false);
    const metadataRequest = encodeRequestFrame(
      ApiKey.Metadata,
      { apiVersion: 8, correlationId: 1, clientId: 'c' },
      metadata(['orders'], false),
    );
    expect(isReplicaFetch(metadataRequest)).toBe(false);
  });
});
