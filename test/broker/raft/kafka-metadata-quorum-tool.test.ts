import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { findJava, locateKafka } from '../../../src/kafka/index.js';
import { RaftQuorumHarness } from './raft-quorum-harness.js';

/** The fetched Apache Kafka's jars and a Java 17+, or undefined (then the test is skipped, saying why). */
function javaSetup(): { java: string; classpath: string } | undefined {
  try {
    const kafka = locateKafka();
    return kafka ? { java: findJava().executable, classpath: kafka.classpath } : undefined;
  } catch {
    return undefined;
  }
}
const setup = javaSetup();

/** Runs Kafka's `kafka-metadata-quorum.sh` (its main class) in its own process group, killed if it hangs. */
function metadataQuorum(args: string[]): Promise<{ code: number | null; output: string }> {
  const { java, classpath } = setup!;
  const child = spawn(
    java,
    ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-cp', classpath, 'org.apache.kafka.tools.MetadataQuorumCommand', ...args],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // the JVM's process group is already gone
      }
      resolve({ code, output });
    }),
  );
}

let harness: RaftQuorumHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.skipIf(!setup)('Kafka’s kafka-metadata-quorum.sh against kq’s KRaft nodes', () => {
  it('describe --status and --replication show kq’s leader, epoch, high watermark, voters and observer', async () => {
    harness = await RaftQuorumHarness.start(3, {
      observers: 1,
      timeouts: { electionTimeoutMs: 500, fetchTimeoutMs: 1000, requestTimeoutMs: 1000 },
    });
    const leader = await harness.electedLeader();
    const follower = harness.voterIds.find((id) => id !== leader.leaderId)!;
    // Asked through a follower: the node passes DescribeQuorum to the leader, as a Kafka broker forwards it.
    const described = await metadataQuorum([
      '--bootstrap-server',
      `127.0.0.1:${harness.port(follower)}`,
      'describe',
      '--status',
    ]);
    expect(described.code, described.output).toBe(0);
    const now = harness.manager(leader.leaderId).leaderAndEpoch();
    expect(described.output).toMatch(new RegExp(`LeaderId:\\s+${now.leaderId}\\n`));
    expect(described.output).toMatch(new RegExp(`LeaderEpoch:\\s+${now.epoch}\\n`));
    expect(described.output).toMatch(/HighWatermark:\s+[1-9]\d*\n/);
    expect(described.output).toMatch(/CurrentVoters:\s+\[\{"id": 1\}, \{"id": 2\}, \{"id": 3\}\]/);
    expect(described.output).toMatch(/CurrentObservers:\s+\[\{"id": 4\}\]/);

    const replication = await metadataQuorum([
      '--bootstrap-server',
      `127.0.0.1:${harness.port(leader.leaderId)}`,
      'describe',
      '--replication',
    ]);
    expect(replication.code, replication.output).toBe(0);
    // NodeId DirectoryId LogEndOffset Lag LastFetchTimestamp LastCaughtUpTimestamp Status, one row per replica.
    const status = new Map(
      replication.output
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((cells) => /^\d+$/.test(cells[0]!) && cells.length === 7)
        .map((cells) => [Number(cells[0]), cells[6]]),
    );
    expect([...status.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(status.get(leader.leaderId)).toBe('Leader');
    expect(status.get(4)).toBe('Observer');

    // KIP-919: --bootstrap-controller asks DescribeCluster for the controllers first, then the active one directly.
    const viaController = await metadataQuorum([
      '--bootstrap-controller',
      `127.0.0.1:${harness.port(follower)}`,
      'describe',
      '--status',
    ]);
    expect(viaController.code, viaController.output).toBe(0);
    expect(viaController.output).toMatch(new RegExp(`LeaderId:\\s+${now.leaderId}\\n`));
    expect(viaController.output).toMatch(/CurrentVoters:\s+\[\{"id": 1\}, \{"id": 2\}, \{"id": 3\}\]/);
  });
});
