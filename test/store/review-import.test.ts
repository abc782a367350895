import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeEvents, parseEventFile } from '../../src/store/review-import.js';
import { ReviewLog } from '../../src/store/review-log.js';
import { LogBuilder } from '../support/log-builder.js';
import { useTempDir } from '../support/temp-dir.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 10, 9, minute));

function twoMachines() {
  const a = new LogBuilder(undefined, 'laptop');
  a.review('x', 3, at(0));
  a.review('y', 3, at(1));
  const b = new LogBuilder(undefined, 'desktop');
  b.review('x', 3, at(0)); // same id e1 as the laptop's: shared history
  b.review('z', 1, at(5));
  b.events[1] = { ...b.events[1]!, id: 'desktop-2' };
  return { a, b };
}

describe('merging review logs', () => {
  const tempDir = useTempDir();

  it('adds only unknown ids and is idempotent', () => {
    const { a, b } = twoMachines();
    const log = ReviewLog.open(join(tempDir(), 'reviews.jsonl'));
    log.appendMany(a.events);
    expect(mergeEvents(log, b.events)).toEqual({ added: 1, skipped: 1, conflicting: 1 });
    expect(mergeEvents(log, b.events)).toEqual({ added: 0, skipped: 2, conflicting: 1 });
    expect(ReviewLog.open(log.file).events.map((e) => e.id)).toEqual(['e1', 'e2', 'desktop-2']);
  });

  it('counts an id repeated inside the imported file once', () => {
    const { a } = twoMachines();
    const log = ReviewLog.open(join(tempDir(), 'reviews.jsonl'));
    expect(mergeEvents(log, [...a.events, a.events[0]!])).toEqual({ added: 2, skipped: 1, conflicting: 0 });
  });

  it('reads the JSON array of kq export and the JSONL of a review log alike', () => {
    const { a } = twoMachines();
    expect(parseEventFile('f', JSON.stringify(a.events, null, 2))).toEqual(a.events);
    expect(parseEventFile('f', a.jsonl())).toEqual(a.events);
  });

  it.each([
    ['[1, 2', /^f: not valid JSON/],
    ['[{"type":"bury"}]', /^f: event 1 is not a valid review event/],
    ['{"type":"undo","id":"u","undoes":"x","at":"2026-01-01T00:00:00Z","session":"s"}\nnope\n', /^f:2: not valid JSON/],
  ])('rejects a bad file (%s) before merging anything', (text, message) => {
    expect(() => parseEventFile('f', text)).toThrow(message);
  });
});
