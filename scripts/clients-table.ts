// Writes the README's client compatibility table from clients/matrix.json, the results file the client matrix
// tests (test/clients/client-matrix.test.ts) produce with KQ_CLIENT_MATRIX=update. test/clients/compat-table.test.ts
// fails when the README's table is not exactly what this script writes.
import { readMatrix, readReadme, readmeWithTable, renderTable, writeReadme } from '../test/clients/compat-table.js';
import { MATRIX_SCENARIOS } from '../test/clients/matrix-scenarios.js';

const before = readReadme();
const after = readmeWithTable(before, renderTable(readMatrix(), MATRIX_SCENARIOS));
if (after === before) {
  process.stdout.write('README.md: the client compatibility table is up to date\n');
} else {
  writeReadme(after);
  process.stdout.write('README.md: client compatibility table rewritten from clients/matrix.json\n');
}
