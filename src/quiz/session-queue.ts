/**
 * The order a session shows cards in. The main line is fixed when the session starts (due reviews, then new
 * cards, or the cards the learner named); cards in a learning step come back inside the same session when
 * their step is due. Owned by one QuizSession, touched only from its (single) thread of input handling.
 */
export interface LearningEntry {
  cardId: string;
  due: Date;
}

export interface QueueSnapshot {
  main: readonly string[];
  learning: readonly LearningEntry[];
}

/**
 * Anki's "learn ahead limit": when nothing else is left, a learning card due within this window is shown now
 * rather than making the learner wait for its 1- or 10-minute step.
 */
export const LEARN_AHEAD_MS = 20 * 60 * 1000;

export class SessionQueue {
  private main: string[];
  private learning: LearningEntry[];

  constructor(main: readonly string[], learning: readonly LearningEntry[] = []) {
    this.main = [...main];
    this.learning = sortByDue(learning);
  }

  /** The next card to show and removes it from the queue, or undefined when the session is done. */
  next(now: Date): string | undefined {
    const first = this.learning[0];
    // A learning card whose step has come jumps the line: its step length is the point of learning steps.
    if (first && first.due.getTime() <= now.getTime()) return this.learning.shift()!.cardId;
    const fromMain = this.main.shift();
    if (fromMain !== undefined) return fromMain;
    if (first && first.due.getTime() - now.getTime() <= LEARN_AHEAD_MS) return this.learning.shift()!.cardId;
    return undefined;
  }

  /** Brings a card back when its learning step is due (a card is in the queue at most once). */
  requeue(cardId: string, due: Date): void {
    this.remove(cardId);
    this.learning = sortByDue([...this.learning, { cardId, due }]);
  }

  remove(cardId: string): void {
    this.main = this.main.filter((id) => id !== cardId);
    this.learning = this.learning.filter((e) => e.cardId !== cardId);
  }

  /** Cards still to come, learning steps beyond the learn-ahead window included. */
  get size(): number {
    return this.main.length + this.learning.length;
  }

  /** The earliest learning step still waiting, for the summary's "next due". */
  get nextLearningDue(): Date | undefined {
    return this.learning[0]?.due;
  }

  snapshot(): QueueSnapshot {
    return { main: [...this.main], learning: [...this.learning] };
  }

  restore(snapshot: QueueSnapshot): void {
    this.main = [...snapshot.main];
    this.learning = [...snapshot.learning];
  }
}

function sortByDue(entries: readonly LearningEntry[]): LearningEntry[] {
  // stable: equal due times keep the order they were queued in
  return [...entries].sort((a, b) => a.due.getTime() - b.due.getTime());
}
