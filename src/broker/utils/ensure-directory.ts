import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents, one `mkdir` per missing level, and never retries. Node's own
 * `mkdirSync(dir, { recursive: true })` spins forever at 100 % CPU where mkdir answers ENOENT although the
 * parent exists (under /proc, e.g. a data dir /proc/x): it retries the parent, which exists, then the child,
 * which fails again. Here every step moves one level, so a refusal becomes an error naming the path.
 * The broker makes its data, log and partition directories with it; src/store (the learner's data dir) too.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      if (!statSync(current).isDirectory()) throw notADirectory(current);
      break;
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.push(current);
      current = parent;
    }
  }
  for (const level of missing.reverse()) {
    try {
      mkdirSync(level);
    } catch (error) {
      // another process made it meanwhile: fine, as long as it is a directory
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!statSync(level).isDirectory()) throw notADirectory(level);
    }
  }
}

function notADirectory(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: ${path} exists and is not a directory`), { code: 'ENOTDIR' });
}
