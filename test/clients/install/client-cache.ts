import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the matrix's non-npm clients are installed: `.cache/clients/` in the repository (gitignored). Each
 * install is a directory stamped with a hash of what it was built from; a missing or different stamp means
 * build it again from scratch, so a clean machine and a changed pin both rebuild, and a reused machine only
 * pays for it once. (pip's and Go's own download caches make a rebuild cheap on the same machine.)
 */
export const REPO_ROOT = repositoryRoot();
export const CLIENTS_DIR = join(REPO_ROOT, 'clients');
const CACHE_DIR = join(REPO_ROOT, '.cache', 'clients');

/**
 * The directory holding clients/matrix.json, searched upwards from this module and then from the working
 * directory (scripts run through run-ts.mjs are bundled into a temp dir, away from the repository).
 */
function repositoryRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'clients', 'matrix.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    'cannot find the repository (a directory with clients/matrix.json) above this module or the working directory',
  );
}

export function hashOf(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The directory of an install whose inputs hash to `stamp`, built by `build` unless it is already there. */
export async function cachedInstall(
  name: string,
  stamp: string,
  build: (dir: string) => Promise<void>,
): Promise<string> {
  const dir = join(CACHE_DIR, name);
  const stampFile = join(dir, '.kq-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build(dir);
  writeFileSync(stampFile, stamp); // last: an interrupted build leaves no stamp and is redone
  return dir;
}
