import { fetchKafka, findJava, type KafkaDistribution } from '../../src/kafka/index.js';
import { runJvm, type JvmRun } from './run-jvm.js';

/**
 * Apache Kafka's own command-line tools (kafka-configs.sh, kafka-topics.sh, kafka-log-dirs.sh, kafka-reassign-partitions.sh are thin wrappers
 * around these classes in kafka-tools.jar) run as short-lived JVMs from the fetched distribution (run-jvm.ts).
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
  run(
    tool: 'ConfigCommand' | 'TopicCommand' | 'LogDirsCommand' | 'reassign.ReassignPartitionsCommand',
    args: string[],
    timeoutMs = 90_000,
  ): Promise<JvmRun> {
    return runJvm(this.java, this.kafka.classpath, `org.apache.kafka.tools.${tool}`, args, timeoutMs);
  }
}
