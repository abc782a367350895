import { ByteReader } from '../protocol/primitives/byte-reader.js';

// The bytes a consumer group's members exchange through the coordinator (Kafka's `ConsumerProtocol`). The
// coordinator never needs them to do its job (it relays them untouched); kq decodes them only to say, in events
// and in the programmatic API, which partitions each member subscribed to and was given.
//
// ConsumerProtocolSubscription (Version: 0-1) => version [topics] user_data [owned_partitions]
//   version => INT16, topics => STRING, user_data => NULLABLE_BYTES
//   owned_partitions (v1+) => topic [partitions]; topic => STRING, partitions => INT32
//
// ConsumerProtocolAssignment (Version: 0+) => version [assigned_partitions] user_data
//   assigned_partitions => topic [partitions]; topic => STRING, partitions => INT32
//   user_data => NULLABLE_BYTES

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** The topics a member subscribed to, or null if the bytes are not a consumer subscription. */
export function decodeSubscriptionTopics(bytes: Buffer): string[] | null {
  try {
    const reader = new ByteReader(bytes);
    reader.readInt16();
    return reader.readArray((r) => r.readString());
  } catch {
    return null;
  }
}

/** The partitions a member was assigned, or null if the bytes are not a consumer assignment. Empty bytes: none. */
export function decodeAssignment(bytes: Buffer): TopicPartitions[] | null {
  if (bytes.length === 0) return [];
  try {
    const reader = new ByteReader(bytes);
    reader.readInt16();
    return reader.readArray((r) => ({ topic: r.readString(), partitions: r.readArray((p) => p.readInt32()) }));
  } catch {
    return null;
  }
}

/** `t-0,t-1 u-0`: an assignment in the form Kafka's tools print it. */
export function formatAssignment(assignment: readonly TopicPartitions[]): string {
  const parts = assignment.flatMap(({ topic, partitions }) =>
    [...partitions].sort((a, b) => a - b).map((p) => `${topic}-${p}`),
  );
  return parts.length === 0 ? '(nothing)' : parts.join(',');
}
