import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { plainMarkdown } from '../text/plain-markdown.js';
import { questionMarkdown } from '../bank/card-markdown.js';
import type { InterviewSession } from './interview.js';
import { formatElapsed } from './summary-text.js';
import { UI_TEXT } from './ui-text.js';

/**
 * `kq interview --plain`: the mock interview as lines (pipes, scripts, screen readers). The first word of each
 * line is protocol and never changes with the language; prose after `> ` and the card text follow it.
 *   out  `interview <n> questions [<m> min]`; per question `question <id> <i>/<n>`, the question, `> …`;
 *        `answered <id> <seconds>s`; `keypoint <k> <text>` per key point, `> …`;
 *        `covered <id> <c>/<p> rated <1-4>` (printed once the rating is fsync'd); `probes <id>` and the text;
 *        `follow-up <id> <question>` (or `follow-up <id> none`), `> …`;
 *        at the end `report question <id> <c>/<p> <s>s rated <r>` per question, `report topic <tag> <c>/<p>`
 *        per tag, `report weak <tag,…|none>`, `report time <elapsed>`, and `report time-up` when the limit
 *        ended it.
 *   in   at a question: one line, the answer (empty: thought through, not typed); at the checklist: the
 *        numbers of the key points covered (`1 3`), `all`, or `none`/empty; at a follow-up: any line (your
 *        answer, not graded) moves on. `:q` ends the interview (the report follows), `:l` switches language.
 */
export interface PlainInterviewIo {
  input: Readable;
  write: (text: string) => void;
  minutes?: number;
}

export async function runPlainInterview(interview: InterviewSession, io: PlainInterviewIo): Promise<void> {
  const say = (line: string) => io.write(`${line}\n`);
  const text = () => UI_TEXT[interview.lang].interview;
  const lines = createInterface({ input: io.input, crlfDelay: Infinity, terminal: false });

  const ask = () => {
    const q = interview.current;
    if (!q) return;
    say(`question ${q.card.meta.id} ${q.index}/${q.total}`);
    say(plainMarkdown(`# ${q.card.meta.title[interview.lang]}\n\n${questionMarkdown(q.card, interview.lang)}`));
    say(`> ${text().answerPrompt}`);
  };

  say(`interview ${interview.total} questions${io.minutes === undefined ? '' : ` ${io.minutes} min`}`);
  ask();
  for await (const line of lines) {
    const q = interview.current;
    if (!q) break;
    const id = q.card.meta.id;
    const command = line.trim();
    if (command === ':q') break;
    if (command === ':l') {
      say(`lang ${interview.switchLanguage()}`);
      continue;
    }
    if (interview.stage === 'answer') {
      interview.submitAnswer(line);
      say(`answered ${id} ${interview.elapsedOnQuestion()}s`);
      interview.keyPoints().forEach((point, i) => say(`keypoint ${i + 1} ${plainMarkdown(point)}`));
      say(`> ${text().checkPrompt}`);
    } else if (interview.stage === 'check') {
      const count = interview.keyPoints().length;
      const covered = parseCovered(command, count);
      if (covered === null) {
        say(`error ${text().checkError(count)}`);
        continue;
      }
      const result = interview.check(covered);
      say(`covered ${id} ${result.covered}/${result.points} rated ${result.rating}`);
      const p = interview.probes();
      say(`probes ${id}`);
      say(plainMarkdown(p.probes));
      say(`follow-up ${id} ${p.followUp ? plainMarkdown(p.followUp) : 'none'}`);
      say(`> ${text().followUpPrompt}`);
    } else {
      interview.next();
      if (interview.finished) break;
      ask();
    }
  }
  lines.close();
  const report = interview.report();
  for (const r of report.results)
    say(`report question ${r.cardId} ${r.covered}/${r.points} ${r.seconds}s rated ${r.rating}`);
  for (const t of report.topics) say(`report topic ${t.tag} ${t.covered}/${t.points}`);
  say(`report weak ${report.weak.length > 0 ? report.weak.join(',') : 'none'}`);
  say(`report time ${formatElapsed(report.elapsedSeconds * 1000, interview.lang)}`);
  if (report.timeUp) say('report time-up');
}

/** `1 3`, `1,3`, `all`, `none` or empty → key point indexes; null when a number is not a key point. */
export function parseCovered(typed: string, count: number): number[] | null {
  const answer = typed.trim().toLowerCase();
  if (answer === 'all') return Array.from({ length: count }, (_, i) => i);
  if (answer === '' || answer === 'none') return [];
  const numbers = answer.split(/[\s,]+/).map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > count)) return null;
  return numbers.map((n) => n - 1);
}
