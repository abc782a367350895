import { spawn } from 'node:child_process';
import { ProcessReaper } from '../../src/kafka/index.js';

export interface ProgramRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a client program (kcat, a Python or Go harness) to completion: detached in its own process group,
 * registered with the ProcessReaper (so a dying test run still kills it), and the whole group SIGKILLed when it
 * outlives `timeoutMs` — the bounded wait of every external-client step.
 */
export function runProgram(
  command: string,
  args: string[],
  options: { timeoutMs: number; input?: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    child.on('error', reject);
    const pid = child.pid;
    if (pid === undefined) return; // 'error' follows (e.g. ENOENT)
    ProcessReaper.get().watchGroup(pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(options.input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(pid);
    }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(pid); // anything the program left behind in its group
      ProcessReaper.get().releaseGroup(pid);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

/** The JSON object a harness printed as its last stdout line, or an error that says how the run ended. */
export function lastJsonLine(run: ProgramRun, what: string, timeoutMs: number): unknown {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code === 0 && line.startsWith('{')) return JSON.parse(line);
  const ending = run.timedOut ? `was killed after ${timeoutMs} ms` : `ended with ${run.signal ?? `exit ${run.code}`}`;
  const lines = run.stderr.trim().split('\n');
  // the last line first (a Python exception, a Go error): it is what a one-line summary keeps
  throw new Error(`${what} ${ending}: ${lines.at(-1) ?? ''}\n${lines.slice(-12, -1).join('\n')}`);
}
