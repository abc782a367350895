import { randomUUID } from 'node:crypto';
// the namespace form lets the bundler drop zod's locales (750 KB -> 170 KB); `import { z }` would keep them
import * as z from 'zod';
import { CARD_PHASES, type Rating, type SrsState } from './fsrs-scheduler.js';

/**
 * The events of the review log, one JSON object per line, and their zod schemas. Each event has a unique id
 * (merging two logs dedupes by it), the time it happened and the quiz session it belongs to. Domain data, so it
 * lives with the scheduler whose states it records; src/store only persists it (review-log.ts).
 * - review: a rating, with the card's state before and after (before is null for a card's first review).
 *   A cram review (practice outside the schedule) records before = after: it is counted, never scheduled.
 * - undo: cancels the event it names; the log is never rewritten, so undo is itself an event.
 * - bury: hide the card until a time (the next study day, usually); suspend/unsuspend: hide it until told.
 */
export type ReviewEvent =
  | {
      type: 'review';
      id: string;
      cardId: string;
      rating: Rating;
      at: string;
      session: string;
      cram: boolean;
      before: SrsState | null;
      after: SrsState;
      /**
       * A card with choices: the order they were shown in (shown position → the card's own choice index,
       * shuffled per view) and the choices picked, as the card's own indexes. Absent before kq logged them.
       */
      choiceOrder?: number[];
      picks?: number[];
    }
  | { type: 'undo'; id: string; undoes: string; at: string; session: string }
  | { type: 'bury'; id: string; cardId: string; at: string; session: string; until: string }
  | { type: 'suspend'; id: string; cardId: string; at: string; session: string }
  | { type: 'unsuspend'; id: string; cardId: string; at: string; session: string };

export type ReviewEventType = ReviewEvent['type'];

const isoTime = z.iso.datetime({ offset: true });
const nonEmpty = z.string().min(1);
const count = z.number().int().nonnegative();

export const srsStateSchema = z.strictObject({
  phase: z.enum(CARD_PHASES as [SrsState['phase'], ...SrsState['phase'][]]),
  due: isoTime,
  stability: z.number().nonnegative(),
  difficulty: z.number().nonnegative(),
  elapsedDays: z.number().nonnegative(),
  scheduledDays: z.number().nonnegative(),
  learningSteps: count,
  reps: count,
  lapses: count,
  lastReview: isoTime.nullable(),
}) satisfies z.ZodType<SrsState>;

// keys listed in the order of the ReviewEvent type: zod's output follows it, so every line reads the same
const id = nonEmpty;
const session = nonEmpty;

export const reviewEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('review'),
    id,
    cardId: nonEmpty,
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    at: isoTime,
    session,
    cram: z.boolean(),
    before: srsStateSchema.nullable(),
    after: srsStateSchema,
    choiceOrder: z.array(count).optional(),
    picks: z.array(count).optional(),
  }),
  z.strictObject({ type: z.literal('undo'), id, undoes: nonEmpty, at: isoTime, session }),
  z.strictObject({ type: z.literal('bury'), id, cardId: nonEmpty, at: isoTime, session, until: isoTime }),
  z.strictObject({ type: z.literal('suspend'), id, cardId: nonEmpty, at: isoTime, session }),
  z.strictObject({ type: z.literal('unsuspend'), id, cardId: nonEmpty, at: isoTime, session }),
]) satisfies z.ZodType<ReviewEvent>;

/** Parses an unknown value as an event; returns the event or a one-line account of what is wrong. */
export function parseReviewEvent(value: unknown): { event: ReviewEvent } | { problem: string } {
  const result = reviewEventSchema.safeParse(value);
  if (result.success) return { event: result.data };
  return { problem: describeIssues(result.error) };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'event'}: ${issue.message}`)
    .join('; ');
}

/** A fresh event id; random UUIDs so logs written on two machines can be merged without collisions. */
export function newEventId(): string {
  return randomUUID();
}
