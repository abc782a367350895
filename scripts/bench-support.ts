// Shared by the sections of `npm run bench:broker`: the kq broker as a child process, commands run and timed
// without blocking the event loop, process CPU and memory from /proc, medians and spreads, and table printing.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export const MB = 1024 * 1024;

/** The settings every section reads (scripts/bench-broker.ts parses them from the command line). */
export interface BenchOptions {
  /** Repository root: `bin/kq.js` is run from here (build first). */
  readonly root: string;
  /** A temporary folder for data dirs and message files; removed at the end. */
  readonly work: string;
  /** Alternating runs per measurement; medians are over these. */
  readonly runs: number;
  /** Multiplies every message count (--quick: 0.1). */
  readonly scale: number;
  readonly quick: boolean;
  /** Run Apache Kafka beside kq (needs Java 17+ and `npm run kafka:fetch`). */
  readonly kafka: boolean;
  /** `--cpu-prof` the kq broker children into this folder. */
  readonly profileDir?: string;
  /** Section 3's partition counts (default 1, 10, 100, 1,000) and idle connections (default 1,000). */
  readonly partitionCounts: readonly number[];
  readonly idleConnections: number;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const thousands = (n: number): string => n.toLocaleString('en');
/** A rate as "123k" or "1.23M" messages per second. */
export const rate = (perSecond: number): string =>
  !Number.isFinite(perSecond)
    ? '–'
    : perSecond >= 1e6
      ? `${fmt(perSecond / 1e6, 2)}M`
      : `${fmt(perSecond / 1e3, perSecond < 1e4 ? 1 : 0)}k`;
export const times = (a: number, b: number): string => (Number.isFinite(a / b) ? `${fmt(a / b, 2)}x` : '–');

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "min–max" of the values, for the spread beside a median. */
export function spread(values: readonly number[], digits = 2): string {
  if (values.length === 0) return '–';
  return `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Prints rows under headers, each column as wide as its widest cell; the first column left-aligned. */
export function printTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, indent = '    '): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

/** User + system CPU seconds a process has used so far (/proc/PID/stat, clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}
/** Peak resident set (VmHWM) in MB. */
export const peakRssMb = (pid: number): number => statusKb(pid, 'VmHWM') / 1024;
/** Current resident set (VmRSS) in MB. */
export const rssMb = (pid: number): number => statusKb(pid, 'VmRSS') / 1024;

/**
 * Peak resident set (MB) while `step` runs: VmHWM is reset to the current RSS first (Linux `clear_refs` 5, allowed
 * on one's own children), so a peak reached inside a step is told apart from the steps around it. NaN when the
 * reset is refused (the peak then would include earlier steps).
 */
export async function peakRssDuring(pid: number, step: () => Promise<void>): Promise<number> {
  let reset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    reset = false;
  }
  await step();
  return reset ? peakRssMb(pid) : NaN;
}

export interface CommandResult {
  readonly seconds: number;
  /** Bytes written to stdout (counted, not kept, unless `keepStdout`). */
  readonly stdoutBytes: number;
  readonly stdout: string;
  /** The last 4,000 characters written to stderr. */
  readonly stderr: string;
}

/**
 * Runs a command to completion and times it (process start included). Asynchronous on purpose: a broker child
 * logging to a pipe meanwhile must be drained, or it blocks once the pipe is full.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { keepStdout?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdoutBytes = 0;
  const kept: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (options.keepStdout) kept.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const timeoutMs = options.timeoutMs ?? 600_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.slice(0, 8).join(' ')}: no exit within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command} ${args.slice(0, 8).join(' ')} exited ${code}: ${stderr}`));
      else resolve({ seconds, stdoutBytes, stdout: Buffer.concat(kept).toString(), stderr });
    });
  });
}

/**
 * `runCommand` that also returns the command's own CPU seconds (user + system), read from the POSIX shell's
 * `times` (its children's line) after the command exits: /proc is gone by then, and the client's CPU is what
 * tells a broker that costs nothing (librdkafka's mock, inside kcat) from one that costs CPU of its own.
 */
export async function runCommandWithCpu(
  command: string,
  args: readonly string[],
  options: { keepStdout?: boolean; timeoutMs?: number } = {},
): Promise<CommandResult & { cpuSeconds: number }> {
  const script = '"$@"; status=$?; times >&2; exit $status';
  const result = await runCommand('sh', ['-c', script, 'sh', command, ...args], options);
  const children = [...result.stderr.matchAll(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/g)].at(-1);
  if (!children) throw new Error(`${command}: no CPU times from the shell's \`times\`: ${result.stderr}`);
  const [, um, us, sm, ss] = children.map(Number) as [number, number, number, number, number];
  return { ...result, cpuSeconds: um * 60 + us + sm * 60 + ss };
}

/** A `kq broker` child process. */
export interface KqBroker {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly pid: number;
  readonly port: number;
  readonly bootstrap: string;
  /** Milliseconds from spawn to "listening on". */
  readonly startMs: number;
  /** Lines the broker printed on stdout since start (with --trace-gc: the GC trace). */
  readonly stdoutLines: string[];
  /** The broker's "CRC-32C: ..." start-up line (which implementation it loaded), once logged. */
  crc32c(): string | undefined;
  /** The last 4,000 characters the broker wrote to stderr (its log), for error messages. */
  stderrTail(): string;
  /** SIGTERM (clean shutdown: flush, checkpoints) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: no flush, no clean-shutdown marker) and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] bin/kq.js broker --port 0 --data-dir DIR [brokerArgs]` and waits (bounded) for
 * "listening on". stderr is drained and its tail kept for the error message.
 */
export function startKqBroker(
  options: Pick<BenchOptions, 'root' | 'profileDir'>,
  dataDir: string,
  extra: { nodeArgs?: string[]; brokerArgs?: string[]; readyTimeoutMs?: number } = {},
): Promise<KqBroker> {
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const args = [
    ...profile,
    ...(extra.nodeArgs ?? []),
    'bin/kq.js',
    'broker',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    ...(extra.brokerArgs ?? []),
  ];
  const started = performance.now();
  const proc = spawn(process.execPath, args, { cwd: options.root });
  const stdoutLines: string[] = [];
  let partial = '';
  let stderr = '';
  let crc: string | undefined;
  proc.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    crc ??= /CRC-32C: ([^\n]*)/.exec(stderr)?.[1];
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const waitExit = (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  const readyTimeoutMs = extra.readyTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kq broker: no "listening on" within ${readyTimeoutMs / 1000} s\n${stderr}`));
    }, readyTimeoutMs);
    let ready = false;
    proc.stdout.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      stdoutLines.push(...lines);
      if (ready) return;
      const match = lines.map((line) => /listening on (?:\S+:)?(\d+)/.exec(line)).find(Boolean);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        proc,
        pid: proc.pid!,
        port,
        bootstrap: `127.0.0.1:${port}`,
        startMs: performance.now() - started,
        stdoutLines,
        crc32c: () => crc,
        stderrTail: () => stderr,
        stop: () => waitExit('SIGTERM'),
        kill: () => waitExit('SIGKILL'),
      });
    });
    proc.on('exit', (code, signal) => {
      if (ready) return;
      clearTimeout(timer);
      reject(new Error(`kq broker exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
}

/** Writes `count` messages of exactly `size` bytes, one per line (kcat -l), each starting with its index. */
export function writeMessageFile(path: string, count: number, size: number): void {
  const filler = 'x'.repeat(size);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const head = `${i}:`;
    lines.push(head + filler.slice(head.length));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}
