import type { BodyLang } from '../bank/card-body.js';
import { SECTION_HEADINGS } from '../bank/card-body.js';
import type { Card } from '../bank/load-bank.js';
import type { Rating } from '../srs/fsrs-scheduler.js';
import type { QuizSession } from './quiz-session.js';

/**
 * A mock interview (`kq interview`): one open question at a time, answered in the learner's own words (or only
 * thought through), then the card's key points as a checklist the learner ticks honestly, then what the
 * interviewer probes for and one follow-up question from the card. Each question is timed from when it is
 * shown to when the answer is in. The share of key points covered becomes the card's rating, logged and
 * scheduled through the QuizSession it wraps (a `cards` session over the interview's cards), so an interview
 * feeds the same FSRS schedule as `kq quiz`. Front ends: plain-interview.ts (lines) and src/tui (ink).
 */
export type InterviewStage = 'answer' | 'check' | 'probe';

export interface InterviewQuestion {
  card: Card;
  /** 1-based position and the number of questions planned. */
  index: number;
  total: number;
}

export interface InterviewResult {
  cardId: string;
  tags: readonly string[];
  answer: string;
  seconds: number;
  covered: number;
  points: number;
  rating: Rating;
}

export interface TopicScore {
  tag: string;
  covered: number;
  points: number;
}

export interface InterviewReport {
  results: readonly InterviewResult[];
  topics: readonly TopicScore[];
  /** Topics with less than half their points covered, weakest first. */
  weak: readonly string[];
  elapsedSeconds: number;
  /** The time limit ended the interview before every planned question was asked. */
  timeUp: boolean;
}

/** Below this share of key points covered a topic is weak; the same line splits Again from Hard. */
const WEAK_SHARE = 0.5;

/** The rating a share of covered key points earns: all → Good, at least half → Hard, less → Again. */
export function ratingForCoverage(covered: number, points: number): Rating {
  if (points === 0 || covered >= points) return 3;
  return covered / points >= WEAK_SHARE ? 2 : 1;
}

/** The follow-up questions of a card (the list items of its follow-up section), in `lang`. */
export function followUps(card: Card, lang: BodyLang): string[] {
  return card.text[lang].followUps
    .split('\n')
    .map((line) => /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line)?.[1]?.trim())
    .filter((item): item is string => Boolean(item));
}

export interface InterviewOptions {
  quiz: QuizSession;
  /** Stop asking new questions once this many minutes have passed; undefined = no limit. */
  minutes?: number;
  /** Wall time in ms (a fake one in tests). */
  now: () => number;
  /** Which follow-up to ask among n (random by default). */
  pick?: (n: number) => number;
}

export class InterviewSession {
  private readonly quiz: QuizSession;
  private readonly started: number;
  private shownAt: number;
  private stageNow: InterviewStage = 'answer';
  private answer = '';
  private seconds = 0;
  private readonly results: InterviewResult[] = [];
  private timeUp = false;
  private followUp: string | null = null;
  /** The card asked now (the quiz session moves on as soon as it is rated; the probes still belong to it). */
  private card: Card | undefined;
  readonly total: number;

  constructor(private readonly options: InterviewOptions) {
    this.quiz = options.quiz;
    this.started = options.now();
    this.shownAt = this.started;
    this.total = options.quiz.remaining + (options.quiz.current ? 1 : 0);
    this.card = options.quiz.current?.card;
  }

  get stage(): InterviewStage {
    return this.stageNow;
  }

  get lang(): BodyLang {
    return this.quiz.lang;
  }

  /** The question on show; undefined once the interview is over. */
  get current(): InterviewQuestion | undefined {
    if (!this.card || this.timeUp) return undefined;
    const index = this.results.length + (this.stageNow === 'probe' ? 0 : 1);
    return { card: this.card, index, total: this.total };
  }

  get finished(): boolean {
    return this.current === undefined;
  }

  /** Seconds since the current question was shown (the answer timer). */
  elapsedOnQuestion(): number {
    return Math.round((this.options.now() - this.shownAt) / 1000);
  }

  /** The learner's answer (possibly empty: thought through, not typed); the timer stops. */
  submitAnswer(text: string): void {
    this.require('answer');
    this.answer = text.trim();
    this.seconds = this.elapsedOnQuestion();
    this.stageNow = 'check';
  }

  keyPoints(): readonly string[] {
    const q = this.current;
    return q ? q.card.text[this.lang].keyPoints : [];
  }

  /**
   * The key points the learner says they covered (indexes into keyPoints()): rates the card by the share
   * covered, through the quiz session (logged, fsync'd, scheduled), then moves on to the probes.
   */
  check(covered: readonly number[]): InterviewResult {
    this.require('check');
    const q = this.current!;
    const points = this.keyPoints().length;
    const count = new Set(covered.filter((i) => i >= 0 && i < points)).size;
    const rating = ratingForCoverage(count, points);
    this.quiz.reveal();
    this.quiz.rate(rating); // logged and scheduled now; the session shows the next card, the probes stay ours
    const result: InterviewResult = {
      cardId: q.card.meta.id,
      tags: q.card.meta.tags,
      answer: this.answer,
      seconds: this.seconds,
      covered: count,
      points,
      rating,
    };
    this.results.push(result);
    const options = followUps(q.card, this.lang);
    this.followUp = options.length > 0 ? options[(this.options.pick ?? randomIndex)(options.length)]! : null;
    this.stageNow = 'probe';
    return result;
  }

  /** What the interviewer probes for, and the follow-up question chosen from the card. */
  probes(): { heading: string; probes: string; followUpHeading: string; followUp: string | null } {
    const q = this.current!;
    const h = SECTION_HEADINGS[this.lang];
    return {
      heading: h.probes,
      probes: q.card.text[this.lang].probes,
      followUpHeading: h.followUps,
      followUp: this.followUp,
    };
  }

  /**
   * The next question, unless the time limit has passed or every planned question was asked (a card the
   * schedule brings back for a learning step is left to the next quiz, not asked twice in one interview).
   */
  next(): void {
    this.require('probe');
    this.card = this.results.length < this.total ? this.quiz.current?.card : undefined;
    this.stageNow = 'answer';
    this.answer = '';
    this.followUp = null;
    this.shownAt = this.options.now();
    const limit = this.options.minutes;
    if (limit !== undefined && this.card && this.shownAt - this.started >= limit * 60_000) this.timeUp = true;
  }

  switchLanguage(): BodyLang {
    return this.quiz.switchLanguage();
  }

  report(): InterviewReport {
    const byTag = new Map<string, TopicScore>();
    for (const r of this.results) {
      for (const tag of r.tags) {
        const score = byTag.get(tag) ?? { tag, covered: 0, points: 0 };
        score.covered += r.covered;
        score.points += r.points;
        byTag.set(tag, score);
      }
    }
    const topics = [...byTag.values()].sort((a, b) => a.tag.localeCompare(b.tag));
    const share = (t: TopicScore) => (t.points === 0 ? 1 : t.covered / t.points);
    const weak = topics
      .filter((t) => share(t) < WEAK_SHARE)
      .sort((a, b) => share(a) - share(b) || a.tag.localeCompare(b.tag))
      .map((t) => t.tag);
    return {
      results: this.results,
      topics,
      weak,
      elapsedSeconds: Math.round((this.options.now() - this.started) / 1000),
      timeUp: this.timeUp,
    };
  }

  private require(stage: InterviewStage): void {
    if (this.finished) throw new Error('the interview is over');
    if (this.stageNow !== stage) throw new Error(`the interview is at '${this.stageNow}', not '${stage}'`);
  }
}

function randomIndex(n: number): number {
  return Math.floor(Math.random() * n);
}
