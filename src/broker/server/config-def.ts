import { closest } from '../utils/closest.js';

/**
 * The definition of a set of Kafka-named settings (Kafka's `ConfigDef`): each key's type, default and allowed
 * range, and the one parser that turns `key=value` text into typed values with errors a person can act on.
 * KafkaConfig (broker level) and TopicConfig (topic level) are both built from it, so they reject bad input the
 * same way. Pure functions and immutable tables: safe to share.
 */

/** What a setting holds. `long` is kept as a JS number: every limit kq needs fits in 2^53. */
export type ConfigType = 'int' | 'long' | 'boolean' | 'string';

export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** null: no value unless set (Kafka's `null` default, e.g. `log.retention.ms`). */
  readonly defaultValue: number | boolean | string | null;
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Allowed values for strings. */
  readonly choices?: readonly string[];
  readonly doc: string;
  /** Kafka's `defineInternal`: accepted, but never suggested nor listed (e.g. `internal.segment.bytes`, for tests). */
  readonly internal?: boolean;
}

export type ConfigValue = number | boolean | string | null;

/** A setting that could not be accepted; the message says what was wrong and the allowed form. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Kafka's Long.MAX_VALUE as a number: the "never" of flush settings. A double cannot hold 2^63 - 1 exactly; this is
 * the nearest one (2^63), which is what the literal 9223372036854775807 silently became before.
 */
export const LONG_MAX = Number(2n ** 63n - 1n);

/**
 * A value as Kafka prints it in DescribeConfigs and CreateTopics: exact decimal for numbers (LONG_MAX, which a double
 * cannot hold, prints as Long.MAX_VALUE's 9223372036854775807, not 9223372036854776000), null for "not set".
 */
export function configValueText(value: ConfigValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') {
    if (value === LONG_MAX) return LONG_MAX_TEXT;
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  return String(value);
}

/** Kafka's Long.MAX_VALUE, exactly. */
export const LONG_MAX_TEXT = '9223372036854775807';

/** Splits `key=value`; the value may itself contain `=`. */
export function splitAssignment(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new ConfigError(`'${text}' is not a setting: write it as key=value (e.g. num.partitions=3)`, text);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/** The allowed form of a key's value, for error messages. */
export function describeAllowed(key: ConfigKey): string {
  switch (key.type) {
    case 'boolean':
      return 'true or false';
    case 'string':
      return key.choices ? `one of ${key.choices.join(', ')}` : 'a string';
    case 'int':
    case 'long':
      return key.min === undefined ? `an integer` : `an integer ≥ ${key.min}`;
  }
}

/** Parses one value for `key`; throws ConfigError naming the allowed form. */
export function parseValue(key: ConfigKey, raw: string, scope: string): ConfigValue {
  const fail = (): never => {
    throw new ConfigError(
      `${scope} config ${key.name}=${raw} is not valid: expected ${describeAllowed(key)} (${key.doc})`,
      key.name,
    );
  };
  switch (key.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return fail();
    case 'string':
      if (key.choices && !key.choices.includes(raw)) return fail();
      return raw;
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) return fail();
      // Long.MAX_VALUE is Kafka's "never" and maps to LONG_MAX; any other long must be exact in a double.
      if (key.type === 'long' && BigInt(raw) === 2n ** 63n - 1n) return LONG_MAX;
      if (!Number.isSafeInteger(Number(raw))) return fail();
      const value = Number(raw);
      if (key.type === 'int' && (value > 2147483647 || value < -2147483648)) return fail();
      if (key.min !== undefined && value < key.min) return fail();
      return value;
    }
  }
}

/** Parses `key=value` pairs (or an object of strings) against `keys`; unknown keys name the closest valid ones. */
export function parseAssignments(
  keys: ReadonlyMap<string, ConfigKey>,
  entries: Iterable<[string, string]>,
  scope: string,
): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  for (const [name, raw] of entries) {
    const key = keys.get(name);
    if (!key) {
      const listed = [...keys.values()].filter((k) => !k.internal).map((k) => k.name);
      throw new ConfigError(`unknown ${scope} config '${name}': ${nearestNames(name, listed)}`, name);
    }
    out.set(name, parseValue(key, raw, scope));
  }
  return out;
}

/** "did you mean a, b?" or the full list when nothing is near. */
export function nearestNames(typed: string, names: readonly string[]): string {
  const near = closest(typed, names);
  if (near.length > 0) return `did you mean ${near.join(', ')}?`;
  return `valid names: ${[...names].sort().join(', ')}`;
}

export function keyTable(keys: readonly ConfigKey[]): ReadonlyMap<string, ConfigKey> {
  return new Map(keys.map((k) => [k.name, k]));
}
