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
  reason: string;
}

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
    id: 'create-topics-configs',
    api: 'CreateTopics',
    versions: [5, 7],
    pattern: 'topics[].configs',
    reason:
      'Found when kq began advertising CreateTopics v5+ (the configs of the created topic). kq lists only the 10 topic configs it implements (Kafka 37), answers validate_only without configs, and prints Long.MAX_VALUE defaults as a double (9223372036854776000, a kq bug). TO FIX next: the values as exact strings, configs on validate_only, and the topic configs kq accepts but does not list.',
  },
];

export function explains(known: KnownDifference, api: ApiName, version: number, step: string, d: Difference): boolean {
  if (known.api !== api) return false;
  if (known.versions && (version < known.versions[0] || version > known.versions[1])) return false;
  if (known.step && !known.step.test(step)) return false;
  const pattern = `response.${known.pattern}`;
  return (
    d.pattern === pattern ||
    d.pattern.startsWith(`${pattern}.`) ||
    d.pattern.startsWith(`${pattern}[`) ||
    known.pattern === '*'
  );
}
