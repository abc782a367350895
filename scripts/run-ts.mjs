// Runs a TypeScript script from this repo: bundles it with esbuild (the same toolchain as the CLI build)
// into a temp file and imports it, passing the remaining arguments on. Used by `npm run fuzz` and
// `npm run bench:broker`, which import the broker's TypeScript sources directly.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.mjs <script.ts> [args...]\n');
  process.exit(2);
}
const outDir = mkdtempSync(join(tmpdir(), 'kq-script-'));
const outfile = join(outDir, `${basename(entry, '.ts')}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too: the output lives in a temp dir where node_modules cannot be resolved.
  // CommonJS dependencies (kafkajs) still call require() for Node built-ins, hence the banner.
  banner: {
    js: "import { createRequire as __kqCreateRequire } from 'node:module'; const require = __kqCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  sourcemap: 'inline',
});
process.argv = [process.argv[0], outfile, ...rest];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
