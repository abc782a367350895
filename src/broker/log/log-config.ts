/**
 * The settings one UnifiedLog runs with (Kafka's `LogConfig`, which its UnifiedLog takes), resolved and
 * camel-cased; each field names the topic config it comes from. Defaults are Kafka's. The server's TopicConfig
 * parses those names (and the broker's `log.*` defaults) into one of these.
 */

export interface LogConfig {
  /** segment.bytes: roll to a new segment when the active one would exceed this. */
  segmentBytes: number;
  /** segment.ms: roll when the active segment's records span longer than this. */
  segmentMs: number;
  /** index.interval.bytes: bytes of log between two offset/time index entries. */
  indexIntervalBytes: number;
  /** max.message.bytes: largest record batch accepted. */
  maxMessageBytes: number;
  /** flush.messages: fsync after this many unflushed records (Kafka default: never, F10). */
  flushIntervalMessages: number;
  /** flush.ms: fsync when the last flush is older than this (Kafka default: never). */
  flushIntervalMs: number;
  /** retention.ms: delete segments whose newest record is older; negative = keep forever. */
  retentionMs: number;
  /** retention.bytes: delete oldest segments while the log is larger; negative = no limit. */
  retentionBytes: number;
}

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1_048_588,
  flushIntervalMessages: Number.MAX_SAFE_INTEGER,
  flushIntervalMs: Number.MAX_SAFE_INTEGER,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
});

export class InvalidLogConfigError extends Error {
  override readonly name = 'InvalidLogConfigError';
}

/** Fills defaults and rejects values Kafka would reject, saying which setting and what is allowed. */
export function resolveLogConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  const atLeast = (key: keyof LogConfig, min: number, kafkaName: string) => {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < min) {
      throw new InvalidLogConfigError(`${kafkaName} must be an integer >= ${min}, got ${value}. Fix the topic config.`);
    }
  };
  atLeast('segmentBytes', 14, 'segment.bytes');
  atLeast('segmentMs', 1, 'segment.ms');
  atLeast('indexIntervalBytes', 0, 'index.interval.bytes');
  atLeast('maxMessageBytes', 0, 'max.message.bytes');
  atLeast('flushIntervalMessages', 1, 'flush.messages');
  atLeast('flushIntervalMs', 0, 'flush.ms');
  atLeast('retentionMs', -1, 'retention.ms');
  atLeast('retentionBytes', -1, 'retention.bytes');
  return config;
}
