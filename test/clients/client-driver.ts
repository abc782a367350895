/**
 * What every client of the compatibility matrix can be asked to do, in its own API and at its own defaults.
 * One driver per client (test/clients/drivers/); the scenarios (matrix-scenarios.ts) are written once against
 * this interface and run unchanged against kq's broker and Apache Kafka.
 */

/** The producer acknowledgement settings the matrix exercises. */
export type Acks = '0' | '1' | 'all';

/**
 * How a driver's producer is configured: an acks setting (idempotence as the client then has it), `idempotent`
 * (idempotence switched on explicitly, hence acks=all), or `undefined`: the client's own defaults.
 */
export type ProducerMode = Acks | 'idempotent' | undefined;

export interface CreatedTopic {
  /** The partition count the client's describe call reports, or null when the client has no describe call. */
  partitions: number | null;
  /** Whether the client's list call includes the topic, or null when the client has no list call. */
  listed: boolean | null;
}

export interface ClientDriver {
  /** The key in clients/matrix.json and the README table's row order: e.g. `platformatic-kafka`. */
  readonly id: string;
  /** How users know it: `@platformatic/kafka`. */
  readonly name: string;
  /** The client's producer defaults as its documentation states them (shown in the table, beside what was observed). */
  readonly producerDefaults: string;
  /**
   * Installs or builds the client if needed (idempotent) and returns the version the client reports about
   * itself, which the test compares with the pin recorded in clients/matrix.json.
   */
  prepare(): Promise<string>;
  /** Sends the values `v0`…`v{count-1}`, in order, to partition 0 of `topic`; resolves once the client says they are sent. */
  produce(bootstrap: string, topic: string, count: number, mode: ProducerMode): Promise<void>;
  /**
   * Joins `group` subscribed to `topic`, reads records from the group's committed offset (earliest when there is
   * none) until it has `expected` of them, commits, and leaves. Returns the values read, in order.
   */
  consumeInGroup(bootstrap: string, topic: string, group: string, expected: number): Promise<string[]>;
  /** Creates `topic` with `partitions` partitions, then describes and lists it where the client can; absent: no admin API. */
  createTopic?(bootstrap: string, topic: string, partitions: number): Promise<CreatedTopic>;
  /** Releases what prepare() started (none of the drivers keeps a process between calls). */
  close?(): Promise<void>;
}

/** The values a driver's produce(count) sends. */
export function producedValues(count: number, prefix = 'v'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}
