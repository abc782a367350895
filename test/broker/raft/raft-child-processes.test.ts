import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const NODE = fileURLToPath(new URL('./fixtures/raft-node.mjs', import.meta.url));

interface ChildNode {
  readonly id: number;
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  alive: boolean;
}

const nodes: ChildNode[] = [];
let root: string | undefined;
afterEach(() => {
  for (const node of nodes.splice(0)) killGroup(node);
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function killGroup(node: ChildNode): void {
  node.alive = false;
  try {
    process.kill(-node.child.pid!, 'SIGKILL');
  } catch {
    // the process group is gone already
  }
}

/** Free ephemeral ports on 127.0.0.1: controller.quorum.voters must name every port before any node starts. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

async function describeQuorum(port: number) {
  const client = await RawKafkaClient.connect(port);
  try {
    const response = await client.request(ApiKey.DescribeQuorum, 1, {
      topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
    });
    return response.topics[0]!.partitions[0]!;
  } finally {
    client.close();
  }
}

/** Polls DescribeQuorum at `port` until `accept` holds; connection errors are retried within the bound. */
async function quorumUntil(
  port: number,
  accept: (p: Awaited<ReturnType<typeof describeQuorum>>) => boolean,
  what: string,
): Promise<Awaited<ReturnType<typeof describeQuorum>>> {
  let last: Awaited<ReturnType<typeof describeQuorum>> | undefined;
  let pending = false;
  await waitUntil(
    () => {
      if (last && last.errorCode === ErrorCode.NONE && accept(last)) return true;
      if (!pending) {
        pending = true;
        describeQuorum(port)
          .then((p) => (last = p))
          .catch(() => undefined)
          .finally(() => (pending = false));
      }
      return false;
    },
    `${what} (last answer: ${JSON.stringify(last, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))})`,
    30_000,
  );
  return last!;
}

describe('KRaft voters as separate processes', () => {
  it('three node processes elect a leader; after the leader is SIGKILLed the others elect a new one in a higher epoch and keep the committed record', async () => {
    root = mkdtempSync(join(tmpdir(), 'kq-raft-children-'));
    const ports = await freePorts(3);
    const voters = ports.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',');
    for (const [i, port] of ports.entries()) {
      const id = i + 1;
      const child = spawn(process.execPath, [NODE, String(id), join(root, `node-${id}`), String(port), voters], {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const node: ChildNode = { id, port, child, lines: [], alive: true };
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        node.lines.push(...parts);
      });
      child.stderr.on('data', (chunk: Buffer) => node.lines.push(`stderr ${chunk.toString().trim()}`));
      nodes.push(node);
    }
    for (const node of nodes)
      await waitUntil(
        () => node.lines.includes(`listening ${node.port}`),
        `node ${node.id} to listen (${node.lines.join(' | ')})`,
        30_000,
      );

    const first = await quorumUntil(ports[0]!, (p) => p.leaderId > 0, 'a leader');
    const leader = nodes.find((n) => n.id === first.leaderId)!;
    leader.child.stdin.write('append "kept"\n');
    for (const node of nodes)
      await waitUntil(
        () => node.lines.includes('commit "kept"'),
        `node ${node.id} to commit "kept" (${node.lines.join(' | ')})`,
        30_000,
      );

    killGroup(leader);
    const survivors = nodes.filter((n) => n !== leader);
    const next = await quorumUntil(
      survivors[0]!.port,
      (p) => p.leaderId > 0 && p.leaderId !== leader.id && p.leaderEpoch > first.leaderEpoch,
      `a new leader after node ${leader.id} (epoch ${first.leaderEpoch}) was killed`,
    );
    const newLeader = survivors.find((n) => n.id === next.leaderId)!;
    newLeader.child.stdin.write('append "after"\n');
    for (const node of survivors) {
      await waitUntil(
        () => node.lines.includes('commit "after"'),
        `node ${node.id} to commit "after" (${node.lines.join(' | ')})`,
        30_000,
      );
      const commits = node.lines.filter((l) => l.startsWith('commit '));
      expect(commits).toEqual(['commit "kept"', 'commit "after"']);
    }
    expect(next.currentVoters.map((v) => v.replicaId).sort()).toEqual([1, 2, 3]);
  });
});
