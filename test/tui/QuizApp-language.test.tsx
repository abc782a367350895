import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { UI_TEXT } from '../../src/quiz/ui-text.js';
import { RatingBar } from '../../src/tui/RatingBar.js';
import { KEY, recordingDemos, renderQuiz } from './tui-harness.js';

afterEach(() => cleanup());

/** Han characters: an English frame's chrome must have none (card text aside), a Chinese one must. */
const HAN = /\p{Script=Han}/u;

describe('QuizApp speaks the session language', () => {
  it('draws its chrome in Chinese for a zh session: header, key hints and the rating bar with FSRS names kept', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'], lang: 'zh' });
    expect(q.frame()).toContain('· 新卡 · 之后还有 1 张');
    expect(q.frame()).toContain(
      'Space/Enter 显示答案 · K 假设旋钮 · U 撤销 · B 搁置 · S 暂停 · D 演示 · L 语言 · ? 帮助',
    );
    q.press(' ');
    const frame = await q.waitFor('1–4 评分');
    expect(frame).toMatch(/1 重来\(Again\) 1m .*2 困难\(Hard\) .*3 良好\(Good\) 10m .*4 简单\(Easy\) \d+d/);
    q.press('3');
    await q.waitFor('已评分 open-log：良好(Good) · 10m 后再复习');
  });

  it.each([
    ['a right pick', ['c'], '答对了 — Enter 评为良好(Good)，或按 1–4 评分', '[3 良好(Good) 10m]', 'Enter 选 3'],
    ['a wrong pick', ['a'], '答错了 — Enter 评为重来(Again)，或按 1–4 评分', '[1 重来(Again) 1m]', 'Enter 选 1'],
  ])('says the grade of %s and what Enter takes in Chinese', async (_what, keys, note, suggested, enter) => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['pick-acks'], lang: 'zh' });
    q.press(...keys);
    const frame = await q.waitFor(note);
    expect(frame).toContain(suggested);
    expect(frame).toContain(enter);
    expect(frame).toContain('← 你的选择');
  });

  it('explains a key that does not fit the card in Chinese', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'], lang: 'zh' });
    q.press('3');
    await q.waitFor('请先显示答案（Space 或 Enter），再按 1–4 评分');
    q.press('U');
    await q.waitFor('本次没有可以撤销的评分');
    expect(q.log.events).toEqual([]);
  });

  it('says a demo is not written yet in Chinese', async () => {
    const demos = recordingDemos();
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'], lang: 'zh' }, demos);
    q.press('D');
    await q.waitFor('演示 open-log-demo 还没有写好');
    // the demo is asked to narrate in Chinese too, and the English message is not shown
    expect(demos.asked).toEqual(['open-log-demo capture zh']);
    expect(q.frame()).not.toContain('is not written yet');
  });

  it('refuses a letter that is not a choice in Chinese', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['multi-durability'], lang: 'zh' });
    q.press(KEY.enter);
    await q.waitFor('请至少标记一个选项（字母或 Space），再按 Enter');
    q.press('z');
    await q.waitFor("'z' 不是选项；请选一个字母 a–");
    expect(q.log.events).toEqual([]); // refused: nothing graded
  });

  it('prompts for a gap answer and shows the typed answer in Chinese', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['gap-isr'], lang: 'zh' });
    expect(q.frame()).toContain('输入答案 · Enter 提交 · Esc 放弃 · Ctrl+C 退出');
    q.press('i', 's', 'r');
    await q.waitFor('答案：isr█');
    q.press(KEY.enter);
    const frame = await q.waitFor('答对了');
    expect(frame).toContain('你的答案: isr');
  });

  it('shows the help panel in Chinese, padded by screen width', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'], lang: 'zh' });
    q.press('?');
    const help = await q.waitFor('按键');
    expect(help).toContain('  U               撤销上一次评分、搁置或暂停');
    // a wide key label takes fewer spaces, so every description starts in the same column
    expect(help).toContain('  输入, Enter     回答填空卡（Esc 放弃）');
    expect(help).not.toContain('undo the last rating');
  });

  it('switches every UI string live with l, and back', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['pick-acks', 'open-log'] });
    q.press('a');
    await q.waitFor('wrong — Enter takes Again');
    expect(chrome(q.frame())).not.toMatch(HAN);
    q.press('L');
    let frame = await q.waitFor('语言：中文');
    expect(frame).toContain('1 重来(Again)');
    expect(frame).toContain('Enter 选 1');
    expect(frame).toContain('1–4 评分 · Enter 采用建议 · ↑↓ 滚动 · I 面试要点 · K 假设旋钮');
    expect(frame).toContain('之后还有 1 张');
    q.press('L');
    frame = await q.waitFor('language: English');
    expect(frame).toContain('Enter takes 1');
    expect(frame).toContain('1–4 rate · Enter take suggestion · ↑↓ scroll · I interview notes');
    expect(chrome(q.frame())).not.toMatch(HAN);
  });

  it('shows the session summary in Chinese with aligned labels', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'], lang: 'zh' });
    q.press(' ');
    await q.waitFor('1–4 评分');
    q.press('1');
    await q.waitFor('已评分 open-log：重来(Again)');
    q.press('Q');
    const frame = await q.waitFor('本次小结');
    expect(frame).toContain('  复习卡片        1 张（1 次评分）');
    expect(frame).toContain('  评为重来        100%（1 次评分中 1 次）');
    expect(frame).toContain('  用时            0秒');
    expect(frame).toContain('  下一张到期      1 分钟后');
  });
});

describe('RatingBar', () => {
  const preview = { 1: '1m', 2: '6m', 3: '10m', 4: '8d' } as const;
  it.each([
    ['zh', 100, '[1 重来(Again) 1m]   2 困难(Hard) 6m    3 良好(Good) 10m    4 简单(Easy) 8d   Enter 选 1'],
    ['zh', 79, '[1 重来 1m]   2 困难 6m    3 良好 10m    4 简单 8d   Enter 选 1'],
    ['en', 79, '[1 Again 1m]   2 Hard 6m    3 Good 10m    4 Easy 8d   Enter takes 1'],
  ] as const)('in %s at width %i keeps to one row: %s', (lang, width, expected) => {
    const { lastFrame } = render(
      <RatingBar preview={preview} suggested={1} text={UI_TEXT[lang]} width={width} color={false} />,
    );
    expect(lastFrame()).toBe(expected);
  });
});

/** The frame without the card itself: the header line and the last lines (rating bar, message, hints). */
function chrome(frame: string): string {
  const lines = frame.split('\n');
  return [lines[0], ...lines.slice(-3)].join('\n');
}
