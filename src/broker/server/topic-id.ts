import { randomBytes } from 'node:crypto';

/**
 * Topic ids as Kafka writes them (`org.apache.kafka.common.Uuid`): 16 random bytes, shown and sent as 22
 * characters of unpadded base64url, e.g. `vPeOCWypqUOSepEvx0cbog`. This form is what the wire carries (the
 * codec's `uuid` type), what `partition.metadata` and `kafka-topics.sh --describe` show, and what kq keeps.
 */

/** Kafka's `Uuid.ZERO_UUID`: "no topic id" on the wire (e.g. a Metadata request naming a topic by name). */
export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
/** Kafka's `Uuid.ONE_UUID`, reserved as a sentinel. */
const ONE_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A new random topic id; like Kafka's `Uuid.randomUuid`, never a reserved one nor one starting with '-'. */
export function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (id !== ZERO_TOPIC_ID && id !== ONE_TOPIC_ID && !id.startsWith('-')) return id;
  }
}

/**
 * An id in Kafka's form. Registries written before kq kept Kafka's form held RFC 4122 text
 * (`0f6c…-…`): the same 16 bytes, converted here so such a data dir keeps its topic ids.
 */
export function kafkaTopicId(id: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    return Buffer.from(id.replaceAll('-', ''), 'hex').toString('base64url');
  return id;
}

/** The id as 32 hex digits, for file names (base64url may hold '-' and '_'). */
export function topicIdHex(id: string): string {
  return Buffer.from(id, 'base64url').toString('hex');
}
