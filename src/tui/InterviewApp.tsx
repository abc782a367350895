import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { InterviewReport, InterviewResult, InterviewSession } from '../quiz/interview.js';
import { formatElapsed } from '../quiz/summary-text.js';
import { UI_TEXT } from '../quiz/ui-text.js';
import { layoutMarkdown, renderInline } from '../text/terminal-markdown.js';
import { wrapText } from '../text/wrap-text.js';
import { splitPresses, type KeyPress } from './key-map.js';
import { useTerminalSize } from './use-terminal-size.js';

/**
 * `kq interview` on a terminal: draws the InterviewSession's question, the typed answer with its timer, the
 * key-point checklist, then the probes and a follow-up, and the report at the end. All logic (timing, rating,
 * logging) is the session's; this component holds the typed text, the ticks and the cursor.
 */
export interface InterviewAppProps {
  interview: InterviewSession;
  color: boolean;
}

export function InterviewApp({ interview, color }: InterviewAppProps) {
  const { exit } = useApp();
  const { columns } = useTerminalSize();
  const width = Math.max(20, Math.min(columns, 100) - 1);
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);
  const ui = useRef({ typed: '', ticked: [] as number[], cursor: 0, last: null as InterviewResult | null });
  const [report, setReport] = useState<InterviewReport | null>(null);

  // the answer timer: one frame a second while a question waits for its answer
  useEffect(() => {
    const timer = setInterval(() => {
      if (interview.stage === 'answer') rerender();
    }, 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (!report && interview.finished) setReport(interview.report());
  });
  useEffect(() => {
    if (report) exit();
  }, [report]);

  const handleKey = ({ input, key }: KeyPress) => {
    if (report) return;
    if ((key.ctrl && input === 'c') || key.escape) return setReport(interview.report());
    const state = ui.current;
    if (interview.stage === 'answer') {
      if (key.return) {
        interview.submitAnswer(state.typed);
        Object.assign(state, { typed: '', ticked: [], cursor: 0 });
      } else if (key.backspace || key.delete) state.typed = [...state.typed].slice(0, -1).join('');
      else if (input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow) state.typed += input;
      return rerender();
    }
    if (interview.stage === 'check') {
      const count = interview.keyPoints().length;
      const toggle = (i: number) =>
        (state.ticked = state.ticked.includes(i) ? state.ticked.filter((x) => x !== i) : [...state.ticked, i]);
      if (key.upArrow) state.cursor = (state.cursor + count - 1) % Math.max(1, count);
      else if (key.downArrow) state.cursor = (state.cursor + 1) % Math.max(1, count);
      else if (input === ' ') toggle(state.cursor);
      else if (/^[1-9]$/.test(input) && Number(input) <= count) toggle(Number(input) - 1);
      else if (key.return) state.last = interview.check(state.ticked);
      return rerender();
    }
    if (key.return) {
      interview.next();
      if (interview.finished) return setReport(interview.report());
      return rerender();
    }
  };

  useInput((input: string, key: Key) => {
    for (const press of splitPresses(input, key)) handleKey(press);
  });

  const t = UI_TEXT[interview.lang];
  const md = (markdown: string) => layoutMarkdown(markdown, { color, width });
  if (report) return <ReportView report={report} interview={interview} width={width} color={color} />;
  const q = interview.current;
  if (!q) return <Text>{t.nothingToReview}</Text>;
  const rows: Array<{ text: string; bold?: boolean; dim?: boolean; color?: string }> = [];
  const push = (lines: string[], style: { bold?: boolean; dim?: boolean; color?: string } = {}) =>
    lines.forEach((text) => rows.push({ text, ...style }));
  const lang = interview.lang;
  push(
    wrapText(
      t.interview.header(
        q.index,
        q.total,
        interview.stage === 'answer' ? interview.elapsedOnQuestion() : (ui.current.last?.seconds ?? 0),
      ),
      width,
    ),
    { dim: true },
  );
  push(wrapText(q.card.meta.title[lang], width), { bold: true, color: 'cyan' });
  push(['']);
  push(md(q.card.text[lang].question));
  push(['']);
  if (interview.stage === 'answer') {
    push(wrapText(`${t.answerPrompt}${ui.current.typed}█`, width));
    push(['']);
    push(wrapText(t.interview.answerHint, width), { dim: true });
  } else if (interview.stage === 'check') {
    push(wrapText(t.interview.keyPointsTitle, width), { bold: true });
    interview.keyPoints().forEach((point, i) => {
      const here = ui.current.cursor === i ? '❯' : ' ';
      const box = ui.current.ticked.includes(i) ? '[x]' : '[ ]';
      push(wrapText(`${here} ${box} ${i + 1}. ${renderInline(point, { color })}`, width), {
        color: ui.current.ticked.includes(i) ? 'green' : undefined,
      });
    });
    push(['']);
    push(wrapText(t.interview.checkHint, width), { dim: true });
  } else {
    const last = ui.current.last!;
    push(wrapText(`${last.covered}/${last.points} · ${t.rating[last.rating]}`, width), { bold: true });
    const p = interview.probes();
    push(['']);
    push([p.heading], { bold: true });
    push(md(p.probes));
    if (p.followUp) {
      push(['']);
      push([p.followUpHeading], { bold: true });
      push(wrapText(renderInline(p.followUp, { color }), width), { color: 'yellow' });
    }
    push(['']);
    push(wrapText(t.interview.probeHint, width), { dim: true });
  }
  return (
    <Box flexDirection="column">
      {rows.map((row, i) => (
        <Text key={i} {...(color ? { bold: row.bold, dimColor: row.dim, color: row.color } : {})}>
          {row.text === '' ? ' ' : row.text}
        </Text>
      ))}
    </Box>
  );
}

function ReportView({
  report,
  interview,
  width,
  color,
}: {
  report: InterviewReport;
  interview: InterviewSession;
  width: number;
  color: boolean;
}) {
  const t = UI_TEXT[interview.lang];
  const lines = [
    ...report.results.map((r) => `  ${r.cardId}  ${r.covered}/${r.points}  ${r.seconds}s  ${t.rating[r.rating]}`),
    '',
    ...report.topics.map((topic) => `  ${topic.tag}  ${topic.covered}/${topic.points}`),
    '',
    t.interview.weak(report.weak),
    `${t.summary.labels.time}: ${formatElapsed(report.elapsedSeconds * 1000, interview.lang)}${report.timeUp ? ` · ${t.interview.timeUp}` : ''}`,
  ].flatMap((line) => wrapText(line, width));
  return (
    <Box flexDirection="column">
      <Text bold={color}>{t.interview.reportTitle}</Text>
      {lines.map((line, i) => (
        <Text key={i}>{line === '' ? ' ' : line}</Text>
      ))}
    </Box>
  );
}
