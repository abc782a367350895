import { describe, expect, it } from 'vitest';
import { QuizInputError } from '../../src/quiz/quiz-session.js';
import { replayLog } from '../../src/srs/deck-state.js';
import { FIXED_NOW, testSession } from './quiz-fixtures.js';

const reviews = (events: readonly { type: string }[]) => events.filter((e) => e.type === 'review');

describe('QuizSession', () => {
  it('asks for a reveal before an open card can be rated', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'] });
    expect(() => session.rate(3)).toThrow(QuizInputError);
    session.reveal();
    expect(session.current?.stage).toBe('answer');
  });

  it('logs a rating before rate() returns, with the state before and after', () => {
    const { session, log } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    session.reveal();
    const outcome = session.rate(4);
    expect(outcome).toMatchObject({ cardId: 'open-log', rating: 4 });
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({
      type: 'review',
      cardId: 'open-log',
      rating: 4,
      cram: false,
      before: null,
      at: FIXED_NOW.toISOString(),
    });
    expect(session.current?.card.meta.id).toBe('pick-acks');
  });

  it('shows each rating’s interval in the preview, and rates with the interval it showed', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'] });
    session.reveal();
    const preview = session.preview()!;
    expect(Object.keys(preview)).toEqual(['1', '2', '3', '4']);
    expect(session.rate(4).interval).toBe(preview[4]);
  });

  it.each([
    ['pick-acks', [2], true],
    ['pick-acks', [0], false],
    ['multi-durability', [0, 2], true],
    ['predict-rebalance', [1], true],
  ])('grades %s picks %j as correct=%s and Enter takes the suggestion', (id, picks, correct) => {
    const { session, log } = testSession({ mode: 'cards', cardIds: [id] });
    expect(session.pick(picks)).toEqual({ correct, suggested: correct ? 3 : 1 });
    expect(session.rate().rating).toBe(correct ? 3 : 1);
    expect(log.events[0]).toMatchObject({ cardId: id, rating: correct ? 3 : 1 });
  });

  it('grades a gap answer in the session language', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['gap-isr'], lang: 'zh' });
    expect(session.answerGap(' 同步副本集合 ').correct).toBe(true);
  });

  it('brings a card back inside the session while it is in a learning step', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    session.reveal();
    session.rate(1); // Again: a 1-minute step
    expect(session.current?.card.meta.id).toBe('pick-acks');
    session.pick([2]);
    session.rate(3);
    expect(session.current?.card.meta.id).toBe('open-log'); // learned ahead: nothing else is left
  });

  it('undo logs an undo of the last rating and shows that card again, with its old state', () => {
    const { session, log } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    session.reveal();
    session.rate(3);
    expect(session.undo()).toBe('open-log');
    expect(log.events[1]).toMatchObject({ type: 'undo', undoes: log.events[0]!.id });
    expect(session.current).toMatchObject({ stage: 'question', isNew: true });
    expect(session.current?.card.meta.id).toBe('open-log');
    expect(replayLog(log.events).get('open-log')?.state ?? null).toBeNull();
    // the queue is as it was: after open-log again comes pick-acks, once
    session.reveal();
    session.rate(4);
    expect(session.current?.card.meta.id).toBe('pick-acks');
    expect(session.summary()).toMatchObject({ reviewed: 1, ratings: 1 });
  });

  it('refuses undo when nothing was rated this session', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'] });
    expect(() => session.undo()).toThrow('nothing to undo');
  });

  it('bury hides the card until 04:00 of the next study day and moves on', () => {
    const { session, log } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    expect(session.bury()).toBe('open-log');
    const event = log.events[0]!;
    expect(event).toMatchObject({ type: 'bury', cardId: 'open-log' });
    const until = new Date((event as { until: string }).until);
    expect(until.getTime()).toBeGreaterThan(FIXED_NOW.getTime());
    expect(until.getHours()).toBe(4);
    expect(session.current?.card.meta.id).toBe('pick-acks');
  });

  it('undo cancels a bury: the card is shown again, the deck replays as never buried, the summary counts no rating', () => {
    const { session, log } = testSession({ mode: 'scheduled' });
    const first = session.current!.card.meta.id;
    session.bury();
    expect(session.undo()).toBe(first);
    expect(session.current?.card.meta.id).toBe(first);
    expect(log.events.map((e) => e.type)).toEqual(['bury', 'undo']);
    expect(replayLog(log.events).get(first)?.buriedUntil ?? null).toBeNull();
    expect(session.summary()).toMatchObject({ reviewed: 0, ratings: 0 });
  });

  it('shows choices in the shuffled order, grades by what was on screen, and logs the order and the picks', () => {
    // pick-acks: a) acks=0 b) acks=1 c) acks=all (correct); shown as c, a, b
    const { session, log } = testSession({ mode: 'cards', cardIds: ['pick-acks'], shuffle: () => [2, 0, 1] });
    const shown = session.current!;
    expect(shown.order).toEqual([2, 0, 1]);
    expect('choices' in shown.card.meta && shown.card.meta.choices.map((c) => c.en)).toEqual([
      'acks=all',
      'acks=0',
      'acks=1',
    ]);
    expect(session.pick([0]).correct).toBe(true); // the first letter on screen is acks=all
    session.rate(3);
    expect(log.events[0]).toMatchObject({ type: 'review', choiceOrder: [2, 0, 1], picks: [2] });
  });

  it('undo shows the card again in the order it was shown, not a new one', () => {
    const orders = [
      [1, 2, 0],
      [2, 1, 0],
    ];
    let views = 0;
    const { session } = testSession({
      mode: 'cards',
      cardIds: ['pick-acks', 'open-log'],
      shuffle: (n) => (n === 3 ? orders[views++ % 2]! : []),
    });
    expect(session.current!.order).toEqual([1, 2, 0]);
    session.pick([1]);
    session.rate(3);
    session.undo();
    expect(session.current!.order).toEqual([1, 2, 0]);
    expect(views).toBe(1);
  });

  it('suspend logs a suspend and the card leaves the session, even from a learning step', () => {
    const { session, log } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    session.reveal();
    session.rate(1);
    session.pick([2]);
    session.rate(3);
    expect(session.suspend()).toBe('open-log');
    expect(log.events.at(-1)).toMatchObject({ type: 'suspend', cardId: 'open-log' });
    expect(session.current?.card.meta.id).toBe('pick-acks'); // its own 10-minute step, learned ahead
    session.pick([2]);
    session.rate(4);
    expect(session.finished).toBe(true);
  });

  it('cram logs ratings flagged as cram with the schedule untouched, and shows each card once', () => {
    const { session, log } = testSession({ mode: 'cram', cardIds: ['open-log', 'pick-acks'] });
    expect(session.preview()).toBeNull();
    session.reveal();
    session.rate(1);
    session.pick([2]);
    session.rate();
    expect(session.finished).toBe(true);
    expect(reviews(log.events)).toHaveLength(2);
    for (const e of log.events) expect(e).toMatchObject({ type: 'review', cram: true, before: null });
    expect(replayLog(log.events).get('open-log')?.state ?? null).toBeNull();
  });

  it('switches language back and forth', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'], lang: 'en' });
    expect(session.switchLanguage()).toBe('zh');
    expect(session.switchLanguage()).toBe('en');
  });

  it('summarises cards reviewed, the share rated Again and when the next card is due', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    session.reveal();
    session.rate(1);
    session.pick([0]);
    session.rate(); // wrong → Again
    session.reveal();
    session.rate(3);
    const summary = session.summary();
    expect(summary).toMatchObject({ reviewed: 2, ratings: 3, again: 2 });
    expect(summary.againShare).toBeCloseTo(2 / 3);
    expect(summary.nextDue!.getTime()).toBeGreaterThan(FIXED_NOW.getTime());
  });

  it('says the session is over once the queue is empty', () => {
    const { session } = testSession({ mode: 'cards', cardIds: [] });
    expect(session.finished).toBe(true);
    expect(() => session.reveal()).toThrow('the session is over');
  });
});
