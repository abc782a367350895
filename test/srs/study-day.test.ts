import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyDayKey, studyDayStart, studyDayStartAfter } from '../../src/srs/study-day.js';

// local-time constructors, so the cases hold in whatever time zone the tests run
const local = (d: number, h: number, m = 0) => new Date(2026, 2, d, h, m);

describe('study day', () => {
  it.each([
    ['04:00 starts a new day', local(10, 4), local(10, 4), '2026-03-10'],
    ['midday belongs to the same day', local(10, 12, 30), local(10, 4), '2026-03-10'],
    ['23:59 still belongs to it', local(10, 23, 59), local(10, 4), '2026-03-10'],
    ['03:59 after midnight belongs to the evening before', local(11, 3, 59), local(10, 4), '2026-03-10'],
    [
      '00:00 on the first of a month belongs to the last day of the previous',
      new Date(2026, 3, 1, 0, 0),
      local(31, 4),
      '2026-03-31',
    ],
  ])('%s', (_name, now, start, key) => {
    expect(studyDayStart(now)).toEqual(start);
    expect(studyDayKey(now)).toBe(key);
  });

  it('counts study days forward and back from the one holding now', () => {
    expect(studyDayStartAfter(local(10, 2), 1)).toEqual(local(10, 4));
    expect(studyDayStartAfter(local(10, 12), 14)).toEqual(local(24, 4));
    expect(studyDayStartAfter(local(10, 12), -1)).toEqual(local(9, 4));
  });
});

describe('study day across a daylight-saving change', () => {
  const saved = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'America/New_York'; // clocks go 02:00 → 03:00 on 2026-03-08, 02:00 → 01:00 on 2026-11-01
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it.each([
    [
      'spring forward: a 23-hour day',
      '2026-03-07T12:00:00-05:00',
      '2026-03-07T04:00:00-05:00',
      '2026-03-08T04:00:00-04:00',
    ],
    ['fall back: a 25-hour day', '2026-10-31T12:00:00-04:00', '2026-10-31T04:00:00-04:00', '2026-11-01T04:00:00-05:00'],
  ])('%s still starts at 04:00 local', (_name, now, start, next) => {
    expect(studyDayStart(new Date(now)).toISOString()).toBe(new Date(start).toISOString());
    expect(studyDayStartAfter(new Date(now), 1).toISOString()).toBe(new Date(next).toISOString());
    expect(studyDayKey(new Date(next))).toBe(next.slice(0, 10));
  });
});
