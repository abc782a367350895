import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { stackOfHungProcess } from './hang-report.js';

export type IsolatedOutcome =
  | { readonly kind: 'exited'; readonly code: number | null; readonly stdout: string; readonly stderr: string }
  /** No exit before the deadline: `stack` is where its JavaScript was when it was stopped (see hang-report.ts). */
  | { readonly kind: 'hung'; readonly stack: readonly string[]; readonly stdout: string; readonly stderr: string };

/** Direct children of `pid` (Linux /proc): the kq nodes of a run are its children, each in its own group. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs in flight: if the campaign itself is stopped, its runs (and through them their nodes) go with it. */
const running = new Set<number>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const pid of running) {
      for (const node of childrenOf(pid)) killGroup(node);
      killGroup(pid);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
}

/**
 * Runs one command (a chaos run, in practice) as a child in its own process group, with a deadline: a run that
 * hangs cannot stall the campaign, and the hang is not silent — before it is killed, its stack is taken through
 * its inspector (the command must start node with `--inspect-port=0`). On the way out the child's own children
 * (the cluster's nodes, each in its own group) are killed by their groups, then the child's group.
 */
export async function runIsolated(
  command: string,
  args: readonly string[],
  deadlineMs: number,
): Promise<IsolatedOutcome> {
  hookExit();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    running.add(pid);
    child.once('close', () => running.delete(pid));
  }
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
  const first = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (first !== 'deadline' || pid === undefined)
    return { kind: 'exited', code: first === 'deadline' ? null : first, stdout, stderr };
  const stack = await stackOfHungProcess(pid, () => stderr);
  for (const node of childrenOf(pid)) killGroup(node);
  killGroup(pid);
  await exited;
  return { kind: 'hung', stack, stdout, stderr };
}
