/**
 * Runs one demo on a mutant: a temp copy of kq's sources with one deliberate breakage of the mechanism the demo's
 * claim rests on, rebuilt with esbuild and run in a child process of its own (its own broker, its own process
 * group, killed on timeout). The copy's CLI is rebuilt too, so the `kq broker` children of a cluster demo run the
 * mutated broker. A demo that is honest comes out NOT PROVEN on every mutant of its mechanism.
 *
 * A mutation names the exact text it replaces; if that text is not in the file exactly once (the code moved on),
 * the run fails as stale instead of silently testing the unmutated source.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export interface Mutation {
  /** Short name, shown in the table: `index-every-batch`. */
  id: string;
  demo: string;
  /** What the mutation breaks, in a sentence. */
  breaks: string;
  /** Path from the repository root. */
  file: string;
  find: string;
  replace: string;
  /** Part of the quick subset `npm test` runs. */
  fast?: boolean;
  /** Knobs the demo runs with (`--set`), when the mechanism only acts under them (e.g. enable.idempotence=true). */
  set?: readonly string[];
}

export interface MutantVerdict {
  demo: string;
  /** undefined for the unmutated baseline. */
  mutation: string | undefined;
  /** The knobs it ran with. */
  set: readonly string[];
  /** NO VERDICT: the mutant process died or hung before the demo gave one (a harness failure, not a flip). */
  verdict: 'PROVEN' | 'NOT PROVEN' | 'NO VERDICT';
  /**
   * How a NOT PROVEN came about: `checks` when the demo finished and checks of its mechanism failed (an honest
   * flip), `error` when it threw or timed out before its checks judged (the breakage was noticed, but by accident).
   */
  flippedBy?: 'checks' | 'error';
  reason: string;
  ms: number;
}

export class StaleMutationError extends Error {}

const COPIED = ['src', 'demos', 'bin', 'package.json'];

/** A demo that runs on several brokers (`brokers: 3`) starts `kq broker` children and takes longer. */
function runsOnACluster(root: string, demo: string): boolean {
  return /^\s*brokers:\s*[2-9]/m.test(readFileSync(join(root, 'demos', `${demo}.ts`), 'utf8'));
}

export async function runMutant(
  root: string,
  demo: string,
  mutation: Mutation | undefined,
  set: readonly string[] = mutation?.set ?? [],
  timeoutMs = runsOnACluster(root, demo) ? 180_000 : 60_000,
): Promise<MutantVerdict> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), `kq-mutant-${demo}-`));
  try {
    for (const entry of COPIED) cpSync(join(root, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    if (mutation) applyMutation(dir, mutation);
    writeFileSync(
      join(dir, 'run-mutant.ts'),
      [
        `import demo from './demos/${demo}.js';`,
        `import { runDemo } from './src/demo/demo-runner.js';`,
        `const result = await runDemo(demo, { lang: 'en', timeoutMs: ${timeoutMs - 5000}, set: ${JSON.stringify(set)} });`,
        `process.stdout.write('\\n' + JSON.stringify({ proven: result.proven, reason: result.reason, error: result.error !== undefined }) + '\\n');`,
        `process.exit(0);`,
      ].join('\n'),
    );
    // esbuild from the repository's node_modules, loaded at run time: `npm run demos:mutate` itself runs bundled
    // (scripts/run-ts.mjs), and esbuild cannot be bundled into another file (it locates its binary from its own).
    const { build } = createRequire(join(root, 'package.json'))('esbuild') as typeof import('esbuild');
    await build({
      absWorkingDir: dir,
      entryPoints: ['run-mutant.ts'],
      outfile: join(dir, 'out', 'run-mutant.mjs'),
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
    });
    // The mutated CLI as dist/kq.js beside bin/kq.js: a cluster demo's `kq broker` children are found from the
    // mutant's own location (bin/kq.js above it), so they run the mutated broker too, not the repository's build.
    await build({
      absWorkingDir: dir,
      entryPoints: ['src/cli/main.ts'],
      outfile: join(dir, 'dist', 'kq.js'),
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const outcome = await runChild(join(dir, 'out', 'run-mutant.mjs'), timeoutMs);
    return { demo, mutation: mutation?.id, set, ...outcome, ms: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function applyMutation(dir: string, mutation: Mutation): void {
  writeFileSync(join(dir, mutation.file), mutatedSource(dir, mutation));
}

/** The file's source with the mutation applied; throws StaleMutationError unless its text occurs exactly once. */
export function mutatedSource(dir: string, mutation: Mutation): string {
  const file = join(dir, mutation.file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new StaleMutationError(`mutation ${mutation.id}: ${mutation.file} does not exist (moved?)`);
  }
  const count = source.split(mutation.find).length - 1;
  if (count !== 1)
    throw new StaleMutationError(
      `mutation ${mutation.id}: expected its text once in ${mutation.file}, found it ${count} times — update the mutation`,
    );
  return source.replace(mutation.find, () => mutation.replace);
}

/** Runs the bundled mutant in its own process group; a hang is killed and reported, not waited on forever. */
function runChild(script: string, timeoutMs: number): Promise<Pick<MutantVerdict, 'verdict' | 'reason' | 'flippedBy'>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(last) as { proven: boolean; reason: string; error: boolean };
        if (parsed.proven) resolve({ verdict: 'PROVEN', reason: parsed.reason });
        else resolve({ verdict: 'NOT PROVEN', flippedBy: parsed.error ? 'error' : 'checks', reason: parsed.reason });
      } catch {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exited ${code ?? signal}`;
        resolve({
          verdict: 'NO VERDICT',
          reason: `the mutant ${why} without a verdict: ${stderr.trim().split('\n').at(-1) ?? ''}`,
        });
      }
    });
  });
}
