import { spawn } from 'node:child_process';
import { ProcessReaper } from '../../src/kafka/index.js';

/** What one short-lived JVM printed, and how it ended. */
export interface JvmRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `java <options> -cp <classpath> <main> <args>` as a short-lived JVM: detached in its own process group,
 * registered with the ProcessReaper, and killed (the whole group) if it outlives `timeoutMs`, so a failed test
 * leaves no JVM behind. C1 only and a small heap: these JVMs live seconds, start-up matters more than peak speed.
 */
export function runJvm(
  java: string,
  classpath: string,
  main: string,
  args: string[],
  timeoutMs: number,
): Promise<JvmRun> {
  const session = startJvm(java, classpath, main, args, timeoutMs);
  session.endInput();
  return session.exited;
}

/** A JVM a test talks to while it runs: lines in on stdin, lines out as they are printed. */
export interface JvmSession {
  /** Writes one line to the JVM's stdin. */
  writeLine(line: string): void;
  /** Closes the JVM's stdin (a `-lines` command then finishes). */
  endInput(): void;
  /** Every stdout line printed so far, in order (grows while the JVM runs). */
  readonly lines: readonly string[];
  /** The JVM's end; killed (its whole group) by `kill()` or after `timeoutMs`. */
  readonly exited: Promise<JvmRun>;
  /** SIGKILLs the JVM's process group (safe to call after it ended). */
  kill(): void;
}

/**
 * Starts `java … <main> <args>` like `runJvm` (own process group, registered with the ProcessReaper, killed after
 * `timeoutMs`), with stdin open and stdout read line by line, so a test can act between records.
 */
export function startJvm(java: string, classpath: string, main: string, args: string[], timeoutMs: number): JvmSession {
  const child = spawn(
    java,
    ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Dlog4j2.level=WARN', '-cp', classpath, main, ...args],
    { detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const pid = child.pid!;
  ProcessReaper.get().watchGroup(pid);
  const lines: string[] = [];
  let partial = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    const text = c.toString();
    stdout += text;
    const parts = (partial + text).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A JVM that died leaves a closed pipe; a late write must not throw in the test process.
  child.stdin.on('error', () => undefined);
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  const timer = setTimeout(kill, timeoutMs);
  const exited = new Promise<JvmRun>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ProcessReaper.get().releaseGroup(pid);
      if (partial) lines.push(partial);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    writeLine: (line) => child.stdin.write(`${line}\n`),
    endInput: () => child.stdin.end(),
    lines,
    exited,
    kill,
  };
}
