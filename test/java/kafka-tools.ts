import { spawn } from 'node:child_process';
import { fetchKafka, findJava, ProcessReaper, type KafkaDistribution } from '../../src/kafka/index.js';

/** What one tool run printed, and how it ended. */
export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Apache Kafka's own command-line tools (kafka-configs.sh, kafka-topics.sh, kafka-log-dirs.sh are thin wrappers
 * around these classes in kafka-tools.jar) run as short-lived JVMs from the fetched distribution: detached, in their
 * own process group, registered with the ProcessReaper and killed (the whole group) if they outlive `timeoutMs`.
 */
export class KafkaTools {
  private constructor(
    readonly kafka: KafkaDistribution,
    private readonly java: string,
  ) {}

  static locate(): KafkaTools {
    return new KafkaTools(fetchKafka().distribution, findJava().executable);
  }

  /** Runs `org.apache.kafka.tools.<tool>` with `args`, as `bin/kafka-<tool>.sh` would. */
  run(tool: 'ConfigCommand' | 'TopicCommand' | 'LogDirsCommand', args: string[], timeoutMs = 90_000): Promise<ToolRun> {
    return new Promise((resolve) => {
      const child = spawn(
        this.java,
        [
          '-Xmx256m',
          '-XX:TieredStopAtLevel=1',
          '-Dlog4j2.level=WARN',
          '-cp',
          this.kafka.classpath,
          `org.apache.kafka.tools.${tool}`,
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
      child.on('close', (code) => {
        clearTimeout(timer);
        ProcessReaper.get().releaseGroup(pid);
        resolve({ code, stdout, stderr });
      });
    });
  }
}
