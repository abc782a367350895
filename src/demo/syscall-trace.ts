/**
 * Watches a process's system calls with strace(1), the way an operator proves what a broker really does (an
 * fsync, a sendfile) rather than what its own counters say. `SyscallTrace.attach(pid, ['fsync', 'fdatasync'])`
 * attaches to every thread of the process (`-f`, so threads started later are followed too) and prints each call
 * with the path behind its file descriptors (`-y`); `calls()` is what was seen so far, `stop()` detaches.
 *
 * strace prints a call when it returns, and its output is one ordered stream; so once the broker answered a request,
 * every call it made before answering is in the stream ahead of any later call. `barrier(host, port)` uses that:
 * it opens a connection to the broker and waits for the accept(2) it causes — everything the broker did before
 * is then in `calls()`. (accept/accept4 are always traced for this.)
 *
 * Works on kq's in-process broker (pid = this process) and on a Kafka JVM alike. strace is spawned in its own
 * process group and killed by group, so a failed demo leaves no tracer attached. One trace per (pid, demo).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Signal, withTimeout } from '../broker/index.js';

export interface Syscall {
  pid: number;
  name: string;
  /** The raw argument text, e.g. `20</tmp/kq-broker-x/t-0/00000000000000000000.log>`. */
  args: string;
  /** The path of the first file-descriptor argument, when strace resolved one. */
  path: string | undefined;
  /** What it returned, or `unfinished` when strace printed the call before its return (another thread ran). */
  result: string;
}

/** strace is missing or cannot attach (no ptrace permission): the demo cannot observe syscalls here. */
export class SyscallTraceUnavailableError extends Error {}

const BARRIER_CALLS = ['accept', 'accept4'];
/** `[pid N] name(args) = result`, or the first half of a call another thread interrupted: `name(args <unfinished ...>`. */
const LINE = /^(?:\[pid\s+(\d+)\]\s+)?(\w+)\((.*?)(?:\)\s+=\s+(.+)| <unfinished \.\.\.>)$/;
/** The second half of an interrupted call: `[pid N] <... accept4 resumed>..., [16]) = 23<TCP:[...]>`. */
const RESUMED = /<\.\.\. (\w+) resumed>.*\)\s+=\s+(.+)$/;
const ATTACHED = /Process (\d+) attached/;

export class SyscallTrace {
  private readonly seen: Syscall[] = [];
  /** Results of accept calls (`23<TCP:[127.0.0.1:9092->127.0.0.1:40112]>`), for barriers. */
  private readonly accepted: string[] = [];
  private readonly acceptedSignal = new Signal();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly pid: number,
  ) {}

  /** Attaches and resolves once strace reports the process (all its threads) attached. */
  static async attach(pid: number, syscalls: readonly string[], timeoutMs = 5000): Promise<SyscallTrace> {
    const traced = [...new Set([...syscalls, ...BARRIER_CALLS])];
    const child = spawn('strace', ['-f', '-yy', '-e', `trace=${traced.join(',')}`, '-p', String(pid)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    const trace = new SyscallTrace(child, pid);
    let stderr = '';
    let pending = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', (error) =>
        reject(new SyscallTraceUnavailableError(`cannot run strace: ${error.message} (is strace installed?)`)),
      );
      child.once('exit', (code) => {
        trace.exited = true;
        reject(new SyscallTraceUnavailableError(`strace exited (${code}) before attaching: ${stderr.trim()}`));
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (stderr.length < 4000) stderr += `${line}\n`;
          // strace ≥ 5 attaches the whole thread group at once: "Process N attached with K threads"
          const attach = ATTACHED.exec(line);
          if (attach) {
            if (Number(attach[1]) === pid) resolve();
            continue;
          }
          const resumed = RESUMED.exec(line);
          if (resumed && BARRIER_CALLS.includes(resumed[1]!)) {
            trace.accepted.push(resumed[2]!);
            trace.acceptedSignal.notify();
            continue;
          }
          const call = LINE.exec(line);
          if (call && BARRIER_CALLS.includes(call[2]!)) {
            trace.accepted.push(call[4] ?? '');
            trace.acceptedSignal.notify();
          } else if (call)
            trace.seen.push({
              pid: call[1] === undefined ? pid : Number(call[1]),
              name: call[2]!,
              args: call[3]!,
              path: /^\d+<([^>]*)>/.exec(call[3]!)?.[1],
              result: call[4] ?? 'unfinished',
            });
        }
      });
    });
    try {
      await withTimeout(ready, `strace attaching to every thread of process ${pid}`, timeoutMs);
    } catch (error) {
      await trace.stop();
      throw error instanceof SyscallTraceUnavailableError ? error : new SyscallTraceUnavailableError(String(error));
    }
    return trace;
  }

  /**
   * Resolves once every call the broker made before this moment is in `calls()`: connects to its listener and waits
   * for the accept(2) that connection causes (see the class comment).
   */
  async barrier(host: string, port: number, timeoutMs = 5000): Promise<void> {
    const socket = connect(port, host);
    socket.on('error', () => undefined);
    try {
      await withTimeout(
        new Promise<void>((resolve) => socket.once('connect', resolve)),
        `connecting to ${host}:${port}`,
        timeoutMs,
      );
      // strace -yy names both ends of an accepted socket: ours is the peer with our local port
      const ours = `:${socket.localPort}]`;
      await this.acceptedSignal.until(
        () => this.accepted.some((result) => result.includes(ours)),
        `strace reporting the broker's accept of a barrier connection to ${host}:${port}`,
        timeoutMs,
      );
    } finally {
      socket.destroy();
    }
  }

  /** Calls seen so far, optionally only those on a path containing `pathPart`. */
  calls(filter: { names?: readonly string[]; pathIncludes?: string; pathEndsWith?: string } = {}): Syscall[] {
    return this.seen.filter(
      (call) =>
        (filter.names === undefined || filter.names.includes(call.name)) &&
        (filter.pathIncludes === undefined || call.path?.includes(filter.pathIncludes) === true) &&
        (filter.pathEndsWith === undefined || call.path?.endsWith(filter.pathEndsWith) === true),
    );
  }

  /** Detaches (SIGINT makes strace detach cleanly) and waits for strace to end. */
  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      process.kill(-this.child.pid, 'SIGINT');
    } catch {
      return; // already gone
    }
    await withTimeout(ended, `strace detaching from process ${this.pid}`, 5000).catch(() => {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    });
  }
}
