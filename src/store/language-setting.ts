import { readFileSync } from 'node:fs';
import { settingsPath } from './data-dir.js';
import { StoreError } from './store-error.js';

/**
 * The `lang` of config.json, read without the settings schema (zod), so `kq list` and `kq show` can follow
 * `kq config set lang` without loading a validator at start-up. Undefined when there is no config or no
 * `lang` in it; a file that is not JSON is the same environment error `loadSettings` reports.
 */
export function languageSetting(env: NodeJS.ProcessEnv = process.env): 'zh' | 'en' | undefined {
  const file = settingsPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StoreError(`cannot read ${file}: ${(error as Error).message}`, 'environment');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoreError(
      `${file}: not valid JSON (${(error as Error).message}); fix it, or delete it to go back to the defaults`,
      'environment',
    );
  }
  const lang = (value as { lang?: unknown } | null)?.lang;
  return lang === 'zh' || lang === 'en' ? lang : undefined;
}
