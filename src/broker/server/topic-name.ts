/**
 * Kafka's topic-name rules (`org.apache.kafka.common.internals.Topic.validate`): 1–249 characters from
 * `[a-zA-Z0-9._-]`, and not `.` or `..`. The rules are also what keeps a topic's partition directory
 * (`<topic>-<n>`) inside the data dir: no `/`, no `..` component. Pure functions.
 */

/** 249, not 255: the partition directory adds `-<n>` and a delete suffix must still fit a file name. */
export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Why `name` is not a legal topic name, or null when it is. The text is fit for an error message. */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'a topic name may not be empty';
  if (name === '.' || name === '..') return `a topic may not be named '${name}'`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `topic name is ${name.length} characters long; the limit is ${MAX_TOPIC_NAME_LENGTH}`;
  }
  if (!LEGAL.test(name)) {
    return `topic name '${name}' has characters outside [a-zA-Z0-9._-]; use only letters, digits, '.', '_' and '-'`;
  }
  return null;
}

/** Kafka's internal topics; clients may not create or delete them by hand. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);
