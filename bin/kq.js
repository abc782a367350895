#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ by `npm run build` (run by `prepare` on `npm ci`),
// because one bundled file starts several times faster than resolving node_modules at every run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/kq.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('kq: the CLI is not built yet. Run `npm ci` (or `npm run build`) in the kq folder first.\n');
  process.exit(3);
}
await import(entry.href);
