import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, now, reviewLogPath } from '../../src/store/data-dir.js';
import { StoreError } from '../../src/store/store-error.js';
import { useTempDir } from '../support/temp-dir.js';

describe('data directory and clock', () => {
  const tempDir = useTempDir();

  it('uses KQ_HOME and creates it on demand', () => {
    const home = join(tempDir(), 'kq-home');
    expect(dataDir({ KQ_HOME: home })).toBe(home);
    expect(existsSync(home)).toBe(true);
    expect(reviewLogPath({ KQ_HOME: home })).toBe(join(home, 'reviews.jsonl'));
  });

  it('falls back to the platform data directory named kq', () => {
    expect(dataDir({})).toMatch(/[/\\]kq$/);
  });

  it('reads the clock from KQ_NOW, else the real time', () => {
    expect(now({ KQ_NOW: '2026-01-31T09:00:00Z' }).toISOString()).toBe('2026-01-31T09:00:00.000Z');
    const before = Date.now();
    const real = now({}).getTime();
    expect(real).toBeGreaterThanOrEqual(before);
  });

  it.each(['yesterday', '2026-13-45', '12345'])('rejects KQ_NOW=%s as a usage error saying what to use', (value) => {
    let error: unknown;
    try {
      now({ KQ_NOW: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'usage' });
    expect((error as Error).message).toMatch(/KQ_NOW: .* is not an ISO time; use e\.g\./);
  });
});

describe('file locations', () => {
  const tempDir = useTempDir();

  it('do not create the data directory: reading commands leave no trace', () => {
    const home = join(tempDir(), 'not-yet');
    expect(reviewLogPath({ KQ_HOME: home })).toBe(join(home, 'reviews.jsonl'));
    expect(existsSync(home)).toBe(false);
  });
});
