import { languageSetting } from '../store/language-setting.js';
import { UsageError } from './errors.js';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The one language rule of every command: `--lang`, else KQ_LANG, else the config's `lang` (`kq config set
 * lang zh`), else LC_ALL / LANG (zh* → zh), else English.
 */
export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) return parseLang(flag, '--lang');
  if (env.KQ_LANG) return parseLang(env.KQ_LANG, 'KQ_LANG');
  const configured = languageSetting(env);
  if (configured) return configured;
  const locale = env.LC_ALL || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function parseLang(value: string, source: string): Lang {
  if ((LANGS as readonly string[]).includes(value)) return value as Lang;
  throw new UsageError(`${source}: unknown language '${value}'; valid: ${LANGS.join(', ')}`);
}
