import { Box, Text } from 'ink';
import { displayWidth } from '../text/text-table.js';
import type { BodyLang } from '../bank/card-body.js';
import type { SessionSummary } from '../quiz/quiz-session.js';
import { formatElapsed, formatUntil } from '../quiz/summary-text.js';
import { UI_TEXT } from '../quiz/ui-text.js';

/** The last frame of a session: what was done and when to come back, in the session's language. */
export function SummaryView({
  summary,
  now,
  lang,
  color,
}: {
  summary: SessionSummary;
  now: Date;
  lang: BodyLang;
  color: boolean;
}) {
  const { labels, ...say } = UI_TEXT[lang].summary;
  const rows: Array<[string, string]> = [
    [labels.reviewed, say.view.reviewed(summary.reviewed, summary.ratings)],
    [labels.again, say.again(Math.round(summary.againShare * 100), summary.again, summary.ratings)],
    [labels.time, formatElapsed(summary.elapsedMs, lang)],
    [
      labels.nextDue,
      summary.nextDue
        ? `${formatUntil(summary.nextDue, now, lang)} (${summary.nextDue.toLocaleString()})`
        : say.view.noneScheduled,
    ],
  ];
  if (summary.newWaiting > 0) rows.push([labels.newWaiting, say.view.newWaiting(summary.newWaiting)]);
  // pad by screen columns: Chinese labels are twice as wide as they are long
  const column = Math.max(16, ...rows.map(([label]) => displayWidth(label) + 2));
  return (
    <Box flexDirection="column">
      <Text bold={color}>{say.title}</Text>
      {rows.map(([label, value]) => (
        <Text key={label}>{`  ${label}${' '.repeat(column - displayWidth(label))}${value}`}</Text>
      ))}
    </Box>
  );
}
