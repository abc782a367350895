import type { DeckStats } from '../srs/deck-stats.js';
import type { Lang } from './lang.js';
import { displayWidth, textTable } from '../text/text-table.js';

const BAR_WIDTH = 30;

/** The words of `kq stats`, one table per language; the numbers and the chart are the same in both. */
interface StatsWords {
  /** Row labels, padded to one column by screen width (a Chinese label is twice as wide as it is long). */
  reviews: string;
  retention: string;
  cards: string;
  reviewCounts: (today: number, total: number) => string;
  noRetention: string;
  retentionOf: (percent: string) => string;
  cardStates: (s: DeckStats['states']) => string;
  hidden: (h: DeckStats['hidden']) => string;
  due: (today: number) => string;
  weekdays: readonly string[];
  tagColumns: readonly [string, string, string, string, string];
}

const WORDS: Record<Lang, StatsWords> = {
  en: {
    reviews: 'Reviews',
    retention: 'Retention',
    cards: 'Cards',
    reviewCounts: (today, total) => `today ${today} · total ${total}`,
    noRetention: '— (no due reviews yet)',
    retentionOf: (percent) => `${percent} of due reviews recalled`,
    cardStates: (s) => `new ${s.new} · learning ${s.learning} · review ${s.review} · relearning ${s.relearning}`,
    hidden: (h) => `suspended ${h.suspended} · buried ${h.buried}`,
    due: (today) => `Due (${today} today)`,
    weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    tagColumns: ['Tag', 'cards', 'reviewed', 'mature', 'retention'],
  },
  zh: {
    reviews: '复习次数',
    retention: '保持率',
    cards: '卡片',
    reviewCounts: (today, total) => `今天 ${today} · 总计 ${total}`,
    noRetention: '—（还没有到期的复习）',
    retentionOf: (percent) => `到期复习中记住了 ${percent}`,
    cardStates: (s) => `新卡 ${s.new} · 学习中 ${s.learning} · 复习 ${s.review} · 重新学习 ${s.relearning}`,
    hidden: (h) => `已暂停 ${h.suspended} · 已搁置 ${h.buried}`,
    due: (today) => `到期（今天 ${today} 张）`,
    weekdays: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
    tagColumns: ['标签', '卡片', '已复习', '已掌握', '保持率'],
  },
};

/**
 * `kq stats` for a terminal: plain text, the forecast as a bar chart of █ (so it reads the same in any
 * terminal, piped, or with NO_COLOR); colour, when enabled, only tints the bars. `--json` is the
 * machine-readable form and does not change with the language.
 */
export function statsText(stats: DeckStats, options: { color: boolean; lang?: Lang }): string {
  const words = WORDS[options.lang ?? 'en'];
  const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
  const labelWidth = Math.max(12, ...[words.reviews, words.retention, words.cards].map((l) => displayWidth(l) + 2));
  const row = (label: string, value: string) => `${label}${' '.repeat(labelWidth - displayWidth(label))}${value}`;
  const lines = [
    row(words.reviews, words.reviewCounts(stats.reviews.today, stats.reviews.total)),
    row(words.retention, stats.retention === null ? words.noRetention : words.retentionOf(percent(stats.retention))),
    row(words.cards, words.cardStates(stats.states)),
    row('', words.hidden(stats.hidden)),
    '',
    words.due(stats.due.today),
  ];
  const max = Math.max(1, ...stats.due.forecast.map((d) => d.count));
  for (const { date, count } of stats.due.forecast) {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = words.weekdays[new Date(y, m - 1, d).getDay()]!;
    const cells = count === 0 ? 0 : Math.max(1, Math.round((count / max) * BAR_WIDTH));
    const bar = '█'.repeat(cells);
    lines.push(
      `  ${weekday} ${date.slice(5)}  ${options.color && bar ? `\x1b[36m${bar}\x1b[39m` : bar}${cells > 0 ? ' ' : ''}${count}`,
    );
  }
  const tags = Object.entries(stats.tags);
  if (tags.length > 0) {
    lines.push('');
    const rows: string[][] = [[...words.tagColumns]];
    for (const [tag, t] of tags)
      rows.push([tag, String(t.cards), String(t.reviewed), String(t.mature), percent(t.retention)]);
    lines.push(
      ...textTable(rows)
        .split('\n')
        .map((line) => `  ${line}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
