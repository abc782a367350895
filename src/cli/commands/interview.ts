import { Command, InvalidArgumentError, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { InterviewSession } from '../../quiz/interview.js';
import { QuizSession, randomOrder } from '../../quiz/quiz-session.js';
import { replayLog } from '../../srs/deck-state.js';
import { FsrsScheduler } from '../../srs/fsrs-scheduler.js';
import { now as clockNow, dataDir, reviewLogPath } from '../../store/data-dir.js';
import { ReviewLog, newEventId } from '../../store/review-log.js';
import { loadSettings } from '../../store/settings.js';
import { cardsWithTags, openBank } from '../bank-access.js';
import { colorEnabled } from '../color.js';
import { UsageError } from '../errors.js';
import { LANGS, resolveLang } from '../lang.js';

interface InterviewOptions {
  tag?: string[];
  minutes?: number;
  count: number;
  lang?: string;
  plain?: boolean;
}

/**
 * `kq interview [--tag T] [--minutes N]`: a mock interview over the bank's open questions (the ink app on a
 * terminal, lines with --plain or a pipe). Each answer's covered key points rate its card in the review log,
 * through the same QuizSession and FSRS scheduler as `kq quiz`. Questions come in a random order
 * (KQ_SHUFFLE=0: the bank's, for tests).
 */
export function interviewCommand(): Command {
  return new Command('interview')
    .description('a mock interview: answer in your own words, tick the key points you covered, face a follow-up')
    .option('--tag <tag>', 'only questions with this tag (repeatable; all must match)', collect)
    .option('--minutes <n>', 'stop asking new questions after n minutes', positiveInt)
    .option('--count <n>', 'at most n questions', positiveInt, 5)
    .addOption(
      new Option('--lang <lang>', 'language (default: KQ_LANG, then the config, then LC_ALL/LANG)').choices(LANGS),
    )
    .option('--plain', 'plain lines on stdin/stdout (automatic when stdin or stdout is not a terminal)')
    .action(async (options: InterviewOptions) => {
      const env = process.env;
      dataDir(env); // every answer is logged: a data dir kq cannot write is exit 3 before the first question
      const bank = await openBank();
      const open = cardsWithTags(bank, options.tag ?? []).filter((c) => c.meta.type === 'open');
      if (open.length === 0)
        throw new UsageError(`no open question has every tag of ${(options.tag ?? []).join(', ')}; see kq list --tag`);
      const order = env.KQ_SHUFFLE === '0' ? open.map((_, i) => i) : randomOrder(open.length);
      const chosen = order.slice(0, options.count).map((i) => open[i]!);
      const settings = loadSettings(env);
      const log = ReviewLog.open(reviewLogPath(env), {
        onWarning: (message) => process.stderr.write(`kq: ${message}\n`),
      });
      const clock = () => clockNow(env);
      const quiz = new QuizSession({
        mode: 'cards',
        plan: { main: chosen.map((c) => c.meta.id), learning: [], newHeldBack: 0 },
        progress: replayLog(log.events),
        lang: resolveLang(options.lang, env),
        clock,
        log,
        cards: new Map(bank.cards.map((c) => [c.meta.id, c])),
        scheduler: new FsrsScheduler({ desiredRetention: settings.desiredRetention }),
        sessionId: randomUUID(),
        newEventId,
      });
      const interview = new InterviewSession({ quiz, minutes: options.minutes, now: Date.now });
      const interactive = !options.plain && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
      if (!interactive) {
        const { runPlainInterview } = await import('../../quiz/plain-interview.js');
        await runPlainInterview(interview, {
          input: process.stdin,
          write: (text) => process.stdout.write(text),
          minutes: options.minutes,
        });
        return;
      }
      // see quiz.ts: ink draws only the last frame when CI is set; this path has a terminal on both ends
      process.env.CI = 'false';
      process.env.CONTINUOUS_INTEGRATION = 'false';
      const { runInkInterview } = await import('../../tui/run-ink-interview.js');
      await runInkInterview(interview, { color: colorEnabled(process.stdout, env) });
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}
