import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logIdentity, readDueCache, writeDueCache, type DueEntry } from '../../src/store/due-cache.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function logFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kq-due-'));
  dirs.push(dir);
  const file = join(dir, 'reviews.jsonl');
  writeFileSync(file, '{"line":1}\n');
  return file;
}
const entries = new Map<string, DueEntry>([
  ['acks-levels', { due: '2026-12-01T04:00:00.000Z', suspended: false, buriedUntil: null }],
]);

describe('due cache', () => {
  it('serves the entries while the log is unchanged', () => {
    const file = logFile();
    writeDueCache(file, entries);
    expect(readDueCache(file)).toEqual(entries);
  });

  it('is ignored as soon as a review is appended to the log', () => {
    const file = logFile();
    writeDueCache(file, entries);
    appendFileSync(file, '{"line":2}\n');
    expect(readDueCache(file)).toBeUndefined();
  });

  it('is not written when the log grew while it was being derived', () => {
    const file = logFile();
    const before = logIdentity(file);
    appendFileSync(file, '{"line":2}\n'); // another terminal's quiz appended meanwhile
    writeDueCache(file, entries, before);
    expect(readDueCache(file)).toBeUndefined();
  });

  it('is absent when there is no log', () => {
    expect(readDueCache(join(tmpdir(), 'kq-no-such-dir', 'reviews.jsonl'))).toBeUndefined();
  });
});
