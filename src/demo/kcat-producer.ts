/**
 * Drives `kcat -P` (librdkafka's producer) from a demo: one kcat process producing the lines written to its stdin to
 * one partition, with librdkafka settings passed as `-X name=value`. The demo paces the lines itself, because what
 * librdkafka batches depends on when records arrive relative to its sends. Ending stdin makes kcat flush and exit.
 *
 * Owns its child process; `end()` waits for it and `kill()` stops it (demos register kill with ctx.defer, so a failed
 * demo leaves no process behind). Uses only the async spawn: a demo's broker runs on the same event loop, and a
 * blocking spawnSync would starve it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface KcatExit {
  code: number | null;
  stderr: string;
}

/** Thrown when kcat is not on PATH: an environment problem the reader can fix, not a result. */
export class KcatMissingError extends Error {
  override readonly name = 'KcatMissingError';
}

const MISSING =
  'kcat is not installed or not on PATH: install it (Debian/Ubuntu: apt-get install -y kcat) and run the demo again';

export class KcatProducer {
  private stderr = '';
  private readonly exited: Promise<KcatExit>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stdin.on('error', () => {}); // kcat exiting early is reported by its exit code and stderr instead
    this.exited = new Promise((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new KcatMissingError(MISSING) : error),
      );
      child.on('close', (code) => resolve({ code, stderr: this.stderr }));
    });
    // a spawn failure surfaces through end(); keep it from becoming an unhandled rejection meanwhile
    this.exited.catch(() => {});
  }

  /** "kcat 1.7.1, librdkafka 2.0.2"; throws KcatMissingError when kcat is not installed. */
  static version(command = 'kcat'): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, ['-V']);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new KcatMissingError(MISSING) : error),
      );
      child.on('close', () => {
        const kcat = /Version ([\d.]+)/.exec(out)?.[1] ?? '?';
        const librdkafka = /librdkafka ([\d.]+)/.exec(out)?.[1] ?? '?';
        resolve(`kcat ${kcat}, librdkafka ${librdkafka}`);
      });
    });
  }

  /** Starts `kcat -P -b <bootstrap> -t <topic> -p <partition> -X k=v ...`. */
  static start(
    bootstrap: string,
    topic: string,
    partition: number,
    settings: Readonly<Record<string, string | number>>,
    command = 'kcat',
  ): KcatProducer {
    const args = ['-P', '-b', bootstrap, '-t', topic, '-p', String(partition)];
    for (const [name, value] of Object.entries(settings)) args.push('-X', `${name}=${value}`);
    return new KcatProducer(spawn(command, args));
  }

  /** Queues lines on kcat's stdin (one record each). */
  write(lines: readonly string[]): void {
    this.child.stdin.write(lines.map((l) => `${l}\n`).join(''));
  }

  /** Closes stdin and waits for kcat to deliver everything and exit; throws if it failed or took longer than `timeoutMs`. */
  async end(timeoutMs = 15_000): Promise<KcatExit> {
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `kcat did not exit within ${timeoutMs} ms of its input ending; stderr: ${this.stderr || '(empty)'}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      const exit = await Promise.race([this.exited, timeout]);
      if (exit.code !== 0) throw new Error(`kcat exited with code ${exit.code}: ${exit.stderr || '(no stderr)'}`);
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
