import { describe, expect, it } from 'vitest';
import { pinnedKafkaVersion } from '../../src/kafka/kafka-distribution.js';
import { readMatrix, readReadme, readmeWithTable, renderTable, type MatrixResults } from './compat-table.js';
import { MATRIX_CLIENTS } from './drivers/index.js';
import { MATRIX_SCENARIOS } from './matrix-scenarios.js';

/** The README's compatibility table is the one generated from the matrix tests' results, and those are complete. */
describe('the client compatibility table', () => {
  const matrix = readMatrix();

  it('in README.md is exactly what npm run clients:table generates from clients/matrix.json', () => {
    const readme = readReadme();
    expect(readme, 'README.md is stale: run npm run clients:table').toBe(
      readmeWithTable(readme, renderTable(matrix, MATRIX_SCENARIOS)),
    );
  });

  it('records every client of the matrix, in the matrix order, with a result for every scenario', () => {
    expect(Object.keys(matrix.clients)).toEqual(MATRIX_CLIENTS.map((c) => c.id));
    for (const client of Object.values(matrix.clients)) {
      expect(Object.keys(client.scenarios).sort()).toEqual(MATRIX_SCENARIOS.map((s) => s.id).sort());
    }
  });

  it('names the Apache Kafka version the oracle runs', () => {
    expect(matrix.kafkaVersion).toBe(pinnedKafkaVersion());
  });

  it('marks a kq failure with its reason and a scenario Kafka failed as such (the renderer cannot hide either)', () => {
    const sample: MatrixResults = {
      kafkaVersion: '9.9.9',
      clients: {
        c: {
          name: 'c',
          version: '1',
          producerDefaults: 'acks=all',
          scenarios: {
            a: { kq: 'fail', kafka: 'pass', kqError: 'UNKNOWN_SERVER_ERROR' },
            b: { kq: 'pass', kafka: 'fail' },
            d: 'n/a',
          },
        },
      },
    };
    const scenarios = ['a', 'b', 'd', 'e'].map((id) => ({
      id,
      column: id,
      applies: () => true,
      run: async () => undefined,
    }));
    expect(renderTable(sample, scenarios).split('\n')[2]).toBe(
      '| c | 1 | acks=all | ✗ UNKNOWN_SERVER_ERROR | ✗ on Apache Kafka too | n/a | not run |',
    );
  });
});
