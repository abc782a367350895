import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** The process group of a pid, from /proc/<pid>/stat (field 5), or undefined when the process is gone. */
export function processGroupOf(pid: number): number | undefined {
  const stat = procStat(pid);
  return stat ? Number(stat[2]) : undefined;
}

/** The state letter of a pid (R, S, T for stopped, Z…), or undefined when gone. */
export function processStateOf(pid: number): string | undefined {
  return procStat(pid)?.[0];
}

function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (comm) ": state ppid pgrp …; comm may hold spaces, so cut at the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  const state = processStateOf(pid);
  return state !== undefined && state !== 'Z';
}

/** Pids of live processes whose command line mentions `needle` (e.g. a test's private data dir). */
export function pidsMentioning(needle: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle) && isAlive(Number(name));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** kcat's metadata listing as JSON (brokers, topics). */
export function kcatMetadata(bootstrap: string): { brokers: Array<{ id: number; name: string }> } {
  return JSON.parse(execFileSync('kcat', ['-b', bootstrap, '-L', '-J', '-m', '10'], { encoding: 'utf8' })) as {
    brokers: Array<{ id: number; name: string }>;
  };
}

export function exists(path: string): boolean {
  return existsSync(path);
}
