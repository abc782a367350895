import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_CODECS } from '../../../src/broker/protocol/api-registry.js';
import { produceRequestCodec } from '../../../src/broker/protocol/produce/request.js';

const PROTOCOL_DIR = new URL('../../../src/broker/protocol/', import.meta.url);
const folderOf = (apiName: string): string =>
  apiName.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '-' : '') + c.toLowerCase());

describe('protocol grammar', () => {
  it("prints Kafka's documentation grammar for a version", () => {
    expect(produceRequestCodec.grammar(3).split('\n')).toEqual([
      'Produce Request (Version: 3) => transactional_id acks timeout_ms [topics]',
      '  transactional_id => NULLABLE_STRING',
      '  acks => INT16',
      '  timeout_ms => INT32',
      '  topics => name [partitions]',
      '    name => STRING',
      '    partitions => partition_index records',
      '      partition_index => INT32',
      '      records => RECORDS',
    ]);
  });

  // The header comment of each codec file is its grammar; this keeps comment and schema in step.
  const files = Object.values(API_CODECS).flatMap((api) =>
    (['request', 'response'] as const).map((kind) => [`${folderOf(api.info.name)}/${kind}.ts`, api[kind]] as const),
  );

  it.each(files)('%s documents the grammar of every version it implements', (file, codec) => {
    const source = readFileSync(new URL(file, PROTOCOL_DIR), 'utf8');
    for (let v = codec.range.min; v <= codec.range.max; v++) {
      for (const line of codec.grammar(v).split('\n').slice(1))
        expect(source, `v${v}: ${line}`).toContain(`// ${line}\n`);
      const head = codec
        .grammar(v)
        .split('\n')[0]!
        .replace(/\(Version: \d+\)/, '');
      const documented = source.split('\n').some((l) => {
        const m = /\(Version: (\d+)(?:-(\d+))?\)/.exec(l);
        return (
          m !== null &&
          l.replace(/\(Version: [\d-]+\)/, '') === `// ${head}` &&
          v >= Number(m[1]) &&
          v <= Number(m[2] ?? m[1])
        );
      });
      expect(documented, `${file} has no header line covering v${v}`).toBe(true);
    }
  });
});
