import { join } from 'node:path';
import envPaths from 'env-paths';
import { ensureWritableDirectory } from './ensure-directory.js';
import { StoreError } from './store-error.js';

/**
 * Where kq keeps the learner's progress: KQ_HOME if set (tests, or a synced folder), else the platform's
 * data directory (~/.local/share/kq on Linux, ~/Library/Application Support/kq on macOS). env-paths'
 * default "-nodejs" suffix is turned off: the folder is named after the tool the learner knows. Creates it and
 * checks that kq may write there: commands that write (quiz, config set) call it before any work, so a bad
 * KQ_HOME is one clear message and exit 3 up front, never a crash halfway through a session.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = dataDirLocation(env);
  try {
    ensureWritableDirectory(dir);
  } catch (error) {
    throw new StoreError(
      `cannot use the data directory ${dir}: ${(error as Error).message}; set KQ_HOME to a writable folder`,
      'environment',
    );
  }
  return dir;
}

/** The data directory without creating it: reading commands (`kq list`, `kq stats`) leave no trace. */
export function dataDirLocation(env: NodeJS.ProcessEnv = process.env): string {
  return env.KQ_HOME ? env.KQ_HOME : envPaths('kq', { suffix: '' }).data;
}

// The files' writers create the directory when they first write (ReviewLog.append, saveSettings).
export function reviewLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirLocation(env), 'reviews.jsonl');
}

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDirLocation(env), 'config.json');
}

/** The clock: KQ_NOW (an ISO time, for tests and demos) else the real time. */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const override = env.KQ_NOW;
  if (override === undefined || override === '') return new Date();
  const time = Date.parse(override);
  if (!/^\d{4}-\d{2}-\d{2}/.test(override) || Number.isNaN(time)) {
    throw new StoreError(
      `KQ_NOW: '${override}' is not an ISO time; use e.g. 2026-01-31T09:00:00Z, or unset it`,
      'usage',
    );
  }
  return new Date(time);
}
