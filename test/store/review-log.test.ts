import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newEventId, ReviewLog, ReviewLogError, type ReviewEvent } from '../../src/store/review-log.js';
import { LogBuilder } from '../support/log-builder.js';
import { useTempDir } from '../support/temp-dir.js';

const t = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes));

function threeReviews() {
  const b = new LogBuilder();
  b.review('a', 3, t(0));
  b.review('b', 1, t(1));
  b.review('a', 3, t(20));
  return b;
}

describe('ReviewLog', () => {
  const tempDir = useTempDir();
  const logFile = () => join(tempDir(), 'reviews.jsonl');

  it('opens a missing file as an empty log without creating it', () => {
    const log = ReviewLog.open(logFile());
    expect(log.events).toEqual([]);
    expect(existsSync(logFile())).toBe(false);
  });

  it('appends one JSON line per event and reads them back in order', () => {
    const b = threeReviews();
    const log = ReviewLog.open(logFile());
    log.append(b.events[0]!);
    log.appendMany(b.events.slice(1));
    expect(log.events).toEqual(b.events);
    expect(readFileSync(logFile(), 'utf8')).toBe(b.jsonl());
    expect(ReviewLog.open(logFile()).events).toEqual(b.events);
  });

  it('creates the log directory on the first append', () => {
    const file = join(tempDir(), 'nested', 'deeper', 'reviews.jsonl');
    ReviewLog.open(file).append(threeReviews().events[0]!);
    expect(ReviewLog.open(file).events).toHaveLength(1);
  });

  it('drops a torn last line with a warning and cuts it away only at the next append', () => {
    const b = threeReviews();
    const torn = JSON.stringify(b.events[2]).slice(0, 40);
    writeFileSync(logFile(), b.jsonl().split('\n').slice(0, 2).join('\n') + '\n' + torn);
    const before = readFileSync(logFile(), 'utf8');
    const warnings: string[] = [];
    const log = ReviewLog.open(logFile(), { onWarning: (m) => warnings.push(m) });
    expect(log.events).toEqual(b.events.slice(0, 2));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${logFile()}:3`);
    expect(readFileSync(logFile(), 'utf8')).toBe(before); // opening never writes

    log.append(b.events[2]!);
    expect(readFileSync(logFile(), 'utf8')).toBe(b.jsonl());
    expect(ReviewLog.open(logFile(), { onWarning: () => expect.fail('no warning expected') }).events).toEqual(b.events);
  });

  it('refuses to cut a torn line from a file another process has grown since it was opened', () => {
    const b = threeReviews();
    writeFileSync(logFile(), b.jsonl().split('\n').slice(0, 1).join('\n') + '\n{"type":"rev');
    const log = ReviewLog.open(logFile(), { onWarning: () => {} });
    appendFileSync(logFile(), 'iew"}\n');
    const grown = readFileSync(logFile(), 'utf8');
    expect(() => log.append(b.events[1]!)).toThrow(/changed while kq was running/);
    expect(readFileSync(logFile(), 'utf8')).toBe(grown);
  });

  it('keeps a complete last line that lacks its newline and starts the next append on a new line', () => {
    const b = threeReviews();
    writeFileSync(logFile(), b.jsonl().slice(0, -1).split('\n').slice(0, 2).join('\n'));
    const log = ReviewLog.open(logFile());
    expect(log.events).toEqual(b.events.slice(0, 2));
    log.append(b.events[2]!);
    expect(readFileSync(logFile(), 'utf8')).toBe(b.jsonl());
  });

  const corruptMiddle: Array<[string, (line: string) => string, RegExp]> = [
    ['bad JSON', (line) => line.slice(0, 30), /:2: not valid JSON/],
    ['an unknown event type', (line) => line.replace('"review"', '"rewiev"'), /:2: not a valid review event: type/],
    [
      'a rating out of range',
      (line) => line.replace('"rating":1', '"rating":5'),
      /:2: not a valid review event: rating/,
    ],
    ['a bad time', (line) => line.replace(/"at":"[^"]+"/, '"at":"yesterday"'), /:2: not a valid review event: at/],
    ['a missing field', (line) => line.replace('"cram":false,', ''), /:2: not a valid review event: cram/],
    [
      'an unknown field',
      (line) => line.replace('"cram":false,', '"cram":false,"extra":1,'),
      /:2: not a valid review event/,
    ],
  ];
  it.each(corruptMiddle)(
    'stops on a middle line with %s, naming file:line, and leaves the file unchanged',
    (_name, corrupt, message) => {
      const lines = threeReviews().jsonl().split('\n');
      lines[1] = corrupt(lines[1]!);
      writeFileSync(logFile(), lines.join('\n'));
      const before = readFileSync(logFile());
      let error: unknown;
      try {
        ReviewLog.open(logFile());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ReviewLogError);
      expect((error as ReviewLogError).message).toMatch(message);
      expect((error as ReviewLogError).message).toContain(`${logFile()}:2`);
      expect(error as ReviewLogError).toMatchObject({ file: logFile(), line: 2, kind: 'environment' });
      expect(readFileSync(logFile())).toEqual(before);
    },
  );

  it('treats an unparsable last line that has its newline as corruption, not a torn write', () => {
    const lines = threeReviews().jsonl().split('\n');
    lines[2] = lines[2]!.slice(0, 30);
    writeFileSync(logFile(), lines.join('\n'));
    expect(() => ReviewLog.open(logFile())).toThrow(/:3: not valid JSON/);
  });

  it('rejects a log holding one event id twice', () => {
    const b = threeReviews();
    writeFileSync(logFile(), b.jsonl() + JSON.stringify(b.events[0]) + '\n');
    expect(() => ReviewLog.open(logFile())).toThrow(/:4: duplicate event id e1 \(first on line 1\)/);
  });

  it('ignores blank lines', () => {
    const b = threeReviews();
    writeFileSync(logFile(), b.jsonl().replace('\n', '\n\n  \n'));
    expect(ReviewLog.open(logFile()).events).toEqual(b.events);
  });

  it('refuses to append an invalid or duplicate event and writes nothing', () => {
    const b = threeReviews();
    const log = ReviewLog.open(logFile());
    log.append(b.events[0]!);
    const bad = { ...b.events[1]!, at: 'not a time' };
    expect(() => log.appendMany([b.events[1]!, bad])).toThrow(/invalid review event: at/);
    expect(() => log.append(b.events[0]!)).toThrow(/duplicate event id e1/);
    expect(ReviewLog.open(logFile()).events).toEqual([b.events[0]]);
  });

  it('gives every event a unique id', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newEventId()));
    expect(ids.size).toBe(1000);
  });
});

describe('ReviewLog lines', () => {
  const tempDir = useTempDir();

  it('are written with keys in one order whoever built the event', () => {
    const file = join(tempDir(), 'reviews.jsonl');
    const shuffled = {
      session: 's',
      at: '2026-03-02T09:00:00.000Z',
      cardId: 'a',
      id: 'x',
      type: 'suspend',
    } as ReviewEvent;
    ReviewLog.open(file).append(shuffled);
    expect(readFileSync(file, 'utf8')).toBe(
      '{"type":"suspend","id":"x","cardId":"a","at":"2026-03-02T09:00:00.000Z","session":"s"}\n',
    );
  });
});
