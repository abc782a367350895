import { writeFileSync } from 'node:fs';
import { Scheduler, type Rating, type SrsState } from '../../src/srs/scheduler.js';
import type { ReviewEvent } from '../../src/srs/review-event.js';

/**
 * Builds review logs for tests and benchmarks the way the quiz writes them: every review is scheduled by
 * the real Scheduler from the card's current state, so `before`/`after` chain as in a live session.
 * Ids are sequential ("e1", "e2", …) so tests can name them.
 */
export class LogBuilder {
  readonly events: ReviewEvent[] = [];
  private readonly states = new Map<string, SrsState>();
  private next = 1;

  constructor(
    readonly scheduler = new Scheduler(),
    readonly session = 's1',
  ) {}

  state(cardId: string): SrsState | null {
    return this.states.get(cardId) ?? null;
  }

  review(
    cardId: string,
    rating: Rating,
    at: Date | string,
    options: { cram?: boolean } = {},
  ): Extract<ReviewEvent, { type: 'review' }> {
    const time = new Date(at);
    const before = this.states.get(cardId) ?? null;
    const cram = options.cram ?? false;
    const after = cram
      ? (before ?? this.scheduler.initial(time))
      : this.scheduler.rate(before ?? this.scheduler.initial(time), rating, time);
    const event = {
      type: 'review' as const,
      id: this.id(),
      cardId,
      rating,
      at: time.toISOString(),
      session: this.session,
      cram,
      before: cram ? (before ?? after) : before,
      after,
    };
    if (!cram) this.states.set(cardId, after);
    this.events.push(event);
    return event;
  }

  /** Undoes a review and puts the builder's idea of the card's state back to what it was before it. */
  undo(review: Extract<ReviewEvent, { type: 'review' }>, at: Date | string): ReviewEvent {
    if (!review.cram) {
      if (review.before) this.states.set(review.cardId, review.before);
      else this.states.delete(review.cardId);
    }
    return this.push({
      type: 'undo',
      id: this.id(),
      undoes: review.id,
      at: new Date(at).toISOString(),
      session: this.session,
    });
  }

  bury(cardId: string, at: Date | string, until: Date | string): ReviewEvent {
    return this.push({
      type: 'bury',
      id: this.id(),
      cardId,
      at: new Date(at).toISOString(),
      session: this.session,
      until: new Date(until).toISOString(),
    });
  }

  suspend(cardId: string, at: Date | string): ReviewEvent {
    return this.push({ type: 'suspend', id: this.id(), cardId, at: new Date(at).toISOString(), session: this.session });
  }

  unsuspend(cardId: string, at: Date | string): ReviewEvent {
    return this.push({
      type: 'unsuspend',
      id: this.id(),
      cardId,
      at: new Date(at).toISOString(),
      session: this.session,
    });
  }

  jsonl(): string {
    return this.events.map((e) => `${JSON.stringify(e)}\n`).join('');
  }

  private push(event: ReviewEvent): ReviewEvent {
    this.events.push(event);
    return event;
  }

  private id(): string {
    return `e${this.next++}`;
  }
}

/**
 * Writes a realistic review log of `lines` events for benchmarks (e.g. `kq list` over 10,000 lines): a
 * learner who studies once a day from `start`, meeting up to 10 new cards and 100 answers a day, answering
 * each card when it comes due (learning steps come back the same day), rated mostly Good with some Again,
 * Hard and Easy from a fixed pseudo-random sequence (every run writes the same file), with the odd undo,
 * bury and cram review a real learner leaves behind. Returns the events written.
 */
export function writeReviewLogFixture(
  file: string,
  options: { lines: number; cardIds: readonly string[]; start?: Date },
): ReviewEvent[] {
  const { lines, cardIds } = options;
  if (cardIds.length === 0) throw new Error('writeReviewLogFixture needs at least one card id');
  const DAY = 86_400_000;
  const builder = new LogBuilder();
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (): Rating => {
    const r = random();
    return r < 0.1 ? 1 : r < 0.2 ? 2 : r < 0.9 ? 3 : 4;
  };
  const due = new Map<string, number>(); // cards met so far, by when they come back
  let introduced = 0;
  let dayStart = (options.start ?? new Date('2025-01-06T08:00:00Z')).getTime();
  while (builder.events.length < lines) {
    for (let n = 0; n < 10 && introduced < cardIds.length; n++) due.set(cardIds[introduced++]!, dayStart);
    let clock = dayStart;
    for (let answers = 0; answers < 100 && builder.events.length < lines; answers++) {
      let cardId: string | undefined;
      for (const [id, time] of due)
        if (time < dayStart + DAY && (cardId === undefined || time < due.get(cardId)!)) cardId = id;
      if (cardId === undefined) break;
      clock = Math.max(clock + 20_000, due.get(cardId)!);
      const roll = random();
      if (roll < 0.02 && builder.events.length + 2 <= lines) {
        builder.undo(builder.review(cardId, pick(), new Date(clock)), new Date(clock + 2_000));
        continue; // the card is still due: it comes straight back
      }
      if (roll < 0.03) {
        builder.bury(cardId, new Date(clock), new Date(dayStart + DAY));
        due.set(cardId, dayStart + DAY);
        continue;
      }
      const cram = roll < 0.05;
      const review = builder.review(cardId, pick(), new Date(clock), { cram });
      due.set(cardId, cram ? dayStart + DAY : Date.parse(review.after.due));
    }
    dayStart += DAY;
  }
  writeFileSync(file, builder.jsonl());
  return builder.events;
}
