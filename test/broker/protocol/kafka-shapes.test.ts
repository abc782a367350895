import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_CODECS } from '../../../src/broker/protocol/api-registry.js';
import type { FieldSpec } from '../../../src/broker/protocol/schema/message-schema.js';
import { inRange, parseVersionRange } from '../../../src/broker/protocol/schema/message-schema.js';
import type { MessageCodec } from '../../../src/broker/protocol/schema/message-codec.js';

// Kafka 4.4.0's own schemas, printed by test/fixtures/kafka-shapes/KafkaMessageShapes.java from the
// kafka-clients jar (field names, wire types, array compactness, tags), one line per api/version/kind.
// Every version kq implements must have exactly Kafka's shape: this is the spec check for all of them.
const SHAPES = new Map(
  readFileSync(new URL('../../fixtures/kafka-shapes/kafka-4.4.0.txt', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [key, version, kind, ...shape] = line.split(' ');
      return [`${key} ${version} ${kind}`, shape.join(' ')] as const;
    }),
);

/**
 * kq's few property names that predate this check and differ from Kafka's field names (the wire is
 * the same; only the TypeScript name differs).
 */
const KAFKA_NAMES: Record<string, string> = {
  'ProduceRequest topics': 'topic_data',
  'ProduceRequest topics.partitions': 'partition_data',
  'ProduceRequest topics.partitions.partitionIndex': 'index',
  'ProduceResponse responses.partitions': 'partition_responses',
  'ProduceResponse responses.partitions.partitionIndex': 'index',
  'OffsetCommitRequest generationId': 'generation_id_or_member_epoch',
  // Kafka 4.x renamed these (KIP-853: a Vote may come from any replica); kq keeps KIP-595's names.
  'VoteRequest topics.partitions.candidateEpoch': 'replica_epoch',
  'VoteRequest topics.partitions.candidateId': 'replica_id',
};

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const has = (spec: string | undefined, v: number): boolean => spec !== undefined && inRange(parseVersionRange(spec), v);

/** Renders a schema at one version the way KafkaMessageShapes.java prints Kafka's. */
function shape(fields: readonly FieldSpec[], v: number, flexible: boolean, path: string): string {
  const present = fields.filter((f) => has(f.versions, v));
  const [message, prefix] = path.split(' ') as [string, string];
  const at = (f: FieldSpec): string => `${message} ${prefix ? `${prefix}.` : ''}${f.name}`;
  const kafkaName = (f: FieldSpec): string => KAFKA_NAMES[at(f)] ?? snake(f.name);
  const typeOf = (f: FieldSpec): string => {
    const compact = flexible && (f.flexibleVersions === undefined || has(f.flexibleVersions, v));
    const nullable = has(f.nullableVersions, v);
    if (f.type === '{}') return shape(f.fields ?? [], v, flexible, at(f));
    if (f.type.startsWith('[]')) {
      const item =
        f.type === '[]' ? shape(f.fields ?? [], v, flexible, at(f)) : scalar(f.type.slice(2), false, compact);
      return `${nullable ? 'NULLABLE_' : ''}${compact ? 'COMPACT_ARRAY' : 'ARRAY'}(${item})`;
    }
    return scalar(f.type, nullable, compact);
  };
  const parts = present.filter((f) => !has(f.taggedVersions, v)).map((f) => `${kafkaName(f)}:${typeOf(f)}`);
  if (flexible) {
    const tagged = present
      .filter((f) => has(f.taggedVersions, v))
      .sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0))
      .map((f) => `${f.tag}=${kafkaName(f)}:${typeOf(f)}`);
    parts.push(`_tagged_fields:TAGS{${tagged.join(',')}}`);
  }
  return `{${parts.join(',')}}`;
}

function scalar(type: string, nullable: boolean, compact: boolean): string {
  const base: Record<string, string> = { bool: 'BOOLEAN', records: 'RECORDS', uuid: 'UUID', float64: 'FLOAT64' };
  let name = base[type] ?? type.toUpperCase();
  if (type === 'records') return compact ? 'COMPACT_NULLABLE_RECORDS' : 'NULLABLE_RECORDS';
  if (nullable && (type === 'string' || type === 'bytes')) name = `NULLABLE_${name}`;
  if (compact && (type === 'string' || type === 'bytes')) name = `COMPACT_${name}`;
  return name;
}

const cases = Object.values(API_CODECS).flatMap((api) =>
  (['request', 'response'] as const).flatMap((kind) => {
    const codec = api[kind] as MessageCodec<object>;
    const out: [string, string, string][] = [];
    for (let v = codec.range.min; v <= codec.range.max; v++) {
      const theirs = SHAPES.get(`${api.info.key} ${v} ${kind}`);
      if (theirs === undefined) continue; // a version Kafka 4.x removed (KIP-896), e.g. Produce v0-2
      out.push([
        `${api.info.name} ${kind} v${v}`,
        shape(codec.schema.fields, v, codec.isFlexible(v), `${codec.schema.name} `),
        theirs,
      ]);
    }
    return out;
  }),
);

describe("every implemented version has Kafka 4.4.0's wire shape", () => {
  it.each(cases)('%s', (_, ours, theirs) => {
    expect(ours).toBe(theirs);
  });
});
