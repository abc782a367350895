import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

// The reaper's whole program, run with `node -e`: it learns process groups and folders over stdin and, when
// stdin ends (its parent exited, crashed or was SIGKILLed: the kernel closes the pipe either way), kills the
// groups still registered and removes the folders. A clean stop unregisters them first, so it then does nothing.
const REAPER_PROGRAM = `
const groups = new Set();
const dirs = new Set();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const op = line.slice(0, 2);
    const arg = line.slice(2);
    if (op === '+g') groups.add(Number(arg));
    else if (op === '-g') groups.delete(Number(arg));
    else if (op === '+d') dirs.add(arg);
    else if (op === '-d') dirs.delete(arg);
  }
});
const reap = () => {
  for (const group of groups) {
    try { process.kill(-group, 'SIGKILL'); } catch {}
  }
  for (const dir of dirs) {
    try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {}
  }
  process.exit(0);
};
process.stdin.on('end', reap);
process.stdin.on('error', reap);
for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM']) process.on(signal, reap);
`;

/**
 * ProcessReaper: the one guard that a crashed kq or test run leaves no JVM holding a port. It is a small
 * detached Node process, one per kq process, started on first use; JVM process groups and temporary data dirs
 * are registered with it as they are created and unregistered when stopped cleanly. When this process dies in
 * any way, the reaper kills what is still registered. It never keeps this process alive (its pipe is unref'd).
 * Only KafkaNode / ApacheKafkaCluster register with it.
 */
export class ProcessReaper {
  private static shared: ProcessReaper | undefined;
  private constructor(private readonly child: ChildProcess) {}

  static get(): ProcessReaper {
    if (!ProcessReaper.shared || ProcessReaper.shared.child.exitCode !== null) {
      const child = spawn(process.execPath, ['-e', REAPER_PROGRAM], {
        detached: true, // its own process group: Ctrl-C or kill -pgid aimed at kq or a JVM never hits it
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      child.unref();
      (child.stdin as unknown as Socket).unref();
      child.stdin.on('error', () => undefined);
      ProcessReaper.shared = new ProcessReaper(child);
    }
    return ProcessReaper.shared;
  }

  /** The reaper's pid, for tests that prove it kills what its parent left behind. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  watchGroup(pgid: number): void {
    this.write(`+g${pgid}`);
  }

  releaseGroup(pgid: number): void {
    this.write(`-g${pgid}`);
  }

  watchDir(dir: string): void {
    this.write(`+d${dir}`);
  }

  releaseDir(dir: string): void {
    this.write(`-d${dir}`);
  }

  private write(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }
}
