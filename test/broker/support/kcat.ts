import { spawn, spawnSync } from 'node:child_process';

export const kcatInstalled = spawnSync('kcat', ['-V'], { encoding: 'utf8' }).status === 0;

export interface KcatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs kcat (librdkafka 2.0.2 on Debian) against a broker with short client timeouts, feeding `input` on
 * stdin; killed after `timeoutMs` so a hang fails the test with kcat's own output instead of stalling it.
 */
export function kcat(
  bootstrap: string,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<KcatRun> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', [
      '-b',
      bootstrap,
      '-X',
      'socket.timeout.ms=5000',
      '-X',
      'metadata.max.age.ms=5000',
      ...args,
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`kcat ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
