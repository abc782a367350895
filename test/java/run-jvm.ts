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
  return new Promise((resolve) => {
    const child = spawn(
      java,
      ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-Dlog4j2.level=WARN', '-cp', classpath, main, ...args],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pid = child.pid!;
    ProcessReaper.get().watchGroup(pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ProcessReaper.get().releaseGroup(pid);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
