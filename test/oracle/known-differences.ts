import type { ApiName } from '../../src/broker/protocol/api-keys.js';
import type { Difference } from './normalise.js';

/**
 * Every way kq's broker is allowed to answer differently from Apache Kafka, with the reason. A difference the
 * differential tests find that is not here fails them; an entry here that no test observed any more fails too
 * (the table must stay true). The same table, with the same ids, is in test/oracle/README.md.
 */
export interface KnownDifference {
  id: string;
  api: ApiName;
  /** The step label (a regular expression) the difference is allowed in; every step when absent. */
  step?: RegExp;
  /** The field, without indices (`topics[].partitions[].errorCode`); a prefix matches the fields below it. */
  pattern: string;
  /** Versions it applies to; all when absent. */
  versions?: readonly [number, number];
  /** Narrows it to differences with these values (e.g. only where Kafka reports a dynamic cluster default). */
  only?: (d: Difference) => boolean;
  reason: string;
}

/**
 * Kafka's DescribeConfigs source DYNAMIC_DEFAULT_BROKER_CONFIG (3) where kq says DEFAULT_CONFIG (5), or the one extra
 * synonym Kafka lists for it (its only cluster-wide default is min.insync.replicas).
 */
const mentionsClusterDefault = (d: Difference): boolean =>
  (d.kq === 5 && d.kafka === 3) ||
  (d.pattern.endsWith('.synonyms.length') && typeof d.kq === 'number' && d.kafka === d.kq + 1);

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'produce-v0-2-refusal',
    api: 'Produce',
    versions: [0, 2],
    pattern: '*',
    reason:
      'Both refuse Produce v0-v2 (KIP-896). Kafka 4.x still advertises v0 (for old librdkafka) but drops the connection; kq answers UNSUPPORTED_VERSION (35) so a learner sees why.',
  },
  {
    id: 'produce-error-message',
    api: 'Produce',
    step: /acks=2|unknown topic|does not exist|message\.max\.bytes/,
    pattern: 'responses[].partitions[].errorMessage',
    reason:
      "kq explains a partition's error in error_message (v8+); Kafka fills it only for INVALID_RECORD. The error code is the same.",
  },
  {
    id: 'create-partitions-error-message',
    api: 'CreatePartitions',
    step: /unknown topic/,
    pattern: 'results[].errorMessage',
    reason:
      'kq explains UNKNOWN_TOPIC_OR_PARTITION in error_message; Kafka leaves it null. The error code is the same.',
  },
  {
    id: 'metadata-auto-create-answer',
    api: 'Metadata',
    versions: [0, 3],
    step: /unknown topic/,
    pattern: 'topics[]',
    reason:
      'Below v4 a Metadata request always allows auto-creation. Both create the topic; Kafka 4.x asks its KRaft controller and answers this request UNKNOWN_TOPIC_OR_PARTITION (the client retries), kq creates it at once and answers with its partition.',
  },
  {
    id: 'create-topics-compact',
    api: 'CreateTopics',
    step: /a valid config/,
    pattern: 'topics[]',
    reason:
      'kq has no log compaction, so it refuses cleanup.policy=compact (INVALID_CONFIG) rather than accept a topic it would not compact.',
  },
  {
    id: 'describe-completing-rebalance',
    api: 'DescribeGroups',
    step: /after the rebalance/,
    pattern: 'groups[].members[].memberAssignment',
    reason:
      "In CompletingRebalance Kafka 4.x's group coordinator describes a member with its last assignment; kq, like Kafka 3.x's, shows assignments only for a Stable group.",
  },
  {
    id: 'produce-v13-topic-by-name',
    api: 'Produce',
    versions: [13, 13],
    pattern: 'responses[].partitions[]',
    reason:
      'Produce v13 names topics by id only (KIP-516); the scenario still names them, so both refuse every partition. kq explains the refusal in error_message and checks acks before the topic (INVALID_REQUIRED_ACKS), Kafka resolves the topic first (UNKNOWN_TOPIC_ID). TO FIX: the scenario should produce by topic id at v13, and kq resolve the topic before acks.',
  },
  {
    id: 'min-insync-replicas-cluster-default',
    api: 'CreateTopics',
    versions: [5, 7],
    pattern: 'topics[].configs[].configSource',
    only: mentionsClusterDefault,
    reason:
      "Kafka 4.x's controller stores min.insync.replicas as a cluster-wide dynamic default at bootstrap, so topics report it as DYNAMIC_DEFAULT_BROKER_CONFIG (3); kq has no dynamic configs and reports the broker default (5). Same value.",
  },
  {
    id: 'min-insync-replicas-cluster-default-described',
    api: 'DescribeConfigs',
    pattern: 'results[].configs[]',
    only: mentionsClusterDefault,
    reason:
      'As min-insync-replicas-cluster-default, for DescribeConfigs: Kafka lists the cluster-wide dynamic default (source 3) first among the synonyms; kq lists the broker default alone. Same value.',
  },
  {
    id: 'min-insync-replicas-cluster-default-listed',
    api: 'DescribeConfigs',
    step: /cluster-wide defaults/,
    pattern: 'results[].configs',
    reason:
      "As min-insync-replicas-cluster-default: describing the cluster-wide defaults (broker ''), Kafka lists that one dynamic default; kq has none.",
  },
  {
    id: 'describe-configs-every-broker-config',
    api: 'DescribeConfigs',
    step: /every broker config/,
    pattern: 'results[].configs',
    reason:
      "kq describes the broker configs it implements (about 40); Kafka lists all of its own (a few hundred). Each config kq lists has Kafka's name and default.",
  },
  {
    id: 'broker-configs-fixed-at-start',
    api: 'DescribeConfigs',
    step: /change at run time/,
    pattern: 'results[].configs[].readOnly',
    reason:
      'kq has no dynamic broker configs, so it reports every broker config read-only; Kafka lets an admin change some (message.max.bytes, log.retention.ms, ...) while it runs (KIP-226).',
  },
  {
    id: 'dynamic-broker-configs-alter',
    api: 'AlterConfigs',
    step: /dynamic broker config/,
    pattern: 'responses[]',
    reason:
      'kq refuses to change a broker config while it runs (INVALID_REQUEST, restart with --config); Kafka accepts the ones KIP-226 made dynamic.',
  },
  {
    id: 'dynamic-broker-configs-incremental',
    api: 'IncrementalAlterConfigs',
    step: /dynamic broker config/,
    pattern: 'responses[]',
    reason: 'As dynamic-broker-configs-alter, for IncrementalAlterConfigs.',
  },
];

export function explains(known: KnownDifference, api: ApiName, version: number, step: string, d: Difference): boolean {
  if (known.api !== api) return false;
  if (known.versions && (version < known.versions[0] || version > known.versions[1])) return false;
  if (known.step && !known.step.test(step)) return false;
  const pattern = `response.${known.pattern}`;
  if (known.only && !known.only(d)) return false;
  return (
    d.pattern === pattern ||
    d.pattern.startsWith(`${pattern}.`) ||
    d.pattern.startsWith(`${pattern}[`) ||
    known.pattern === '*'
  );
}
