import { Command, InvalidArgumentError, Option } from 'commander';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { defaultBankLocation } from '../../bank/bank-location.js';
import type { Card } from '../../bank/load-bank.js';
import { readSeedHeadings } from '../../bank/reference-docs.js';
import { orderNewCards } from '../../quiz/curriculum.js';
import { createDemoLauncher } from '../../quiz/demo-launcher.js';
import { QuizSession } from '../../quiz/quiz-session.js';
import { planSession, type SessionMode } from '../../quiz/session-plan.js';
import { replayLog } from '../../srs/deck-state.js';
import { FsrsScheduler } from '../../srs/fsrs-scheduler.js';
import { now as clockNow, dataDir, reviewLogPath } from '../../store/data-dir.js';
import { ReviewLog, newEventId } from '../../store/review-log.js';
import { loadSettings } from '../../store/settings.js';
import { cardsWithTags, findCard, openBank } from '../bank-access.js';
import { colorEnabled } from '../color.js';
import { UsageError } from '../errors.js';
import { LANGS, resolveLang } from '../lang.js';

interface QuizOptions {
  tag?: string[];
  card?: string[];
  limit?: number;
  new?: number;
  cram?: boolean;
  lang?: string;
  plain?: boolean;
  kafka?: boolean;
}

/**
 * `kq quiz`: builds one QuizSession from the bank, the review log and the settings, then hands it to a front
 * end — the ink app on a terminal, plain lines otherwise. The ink app is imported only on that path, so
 * `--plain` (and any pipe) never loads ink or react, and ink's raw-mode error never reaches a pipe's user.
 */
export function quizCommand(): Command {
  return new Command('quiz')
    .description('review cards: due reviews first, then new cards; an ink app, or lines with --plain')
    .option('--tag <tag>', 'only cards with this tag (repeatable; all must match)', collect)
    .option('--card <id>', 'practise exactly this card now, whatever its due date (repeatable, in order)', collect)
    .option('--limit <n>', 'at most n cards this session', positiveInt)
    .option(
      '--new <n>',
      'at most n new cards this session (instead of what is left of the daily limit)',
      nonNegativeInt,
    )
    .option('--cram', 'go through the chosen cards regardless of due dates; the schedule is left untouched')
    .addOption(
      new Option('--lang <lang>', 'language (default: KQ_LANG, then the config, then LC_ALL/LANG)').choices(LANGS),
    )
    .option('--plain', 'plain lines on stdin/stdout (automatic when stdin or stdout is not a terminal)')
    .option('--kafka', "run the cards' demos (D, and predict cards' demos) on Apache Kafka instead of kq's broker")
    .action(async function (this: Command, options: QuizOptions) {
      const env = process.env;
      // a card named twice is practised once: the queue holds each card at most once
      const named = [...new Set(options.card ?? [])];
      const tags = options.tag ?? [];
      if (named.length > 0 && tags.length > 0)
        throw new UsageError('--card names the cards exactly; drop --tag, or drop --card to pick by tag');
      // a quiz writes on every rating: a data dir kq cannot write is exit 3 now, not a crash mid-session
      dataDir(env);
      const bank = await openBank();
      const settings = loadSettings(env);
      // named cards come in the order named; otherwise new cards are introduced in the configured order
      const chosen: Card[] =
        named.length > 0
          ? named.map((id) => findCard(bank, id))
          : orderNewCards(cardsWithTags(bank, tags), settings.newOrder, seedHeadingsOf(env));
      const log = openLog(reviewLogPath(env));
      const clock = () => clockNow(env);
      const started = clock();
      const mode: SessionMode = options.cram ? 'cram' : named.length > 0 ? 'cards' : 'scheduled';
      const progress = replayLog(log.events);
      const plan = planSession({
        mode,
        cards: chosen,
        progress,
        events: log.events,
        now: started,
        newPerDay: settings.newPerDay,
        reviewsPerDay: settings.reviewsPerDay,
        newOverride: options.new,
        limit: options.limit,
      });
      const lang = resolveLang(options.lang, env);
      const session = new QuizSession({
        mode,
        plan,
        progress,
        lang,
        clock,
        log,
        cards: new Map(bank.cards.map((c) => [c.meta.id, c])),
        scheduler: new FsrsScheduler({ desiredRetention: settings.desiredRetention }),
        sessionId: randomUUID(),
        newEventId,
        // choices come in a fresh order each time a card is shown; KQ_SHUFFLE=0 keeps the card file's order
        // (tests that press a letter, like KQ_NOW for the clock)
        ...(env.KQ_SHUFFLE === '0' ? { shuffle: (n: number) => Array.from({ length: n }, (_, i) => i) } : {}),
      });
      const demos = createDemoLauncher({
        demosDir: defaultBankLocation(env).demosDir,
        kqCommand: [process.execPath, ...(process.argv[1] ? [process.argv[1]] : [])],
      });
      const interactive = !options.plain && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
      if (!interactive) {
        const { runPlainQuiz } = await import('../../quiz/plain-quiz.js');
        await runPlainQuiz(session, {
          input: process.stdin,
          write: (text) => process.stdout.write(text),
          demos,
          clock,
          kafka: options.kafka ?? false,
        });
        return;
      }
      // ink draws only the final frame when CI or CONTINUOUS_INTEGRATION is set (it assumes a build log, not a
      // person). This path runs only with a terminal on both ends, so a learner in a CI shell still gets a live
      // quiz. ink reads the variables when its module loads, hence before the import.
      process.env.CI = 'false';
      process.env.CONTINUOUS_INTEGRATION = 'false';
      const { runInkQuiz } = await import('../../tui/run-ink-quiz.js');
      await runInkQuiz(session, {
        demos,
        clock,
        color: colorEnabled(process.stdout, env),
        kafka: options.kafka ?? false,
      });
    });
}

/** The seed bank's question headings in order; none when the bank has no seed file (a test bank). */
function seedHeadingsOf(env: NodeJS.ProcessEnv): string[] {
  const { seedFile } = defaultBankLocation(env);
  return existsSync(seedFile) ? readSeedHeadings(seedFile).map((h) => h.text) : [];
}

/** A broken log throws ReviewLogError, which main.ts turns into exit 3 naming file:line. */
function openLog(file: string): ReviewLog {
  return ReviewLog.open(file, { onWarning: (message) => process.stderr.write(`kq: ${message}\n`) });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of at least 0');
  return n;
}
