import type { DeckStats } from '../srs/deck-stats.js';
import { textTable } from './text-table.js';

const BAR_WIDTH = 30;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * `kq stats` for a terminal: plain text, the forecast as a bar chart of █ (so it reads the same in any
 * terminal, piped, or with NO_COLOR); colour, when enabled, only tints the bars.
 */
export function statsText(stats: DeckStats, options: { color: boolean }): string {
  const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
  const { states } = stats;
  const lines = [
    `Reviews     today ${stats.reviews.today} · total ${stats.reviews.total}`,
    `Retention   ${stats.retention === null ? '— (no due reviews yet)' : `${percent(stats.retention)} of due reviews recalled`}`,
    `Cards       new ${states.new} · learning ${states.learning} · review ${states.review} · relearning ${states.relearning}`,
    '',
    `Due (${stats.due.today} today)`,
  ];
  const max = Math.max(1, ...stats.due.forecast.map((d) => d.count));
  for (const { date, count } of stats.due.forecast) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = WEEKDAYS[new Date(y, m - 1, d).getDay()]!;
    const cells = count === 0 ? 0 : Math.max(1, Math.round((count / max) * BAR_WIDTH));
    const bar = '█'.repeat(cells);
    lines.push(`  ${weekday} ${date.slice(5)}  ${options.color && bar ? `\x1b[36m${bar}\x1b[39m` : bar}${cells > 0 ? ' ' : ''}${count}`);
  }
  const tags = Object.entries(stats.tags);
  if (tags.length > 0) {
    lines.push('');
    const rows = [['Tag', 'cards', 'reviewed', 'mature', 'retention']];
    for (const [tag, t] of tags) rows.push([tag, String(t.cards), String(t.reviewed), String(t.mature), percent(t.retention)]);
    lines.push(...textTable(rows).split('\n').map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
