/**
 * The study day, as in Anki: it starts at 04:00 local time, so a session past midnight still counts for the
 * evening it began in and "reviews today" does not reset while a night owl is studying.
 */
export const STUDY_DAY_START_HOUR = 4;

/** The most recent 04:00 local at or before `now`. */
export function studyDayStart(now: Date): Date {
  const start = new Date(now);
  start.setHours(STUDY_DAY_START_HOUR, 0, 0, 0);
  if (start.getTime() > now.getTime()) {
    // setDate keeps the wall-clock hour across a DST change, where subtracting 24 h would not
    start.setDate(start.getDate() - 1);
    start.setHours(STUDY_DAY_START_HOUR, 0, 0, 0);
  }
  return start;
}

/** The start of the study day `days` after the one holding `now` (negative for earlier days). */
export function studyDayStartAfter(now: Date, days: number): Date {
  const start = studyDayStart(now);
  start.setDate(start.getDate() + days);
  start.setHours(STUDY_DAY_START_HOUR, 0, 0, 0);
  return start;
}

/** "YYYY-MM-DD" of the study day holding `now` (its local calendar date at 04:00). */
export function studyDayKey(now: Date): string {
  const start = studyDayStart(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`;
}
