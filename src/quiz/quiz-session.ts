import type { BodyLang } from '../bank/card-body.js';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import type { Card } from '../bank/load-bank.js';
import type { CardProgress } from '../srs/deck-state.js';
import { type Rating, type FsrsScheduler, type SrsState } from '../srs/fsrs-scheduler.js';
import { studyDayStartAfter } from '../srs/study-day.js';
import type { ReviewEvent } from '../store/review-log.js';
import { gradeGap, gradePicks, isPickCard, type Grade } from './grading.js';
import type { ObservedOutcome } from './observed-outcome.js';
import type { SessionMode, SessionPlan } from './session-plan.js';
import { SessionQueue, type QueueSnapshot } from './session-queue.js';
import { PhrasedError, type Phrase, type UiText } from './ui-text.js';

/**
 * One quiz session, independent of how it is drawn: the queue, the card on screen and how far it got
 * (question → answer), grading, rating with preview intervals, undo, bury, suspend, the language, and the
 * summary. The plain front end (plain-quiz.ts) and the ink app (src/tui) both drive it and only read its
 * state back, so they cannot disagree about what a key does.
 *
 * Durability: every rating, undo, bury and suspend is appended to the review log (fsync'd by ReviewLog)
 * before the method returns, so a front end that prints `rated …` or shows the next card after the call has
 * it on disk. Not thread-safe and not reentrant: one front end calls it from one input loop.
 */
export type CardStage = 'question' | 'answer';

export interface PresentedCard {
  /** The card as shown: its choices in this view's order (`order`), so letters and grading follow the screen. */
  card: Card;
  /** Shown position → the card's own choice index; identity for a card without choices. */
  order: readonly number[];
  stage: CardStage;
  /** Set when the card was graded automatically (choice, multi, predict, gap). */
  grade: Grade | null;
  picks: readonly number[] | null;
  typed: string | null;
  /** Never reviewed before (scheduled or named sessions; cram leaves it new). */
  isNew: boolean;
  /** A predict card's demo, run once the prediction is committed: what happened, beside the prediction. */
  observed: ObservedOutcome | null;
}

export interface RatingOutcome {
  cardId: string;
  rating: Rating;
  /** The interval the rating gave, as the preview showed it; null in cram (nothing was scheduled). */
  interval: string | null;
}

export interface SessionSummary {
  /** Distinct cards rated at least once (ratings undone do not count). */
  reviewed: number;
  ratings: number;
  again: number;
  /** again / ratings, 0 when nothing was rated. */
  againShare: number;
  elapsedMs: number;
  /** When the next card is due in this deck: learning steps, reviews, buried cards coming back. Null if none. */
  nextDue: Date | null;
  /** New cards left for another day by the daily limit. */
  newWaiting: number;
}

/** A key or line that does not apply to the card's current stage; the message says what to do instead. */
export class QuizInputError extends PhrasedError {}

export interface QuizSessionOptions {
  mode: SessionMode;
  plan: SessionPlan;
  /** Every card the session may show, by id. */
  cards: ReadonlyMap<string, Card>;
  /** Replayed deck state; the session keeps its own copy up to date as it rates. */
  progress: ReadonlyMap<string, CardProgress>;
  scheduler: FsrsScheduler;
  log: { append(event: ReviewEvent): void };
  lang: BodyLang;
  sessionId: string;
  newEventId: () => string;
  /** The schedule's clock (KQ_NOW in tests). */
  clock: () => Date;
  /** Real elapsed time for the summary, independent of a fixed KQ_NOW. */
  wallClock?: () => number;
  /** The order to show n choices in (shown position → choice index); a fresh random order per view by default. */
  shuffle?: (n: number) => number[];
}

/** One undoable step of this session: a rating, a burial or a suspension, and what it changed. */
interface UndoRecord {
  eventId: string;
  cardId: string;
  progressBefore: CardProgress | undefined;
  queue: QueueSnapshot;
  /** The choice order the card was shown in, so undo shows it exactly as it was. */
  order: readonly number[];
  /** The rating given; null for a bury or suspend. */
  rating: Rating | null;
}

export class QuizSession {
  readonly mode: SessionMode;
  private readonly cards: ReadonlyMap<string, Card>;
  private readonly progress: Map<string, CardProgress>;
  private readonly queue: SessionQueue;
  private readonly undoStack: UndoRecord[] = [];
  private readonly removed = new Set<string>();
  private readonly startedAt: number;
  private presented: PresentedCard | undefined;
  /** The queue right after the current card was taken from it: what undo goes back to. */
  private queueAtPresent: QueueSnapshot;
  private language: BodyLang;

  constructor(private readonly options: QuizSessionOptions) {
    this.mode = options.mode;
    this.cards = options.cards;
    this.progress = new Map(options.progress);
    this.language = options.lang;
    this.queue = new SessionQueue(options.plan.main, options.plan.learning);
    this.startedAt = (options.wallClock ?? Date.now)();
    this.queueAtPresent = this.queue.snapshot();
    this.advance();
  }

  get current(): PresentedCard | undefined {
    return this.presented;
  }

  get finished(): boolean {
    return this.presented === undefined;
  }

  get lang(): BodyLang {
    return this.language;
  }

  /** Cards still waiting after the current one. */
  get remaining(): number {
    return this.queue.size;
  }

  /**
   * What is left, for the header: cards not yet shown this session, and cards coming back for a learning step
   * (a new card rated Good returns in 10 minutes, so a count of both together would not go down).
   */
  get left(): { fresh: number; returning: number } {
    const { main, learning } = this.queue.snapshot();
    return { fresh: main.length, returning: learning.length };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  switchLanguage(): BodyLang {
    this.language = this.language === 'zh' ? 'en' : 'zh';
    return this.language;
  }

  /** Shows the answer of an `open` card, or of a `predict` card the learner would rather not guess. */
  reveal(): void {
    const p = this.require('question');
    if (p.card.meta.type !== 'open' && p.card.meta.type !== 'predict') {
      const card = p.card;
      throw new QuizInputError((t) => (card.meta.type === 'gap' ? t.errors.typeAnswerOrEmpty : pickHint(card, t)));
    }
    p.stage = 'answer';
  }

  pick(picks: readonly number[]): Grade {
    const p = this.require('question');
    if (!isPickCard(p.card))
      throw new QuizInputError(p.card.meta.type === 'gap' ? (t) => t.errors.typeAnswer : (t) => t.errors.noChoices);
    p.picks = [...picks];
    p.grade = gradePicks(p.card, picks);
    p.stage = 'answer';
    return p.grade;
  }

  /**
   * Records what the current predict card's demo showed (running, then its outcome). The grade stays the card's:
   * when the demo proved the claim, the card's answer is what happened; otherwise there is nothing observed to
   * grade by, and the front ends say so.
   */
  observe(outcome: ObservedOutcome, cardId: string): void {
    const p = this.presented;
    // a demo that finishes after the learner moved on belongs to a card no longer shown
    if (!p || p.card.meta.id !== cardId || p.card.meta.type !== 'predict' || p.picks === null) return;
    p.observed = outcome;
  }

  answerGap(typed: string): Grade {
    const p = this.require('question');
    if (p.card.meta.type !== 'gap') throw new QuizInputError((t) => t.errors.notGap);
    p.typed = typed;
    p.grade = gradeGap(p.card, this.language, typed);
    p.stage = 'answer';
    return p.grade;
  }

  /** What each rating would do to the current card: "1m", "10m", "3d"; null in cram, which schedules nothing. */
  preview(): Record<Rating, string> | null {
    const p = this.presented;
    if (!p || this.mode === 'cram') return null;
    const now = this.options.clock();
    const preview = this.options.scheduler.preview(this.stateOf(p.card.meta.id, now), now);
    return { 1: preview[1].interval, 2: preview[2].interval, 3: preview[3].interval, 4: preview[4].interval };
  }

  /** Rates the current card (the suggested rating when none is given), logs it durably, then moves on. */
  rate(rating?: Rating): RatingOutcome {
    const p = this.require('answer', (t) => t.errors.revealThenRate);
    const chosen = rating ?? p.grade?.suggested;
    if (chosen === undefined) throw new QuizInputError((t) => t.rateWhich);
    const cardId = p.card.meta.id;
    const now = this.options.clock();
    const previous = this.progress.get(cardId);
    const before = previous?.state ?? null;
    let after: SrsState;
    let interval: string | null = null;
    if (this.mode === 'cram') {
      after = before ?? this.options.scheduler.initial(now);
    } else {
      const preview = this.options.scheduler.preview(before ?? this.options.scheduler.initial(now), now);
      after = preview[chosen].next;
      interval = preview[chosen].interval;
    }
    const event: ReviewEvent = {
      type: 'review',
      id: this.options.newEventId(),
      cardId,
      rating: chosen,
      at: now.toISOString(),
      session: this.options.sessionId,
      cram: this.mode === 'cram',
      before,
      after,
      ...('choices' in p.card.meta
        ? { choiceOrder: [...p.order], picks: (p.picks ?? []).map((i) => p.order[i]!) }
        : {}),
    };
    this.options.log.append(event);
    this.undoStack.push({
      eventId: event.id,
      cardId,
      progressBefore: previous,
      queue: this.queueAtPresent,
      order: p.order,
      rating: chosen,
    });
    if (this.mode !== 'cram') {
      this.progress.set(cardId, { ...(previous ?? emptyProgress(cardId)), state: after, lastReviewId: event.id });
      if (after.phase === 'learning' || after.phase === 'relearning') this.queue.requeue(cardId, new Date(after.due));
    }
    this.advance();
    return { cardId, rating: chosen, interval };
  }

  /**
   * Cancels the last rating, bury or suspend of this session (logged as an undo event naming it) and shows that
   * card again, as it was before.
   */
  undo(): string {
    const record = this.undoStack.pop();
    if (!record) throw new QuizInputError((t) => t.errors.nothingToUndo);
    const now = this.options.clock();
    this.options.log.append({
      type: 'undo',
      id: this.options.newEventId(),
      undoes: record.eventId,
      at: now.toISOString(),
      session: this.options.sessionId,
    });
    if (record.progressBefore) this.progress.set(record.cardId, record.progressBefore);
    else this.progress.delete(record.cardId);
    this.removed.delete(record.cardId);
    this.queue.restore(record.queue);
    for (const id of this.removed) this.queue.remove(id);
    this.present(record.cardId, record.order);
    return record.cardId;
  }

  /** Hides the current card until the next study day starts (04:00 local). */
  bury(): string {
    const p = this.require();
    const now = this.options.clock();
    const until = studyDayStartAfter(now, 1);
    const cardId = p.card.meta.id;
    const id = this.options.newEventId();
    this.options.log.append({
      type: 'bury',
      id,
      cardId,
      at: now.toISOString(),
      session: this.options.sessionId,
      until: until.toISOString(),
    });
    this.remember(id, cardId);
    this.progress.set(cardId, {
      ...(this.progress.get(cardId) ?? emptyProgress(cardId)),
      buriedUntil: until.toISOString(),
    });
    this.drop(cardId);
    return cardId;
  }

  /** Takes the current card out of every future session until `kq unsuspend`-like tooling brings it back. */
  suspend(): string {
    const p = this.require();
    const now = this.options.clock();
    const cardId = p.card.meta.id;
    const id = this.options.newEventId();
    this.options.log.append({
      type: 'suspend',
      id,
      cardId,
      at: now.toISOString(),
      session: this.options.sessionId,
    });
    this.remember(id, cardId);
    this.progress.set(cardId, { ...(this.progress.get(cardId) ?? emptyProgress(cardId)), suspended: true });
    this.drop(cardId);
    return cardId;
  }

  summary(): SessionSummary {
    const rated = this.undoStack.filter((r) => r.rating !== null);
    const ratings = rated.map((r) => r.rating);
    const again = ratings.filter((r) => r === 1).length;
    return {
      reviewed: new Set(rated.map((r) => r.cardId)).size,
      ratings: ratings.length,
      again,
      againShare: ratings.length === 0 ? 0 : again / ratings.length,
      elapsedMs: (this.options.wallClock ?? Date.now)() - this.startedAt,
      nextDue: this.nextDue(),
      newWaiting: this.options.plan.newHeldBack,
    };
  }

  private nextDue(): Date | null {
    let next: number | null = null;
    for (const p of this.progress.values()) {
      if (p.state === null || p.suspended || p.state.phase === 'new' || !this.cards.has(p.cardId)) continue;
      const due = Math.max(Date.parse(p.state.due), p.buriedUntil ? Date.parse(p.buriedUntil) : 0);
      if (next === null || due < next) next = due;
    }
    return next === null ? null : new Date(next);
  }

  /** Keeps what a bury or suspend of the current card changes, so undo can put it back. */
  private remember(eventId: string, cardId: string): void {
    this.undoStack.push({
      eventId,
      cardId,
      progressBefore: this.progress.get(cardId),
      queue: this.queueAtPresent,
      order: this.presented?.order ?? [],
      rating: null,
    });
  }

  private drop(cardId: string): void {
    this.removed.add(cardId);
    this.queue.remove(cardId);
    this.advance();
  }

  private advance(): void {
    const next = this.queue.next(this.options.clock());
    if (next === undefined) this.presented = undefined;
    else this.present(next);
  }

  /** Shows a card: its choices in `order` (undo), else in a fresh order for this view. */
  private present(cardId: string, order?: readonly number[]): void {
    const card = this.cards.get(cardId);
    if (!card) throw new Error(`the session's queue names card '${cardId}', which is not in the bank`);
    this.queueAtPresent = this.queue.snapshot();
    const state = this.progress.get(cardId)?.state ?? null;
    const count = 'choices' in card.meta ? card.meta.choices.length : 0;
    const shown = order ?? (this.options.shuffle ?? randomOrder)(count);
    this.presented = {
      card: inOrder(card, shown),
      order: shown,
      stage: 'question',
      grade: null,
      picks: null,
      typed: null,
      isNew: state === null || state.phase === 'new',
      observed: null,
    };
  }

  private stateOf(cardId: string, now: Date): SrsState {
    return this.progress.get(cardId)?.state ?? this.options.scheduler.initial(now);
  }

  private require(stage?: CardStage, wrongStage?: Phrase): PresentedCard {
    const p = this.presented;
    if (!p) throw new QuizInputError((t) => t.errors.sessionOver);
    if (stage && p.stage !== stage) {
      throw new QuizInputError(
        wrongStage ?? (stage === 'question' ? (t) => t.errors.alreadyAnswered : (t) => t.errors.answerFirst),
      );
    }
    return p;
  }
}

/** A uniformly random order of n choices (Fisher–Yates). */
export function randomOrder(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The card with its choices in the shown order (the bank's card is never changed). */
function inOrder(card: Card, order: readonly number[]): Card {
  if (!('choices' in card.meta)) return card;
  const choices = card.meta.choices;
  return { ...card, meta: { ...card.meta, choices: order.map((i) => choices[i]!) } };
}

function emptyProgress(cardId: string): CardProgress {
  return { cardId, state: null, suspended: false, buriedUntil: null, lastReviewId: null };
}

/** The letters a pick card accepts, for the learner who pressed a key that does not pick. */
function pickHint(card: Card, t: UiText): string {
  const n = 'choices' in card.meta ? card.meta.choices.length : 0;
  const last = CHOICE_LETTERS[n - 1] ?? 'a';
  return card.meta.type === 'multi' ? t.errors.pickEvery(last) : t.errors.pickOne(last);
}
