/**
 * A message schema written the way Kafka's own `clients/src/main/resources/common/message/*.json`
 * specs are: each field says in which versions it exists, in which it may be null and in which it is
 * a tagged field; each message says from which version it is flexible (KIP-482). Writing the codec
 * as data keeps "newer versions are older ones plus fields" visible as one table per message,
 * instead of a version if-ladder per API, and lets one engine (message-codec.ts) decode, encode and
 * print the grammar of every version.
 *
 * In a flexible version strings, bytes, records and arrays are compact (unsigned varint of length + 1,
 * 0 = null) and every struct ends with a tagged-field section; a field's own `flexibleVersions` can
 * keep it non-compact (the request header's client_id, as in Kafka's RequestHeader.json).
 */

/**
 * Wire types. `records` is nullable bytes holding a record set the log layer parses, never us.
 * `uuid` is 16 bytes, carried as Kafka's `Uuid.toString()` form (22 characters of base64url).
 */
export type ScalarType =
  'int8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'float64' | 'bool' | 'uuid' | 'string' | 'bytes' | 'records';

export interface FieldSpec {
  /** camelCase property name on the TypeScript object; the grammar prints it snake_case. */
  readonly name: string;
  /**
   * A scalar, an array of scalars (`[]int32`), an array of structs (`[]` plus `fields`) or one
   * struct (`{}` plus `fields`, Kafka's named struct types such as FetchRequest's ReplicaState).
   */
  readonly type: ScalarType | `[]${ScalarType}` | '[]' | '{}';
  /** Versions in which the field is on the wire: `3+`, `2-4` or `1`. */
  readonly versions: string;
  /** Versions in which the field may be null (string, bytes, arrays). */
  readonly nullableVersions?: string;
  /** Versions in which the field is a tagged field (written only when it differs from its default). */
  readonly taggedVersions?: string;
  /** The tag, required with `taggedVersions`. */
  readonly tag?: number;
  /** Overrides the message's flexible versions for this field (`none`: never compact). */
  readonly flexibleVersions?: string;
  /**
   * The value a decoder puts on the object in versions where the field is absent, and an encoder
   * writes when the value is undefined. Without it: 0, 0n, false, '', empty bytes, null records,
   * the zero uuid, [], or a struct of its fields' defaults.
   */
  readonly default?: string | number | bigint | boolean | null;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSchema {
  /** Kafka's name for the message, e.g. `ProduceRequest`. */
  readonly name: string;
  /**
   * Kafka's `apiKey`: the API of a request or response; for a `__consumer_offsets` key, its record type
   * (OffsetCommitKey 1, GroupMetadataKey 2). Data messages (record values) have none.
   */
  readonly apiKey?: number;
  /** Versions this codec implements, e.g. `0-8`. */
  readonly versions: string;
  /** Versions that use the compact encodings and tagged fields (Kafka's `flexibleVersions`), or `none`. */
  readonly flexibleVersions: string;
  /**
   * Versions whose response header is flexible (v1); defaults to `flexibleVersions`. Only
   * ApiVersionsResponse says `none`: its header stays v0 so a client of any version can read the error.
   */
  readonly flexibleHeaderVersions?: string;
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
