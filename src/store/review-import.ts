import { parseReviewEvent, type ReviewEvent } from '../srs/review-event.js';
import type { ReviewLog } from './review-log.js';
import { StoreError } from './store-error.js';

/**
 * Reading another log for `kq import` and merging it into ours by event id: events already present are
 * skipped, so importing the same file twice (or a log that shares history with ours) adds nothing twice.
 * Accepted: the JSON array `kq export` writes, or a reviews.jsonl file copied from another machine.
 */
export function parseEventFile(file: string, text: string): ReviewEvent[] {
  const trimmed = text.trimStart();
  const events: ReviewEvent[] = [];
  if (trimmed.startsWith('[')) {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      throw new StoreError(
        `${file}: not valid JSON (${(error as Error).message}); expected the array kq export writes`,
        'environment',
      );
    }
    if (!Array.isArray(values)) throw new StoreError(`${file}: expected a JSON array of review events`, 'environment');
    values.forEach((value, index) => {
      const parsed = parseReviewEvent(value);
      if ('problem' in parsed)
        throw new StoreError(
          `${file}: event ${index + 1} is not a valid review event: ${parsed.problem}; nothing was imported`,
          'environment',
        );
      events.push(parsed.event);
    });
    return events;
  }
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new StoreError(
        `${file}:${index + 1}: not valid JSON (${(error as Error).message}); expected a JSON array or one event per line; nothing was imported`,
        'environment',
      );
    }
    const parsed = parseReviewEvent(value);
    if ('problem' in parsed)
      throw new StoreError(
        `${file}:${index + 1}: not a valid review event: ${parsed.problem}; nothing was imported`,
        'environment',
      );
    events.push(parsed.event);
  });
  return events;
}

export interface MergeResult {
  added: number;
  /** Events whose id the log already holds (or that appear twice in the file). */
  skipped: number;
  /** Of the skipped, those whose content differs from the event already kept under that id. */
  conflicting: number;
}

/** Appends the events the log does not hold yet, in the file's order, with one fsync. */
export function mergeEvents(log: ReviewLog, incoming: readonly ReviewEvent[]): MergeResult {
  const known = new Map(log.events.map((e) => [e.id, JSON.stringify(e)]));
  const fresh: ReviewEvent[] = [];
  let skipped = 0;
  let conflicting = 0;
  for (const event of incoming) {
    const text = JSON.stringify(event);
    const existing = known.get(event.id);
    if (existing !== undefined) {
      skipped++;
      if (existing !== text) conflicting++;
      continue;
    }
    known.set(event.id, text);
    fresh.push(event);
  }
  log.appendMany(fresh);
  return { added: fresh.length, skipped, conflicting };
}
