import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
// the namespace form lets the bundler drop zod's locales (750 KB -> 170 KB); `import { z }` would keep them
import * as z from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { ensureDirectory } from './ensure-directory.js';
import { settingsPath } from './data-dir.js';
import { describeIssues } from '../srs/review-event.js';
import { StoreError } from './store-error.js';

/** The learner's settings, in `config.json` beside the review log. */
export interface Settings {
  /** New cards introduced per study day. */
  newPerDay: number;
  /** Reviews shown per study day at most. */
  reviewsPerDay: number;
  /** FSRS's target probability of recall. */
  desiredRetention: number;
  /** The language of every command (quiz, list, show, stats, demo); null = decide from KQ_LANG / the locale. */
  lang: 'zh' | 'en' | null;
  /**
   * The order new cards are introduced in: `curriculum` (basics first: difficulty, then the seed interview
   * bank's order) or `alphabetical` (by card id, the bank's file order).
   */
  newOrder: NewCardOrder;
}

export const NEW_CARD_ORDERS = ['curriculum', 'alphabetical'] as const;
export type NewCardOrder = (typeof NEW_CARD_ORDERS)[number];

export const DEFAULT_SETTINGS: Settings = {
  newPerDay: 10,
  reviewsPerDay: 200,
  desiredRetention: 0.9,
  lang: null,
  newOrder: 'curriculum',
};

const fieldSchemas = {
  newPerDay: z.number().int().min(0).max(1000),
  reviewsPerDay: z.number().int().min(0).max(10000),
  desiredRetention: z.number().min(0.7).max(0.99),
  lang: z.enum(['zh', 'en']).nullable(),
  newOrder: z.enum(NEW_CARD_ORDERS),
} satisfies { [F in keyof Settings]: z.ZodType<Settings[F]> };

const settingsSchema = z.strictObject({
  newPerDay: fieldSchemas.newPerDay.default(DEFAULT_SETTINGS.newPerDay),
  reviewsPerDay: fieldSchemas.reviewsPerDay.default(DEFAULT_SETTINGS.reviewsPerDay),
  desiredRetention: fieldSchemas.desiredRetention.default(DEFAULT_SETTINGS.desiredRetention),
  lang: fieldSchemas.lang.default(DEFAULT_SETTINGS.lang),
  newOrder: fieldSchemas.newOrder.default(DEFAULT_SETTINGS.newOrder),
});

/**
 * One row per setting: the key `kq config` takes, the field in config.json (checked by the same schema as
 * the file), and how to say what is allowed.
 */
export interface SettingKey {
  key: string;
  field: keyof Settings;
  allowed: string;
  /** Turns what the user typed into a value for the field's schema to check. */
  fromText(text: string): unknown;
}

const wholeNumber = (text: string): unknown => (/^\d+$/.test(text.trim()) ? Number(text) : text);
const decimal = (text: string): unknown => (/^\d*\.?\d+$/.test(text.trim()) ? Number(text) : text);

export const SETTING_KEYS: readonly SettingKey[] = [
  { key: 'new-per-day', field: 'newPerDay', allowed: 'a whole number from 0 to 1000', fromText: wholeNumber },
  { key: 'reviews-per-day', field: 'reviewsPerDay', allowed: 'a whole number from 0 to 10000', fromText: wholeNumber },
  { key: 'desired-retention', field: 'desiredRetention', allowed: 'a number from 0.70 to 0.99', fromText: decimal },
  {
    key: 'lang',
    field: 'lang',
    allowed: 'zh or en (or auto: follow KQ_LANG and the locale)',
    fromText: (text) => (text === 'auto' ? null : text),
  },
  {
    key: 'new-order',
    field: 'newOrder',
    allowed: "curriculum (basics first, then the seed bank's order) or alphabetical",
    fromText: (text) => text,
  },
];

/** The settings; a missing file (or a missing key) means the defaults; a bad file stops, naming it. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const file = settingsPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_SETTINGS };
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
  const result = settingsSchema.safeParse(value);
  if (!result.success) {
    throw new StoreError(
      `${file}: ${describeIssues(result.error)}; fix it with \`kq config set\`, or delete it to go back to the defaults`,
      'environment',
    );
  }
  return result.data;
}

/** Writes the settings atomically (temp file, fsync, rename): a crash never leaves half a config. */
export function saveSettings(settings: Settings, env: NodeJS.ProcessEnv = process.env): void {
  const checked = settingsSchema.parse(settings);
  const file = settingsPath(env);
  try {
    ensureDirectory(dirname(file));
    writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`);
  } catch (error) {
    throw new StoreError(
      `cannot write ${file}: ${(error as Error).message}; check free space and permissions`,
      'environment',
    );
  }
}

export function findSettingKey(key: string): SettingKey | undefined {
  return SETTING_KEYS.find((k) => k.key === key);
}

/** Parses a typed value for `key`; the problem text names what is allowed. */
export function parseSettingValue(
  setting: SettingKey,
  text: string,
): { value: Settings[keyof Settings] } | { problem: string } {
  const result = fieldSchemas[setting.field].safeParse(setting.fromText(text));
  if (result.success) return { value: result.data };
  return { problem: `${setting.key}: '${text}' is not allowed; use ${setting.allowed}` };
}
