import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

describe('kq config', () => {
  const tempDir = useTempDir();
  const env = () => ({ KQ_HOME: join(tempDir(), 'home') });

  it('prints the defaults before anything is set', () => {
    const run = runKq(['config', 'get'], { env: env() });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      'new-per-day = 10\nreviews-per-day = 200\ndesired-retention = 0.9\nlang = auto\nnew-order = curriculum\n',
    );
  });

  it.each([
    ['new-per-day', '25', '25', { newPerDay: 25 }],
    ['reviews-per-day', '0', '0', { reviewsPerDay: 0 }],
    ['desired-retention', '0.85', '0.85', { desiredRetention: 0.85 }],
    ['lang', 'zh', 'zh', { lang: 'zh' }],
    ['lang', 'auto', 'auto', { lang: null }],
  ])('sets %s to %s, writes config.json and reads it back', (key, value, shown, field) => {
    const e = env();
    const set = runKq(['config', 'set', key, value], { env: e });
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toBe(`${key} = ${shown}\n`);
    expect(runKq(['config', 'get', key], { env: e }).stdout).toBe(`${shown}\n`);
    expect(JSON.parse(readFileSync(join(e.KQ_HOME, 'config.json'), 'utf8'))).toMatchObject(field);
  });

  it('keeps the other settings when one changes', () => {
    const e = env();
    runKq(['config', 'set', 'new-per-day', '3'], { env: e });
    runKq(['config', 'set', 'lang', 'en'], { env: e });
    expect(runKq(['config', 'get'], { env: e }).stdout).toBe(
      'new-per-day = 3\nreviews-per-day = 200\ndesired-retention = 0.9\nlang = en\nnew-order = curriculum\n',
    );
  });

  it.each([
    [['new-per-day', '1001'], "new-per-day: '1001' is not allowed; use a whole number from 0 to 1000"],
    [['new-per-day', 'lots'], 'a whole number from 0 to 1000'],
    [['reviews-per-day', '-5'], 'a whole number from 0 to 10000'],
    [['desired-retention', '0.995'], 'a number from 0.70 to 0.99'],
    [['desired-retention', '0.5'], 'a number from 0.70 to 0.99'],
    [['lang', 'de'], 'zh or en'],
  ])('exits 2 on a bad value (%j), naming the allowed range, and writes nothing', (args, message) => {
    const e = env();
    const run = runKq(['config', 'set', ...args], { env: e });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(runKq(['config', 'get'], { env: e }).stdout).toContain('new-per-day = 10\n');
  });

  it.each([
    [['set', 'new-per-dya', '3'], 'did you mean new-per-day?'],
    [['get', 'retention'], 'did you mean desired-retention?'],
    [['get', 'zzzzzzzz'], 'new-per-day: a whole number from 0 to 1000; reviews-per-day'],
  ])('exits 2 on an unknown key (%j), naming the closest and the valid keys', (args, message) => {
    const run = runKq(['config', ...args], { env: env() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown setting');
    expect(run.stderr).toContain(message);
  });

  it.each([
    [['set', 'lang'], 'needs a key and a value'],
    [['frobnicate'], "'frobnicate' is invalid for argument 'action'"],
  ])('exits 2 on a malformed command (%j)', (args, message) => {
    const run = runKq(['config', ...args], { env: env() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('exits 3 naming config.json when the file is corrupt', () => {
    const e = env();
    runKq(['config', 'set', 'lang', 'en'], { env: e });
    writeFileSync(join(e.KQ_HOME, 'config.json'), '{"newPerDay": 5000}');
    const run = runKq(['config', 'get'], { env: e });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`${join(e.KQ_HOME, 'config.json')}: newPerDay:`);
  });
});
