import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchKafka, findJava, type KafkaDistribution } from '../../src/kafka/index.js';
import { runJvm, startJvm, type JvmSession } from './run-jvm.js';

/**
 * Compiles test/java/KqInterop.java once (against the kafka-clients jar of the version kq pins) and runs its
 * commands as short-lived JVMs (run-jvm.ts: their own process group, killed if they outlive `timeoutMs`).
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

  /** Starts one KqInterop `-lines` command the test talks to while it runs (stdin lines in, stdout lines out). */
  start(args: string[], timeoutMs = 180_000): JvmSession {
    return startJvm(this.java, `${this.classes}:${this.kafka.classpath}`, 'KqInterop', args, timeoutMs);
  }

  /** Runs one KqInterop command and returns the JSON object it printed. */
  async run(args: string[], timeoutMs = 90_000): Promise<Record<string, unknown>> {
    const { code, signal, stdout, stderr } = await runJvm(
      this.java,
      `${this.classes}:${this.kafka.classpath}`,
      'KqInterop',
      args,
      timeoutMs,
    );
    const line = stdout.trim().split('\n').pop() ?? '';
    if (code === 0 && line.startsWith('{')) return JSON.parse(line) as Record<string, unknown>;
    throw new Error(
      `KqInterop ${args.slice(1).join(' ')} ended with ${signal ?? `exit ${code}`}${signal === 'SIGKILL' ? ` after ${timeoutMs} ms` : ''}:\n${stderr
        .split('\n')
        .filter((l) => !/^\s+at /.test(l))
        .slice(-15)
        .join('\n')}`,
    );
  }
}
