import { fileURLToPath } from 'node:url';
import { bankLocation } from '../../src/bank/bank-location.js';
import { loadBank, type Card } from '../../src/bank/load-bank.js';
import { QuizSession, type QuizSessionOptions } from '../../src/quiz/quiz-session.js';
import { planSession, type PlanRequest, type SessionMode } from '../../src/quiz/session-plan.js';
import { replayLog } from '../../src/srs/deck-state.js';
import { FsrsScheduler } from '../../src/srs/fsrs-scheduler.js';
import type { ReviewEvent } from '../../src/store/review-log.js';

/** A five-card bank with one card of each type (test/fixtures/quiz-bank), for quiz tests at every level. */
export const fixtureBankRoot = fileURLToPath(new URL('../fixtures/quiz-bank', import.meta.url));

export function fixtureCards(): Card[] {
  const bank = loadBank(bankLocation(fixtureBankRoot));
  if (bank.problems.some((p) => p.severity === 'error'))
    throw new Error(`fixture bank is broken: ${JSON.stringify(bank.problems)}`);
  return bank.cards;
}

export function cardById(id: string): Card {
  const card = fixtureCards().find((c) => c.meta.id === id);
  if (!card) throw new Error(`no fixture card ${id}`);
  return card;
}

/** An in-memory review log that records what the session appended, in order. */
export class MemoryLog {
  readonly events: ReviewEvent[] = [];
  append(event: ReviewEvent): void {
    this.events.push(event);
  }
}

export const FIXED_NOW = new Date('2026-11-29T10:00:00Z');

export interface TestSessionOptions {
  mode?: SessionMode;
  /** Card ids for `cards`/`cram` mode, in order; all fixture cards otherwise. */
  cardIds?: string[];
  events?: ReviewEvent[];
  now?: () => Date;
  plan?: Partial<PlanRequest>;
  lang?: 'zh' | 'en';
  shuffle?: (n: number) => number[];
}

let ids = 0;

/** A session over the fixture bank with a memory log and a fixed clock, planned the way `kq quiz` plans it. */
export function testSession(options: TestSessionOptions = {}): { session: QuizSession; log: MemoryLog } {
  const cards = fixtureCards();
  const mode = options.mode ?? 'scheduled';
  const chosen = options.cardIds ? options.cardIds.map((id) => cards.find((c) => c.meta.id === id)!) : cards;
  const log = new MemoryLog();
  log.events.push(...(options.events ?? []));
  const clock = options.now ?? (() => FIXED_NOW);
  const progress = replayLog(log.events);
  const plan = planSession({
    mode,
    cards: chosen,
    progress,
    events: log.events,
    now: clock(),
    newPerDay: 10,
    reviewsPerDay: 200,
    ...options.plan,
  });
  const sessionOptions: QuizSessionOptions = {
    mode,
    plan,
    progress,
    log,
    clock,
    cards: new Map(cards.map((c) => [c.meta.id, c])),
    scheduler: new FsrsScheduler(),
    lang: options.lang ?? 'en',
    sessionId: 'test-session',
    newEventId: () => `event-${++ids}`,
    wallClock: () => 0,
    // the bank's order unless a test shuffles: letters in assertions stay the card file's
    shuffle: options.shuffle ?? ((n) => Array.from({ length: n }, (_, i) => i)),
  };
  return { session: new QuizSession(sessionOptions), log };
}
