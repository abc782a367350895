/**
 * `npm run demos:cards -- --results kq.json [--kafka kafka.json] [--new-since REV]`: every card with the demo that
 * proves it, that demo's verdict on each target and what it measured (the `actual` of each check), as a Markdown
 * table — the list issue 14's closing note asks for, generated from `kq demo --all --json` runs rather than typed.
 * `--new-since REV` keeps the cards added to questions/ after REV (git), i.e. the bank's new cards.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bankLocation } from '../src/bank/bank-location.js';
import { loadBank } from '../src/bank/load-bank.js';
import type { DemoResult } from '../src/demo/demo-result.js';

const { values } = parseArgs({
  options: { results: { type: 'string' }, kafka: { type: 'string' }, 'new-since': { type: 'string' } },
});
if (!values.results) {
  process.stderr.write('usage: demos:cards -- --results kq.json [--kafka kafka.json] [--new-since REV]\n');
  process.exit(2);
}
const root = process.cwd();
/** A run's entry: a result, or a demo `--all` skipped on that target (kq-internal on Apache Kafka). */
type Entry = DemoResult | { id: string; skipped: true; reason: string };
const readResults = (file: string): Map<string, Entry> =>
  new Map((JSON.parse(readFileSync(file, 'utf8')) as Entry[]).map((r) => [r.id, r]));
const onKq = readResults(values.results);
const onKafka = values.kafka ? readResults(values.kafka) : undefined;

const bank = loadBank(bankLocation(root));
let cards = bank.cards;
if (values['new-since']) {
  const before = new Set(
    execFileSync('git', ['ls-tree', '--name-only', `${values['new-since']}`, 'questions/'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.replace(/^questions\//, '').replace(/\.md$/, '')),
  );
  cards = cards.filter((c) => !before.has(c.meta.id));
}

const ran = (r: Entry | undefined): r is DemoResult => r !== undefined && !('skipped' in r);
const verdict = (r: Entry | undefined) =>
  r === undefined
    ? '—'
    : !ran(r)
      ? 'skipped'
      : r.proven
        ? `PROVEN ${(r.durationMs / 1000).toFixed(1)} s`
        : 'NOT PROVEN';
const measured = (r: Entry | undefined) =>
  !ran(r)
    ? '—'
    : r.events
        .filter((e) => e.kind === 'check')
        .map((e) => (e.kind === 'check' ? e.actual : ''))
        .join('; ')
        .replace(/\|/g, '/');
const rows = cards.map((c) => {
  const demo = c.meta.demo ?? '—';
  const kafka = onKafka?.get(demo);
  const shown = ran(kafka) && kafka.proven ? kafka : onKq.get(demo);
  return `| ${c.meta.id} | ${c.meta.type} | ${demo} | ${verdict(onKq.get(demo))} | ${onKafka ? verdict(kafka) : ''} | ${measured(shown)} |`;
});
process.stdout.write(
  `| card | type | demo | on kq | on Apache Kafka | what the demo measured (each check's observation; from the Apache Kafka run where it was proven there) |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
);
