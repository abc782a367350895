import { Command, Option } from 'commander';
import { defaultBankLocation } from '../../bank/bank-location.js';
import type { DemoEvent, DemoResult } from '../../demo/demo-result.js';
import { demoIds } from '../../demo/demo-modules.js';
import { openBank } from '../bank-access.js';
import { suggestion } from '../../text/closest.js';
import { EnvironmentError, FailedError, UsageError } from '../errors.js';
import { LANGS, resolveLang, type Lang } from '../lang.js';
import { textTable } from '../text-table.js';

interface DemoOptions {
  bootstrapServer?: string;
  lang?: string;
  json?: boolean;
}

/**
 * `kq demo [id] [--bootstrap-server HOST:PORT] [--json]`: runs the demo that proves a card's answer and ends with
 * a verdict computed from what happened (exit 0 proven, 1 not proven). Without an id, lists the demos with the
 * cards that use them.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run the live demo that proves a card (kq demo to list them)')
    .argument('[id]', 'demo id (a card names its demo; see kq show <card>)')
    .option('-b, --bootstrap-server <host:port>', 'run a client-visible demo against a real Kafka cluster')
    .addOption(new Option('--lang <lang>', 'language of the narration').choices(LANGS))
    .option('--json', 'print the result (events, checks, verdict) as JSON on stdout')
    .action(async (id: string | undefined, options: DemoOptions) => {
      const location = defaultBankLocation();
      const ids = demoIds(location.demosDir);
      const lang = resolveLang(options.lang);
      if (id === undefined) return listDemos(ids, lang, options.json === true);
      if (!ids.includes(id)) throw new UsageError(`unknown demo '${id}'; ${suggestion(id, ids)}`);
      if (options.bootstrapServer !== undefined && !/^[^\s:]+:\d{1,5}$/.test(options.bootstrapServer)) {
        throw new UsageError(`--bootstrap-server must be HOST:PORT, got '${options.bootstrapServer}'`);
      }

      const [{ loadBuiltDemo }, { runDemo, ClusterUnreachableError, DemoNeedsInternalsError }] = await Promise.all([
        import('../../demo/demo-modules.js'),
        import('../../demo/demo-runner.js'),
      ]);
      const demo = await loadBuiltDemo(location.root, id);
      const print = (line: string) => process.stdout.write(`${line}\n`);
      if (!options.json) {
        print(`demo ${demo.id} — ${demo.title[lang]}`);
        print(`${lang === 'zh' ? '论断' : 'claim'}: ${demo.claim[lang]}`);
      }
      let result: DemoResult;
      try {
        result = await runDemo(demo, {
          lang,
          ...(options.bootstrapServer ? { bootstrapServer: options.bootstrapServer } : {}),
          ...(options.json ? {} : { onEvent: (event: DemoEvent) => print(formatEvent(event, lang)) }),
        });
      } catch (error) {
        if (error instanceof ClusterUnreachableError) throw new EnvironmentError(error.message);
        if (error instanceof DemoNeedsInternalsError) throw new UsageError(error.message);
        throw error;
      }
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
        );
      } else {
        const verdict = lang === 'zh' ? (result.proven ? '已证明' : '未证明') : result.proven ? 'PROVEN' : 'NOT PROVEN';
        print(`${verdict} — ${result.reason} (${result.target} ${result.bootstrap}, ${result.durationMs} ms)`);
      }
      if (!result.proven) throw new FailedError(`demo ${id} did not prove its claim: ${result.reason}`);
    });
}

export function formatEvent(event: DemoEvent, lang: Lang): string {
  switch (event.kind) {
    case 'step':
      return `▸ ${event.text[lang]}`;
    case 'observation':
      return `  · ${event.label}: ${formatValue(event.value)}`;
    case 'check': {
      const [expected, got] = lang === 'zh' ? ['预期', '实际'] : ['expected', 'got'];
      return `  ${event.pass ? '✓' : '✗'} ${event.label[lang]} (${expected} ${event.expected}; ${got} ${event.actual})`;
    }
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
}

async function listDemos(ids: string[], lang: Lang, json: boolean): Promise<void> {
  const bank = await openBank();
  const cardsOf = (id: string) => bank.cards.filter((c) => c.meta.demo === id).map((c) => c.meta.id);
  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        ids.map((id) => ({ id, cards: cardsOf(id) })),
        null,
        2,
      )}\n`,
    );
    return;
  }
  process.stdout.write(`${textTable(ids.map((id) => [id, cardsOf(id).join(', ')]))}\n`);
  process.stderr.write(
    `${ids.length} demo${ids.length === 1 ? '' : 's'}${lang === 'zh' ? '（kq demo <id> 运行）' : ' (run one with kq demo <id>)'}\n`,
  );
}
