/**
 * Short human intervals as Anki shows them on its rating buttons ("1m", "10m", "5h", "3d", "2mo", "1.5y"):
 * the quiz labels each rating with one, and `kq list` says when a card is due ("in 3d").
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

export function formatInterval(ms: number): string {
  const span = Math.max(0, ms);
  if (span < HOUR) return `${Math.max(1, Math.round(span / MINUTE))}m`;
  if (span < DAY) return `${Math.round(span / HOUR)}h`;
  if (span < MONTH) return `${Math.round(span / DAY)}d`;
  if (span < YEAR) return `${Math.round(span / MONTH)}mo`;
  // one decimal, as Anki does for years: 1.5y says more than 2y
  return `${Math.round((span / YEAR) * 10) / 10}y`;
}
