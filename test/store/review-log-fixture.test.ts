import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayLog } from '../../src/srs/deck-state.js';
import { ReviewLog } from '../../src/store/review-log.js';
import { writeReviewLogFixture } from '../support/log-builder.js';
import { useTempDir } from '../support/temp-dir.js';

describe('writeReviewLogFixture (benchmark logs)', () => {
  const tempDir = useTempDir();

  it('writes exactly N valid lines that replay onto the given cards, the same every run', () => {
    const file = join(tempDir(), 'reviews.jsonl');
    const cardIds = Array.from({ length: 40 }, (_, i) => `card-${i}`);
    const events = writeReviewLogFixture(file, { lines: 2000, cardIds });
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(2001);
    const log = ReviewLog.open(file, { onWarning: () => expect.fail('a fixture log has no torn line') });
    expect(log.events).toEqual(events);
    const kinds = new Set(events.map((e) => e.type));
    expect(kinds).toEqual(new Set(['review', 'undo', 'bury']));
    expect(events.some((e) => e.type === 'review' && e.cram)).toBe(true);
    expect([...replayLog(events).keys()].sort()).toEqual([...cardIds].sort());

    const again = join(tempDir(), 'again.jsonl');
    writeReviewLogFixture(again, { lines: 2000, cardIds });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(file, 'utf8'));
  });
});
