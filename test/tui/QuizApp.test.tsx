import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { DemoLauncher, DemoRun } from '../../src/quiz/demo-launcher.js';
import { KEY, recordingDemos, renderQuiz } from './tui-harness.js';

afterEach(() => cleanup());

describe('QuizApp', () => {
  it('reveals an open card with Space and shows each rating with its interval', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    expect(q.frame()).toContain('What is a partition?');
    expect(q.frame()).not.toContain('The English answer of open-log');
    q.press(' ');
    const frame = await q.waitFor('The English answer of open-log.');
    expect(frame).toContain('▸ First point of open-log');
    expect(frame).toMatch(/1 Again 1m .*2 Hard .*3 Good 10m .*4 Easy \d+d/);
  });

  it('rates with 1–4, logs the rating, and moves to the next card', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    q.press(KEY.enter);
    await q.waitFor('The English answer');
    q.press('4');
    const frame = await q.waitFor('rated open-log Easy');
    expect(frame).toContain('Which acks setting waits for all in-sync replicas?');
    expect(q.log.events).toMatchObject([{ type: 'review', cardId: 'open-log', rating: 4 }]);
  });

  it('takes a whole session typed faster than the screen redraws', async () => {
    const q = await renderQuiz({ mode: 'cram', cardIds: ['open-log', 'pick-acks', 'multi-durability'] });
    q.press(' ', '3', 'c', KEY.enter, 'Q', ' ');
    await q.waitFor('Session summary');
    expect(q.log.events).toMatchObject([
      { cardId: 'open-log', rating: 3 },
      { cardId: 'pick-acks', rating: 3 },
    ]);
  });

  it('counts down the cards left in the header, and says apart which come back for a learning step', async () => {
    const q = await renderQuiz({ mode: 'scheduled', cardIds: ['open-log', 'pick-acks'] });
    expect(q.frame()).toContain('1 more after this');
    q.press(' ');
    await q.waitFor('The English answer');
    q.press('3'); // a new card rated Good comes back in 10 minutes
    const frame = await q.waitFor('rated open-log Good');
    expect(frame).toContain('· 0 more after this · 1 coming back');
  });

  it('asks for a reveal before rating an open card', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    q.press('3');
    await q.waitFor('reveal the answer first');
    expect(q.log.events).toEqual([]);
  });

  it('undoes the last rating with u and shows that card again', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    q.press(' ');
    await q.waitFor('The English answer');
    q.press('3');
    await q.waitFor('rated open-log Good');
    q.press('U');
    const frame = await q.waitFor('undone open-log');
    expect(frame).toContain('What is a partition?');
    expect(q.log.events.map((e) => e.type)).toEqual(['review', 'undo']);
  });

  it('toggles the help panel with ?', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    q.press('?');
    const help = await q.waitFor('Keys');
    expect(help).toContain('undo the last rating');
    expect(help).not.toContain('What is a partition?');
    q.press('?');
    await q.waitFor('What is a partition?');
  });

  it.each([
    ['a letter', ['c'], 'correct — Enter takes Good', 3],
    ['arrows and Enter', [KEY.down, KEY.enter], 'wrong — Enter takes Again', 1],
  ])('grades a choice card picked with %s and Enter takes the suggestion', async (_how, keys, note, rating) => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['pick-acks'] });
    q.press(...keys);
    const frame = await q.waitFor(note);
    expect(frame).toContain('✓ c) acks=all');
    expect(frame).toMatch(/\[\d Again|\[\d Good/);
    q.press(KEY.enter);
    await q.waitFor(/Session summary|rated/);
    expect(q.log.events).toMatchObject([{ cardId: 'pick-acks', rating }]);
  });

  it('marks several choices on a multi card and grades them together', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['multi-durability'] });
    q.press('a', 'b');
    await q.waitFor('[x] b)');
    expect(q.frame()).toContain('[x] a)');
    q.press('b', 'c', KEY.enter); // faster than a re-render: each key still sees the one before
    await q.waitFor('correct — Enter takes Good');
    expect(q.session.current?.picks).toEqual([0, 2]);
  });

  it('treats b as a choice before the pick and B as bury', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['pick-acks', 'open-log'] });
    q.press('B');
    await q.waitFor('buried pick-acks');
    expect(q.log.events).toMatchObject([{ type: 'bury', cardId: 'pick-acks' }]);
    q.press('U');
    await q.waitFor('undone pick-acks');
    q.press('b');
    await q.waitFor('wrong — Enter takes Again');
    expect(q.session.current?.picks).toEqual([1]);
  });

  it('marks every letter of keys typed together on a multi card (a paste, tmux send-keys "ac")', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['multi-durability'] });
    q.press('ac');
    await q.waitFor('[x] c)');
    expect(q.frame()).toContain('[x] a)');
    q.press('b\r');
    await q.waitFor('wrong — Enter takes Again');
    expect(q.session.current?.picks).toEqual([0, 1, 2]);
  });

  it('undoes a bury and a suspend with U: the card comes back and the log cancels the event', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    q.press('S');
    await q.waitFor('suspended open-log');
    q.press('U');
    await q.waitFor('undone open-log');
    expect(q.frame()).toContain('What is a partition?');
    expect(q.log.events.map((e) => e.type)).toEqual(['suspend', 'undo']);
    expect(q.log.events[1]).toMatchObject({ undoes: q.log.events[0]!.id });
  });

  it('says commands are upper case when a lower-case command letter picks nothing', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    q.press('b');
    await q.waitFor('commands are upper case (B)');
    expect(q.log.events).toEqual([]);
  });

  it('takes a typed gap answer, letters that are commands elsewhere included', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['gap-isr'] });
    q.press('i', 's', 'q', KEY.backspace, 'r');
    await q.waitFor('answer: isr█');
    q.press(KEY.enter);
    const frame = await q.waitFor('correct — Enter takes Good');
    expect(frame).toContain('Your answer: isr');
  });

  it('reveals a predict card with Space without grading it, then asks for a rating', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['predict-rebalance'] });
    q.press(' ');
    await q.waitFor('The English answer of predict-rebalance.');
    q.press(KEY.enter);
    await q.waitFor('rate 1 Again, 2 Hard, 3 Good or 4 Easy');
    q.press('2');
    await q.waitFor('rated predict-rebalance Hard');
    expect(q.log.events).toMatchObject([{ cardId: 'predict-rebalance', rating: 2 }]);
  });

  it.each([
    ['proven', 0, 'the demo proved b) happened: your prediction was right'],
    ['not proven', 1, "the demo did NOT show the card's answer; nothing observed to grade by"],
  ] as const)(
    "runs a predict card's demo with its scenario once the prediction is in, and shows what happened (%s)",
    async (_what, exitCode, note) => {
      const asked: string[] = [];
      let finish: (run: DemoRun) => void = () => {};
      const demos: DemoLauncher = {
        run: (demoId, _output, _lang, options) => {
          asked.push(`${demoId} ${JSON.stringify(options?.knobs)} kafka=${options?.kafka}`);
          return new Promise((resolve) => (finish = resolve));
        },
      };
      const q = await renderQuiz({ mode: 'cards', cardIds: ['predict-rebalance'] }, demos);
      q.press('b');
      await q.waitFor('running the demo to see what the broker does');
      expect(q.frame()).toContain("What happened (demo predict-rebalance-demo, on kq's broker)");
      expect(asked).toEqual(['predict-rebalance-demo {"partitions":"6","consumers":"2"} kafka=false']);
      finish({
        status: exitCode === 0 ? 'passed' : 'failed',
        message: '',
        exitCode,
        output: `▸ a step\n  ✓ consumer 1 keeps 3 partitions\n${exitCode === 0 ? 'PROVEN' : 'NOT PROVEN'} — done\n`,
      });
      const frame = await q.waitFor(note);
      expect(frame).toContain('✓ consumer 1 keeps 3 partitions');
      q.press(KEY.enter);
      await q.waitFor(/Session summary|rated predict-rebalance/);
      expect(q.log.events).toMatchObject([{ cardId: 'predict-rebalance', rating: 3 }]);
    },
  );

  it('says a demo is not written yet instead of failing', async () => {
    const demos = recordingDemos();
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] }, demos);
    q.press('D');
    await q.waitFor('demo open-log-demo is not written yet');
    // the card's own demo, captured for the screen, in the session's language; the session goes on unrated
    expect(demos.asked).toEqual(['open-log-demo capture en']);
    expect(q.log.events).toEqual([]);
    expect(q.frame()).toContain('What is a partition?');
  });

  it("opens the demo's whole output in a panel that scrolls to its last line, and Esc returns to the card", async () => {
    const output = Array.from({ length: 60 }, (_, i) => `output line ${i + 1}`).join('\n');
    const demos: DemoLauncher = { run: async () => ({ status: 'passed', message: '', exitCode: 0, output }) };
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] }, demos);
    q.press('D');
    let frame = await q.waitFor('output line 1\n');
    expect(frame).toContain('demo open-log-demo: its whole output, 60 lines');
    expect(frame).not.toContain('What is a partition?');
    expect(frame).toContain('Esc back to the card');
    q.press(KEY.pageDown, KEY.pageDown, KEY.pageDown, KEY.pageDown);
    // four redraws of a long frame: seconds on a machine at load 45 (10 s was not enough there)
    frame = await q.waitFor('output line 60', 45_000);
    expect(frame).not.toContain('output line 1\n');
    q.press(KEY.up);
    await q.waitFor(/↓ 1 more/);
    q.press(KEY.escape);
    frame = await q.waitFor('What is a partition?');
    expect(frame).not.toContain('output line');
  }, 90_000);

  it('scrolls the demo panel with keys pressed the moment it appears, before ink re-subscribes its key handler', async () => {
    const output = Array.from({ length: 60 }, (_, i) => `output line ${i + 1}`).join('\n');
    const demos: DemoLauncher = { run: async () => ({ status: 'passed', message: '', exitCode: 0, output }) };
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] }, demos);
    // Press in the microtask after the panel's first frame is written: React runs the effect that hands useInput
    // the new render's handler later, so these keys meet the handler of the frame before the panel.
    const stdout = q.app.stdout as unknown as { write: (frame: string) => void };
    const write = stdout.write;
    let pressed = false;
    stdout.write = (frame: string) => {
      write(frame);
      if (!pressed && frame.includes('output line 1\n')) {
        pressed = true;
        queueMicrotask(() => q.press(KEY.pageDown, KEY.pageDown, KEY.pageDown, KEY.pageDown));
      }
    };
    q.press('D');
    const frame = await q.waitFor('output line 60', 45_000);
    expect(frame).not.toContain('output line 1\n');
  }, 90_000);

  it("K lists the demo's knobs; typed knob=value settings run the demo with them", async () => {
    const asked: string[] = [];
    const demos: DemoLauncher = {
      knobs: async () => ['acks=all (0|1|all) — when the leader answers'],
      run: async (demoId, _output, _lang, options) => {
        asked.push(`${demoId} ${JSON.stringify(options?.knobs)}`);
        return { status: 'passed', message: '', exitCode: 0, output: 'knobs: acks=1\nPROVEN — all 1 checks held' };
      },
    };
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] }, demos);
    q.press('K');
    await q.waitFor('acks=all (0|1|all) — when the leader answers');
    expect(q.frame()).toContain('Enter run the demo with them');
    q.press('acks=1 linger.ms=5');
    await q.waitFor('linger.ms=5█');
    q.press(KEY.enter);
    await q.waitFor('knobs: acks=1');
    expect(asked).toEqual(['open-log-demo {"acks":"1","linger.ms":"5"}']);
  });

  it('expands the interview sections after the answer with I', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    q.press(' ');
    let frame = await q.waitFor('I interview notes');
    expect(frame).not.toContain('English probes.');
    q.press('I');
    frame = await q.waitFor('English probes.');
    expect(frame).toContain('What the interviewer probes for');
    expect(frame).toContain('An English follow-up?');
  });

  it('switches language with l', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log'] });
    q.press('L');
    await q.waitFor('分区是什么？');
    expect(q.session.lang).toBe('zh');
    expect(q.frame()).not.toContain('What is a partition?');
    expect(q.log.events).toEqual([]);
  });

  it('quits with q and shows the session summary', async () => {
    const q = await renderQuiz({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    q.press(' ');
    await q.waitFor('The English answer');
    q.press('1');
    await q.waitFor('rated open-log Again');
    q.press('Q');
    const frame = await q.waitFor('Session summary');
    expect(frame).toContain('cards reviewed  1 (1 rating)');
    expect(frame).toContain('rated Again     100% (1 of 1)');
    expect(frame).toContain('next card due   in 1m');
  });
});
