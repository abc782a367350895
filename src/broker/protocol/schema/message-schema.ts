/**
 * A message schema written the way Kafka's own `clients/src/main/resources/common/message/*.json`
 * specs are: each field says in which versions it exists and in which it may be null. Writing the
 * codec as data keeps "newer versions are older ones plus fields" visible as one table per message,
 * instead of a version if-ladder per API, and lets one engine (message-codec.ts) decode, encode and
 * print the grammar of every version.
 *
 * Only the non-flexible encoding (int16 string lengths, int32 array counts, no tagged fields) is
 * modelled: kq's broker stays below every API's first flexible version.
 */

/** Wire types. `records` is nullable bytes holding a record set the log layer parses, never us. */
export type ScalarType = 'int8' | 'int16' | 'int32' | 'int64' | 'bool' | 'string' | 'bytes' | 'records';

export interface FieldSpec {
  /** camelCase property name on the TypeScript object; the grammar prints it snake_case. */
  readonly name: string;
  /** A scalar, an array of scalars (`[]int32`), or an array of structs (`[]` plus `fields`). */
  readonly type: ScalarType | `[]${ScalarType}` | '[]';
  /** Versions in which the field is on the wire: `3+`, `2-4` or `1`. */
  readonly versions: string;
  /** Versions in which the field may be null (string, bytes, arrays). */
  readonly nullableVersions?: string;
  /**
   * The value a decoder puts on the object in versions where the field is absent, and an encoder
   * writes when the value is undefined. Without it: 0, 0n, false, '', empty bytes, null records, [].
   */
  readonly default?: string | number | bigint | boolean | null;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSchema {
  /** Kafka's name for the message, e.g. `ProduceRequest`. */
  readonly name: string;
  readonly apiKey: number;
  /** Versions this codec implements, e.g. `0-8`. */
  readonly versions: string;
  readonly fields: readonly FieldSpec[];
}

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

/** Parses a spec range: `3+`, `2-4`, `1` or `none`. */
export function parseVersionRange(spec: string): VersionRange {
  if (spec === 'none') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(spec);
  if (plus) return { min: Number(plus[1]), max: Number.POSITIVE_INFINITY };
  const span = /^(\d+)-(\d+)$/.exec(spec);
  if (span) return { min: Number(span[1]), max: Number(span[2]) };
  if (/^\d+$/.test(spec)) return { min: Number(spec), max: Number(spec) };
  throw new Error(`invalid version range "${spec}" in a message schema; use N+, N-M or N`);
}

export function inRange(range: VersionRange, version: number): boolean {
  return version >= range.min && version <= range.max;
}
