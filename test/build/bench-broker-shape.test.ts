import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-kq.js';

/**
 * `npm run bench:broker` runs end to end at a tiny scale and prints every section of issue 16's table. It checks
 * the shape (sections, rows, columns holding figures), never a speed: speed goals live in the benchmark itself.
 * Apache Kafka is left out here (--no-kafka); test/kafka and test/oracle cover starting it.
 */
const ARGS = [
  '--expose-gc',
  'scripts/run-ts.mjs',
  'scripts/bench-broker.ts',
  '--quick',
  '--no-kafka',
  '--scale',
  '0.005',
  '--partitions',
  '1,10',
  '--idle-connections',
  '20',
];
const TIMEOUT_MS = 400_000;

/** Runs the bench in its own process group (brokers and kcat are its children) and kills the group at the end. */
function runBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ARGS, { cwd: repoRoot, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup();
      reject(
        new Error(`bench:broker did not finish within ${TIMEOUT_MS / 1000} s; output so far:\n${stdout}\n${stderr}`),
      );
    }, TIMEOUT_MS - 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, stdout, stderr });
    });
  });
}

const FIGURE = /(\d+(\.\d+)?[kM]?|–)/;

describe('npm run bench:broker', () => {
  it(
    'prints the kcat, client, scale and latency tables and the peak RSS of every broker',
    async () => {
      const { code, stdout, stderr } = await runBench();
      expect(code, `exit code; stderr:\n${stderr}\nstdout:\n${stdout}`).toBe(0);
      const lines = stdout.split('\n');
      const rowOf = (label: string) => lines.find((l) => l.trimStart().startsWith(label));

      expect(stdout).toMatch(/^kq broker benchmark .* load average [\d.]+ [\d.]+ [\d.]+/m);
      expect(stdout).toMatch(/CRC-32C native/);
      expect(stdout).toContain('(1) kcat against kq and librdkafka’s mock cluster (Apache Kafka skipped)');
      expect(rowOf('messages')).toMatch(/kq produce\s+mock\s+kq\/mock\s+Kafka\s+kq\/Kafka\s+kq consume/);
      for (const label of ['5,000 x 100 B', '500 x 1 KB', '100 x 10 KB']) {
        const cells = rowOf(label)
          ?.slice(label.length + 4)
          .trim()
          .split(/\s{2,}/);
        expect(cells, label).toHaveLength(9);
        expect(cells![0], `${label}: kq produce`).toMatch(FIGURE);
        expect(cells![8], `${label}: consume/produce with spread`).toMatch(/^\d+\.\d\dx \(\d+\.\d\d–\d+\.\d\d\)$/);
      }
      expect(stdout).toContain('broker CPU seconds per 1,000,000 messages');

      expect(stdout).toContain('(2) kafkajs 2.2.4 and Java');
      expect(rowOf('kafkajs produce')).toMatch(/^\s+kafkajs produce\s+\d/);
      expect(rowOf('kafkajs consume')).toMatch(/^\s+kafkajs consume\s+\d/);

      expect(stdout).toContain('(3) scale');
      for (const label of ['1 partition(s)', '10 partition(s)', '1 partition + 20 idle conns'])
        expect(rowOf(label), label).toMatch(/\d+(\.\d+)?k/);
      expect(stdout).toMatch(/memory: [\d.]+ KB per partition .*; -?[\d.]+ KB per idle connection/);
      // Where (3)'s peak is reached: each step's own VmHWM (create / produce / consume per topic).
      expect(stdout).toMatch(
        /peak RSS inside each step .*: 1: [\d.]+ \/ [\d.]+ \/ [\d.]+; 10: [\d.]+ \/ [\d.]+ \/ [\d.]+;/,
      );
      expect(stdout).toMatch(/start-up \(spawn to listening\): \d+ ms with 12 partitions on disk, \d+ ms empty/);
      expect(stdout).toMatch(/recovery after SIGKILL: \d+ MB of log, \d+ ms to listening .* = -?[\d.]+ s per GB/);

      expect(stdout).toContain('(4) latency');
      for (const label of ['10k msgs/s', '50k msgs/s']) {
        const cells = rowOf(label)
          ?.slice(label.length + 4)
          .trim()
          .split(/\s{2,}/);
        expect(cells, label).toHaveLength(8); // achieved, p50, p99, p999, max, GC pauses, longest, > 50 ms
      }
      expect(stdout).toMatch(/kq broker of \(1\)\(2\): [\d.]+ MB/);
      expect(stdout).toMatch(/kq broker of \(4\): [\d.]+ MB/);
    },
    TIMEOUT_MS,
  );
});
