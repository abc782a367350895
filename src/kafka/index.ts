/**
 * Apache Kafka beside kq: finding or fetching a release (KafkaDistribution), checking Java, and running KRaft
 * nodes as the oracle for demos, differential tests and benchmarks. Nothing here imports the CLI.
 */
export { ApacheKafkaCluster, type ApacheKafkaClusterOptions } from './apache-kafka-cluster.js';
export { KafkaNode, type KafkaNodeSpec, type NodeExit } from './kafka-node.js';
export {
  fetchKafka,
  kafkaCacheDir,
  locateKafka,
  pinnedKafkaVersion,
  type FetchResult,
  type KafkaDistribution,
  type KafkaLocateOptions,
} from './kafka-distribution.js';
export { findJava, parseJavaVersion, MIN_JAVA_MAJOR, type JavaRuntime } from './java-runtime.js';
export { KafkaSetupError } from './kafka-setup-error.js';
export { ProcessReaper } from './process-reaper.js';
