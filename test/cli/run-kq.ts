import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for tests that run the built binary. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const kqBin = `${repoRoot}bin/kq.js`;

export interface KqRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** An empty data dir, so no test reads or writes the developer's real review log. */
const isolatedHome = mkdtempSync(join(tmpdir(), 'kq-home-'));

/**
 * Runs the built `bin/kq.js` as a user would (the suite's `npm test` builds it first), with a clean
 * colour-free environment unless the test overrides it.
 */
export function runKq(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): KqRun {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [kqBin, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 20_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KQ_HOME: isolatedHome,
      NO_COLOR: '1',
      LANG: 'C',
      // choices in the card file's order, so a test's letters name the choices it means
      KQ_SHUFFLE: '0',
      ...options.env,
    },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
