import { replayLog, type CardProgress } from '../srs/deck-state.js';
import { now, reviewLogPath } from '../store/data-dir.js';
import { ReviewLog } from '../store/review-log.js';

/**
 * How commands reach the learner's progress: the review log at its usual place (KQ_HOME or the data
 * directory), its warnings (a dropped torn line) on stderr, and the clock (KQ_NOW). A corrupt log throws a
 * ReviewLogError, which main.ts turns into exit 3.
 */
export function openReviewLog(env: NodeJS.ProcessEnv = process.env): ReviewLog {
  return ReviewLog.open(reviewLogPath(env), {
    onWarning: (message) => process.stderr.write(`kq: warning: ${message}\n`),
  });
}

export interface Progress {
  log: ReviewLog;
  cards: Map<string, CardProgress>;
  now: Date;
}

export function openProgress(env: NodeJS.ProcessEnv = process.env): Progress {
  const clock = now(env); // first: a bad KQ_NOW is a usage error even when the log is fine
  const log = openReviewLog(env);
  return { log, cards: replayLog(log.events), now: clock };
}
