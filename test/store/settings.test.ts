import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  findSettingKey,
  loadSettings,
  parseSettingValue,
  saveSettings,
  SETTING_KEYS,
} from '../../src/store/settings.js';
import { useTempDir } from '../support/temp-dir.js';

describe('settings', () => {
  const tempDir = useTempDir();
  const env = () => ({ KQ_HOME: tempDir() });

  it('are the defaults when config.json is missing', () => {
    expect(loadSettings(env())).toEqual({
      newPerDay: 10,
      reviewsPerDay: 200,
      desiredRetention: 0.9,
      lang: null,
      newOrder: 'curriculum',
    });
    expect(DEFAULT_SETTINGS).toEqual(loadSettings(env()));
  });

  it('fill keys missing from the file with the defaults', () => {
    writeFileSync(join(tempDir(), 'config.json'), '{"newPerDay": 3}');
    expect(loadSettings(env())).toEqual({ ...DEFAULT_SETTINGS, newPerDay: 3 });
  });

  it('round-trip through an atomic save that leaves no temporary file', () => {
    const settings = {
      newPerDay: 0,
      reviewsPerDay: 10000,
      desiredRetention: 0.85,
      lang: 'zh' as const,
      newOrder: 'alphabetical' as const,
    };
    saveSettings(settings, env());
    expect(loadSettings(env())).toEqual(settings);
    expect(readdirSync(tempDir())).toEqual(['config.json']);
    expect(JSON.parse(readFileSync(join(tempDir(), 'config.json'), 'utf8'))).toEqual(settings);
  });

  it.each([
    ['not JSON', '{newPerDay: 3', /config\.json: not valid JSON/],
    ['out of range', '{"desiredRetention": 0.5}', /config\.json: desiredRetention: .*delete it/],
    ['an unknown key', '{"newPerDy": 3}', /config\.json: .*newPerDy/],
  ])('stop on a file that is %s, naming the file', (_name, text, message) => {
    writeFileSync(join(tempDir(), 'config.json'), text);
    expect(() => loadSettings(env())).toThrow(message);
  });

  it.each([
    ['new-per-day', '0', 0],
    ['new-per-day', '1000', 1000],
    ['reviews-per-day', '10000', 10000],
    ['desired-retention', '0.70', 0.7],
    ['desired-retention', '.99', 0.99],
    ['lang', 'zh', 'zh'],
    ['lang', 'auto', null],
  ])('accept %s = %s', (key, text, value) => {
    expect(parseSettingValue(findSettingKey(key)!, text)).toEqual({ value });
  });

  it.each([
    ['new-per-day', '1001', 'a whole number from 0 to 1000'],
    ['new-per-day', '-1', 'a whole number from 0 to 1000'],
    ['new-per-day', '2.5', 'a whole number from 0 to 1000'],
    ['new-per-day', 'ten', 'a whole number from 0 to 1000'],
    ['reviews-per-day', '10001', 'a whole number from 0 to 10000'],
    ['desired-retention', '0.69', 'a number from 0.70 to 0.99'],
    ['desired-retention', '1', 'a number from 0.70 to 0.99'],
    ['desired-retention', '90%', 'a number from 0.70 to 0.99'],
    ['lang', 'fr', 'zh or en'],
  ])('reject %s = %s, naming what is allowed', (key, text, allowed) => {
    const result = parseSettingValue(findSettingKey(key)!, text);
    expect(result).toHaveProperty('problem');
    expect((result as { problem: string }).problem).toContain(allowed);
  });

  it('have one key per field', () => {
    expect(SETTING_KEYS.map((k) => k.field).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
  });
});
