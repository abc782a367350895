import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KafkaSetupError } from './kafka-setup-error.js';

/** Apache Kafka 4.x brokers and tools are compiled for Java 17 (class file 61); older JVMs cannot load them. */
export const MIN_JAVA_MAJOR = 17;

export interface JavaRuntime {
  /** The `java` executable: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
  executable: string;
  major: number;
  /** The version string `java -version` printed, e.g. `17.0.15`. */
  version: string;
}

/**
 * Finds the Java that will run Kafka and checks it is 17 or newer. Throws KafkaSetupError (exit 3) naming what
 * was found and how to point kq at another one (JAVA_HOME).
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): JavaRuntime {
  const executable = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const probe = spawnSync(executable, ['-version'], { encoding: 'utf8', env, timeout: 30_000 });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? probe.error.message : `exit ${probe.status}: ${probe.stderr.trim()}`;
    throw new KafkaSetupError(
      `no usable Java found (${executable}: ${why}). Apache Kafka needs Java ${MIN_JAVA_MAJOR} or newer: install it, or set JAVA_HOME to one`,
    );
  }
  const version = parseJavaVersion(`${probe.stderr}\n${probe.stdout}`);
  if (!version) {
    throw new KafkaSetupError(`cannot read the version of ${executable} from: ${probe.stderr.trim().split('\n')[0]}`);
  }
  if (version.major < MIN_JAVA_MAJOR) {
    throw new KafkaSetupError(
      `Apache Kafka 4.x needs Java ${MIN_JAVA_MAJOR} or newer, but ${executable} is Java ${version.text}; set JAVA_HOME to a Java ${MIN_JAVA_MAJOR}+`,
    );
  }
  return { executable, major: version.major, version: version.text };
}

/** `openjdk version "17.0.15" 2025-04-15` → 17; `java version "1.8.0_392"` → 8 (the old 1.x numbering). */
export function parseJavaVersion(output: string): { major: number; text: string } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match) return undefined;
  const text = match[1]!;
  const parts = text.split(/[.+_-]/).map((p) => Number.parseInt(p, 10));
  const major = parts[0] === 1 ? parts[1] : parts[0];
  if (major === undefined || Number.isNaN(major)) return undefined;
  return { major, text };
}
