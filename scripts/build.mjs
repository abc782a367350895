// Bundles the CLI into dist/ with esbuild. Why a bundle: resolving ink, react and marked from node_modules
// costs ~0.9 s per start; one bundle with lazily loaded chunks starts in a fraction of that.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { kq: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // renderers (ink, marked) become chunks loaded only by the commands that draw
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // maps beside the files for debugging, but no sourceMappingURL comment: Node would parse it at every start
  sourcemap: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true, // dist/meta.json: which modules each command loads at start-up (checked by test/build)
  // ink imports react-devtools-core only when DEV is set; marking it external crashes at start,
  // so it is aliased to an empty module.
  alias: { 'react-devtools-core': './scripts/react-devtools-core-stub.mjs' },
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __kqCreateRequire } from 'node:module'; const require = __kqCreateRequire(import.meta.url);",
  },
  define: {
    'process.env.DEV': '"false"',
    __KQ_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version),
  },
});
writeFileSync(`${root}/dist/meta.json`, JSON.stringify(result.metafile));

// Warm the bank index (dist/bank-index.json) so the first `kq list` after install is as fast as the rest.
const warm = spawnSync(process.execPath, [`${root}/dist/kq.js`, 'list', '--json'], { stdio: 'ignore', env: { ...process.env, KQ_BANK_ROOT: '' } });
if (warm.status !== 0) console.warn('build: could not warm the bank index (kq list failed); it will be built on first use');
