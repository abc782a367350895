// Bundles the CLI into dist/ with esbuild. Why a bundle: resolving ink, react and marked from node_modules
// costs ~0.9 s per start; one bundle with lazily loaded chunks starts in a fraction of that.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  // Each demo becomes dist/demos/<id>.js, loaded by `kq demo <id>`; shared code (broker, kafkajs) lands in chunks.
  entryPoints: {
    kq: 'src/cli/main.ts',
    ...Object.fromEntries(
      readdirSync(`${root}/demos`)
        .filter((name) => name.endsWith('.ts'))
        .map((name) => [`demos/${name.slice(0, -3)}`, `demos/${name}`]),
    ),
  },
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
  // Stubs (scripts/stubs/, each says why): react-devtools-core, which ink loads only in development mode
  // (marking it external crashes at start); cli-highlight and node-emoji, which marked-terminal imports but kq
  // never uses (no syntax colouring of diagrams, emoji off) and which cost ~2 MB of parsing per start.
  alias: {
    'react-devtools-core': './scripts/stubs/react-devtools-core.mjs',
    'cli-highlight': './scripts/stubs/cli-highlight.mjs',
    'node-emoji': './scripts/stubs/node-emoji.mjs',
  },
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __kqCreateRequire } from 'node:module'; const require = __kqCreateRequire(import.meta.url);",
  },
  define: {
    'process.env.DEV': '"false"',
    // React's production builds: the development ones (1 MB of react-reconciler) add checks a user never needs.
    'process.env.NODE_ENV': '"production"',
    __KQ_VERSION__: JSON.stringify(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version),
  },
});
writeFileSync(`${root}/dist/meta.json`, JSON.stringify(result.metafile));

// The broker as a library, the package entry point `kq/broker` (src/broker/index.ts): one self-contained ESM file
// (the broker imports only Node built-ins) so a test suite loads it without kq's CLI dependencies, and .d.ts files
// emitted by tsc into dist/types/ (tsconfig.broker.json). Why tsc for the types: esbuild strips types and cannot emit
// them; tsc is already the type checker, so the declarations are exactly what `tsc --noEmit` checked, with no
// declaration-bundling tool to add.
await build({
  absWorkingDir: root,
  entryPoints: { 'broker/index': 'src/broker/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'external',
  legalComments: 'none',
  logLevel: 'warning',
});
const declarations = spawnSync(
  process.execPath,
  [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.broker.json`],
  { stdio: 'inherit' },
);
if (declarations.status !== 0) {
  console.error('build: tsc could not emit the broker declarations (dist/types/); see the errors above');
  process.exit(1);
}

// Warm the bank index (dist/bank-index.json) so the first `kq list` after install is as fast as the rest.
const warm = spawnSync(process.execPath, [`${root}/dist/kq.js`, 'list', '--json'], {
  stdio: 'ignore',
  env: { ...process.env, KQ_BANK_ROOT: '' },
});
if (warm.status !== 0)
  console.warn('build: could not warm the bank index (kq list failed); it will be built on first use');
