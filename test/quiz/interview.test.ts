import { describe, expect, it } from 'vitest';
import { InterviewSession, followUps, ratingForCoverage } from '../../src/quiz/interview.js';
import { parseCovered } from '../../src/quiz/plain-interview.js';
import { cardById, testSession } from './quiz-fixtures.js';

/** The mock interview's logic over the fixture bank: timing, the checklist as a rating, the report. */
describe('InterviewSession', () => {
  function start(minutes?: number) {
    let now = 0;
    const { session, log } = testSession({ mode: 'cards', cardIds: ['open-log', 'pick-acks'] });
    const it = new InterviewSession({ quiz: session, minutes, now: () => now, pick: () => 0 });
    return { it, log, advance: (ms: number) => (now += ms) };
  }

  it('times the answer, rates the card by the key points covered, logs it, then shows probes and a follow-up', () => {
    const { it: interview, log, advance } = start();
    expect(interview.current?.card.meta.id).toBe('open-log');
    advance(42_000);
    interview.submitAnswer('an ordered, append-only log');
    expect(interview.stage).toBe('check');
    expect(interview.keyPoints().length).toBeGreaterThan(1);
    const result = interview.check([0]);
    expect(result).toMatchObject({ cardId: 'open-log', seconds: 42, covered: 1 });
    expect(log.events).toMatchObject([{ type: 'review', cardId: 'open-log', rating: result.rating }]);
    expect(interview.probes()).toMatchObject({ probes: 'English probes.', followUp: 'An English follow-up?' });
    expect(interview.current?.card.meta.id).toBe('open-log'); // the probes still belong to the card asked
    interview.next();
    expect(interview.current?.card.meta.id).toBe('pick-acks');
  });

  it('stops asking once the time limit has passed, and the report says so', () => {
    const { it: interview, advance } = start(1);
    interview.submitAnswer('');
    interview.check([]);
    advance(61_000);
    interview.next();
    expect(interview.finished).toBe(true);
    expect(interview.report()).toMatchObject({ timeUp: true, weak: ['basics', 'fixture'] });
  });

  it.each([
    [4, 4, 3],
    [2, 4, 2],
    [1, 4, 1],
    [0, 0, 3],
  ] as const)('rates %i of %i key points covered as %i', (covered, points, rating) => {
    expect(ratingForCoverage(covered, points)).toBe(rating);
  });

  it('reads the checklist answer: numbers, all, none; refuses a number that is no key point', () => {
    expect(parseCovered('1 3', 4)).toEqual([0, 2]);
    expect(parseCovered('all', 3)).toEqual([0, 1, 2]);
    expect(parseCovered('', 3)).toEqual([]);
    expect(parseCovered('5', 3)).toBeNull();
  });

  it('finds the follow-up questions of a card', () => {
    expect(followUps(cardById('open-log'), 'en')).toEqual(['An English follow-up?']);
  });
});
