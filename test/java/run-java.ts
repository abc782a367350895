import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchKafka, findJava, ProcessReaper, type KafkaDistribution } from '../../src/kafka/index.js';

/**
 * Compiles test/java/KqInterop.java once (against the kafka-clients jar of the version kq pins) and runs its
 * commands as short-lived JVMs: detached, in their own process group, registered with the ProcessReaper and
 * killed (the whole group) if they outlive `timeoutMs`.
 */
export class JavaClient {
  private constructor(
    private readonly classes: string,
    readonly kafka: KafkaDistribution,
    private readonly java: string,
  ) {}

  static compile(): JavaClient {
    const kafka = fetchKafka().distribution;
    const java = findJava();
    const classes = mkdtempSync(join(tmpdir(), 'kq-java-'));
    const source = fileURLToPath(new URL('./KqInterop.java', import.meta.url));
    const javac = join(java.executable === 'java' ? '' : join(java.executable, '..'), 'javac');
    const compiled = spawnSync(javac, ['-cp', kafka.classpath, '-d', classes, source], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (compiled.status !== 0) throw new Error(`javac failed: ${compiled.error?.message ?? ''}${compiled.stderr}`);
    return new JavaClient(classes, kafka, java.executable);
  }

  /** Runs one KqInterop command and returns the JSON object it printed. */
  run(args: string[], timeoutMs = 90_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        this.java,
        // C1 only: these JVMs live seconds, so start-up matters more than peak speed
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          '-Dlog4j2.level=WARN',
          '-cp',
          `${this.classes}:${this.kafka.classpath}`,
          'KqInterop',
          ...args,
        ],
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
        const line = stdout.trim().split('\n').pop() ?? '';
        if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Record<string, unknown>);
        else
          reject(
            new Error(
              `KqInterop ${args.slice(1).join(' ')} ended with ${signal ?? `exit ${code}`}${signal === 'SIGKILL' ? ` after ${timeoutMs} ms` : ''}:\n${stderr
                .split('\n')
                .filter((l) => !/^\s+at /.test(l))
                .slice(-15)
                .join('\n')}`,
            ),
          );
      });
    });
  }
}
