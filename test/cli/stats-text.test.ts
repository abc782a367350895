import { describe, expect, it } from 'vitest';
import { statsText } from '../../src/cli/stats-text.js';
import type { DeckStats } from '../../src/srs/deck-stats.js';

const STATS: DeckStats = {
  reviews: { today: 2, total: 6 },
  retention: 0.75,
  due: {
    today: 1,
    forecast: [
      { date: '2026-03-10', count: 1 },
      { date: '2026-03-11', count: 0 },
    ],
  },
  states: { new: 1, learning: 0, review: 1, relearning: 1 },
  hidden: { suspended: 0, buried: 0 },
  tags: { basics: { cards: 2, reviewed: 2, mature: 0, retention: null } },
};

describe('statsText', () => {
  it.each([
    [
      'en',
      [
        'Reviews     today 2 · total 6',
        'Retention   75% of due reviews recalled',
        'Cards       new 1 · learning 0 · review 1 · relearning 1',
        '            suspended 0 · buried 0',
        '',
        'Due (1 today)',
        '  Tue 03-10  ' + '█'.repeat(30) + ' 1',
        '  Wed 03-11  0',
        '',
        '  Tag     cards  reviewed  mature  retention',
        '  basics  2      2         0       —',
      ],
    ],
    [
      'zh',
      [
        '复习次数    今天 2 · 总计 6',
        '保持率      到期复习中记住了 75%',
        '卡片        新卡 1 · 学习中 0 · 复习 1 · 重新学习 1',
        '            已暂停 0 · 已搁置 0',
        '',
        '到期（今天 1 张）',
        '  周二 03-10  ' + '█'.repeat(30) + ' 1',
        '  周三 03-11  0',
        '',
        '  标签    卡片  已复习  已掌握  保持率',
        '  basics  2     2       0       —',
      ],
    ],
  ] as const)('writes the headings in %s, the numbers and chart the same', (lang, expected) => {
    expect(statsText(STATS, { color: false, lang }).trimEnd().split('\n')).toEqual(expected);
  });

  it('says there is no retention yet in Chinese', () => {
    expect(statsText({ ...STATS, retention: null }, { color: false, lang: 'zh' })).toContain(
      '保持率      —（还没有到期的复习）',
    );
  });
});
