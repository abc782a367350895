import { Box, Text } from 'ink';
import type { SessionSummary } from '../quiz/quiz-session.js';
import { formatElapsed, formatUntil } from '../quiz/summary-text.js';

/** The last frame of a session: what was done and when to come back. */
export function SummaryView({ summary, now, color }: { summary: SessionSummary; now: Date; color: boolean }) {
  return (
    <Box flexDirection="column">
      <Text bold={color}>Session summary</Text>
      <Text>{`  cards reviewed  ${summary.reviewed} (${summary.ratings} ratings)`}</Text>
      <Text>{`  rated Again     ${Math.round(summary.againShare * 100)}% (${summary.again} of ${summary.ratings})`}</Text>
      <Text>{`  time spent      ${formatElapsed(summary.elapsedMs)}`}</Text>
      <Text>
        {`  next card due   ${summary.nextDue ? `${formatUntil(summary.nextDue, now)} (${summary.nextDue.toLocaleString()})` : 'none scheduled'}`}
      </Text>
      {summary.newWaiting > 0 ? <Text>{`  new cards       ${summary.newWaiting} waiting for the next days`}</Text> : null}
    </Box>
  );
}
