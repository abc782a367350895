import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const kqBin = fileURLToPath(new URL('../../../bin/kq.js', import.meta.url));

export interface BrokerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly bootstrap: string;
  stderr(): string;
  /** Everything the broker wrote to stdout so far. */
  stdout(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/**
 * Runs `kq broker` as a child process (the built bin/kq.js) and waits, bounded, for its `listening on` line.
 * The caller must kill it (SIGTERM for a clean close, SIGKILL for a crash) and await `exited`.
 */
export function startBrokerProcess(args: string[], timeoutMs = 10_000): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [kqBin, 'broker', '--port', '0', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`kq broker printed no "listening on" line in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /^listening on (\S+):(\d+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        const port = Number(match[2]);
        resolve({ child, port, bootstrap: `${match[1]}:${port}`, stderr: () => stderr, stdout: () => stdout, exited });
      }
    });
    // `exited` never rejects; after "listening" this reject is a no-op, and the caller watches `exited` itself.
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kq broker exited (${code}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
}
