import { inspect } from 'node:util';
import { ByteReader } from '../primitives/byte-reader.js';
import { ByteWriter } from '../primitives/byte-writer.js';
import { ProtocolEncodeError, UnsupportedApiVersionError } from '../protocol-errors.js';
import { inRange, parseVersionRange } from './message-schema.js';
import type { FieldSpec, MessageSchema, ScalarType, VersionRange } from './message-schema.js';

type Reader = (r: ByteReader) => unknown;
/** Field paths in errors are fixed at compile time (`topics[].name`), so encoding builds no strings. */
type Writer = (w: ByteWriter, value: unknown) => void;

interface CompiledStruct {
  read(r: ByteReader): Record<string, unknown>;
  write(w: ByteWriter, value: Record<string, unknown>): void;
}

/**
 * Decoder, encoder and grammar printer for one message schema, compiled once per version at load
 * time into closures so a decode is a straight walk with no per-field version checks.
 *
 * Decoded objects always carry every field the schema names: fields absent from the wire version
 * get their default, so broker code reads one shape whatever version the client spoke. Byte fields
 * are zero-copy views of the input frame.
 *
 * Stateless after construction; safe to share between connections.
 */
export class MessageCodec<T extends object> {
  readonly range: VersionRange;
  private readonly compiled = new Map<number, CompiledStruct>();

  constructor(readonly schema: MessageSchema) {
    this.range = parseVersionRange(schema.versions);
    for (let v = this.range.min; v <= this.range.max; v++) {
      this.compiled.set(v, compileStruct(schema.fields, v, `${schema.name} v${v}`));
    }
  }

  supports(version: number): boolean {
    return this.compiled.has(version);
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

  /** Kafka's documentation grammar for one version, e.g. `Produce Request (Version: 3) => ...`. */
  grammar(version: number): string {
    this.plan(version);
    const title = this.schema.name.replace(/(Request|Response)$/, ' $1');
    const lines: string[] = [];
    const struct = (prefix: string, fields: readonly FieldSpec[], indent: string): void => {
      const present = fields.filter((f) => inRange(parseVersionRange(f.versions), version));
      lines.push(
        `${prefix} => ${present.map((f) => (f.type.startsWith('[]') ? `[${snake(f.name)}]` : snake(f.name))).join(' ')}`.trimEnd(),
      );
      for (const f of present) {
        const nullable = f.nullableVersions !== undefined && inRange(parseVersionRange(f.nullableVersions), version);
        if (f.type === '[]') struct(`${indent}  ${snake(f.name)}`, f.fields ?? [], `${indent}  `);
        else lines.push(`${indent}  ${snake(f.name)} => ${typeName(f.type, nullable)}`);
      }
    };
    struct(`${title} (Version: ${version})`, this.schema.fields, '');
    return lines.join('\n');
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function typeName(type: string, nullable: boolean): string {
  const array = type.startsWith('[]');
  const base = array ? type.slice(2) : type;
  const names: Record<string, string> = { bool: 'BOOLEAN', records: 'RECORDS' };
  const name = names[base] ?? base.toUpperCase();
  const nullableName = nullable && !array && name !== 'RECORDS' ? `NULLABLE_${name}` : name;
  return array ? `[${nullableName}]${nullable ? ' (nullable)' : ''}` : nullableName;
}

function compileStruct(fields: readonly FieldSpec[], version: number, path: string): CompiledStruct {
  const steps = fields.map((field) => compileField(field, version, `${path}.${field.name}`));
  return {
    read(r) {
      const out: Record<string, unknown> = {};
      for (const step of steps) out[step.name] = step.present ? step.read(r) : step.makeDefault();
      return out;
    },
    write(w, value) {
      if (value === null || typeof value !== 'object') {
        throw new ProtocolEncodeError(`${path}: expected an object, got ${value === null ? 'null' : typeof value}`);
      }
      for (const step of steps) {
        if (!step.present) continue;
        const v = value[step.name];
        step.write(w, v === undefined ? step.makeDefault() : v);
      }
    },
  };
}

interface CompiledField {
  name: string;
  present: boolean;
  read: Reader;
  write: Writer;
  makeDefault: () => unknown;
}

function compileField(field: FieldSpec, version: number, path: string): CompiledField {
  const present = inRange(parseVersionRange(field.versions), version);
  const nullable = field.nullableVersions !== undefined && inRange(parseVersionRange(field.nullableVersions), version);
  const makeDefault = defaultFactory(field);
  if (field.type === '[]') {
    const item = compileStruct(field.fields ?? [], version, `${path}[]`);
    return {
      name: field.name,
      present,
      makeDefault,
      read: nullable ? (r) => r.readNullableArray((ir) => item.read(ir)) : (r) => r.readArray((ir) => item.read(ir)),
      write: (w, v) => writeArray(w, v, nullable, path, (iw, x) => item.write(iw, x as Record<string, unknown>)),
    };
  }
  if (field.type.startsWith('[]')) {
    const scalar = scalarCodec(field.type.slice(2) as ScalarType, false, `${path}[]`);
    return {
      name: field.name,
      present,
      makeDefault,
      read: nullable ? (r) => r.readNullableArray(scalar.read) : (r) => r.readArray(scalar.read),
      write: (w, v) => writeArray(w, v, nullable, path, scalar.write),
    };
  }
  const scalar = scalarCodec(field.type as ScalarType, nullable, path);
  return { name: field.name, present, makeDefault, read: scalar.read, write: scalar.write };
}

function writeArray(
  w: ByteWriter,
  v: unknown,
  nullable: boolean,
  path: string,
  writeItem: (w: ByteWriter, item: unknown) => void,
): void {
  if (v === null && nullable) {
    w.writeInt32(-1);
    return;
  }
  if (!Array.isArray(v)) throw new ProtocolEncodeError(`${path}: expected an array${nullable ? ' or null' : ''}`);
  w.writeInt32(v.length);
  for (const item of v) writeItem(w, item);
}

function defaultFactory(field: FieldSpec): () => unknown {
  if (field.default !== undefined) {
    const d = field.default;
    return () => d;
  }
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
    default:
      return () => 0;
  }
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

function scalarCodec(type: ScalarType, nullable: boolean, path: string): ScalarCodec {
  switch (type) {
    case 'int8':
      return intCodec(8, path);
    case 'int16':
      return intCodec(16, path);
    case 'int32':
      return intCodec(32, path);
    case 'int64':
      return {
        read: (r) => r.readInt64(),
        write: (w, v) => {
          expect(typeof v === 'bigint', path, 'a bigint', v);
          w.writeInt64(v as bigint);
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
    case 'string':
      return {
        read: nullable ? (r) => r.readNullableString() : (r) => r.readString(),
        write: (w, v) => {
          expect(
            typeof v === 'string' || (nullable && v === null),
            path,
            nullable ? 'a string or null' : 'a string',
            v,
          );
          w.writeNullableString(v as string | null);
        },
      };
    case 'bytes':
    case 'records': {
      const isNullable = nullable || type === 'records';
      return {
        read: isNullable ? (r) => r.readNullableBytes() : (r) => r.readBytes(),
        write: (w, v) => {
          expect(
            Buffer.isBuffer(v) || (isNullable && v === null),
            path,
            isNullable ? 'a Buffer or null' : 'a Buffer',
            v,
          );
          w.writeNullableBytes(v as Buffer | null);
        },
      };
    }
  }
}
