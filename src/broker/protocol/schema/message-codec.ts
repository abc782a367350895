import { inspect } from 'node:util';
import { ByteReader } from '../primitives/byte-reader.js';
import { ByteWriter } from '../primitives/byte-writer.js';
import { ProtocolDecodeError, ProtocolEncodeError, UnsupportedApiVersionError } from '../protocol-errors.js';
import { inRange, parseVersionRange } from './message-schema.js';
import type { FieldSpec, MessageSchema, ScalarType, VersionRange } from './message-schema.js';

type Reader = (r: ByteReader) => unknown;
/** Field paths in errors are fixed at compile time (`topics[].name`), so encoding builds no strings. */
type Writer = (w: ByteWriter, value: unknown) => void;

/** A tagged field the schema does not know, kept as raw bytes so a decode-encode round trip keeps it. */
export interface UnknownTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

/**
 * Where a decoded struct keeps the tagged fields its schema does not know, as Kafka's generated
 * classes keep `_unknownTaggedFields`; the encoder writes them back in tag order. A symbol, so the
 * plain typed objects broker code sees (and tests compare) are unchanged; set only when there are any.
 */
export const UNKNOWN_TAGGED_FIELDS: unique symbol = Symbol('unknownTaggedFields');

/** The zero UUID (`Uuid.ZERO_UUID`): Kafka's default for uuid fields, "no topic id". */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface CompiledStruct {
  read(r: ByteReader): Record<string, unknown>;
  write(w: ByteWriter, value: Record<string, unknown>): void;
}

/**
 * Decoder, encoder and grammar printer for one message schema, compiled once per version at load
 * time into closures so a decode is a straight walk with no per-field version checks: whether a
 * version is flexible (compact lengths, tagged fields) is decided here, once, from the schema.
 *
 * Decoded objects always carry every field the schema names: fields absent from the wire version
 * (or tagged fields the sender left out) get their default, so broker code reads one shape whatever
 * version the client spoke. Byte fields are zero-copy views of the input frame.
 *
 * Stateless after construction; safe to share between connections.
 */
export class MessageCodec<T extends object> {
  readonly range: VersionRange;
  private readonly flexible: VersionRange;
  private readonly flexibleHeader: VersionRange;
  private readonly compiled = new Map<number, CompiledStruct>();

  constructor(readonly schema: MessageSchema) {
    this.range = parseVersionRange(schema.versions);
    this.flexible = parseVersionRange(schema.flexibleVersions);
    this.flexibleHeader = parseVersionRange(schema.flexibleHeaderVersions ?? schema.flexibleVersions);
    for (let v = this.range.min; v <= this.range.max; v++) {
      this.compiled.set(v, compileStruct(schema.fields, v, inRange(this.flexible, v), `${schema.name} v${v}`));
    }
  }

  supports(version: number): boolean {
    return this.compiled.has(version);
  }

  /** Whether `version` uses the flexible encodings. Defined beyond the implemented range, as Kafka's `N+`. */
  isFlexible(version: number): boolean {
    return inRange(this.flexible, version);
  }

  /** Whether the header in front of this message is the flexible one (request v2, response v1). */
  hasFlexibleHeader(version: number): boolean {
    return inRange(this.flexibleHeader, version);
  }

  private plan(version: number): CompiledStruct {
    const plan = this.compiled.get(version);
    if (!plan) throw new UnsupportedApiVersionError(this.schema.name, version, this.range.min, this.range.max);
    return plan;
  }

  /** Reads one message at the reader's cursor; does not require the reader to be exhausted. */
  read(version: number, reader: ByteReader): T {
    return this.plan(version).read(reader) as T;
  }

  /** Decodes a whole body and insists every byte belongs to the message. */
  decode(version: number, input: Buffer | ByteReader): T {
    const reader = input instanceof ByteReader ? input : new ByteReader(input);
    const value = this.read(version, reader);
    reader.expectEnd(`${this.schema.name} v${version}`);
    return value;
  }

  write(version: number, value: T, writer: ByteWriter): void {
    this.plan(version).write(writer, value as Record<string, unknown>);
  }

  encode(version: number, value: T): Buffer {
    const writer = new ByteWriter();
    this.write(version, value, writer);
    return writer.toBuffer();
  }

  /**
   * Kafka's documentation grammar for one version, e.g. `Produce Request (Version: 3) => ...`.
   * Flexible versions name the compact types and end each struct with `_tagged_fields`; known
   * tagged fields follow the regular ones as `name => TYPE (tag N)`.
   */
  grammar(version: number): string {
    this.plan(version);
    const title = this.schema.name.replace(/(Request|Response)$/, ' $1');
    const flexibleMessage = this.isFlexible(version);
    const lines: string[] = [];
    const struct = (prefix: string, fields: readonly FieldSpec[], indent: string): void => {
      const present = fields.filter((f) => inRange(parseVersionRange(f.versions), version));
      const regular = present.filter((f) => !isTagged(f, version));
      const tagged = present.filter((f) => isTagged(f, version));
      const names = regular.map((f) => (f.type.startsWith('[]') ? `[${snake(f.name)}]` : snake(f.name)));
      if (flexibleMessage) names.push('_tagged_fields');
      lines.push(`${prefix} => ${names.join(' ')}`.trimEnd());
      for (const f of [...regular, ...tagged]) {
        const nullable = f.nullableVersions !== undefined && inRange(parseVersionRange(f.nullableVersions), version);
        const compact = fieldIsCompact(f, flexibleMessage, version);
        const tag = isTagged(f, version) ? ` (tag ${f.tag})` : '';
        if (f.type === '[]' || f.type === '{}')
          struct(`${indent}  ${snake(f.name)}${tag}`, f.fields ?? [], `${indent}  `);
        else lines.push(`${indent}  ${snake(f.name)} => ${typeName(f.type, nullable, compact)}${tag}`);
      }
    };
    struct(`${title} (Version: ${version})`, this.schema.fields, '');
    return lines.join('\n');
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function isTagged(field: FieldSpec, version: number): boolean {
  return field.taggedVersions !== undefined && inRange(parseVersionRange(field.taggedVersions), version);
}

function fieldIsCompact(field: FieldSpec, flexibleMessage: boolean, version: number): boolean {
  if (field.flexibleVersions === undefined) return flexibleMessage;
  return flexibleMessage && inRange(parseVersionRange(field.flexibleVersions), version);
}

function typeName(type: string, nullable: boolean, compact: boolean): string {
  const array = type.startsWith('[]');
  const base = array ? type.slice(2) : type;
  const names: Record<string, string> = { bool: 'BOOLEAN', records: 'RECORDS' };
  let name = names[base] ?? base.toUpperCase();
  if (nullable && !array && (base === 'string' || base === 'bytes')) name = `NULLABLE_${name}`;
  if (compact && (base === 'string' || base === 'bytes' || base === 'records')) name = `COMPACT_${name}`;
  return array ? `[${name}]${nullable ? ' (nullable)' : ''}` : name;
}

interface CompiledField {
  name: string;
  present: boolean;
  /** In this version the field travels in the tagged-field section, under `tag`. */
  tagged: boolean;
  tag: number;
  read: Reader;
  write: Writer;
  makeDefault: () => unknown;
}

function compileStruct(fields: readonly FieldSpec[], version: number, flexible: boolean, path: string): CompiledStruct {
  const steps = fields.map((field) => compileField(field, version, flexible, `${path}.${field.name}`));
  const regular = steps.filter((s) => !s.tagged);
  const tagged = steps.filter((s) => s.tagged);
  const taggedByTag = new Map(tagged.map((s) => [s.tag, s]));
  if (taggedByTag.size !== tagged.length) throw new Error(`${path}: two tagged fields share a tag`);
  if (tagged.length > 0 && !flexible) throw new Error(`${path}: tagged fields in a non-flexible version`);

  const readRegular = (r: ByteReader): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const step of regular) out[step.name] = step.present ? step.read(r) : step.makeDefault();
    return out;
  };
  const checkObject = (value: unknown): void => {
    if (value === null || typeof value !== 'object') {
      throw new ProtocolEncodeError(`${path}: expected an object, got ${value === null ? 'null' : typeof value}`);
    }
  };
  const writeRegular = (w: ByteWriter, value: Record<string, unknown>): void => {
    for (const step of regular) {
      if (!step.present) continue;
      const v = value[step.name];
      step.write(w, v === undefined ? step.makeDefault() : v);
    }
  };
  if (!flexible) {
    return {
      read: readRegular,
      write(w, value) {
        checkObject(value);
        writeRegular(w, value);
      },
    };
  }
  return {
    read(r) {
      const out = readRegular(r);
      for (const step of tagged) out[step.name] = step.makeDefault();
      readTaggedFields(r, path, taggedByTag, out);
      return out;
    },
    write(w, value) {
      checkObject(value);
      writeRegular(w, value);
      writeTaggedFields(w, tagged, value);
    },
  };
}

/**
 * The tagged-field section (KIP-482): count, then per field tag, size and value, tags in ascending
 * order. Known tags are decoded inside their declared size; unknown ones are kept raw. A repeated or
 * descending tag, a count that cannot fit, or a size beyond the frame is a decode error.
 */
function readTaggedFields(
  r: ByteReader,
  path: string,
  known: ReadonlyMap<number, CompiledField>,
  out: Record<string, unknown>,
): void {
  const at = r.offset;
  const count = r.readUVarint();
  if (count === 0) return;
  // Each tagged field takes at least two bytes (tag, size).
  if (count * 2 > r.remaining) {
    throw new ProtocolDecodeError(`${path}: ${count} tagged fields cannot fit in ${r.remaining} bytes`, at);
  }
  let previous = -1;
  let unknown: UnknownTaggedField[] | undefined;
  for (let i = 0; i < count; i++) {
    const tagAt = r.offset;
    const tag = r.readUVarint();
    if (tag <= previous) {
      throw new ProtocolDecodeError(
        `${path}: tagged field ${tag} after ${previous} (tags must be unique and ascending)`,
        tagAt,
      );
    }
    previous = tag;
    const value = r.window(r.readUVarint());
    const field = known.get(tag);
    if (field) {
      out[field.name] = field.read(value);
      value.expectEnd(`${path} tagged field ${tag} (${field.name})`);
    } else {
      (unknown ??= []).push({ tag, data: value.readRaw(value.remaining) });
    }
  }
  if (unknown) out[UNKNOWN_TAGGED_FIELDS as unknown as string] = unknown;
}

function writeTaggedFields(w: ByteWriter, tagged: readonly CompiledField[], value: Record<string, unknown>): void {
  const unknown = (value as { [UNKNOWN_TAGGED_FIELDS]?: readonly UnknownTaggedField[] })[UNKNOWN_TAGGED_FIELDS];
  const entries: { tag: number; bytes: Buffer }[] = [];
  for (const step of tagged) {
    const v = value[step.name];
    if (v === undefined || isDefaultValue(v, step.makeDefault())) continue;
    const inner = new ByteWriter(64);
    step.write(inner, v);
    entries.push({ tag: step.tag, bytes: inner.toBuffer() });
  }
  if (unknown) for (const u of unknown) entries.push({ tag: u.tag, bytes: u.data });
  if (entries.length === 0) {
    w.writeUVarint(0);
    return;
  }
  entries.sort((a, b) => a.tag - b.tag);
  w.writeUVarint(entries.length);
  for (const e of entries) w.writeUVarint(e.tag).writeUVarint(e.bytes.length).writeRaw(e.bytes);
}

/** Kafka writes a tagged field only when it differs from its default (deep, for structs and arrays). */
function isDefaultValue(v: unknown, d: unknown): boolean {
  if (v === d) return true;
  if (Buffer.isBuffer(v) && Buffer.isBuffer(d)) return v.equals(d);
  if (Array.isArray(v) && Array.isArray(d)) return v.length === 0 && d.length === 0;
  if (v !== null && d !== null && typeof v === 'object' && typeof d === 'object') {
    const dv = d as Record<string, unknown>;
    const vv = v as Record<string, unknown>;
    return Object.keys(dv).every((k) => vv[k] === undefined || isDefaultValue(vv[k], dv[k]));
  }
  return false;
}

function compileField(field: FieldSpec, version: number, flexibleMessage: boolean, path: string): CompiledField {
  const present = inRange(parseVersionRange(field.versions), version);
  const nullable = field.nullableVersions !== undefined && inRange(parseVersionRange(field.nullableVersions), version);
  const tagged = present && isTagged(field, version);
  if (tagged && field.tag === undefined) throw new Error(`${path}: taggedVersions without a tag`);
  const compact = fieldIsCompact(field, flexibleMessage, version);
  const common = { name: field.name, present, tagged, tag: field.tag ?? -1 };
  if (field.type === '{}') {
    if (nullable) throw new Error(`${path}: nullable structs are not modelled`);
    const struct = compileStruct(field.fields ?? [], version, flexibleMessage, path);
    const makeDefault = defaultFactory(field);
    return {
      ...common,
      makeDefault,
      read: (r) => struct.read(r),
      write: (w, v) => struct.write(w, v as Record<string, unknown>),
    };
  }
  const makeDefault = defaultFactory(field);
  if (field.type === '[]') {
    const item = compileStruct(field.fields ?? [], version, flexibleMessage, `${path}[]`);
    return {
      ...common,
      makeDefault,
      read: arrayReader(compact, nullable, (ir) => item.read(ir)),
      write: (w, v) =>
        writeArray(w, v, nullable, compact, path, (iw, x) => item.write(iw, x as Record<string, unknown>)),
    };
  }
  if (field.type.startsWith('[]')) {
    const scalar = scalarCodec(field.type.slice(2) as ScalarType, false, compact, `${path}[]`);
    return {
      ...common,
      makeDefault,
      read: arrayReader(compact, nullable, scalar.read),
      write: (w, v) => writeArray(w, v, nullable, compact, path, scalar.write),
    };
  }
  const scalar = scalarCodec(field.type as ScalarType, nullable, compact, path);
  return { ...common, makeDefault, read: scalar.read, write: scalar.write };
}

function arrayReader(compact: boolean, nullable: boolean, readItem: (r: ByteReader) => unknown): Reader {
  if (compact) return nullable ? (r) => r.readCompactNullableArray(readItem) : (r) => r.readCompactArray(readItem);
  return nullable ? (r) => r.readNullableArray(readItem) : (r) => r.readArray(readItem);
}

function writeArray(
  w: ByteWriter,
  v: unknown,
  nullable: boolean,
  compact: boolean,
  path: string,
  writeItem: (w: ByteWriter, item: unknown) => void,
): void {
  if (v === null && nullable) {
    if (compact) w.writeUVarint(0);
    else w.writeInt32(-1);
    return;
  }
  if (!Array.isArray(v)) throw new ProtocolEncodeError(`${path}: expected an array${nullable ? ' or null' : ''}`);
  if (compact) w.writeUVarint(v.length + 1);
  else w.writeInt32(v.length);
  for (const item of v) writeItem(w, item);
}

/** A field's default; a struct's default is the struct of its fields' defaults. */
function defaultFactory(field: FieldSpec): () => unknown {
  if (field.default !== undefined) {
    const d = field.default;
    return () => d;
  }
  if (field.type === '{}') return () => structDefault(field.fields ?? []);
  if (field.type.startsWith('[]')) return () => [];
  switch (field.type) {
    case 'int64':
      return () => 0n;
    case 'bool':
      return () => false;
    case 'string':
      return () => '';
    case 'bytes':
      return () => Buffer.alloc(0);
    case 'records':
      return () => null;
    case 'uuid':
      return () => ZERO_UUID;
    default:
      return () => 0;
  }
}

function structDefault(fields: readonly FieldSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.name] = defaultFactory(f)();
  return out;
}

interface ScalarCodec {
  read: Reader;
  write: Writer;
}

// inspect, not JSON.stringify: an object holding a bigint made JSON.stringify throw a TypeError in place of this error.
function expect(ok: boolean, path: string, what: string, v: unknown): void {
  if (!ok)
    throw new ProtocolEncodeError(`${path}: expected ${what}, got ${inspect(v, { depth: 2, breakLength: Infinity })}`);
}

function intCodec(bits: 8 | 16 | 32, path: string): ScalarCodec {
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  const read: Reader = bits === 8 ? (r) => r.readInt8() : bits === 16 ? (r) => r.readInt16() : (r) => r.readInt32();
  const put = bits === 8 ? 'writeInt8' : bits === 16 ? 'writeInt16' : 'writeInt32';
  return {
    read,
    write: (w, v) => {
      expect(Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi, path, `an int${bits}`, v);
      w[put](v as number);
    },
  };
}

function scalarCodec(type: ScalarType, nullable: boolean, compact: boolean, path: string): ScalarCodec {
  switch (type) {
    case 'int8':
      return intCodec(8, path);
    case 'int16':
      return intCodec(16, path);
    case 'int32':
      return intCodec(32, path);
    case 'uint16':
      return {
        read: (r) => r.readUInt16(),
        write: (w, v) => {
          expect(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffff, path, 'a uint16', v);
          w.writeUInt16(v as number);
        },
      };
    case 'int64':
      return {
        read: (r) => r.readInt64(),
        write: (w, v) => {
          expect(typeof v === 'bigint', path, 'a bigint', v);
          w.writeInt64(v as bigint);
        },
      };
    case 'float64':
      return {
        read: (r) => r.readFloat64(),
        write: (w, v) => {
          expect(typeof v === 'number', path, 'a number', v);
          w.writeFloat64(v as number);
        },
      };
    case 'bool':
      return {
        read: (r) => r.readBoolean(),
        write: (w, v) => {
          expect(typeof v === 'boolean', path, 'a boolean', v);
          w.writeBoolean(v as boolean);
        },
      };
    case 'uuid':
      return {
        read: (r) => r.readUuid(),
        write: (w, v) => {
          expect(typeof v === 'string', path, 'a uuid string', v);
          w.writeUuid(v as string);
        },
      };
    case 'string': {
      const check = (v: unknown): void =>
        expect(typeof v === 'string' || (nullable && v === null), path, nullable ? 'a string or null' : 'a string', v);
      if (compact) {
        return {
          read: nullable ? (r) => r.readCompactNullableString() : (r) => r.readCompactString(),
          write: (w, v) => {
            check(v);
            w.writeCompactNullableString(v as string | null);
          },
        };
      }
      return {
        read: nullable ? (r) => r.readNullableString() : (r) => r.readString(),
        write: (w, v) => {
          check(v);
          w.writeNullableString(v as string | null);
        },
      };
    }
    case 'bytes':
    case 'records': {
      const isNullable = nullable || type === 'records';
      const check = (v: unknown): void =>
        expect(Buffer.isBuffer(v) || (isNullable && v === null), path, isNullable ? 'a Buffer or null' : 'a Buffer', v);
      if (compact) {
        return {
          read: isNullable ? (r) => r.readCompactNullableBytes() : (r) => r.readCompactBytes(),
          write: (w, v) => {
            check(v);
            w.writeCompactNullableBytes(v as Buffer | null);
          },
        };
      }
      return {
        read: isNullable ? (r) => r.readNullableBytes() : (r) => r.readBytes(),
        write: (w, v) => {
          check(v);
          w.writeNullableBytes(v as Buffer | null);
        },
      };
    }
  }
}
