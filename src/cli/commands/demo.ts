import { Command, Option } from 'commander';
import { defaultBankLocation } from '../../bank/bank-location.js';
import type { DemoDefinition } from '../../demo/demo-definition.js';
import type { DemoEvent, DemoResult } from '../../demo/demo-result.js';
import type { DemoTarget } from '../../demo/demo-runner.js';
import { demoIds } from '../../demo/demo-modules.js';
import { kqInternalReason } from '../../demo/kq-internal-demos.js';
import { openBank } from '../bank-access.js';
import { suggestion } from '../../text/suggestion.js';
import { EnvironmentError, FailedError, UsageError } from '../errors.js';
import { LANGS, resolveLang, type Lang } from '../lang.js';
import { textTable } from '../../text/text-table.js';

interface DemoOptions {
  bootstrapServer?: string;
  lang?: string;
  json?: boolean;
  set: string[];
  all?: boolean;
  knobs?: boolean;
  kafka?: boolean;
  brokers?: string;
}

/**
 * `kq demo [id | card-id] [--set knob=value ...] [--kafka [--brokers 1|3] | --bootstrap-server HOST:PORT] [--json]`:
 * runs on kq's broker by default, on Apache Kafka started for the run with `--kafka`, or on the user's cluster. It runs the demo that proves
 * a card's answer (given the demo's id, or the id of a card that links it) and ends with a verdict computed from
 * what happened (exit 0 proven, 1 not proven). `--all` runs every demo with a progress line and a summary table.
 * Without an id, lists the demos with the cards that use them.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run the live demo that proves a card (kq demo to list them)')
    .argument('[id]', 'demo id (a card names its demo; see kq show <card>)')
    .option('--kafka', 'run on real Apache Kafka started for this run (needs Java 17+; see kq kafka fetch)')
    .addOption(new Option('--brokers <n>', 'Apache Kafka nodes for --kafka').choices(['1', '3']))
    .option('-b, --bootstrap-server <host:port>', 'run a client-visible demo against a real Kafka cluster')
    .addOption(new Option('--lang <lang>', 'language of the narration').choices(LANGS))
    .option('--json', 'print the result (events, checks, verdict) as JSON on stdout')
    .option('-s, --set <knob=value...>', 'change a what-if knob, e.g. --set acks=1 (see --knobs)', collect, [])
    .option('--knobs', "list the demo's knobs and their defaults")
    .option('--all', 'run every demo, with a progress line and a summary table')
    .action(async (given: string | undefined, options: DemoOptions) => {
      const location = defaultBankLocation();
      const ids = demoIds(location.demosDir);
      const lang = resolveLang(options.lang);
      if (options.bootstrapServer !== undefined && !/^[^\s:]+:\d{1,5}$/.test(options.bootstrapServer)) {
        throw new UsageError(`--bootstrap-server must be HOST:PORT, got '${options.bootstrapServer}'`);
      }
      if (options.kafka && options.bootstrapServer !== undefined) {
        throw new UsageError('--kafka starts an Apache Kafka; --bootstrap-server uses yours: give one of them');
      }
      if (options.brokers !== undefined && !options.kafka) throw new UsageError('--brokers goes with --kafka');
      if (options.all) {
        if (given !== undefined) throw new UsageError('--all runs every demo: give no demo id with it');
        if (options.set.length > 0) throw new UsageError('--set applies to one demo: give its id instead of --all');
        return runAll(location.root, ids, lang, options);
      }
      if (given === undefined) return listDemos(ids, lang, options.json === true);
      const id = await resolveDemoId(given, ids, lang);

      const [{ loadBuiltDemo }, { describeKnobs, resolveKnobs, KnobError }] = await Promise.all([
        import('../../demo/demo-modules.js'),
        import('../../demo/demo-knobs.js'),
      ]);
      const demo = await loadBuiltDemo(location.root, id);
      refuseKqInternal(id, options); // before any Kafka is started for it
      try {
        resolveKnobs(demo, options.set); // a bad --set is a usage error before anything runs
      } catch (error) {
        if (error instanceof KnobError) throw new UsageError(error.message);
        throw error;
      }
      if (options.knobs) {
        const lines = describeKnobs(demo, lang);
        if (options.json) process.stdout.write(`${JSON.stringify(demo.knobs, null, 2)}\n`);
        else process.stdout.write(`${lines.length > 0 ? lines.join('\n') : `demo ${id} has no knobs`}\n`);
        return;
      }
      const print = (line: string) => process.stdout.write(`${line}\n`);
      if (!options.json) {
        print(`demo ${demo.id} — ${demo.title[lang]}`);
        print(`${lang === 'zh' ? '论断' : 'claim'}: ${demo.claim[lang]}`);
        if (options.set.length > 0) print(`${lang === 'zh' ? '旋钮' : 'knobs'}: ${options.set.join(' ')}`);
      }
      const result = await withTarget(options, (target) =>
        runOne(demo, lang, options, target, options.json ? undefined : (e) => print(formatEvent(e, lang))),
      );
      if (options.json) {
        process.stdout.write(`${toJson(result)}\n`);
      } else {
        print(
          `${verdictWord(result.proven, lang)} — ${reasonIn(result, lang)} (${targetText(result)}, ${result.durationMs} ms)`,
        );
      }
      if (!result.proven) throw new FailedError(`demo ${id} did not prove its claim: ${result.reason}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}

function verdictWord(proven: boolean, lang: Lang): string {
  return lang === 'zh' ? (proven ? '已证明' : '未证明') : proven ? 'PROVEN' : 'NOT PROVEN';
}

/**
 * A demo id as given, or the demo a card links (`kq demo offset-lookup-path` runs log-anatomy, and says so on
 * stderr). Anything else is a usage error naming the closest demo or card ids.
 */
async function resolveDemoId(given: string, ids: string[], lang: Lang): Promise<string> {
  if (ids.includes(given)) return given;
  const bank = await openBank();
  const card = bank.cards.find((c) => c.meta.id === given);
  if (card?.meta.demo !== undefined) {
    if (!ids.includes(card.meta.demo))
      throw new FailedError(`card ${given} links demo '${card.meta.demo}', which does not exist yet`);
    process.stderr.write(
      lang === 'zh'
        ? `卡片 ${given} 的演示是 ${card.meta.demo}\n`
        : `card ${given} is proven by demo ${card.meta.demo}\n`,
    );
    return card.meta.demo;
  }
  if (card) throw new UsageError(`card ${given} has no demo; demos: ${ids.join(', ')}`);
  const cardIds = bank.cards.filter((c) => c.meta.demo !== undefined).map((c) => c.meta.id);
  throw new UsageError(`unknown demo or card '${given}'; ${suggestion(given, [...ids, ...cardIds])}`);
}

/** `mini-broker 127.0.0.1:40001`, `Apache Kafka 4.4.0 127.0.0.1:40002`, `external host:9092`. */
function targetText(result: DemoResult): string {
  const name = result.target === 'apache-kafka' ? `Apache Kafka ${result.kafkaVersion ?? ''}`.trim() : result.target;
  return `${name} ${result.bootstrap}`;
}

/**
 * Runs `work` on the target the flags name. With --kafka, one Apache Kafka is started first (shared by every demo
 * of --all), announced on stderr with its start-up time, and stopped afterwards whatever happened; a Kafka that
 * cannot be had (no Java, not fetched and no network, never ready) is an environment error, exit 3.
 */
async function withTarget<T>(options: DemoOptions, work: (target: DemoTarget) => Promise<T>): Promise<T> {
  if (!options.kafka) {
    return work(options.bootstrapServer ? { kind: 'external', bootstrap: options.bootstrapServer } : { kind: 'kq' });
  }
  const { ApacheKafkaCluster, KafkaSetupError } = await import('../../kafka/index.js');
  const brokers = options.brokers === '3' ? 3 : 1;
  let cluster;
  try {
    // 3 nodes are for the fault demos: they run with the fault settings, so those demos share this cluster
    const [{ FAULT_DEMO_BROKER_CONFIG }, { APACHE_KAFKA_FOR_DEMOS }] = await Promise.all([
      import('../../demo/demo-cluster.js'),
      import('../../demo/demo-runner.js'),
    ]);
    cluster = await ApacheKafkaCluster.start({
      brokers,
      tls: APACHE_KAFKA_FOR_DEMOS.tls,
      waitForGroupCoordinator: APACHE_KAFKA_FOR_DEMOS.waitForGroupCoordinator,
      config: { ...APACHE_KAFKA_FOR_DEMOS.config, ...(brokers > 1 ? FAULT_DEMO_BROKER_CONFIG : {}) },
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof KafkaSetupError) throw new EnvironmentError(error.message);
    throw error;
  }
  process.stderr.write(
    `Apache Kafka ${cluster.kafka.version}: ${brokers} node(s) at ${cluster.bootstrap} ready in ${cluster.timings.startMs} ms\n`,
  );
  try {
    return await work({ kind: 'apache-kafka', cluster });
  } finally {
    await cluster.stop();
  }
}

/** A kq-internal demo asked for on another target: a usage error with the reason (exit 2), before Kafka starts. */
function refuseKqInternal(id: string, options: DemoOptions): void {
  if (!options.kafka && options.bootstrapServer === undefined) return;
  const reason = kqInternalReason(id);
  if (reason === undefined) return;
  throw new UsageError(
    `demo '${id}' runs on kq's broker only: ${reason}. Run it without ${options.kafka ? '--kafka' : '--bootstrap-server'}`,
  );
}

/** Runs one demo, turning the runner's typed failures into the CLI's exit codes. */
async function runOne(
  demo: DemoDefinition,
  lang: Lang,
  options: DemoOptions,
  target: DemoTarget,
  onEvent: ((event: DemoEvent) => void) | undefined,
): Promise<DemoResult> {
  const [{ runDemo, ClusterUnreachableError, DemoNeedsInternalsError }, { KnobError }] = await Promise.all([
    import('../../demo/demo-runner.js'),
    import('../../demo/demo-knobs.js'),
  ]);
  try {
    return await runDemo(demo, {
      lang,
      set: options.set,
      target,
      ...(onEvent ? { onEvent } : {}),
    });
  } catch (error) {
    if (error instanceof ClusterUnreachableError) throw new EnvironmentError(error.message);
    if (error instanceof DemoNeedsInternalsError || error instanceof KnobError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * `kq demo --all`: every demo in turn, a progress line on stderr while each runs, then a table (or the results as
 * JSON). Exit 1 when any demo was not proven.
 */
async function runAll(root: string, ids: string[], lang: Lang, options: DemoOptions): Promise<void> {
  const { loadBuiltDemo } = await import('../../demo/demo-modules.js');
  const results: DemoResult[] = [];
  const started = Date.now();
  const skipped: Array<{ id: string; skipped: 'kq-internal'; reason: string }> = [];
  await withTarget(options, async (target) => {
    for (const [i, id] of ids.entries()) {
      const kqOnly = target.kind === 'kq' ? undefined : kqInternalReason(id);
      if (kqOnly !== undefined) {
        process.stderr.write(`[${i + 1}/${ids.length}] ${id} skipped: runs on kq's broker only\n`);
        skipped.push({ id, skipped: 'kq-internal', reason: kqOnly });
        continue;
      }
      process.stderr.write(`[${i + 1}/${ids.length}] ${id} …\n`);
      const demo = await loadBuiltDemo(root, id);
      results.push(await runOne(demo, lang, options, target, undefined));
    }
  });
  const failed = results.filter((r) => !r.proven);
  if (options.json) {
    process.stdout.write(`${toJson([...results, ...skipped])}\n`);
  } else {
    const rows = [
      ...results.map((r) => [
        r.id,
        verdictWord(r.proven, lang),
        `${(r.durationMs / 1000).toFixed(1)} s`,
        reasonIn(r, lang),
      ]),
      ...skipped.map((s) => [s.id, lang === 'zh' ? '跳过' : 'SKIPPED', '-', `kq's broker only: ${s.reason}`]),
    ];
    process.stdout.write(`${textTable(rows)}\n`);
    process.stdout.write(
      `${results.length - failed.length}/${results.length} ${lang === 'zh' ? '已证明' : 'proven'}${skipped.length > 0 ? `, ${skipped.length} ${lang === 'zh' ? '仅限 kq（跳过）' : "skipped (kq's broker only)"}` : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  if (failed.length > 0) throw new FailedError(`not proven: ${failed.map((r) => r.id).join(', ')}`);
}

/**
 * The verdict's reason in the reader's language (the result's `reason` is English, for JSON and logs), so a
 * Chinese run does not print "已证明 — all 3 checks held". Derived from the same events as verdictOf.
 */
export function reasonIn(result: DemoResult, lang: Lang): string {
  if (lang === 'en') return result.reason;
  const checks = result.events.filter((e): e is Extract<DemoEvent, { kind: 'check' }> => e.kind === 'check');
  if (result.error !== undefined) return `演示未能完成：${result.error}`;
  if (checks.length === 0) return '演示没有做任何检查，因此什么也没有证明';
  const failed = checks.filter((c) => !c.pass);
  if (failed.length > 0)
    return `${checks.length} 项检查中 ${failed.length} 项未通过：${failed.map((c) => c.label.zh).join('；')}`;
  const skipped = result.events.filter((e) => e.kind === 'not-applicable').length;
  return `${checks.length} 项检查全部成立${skipped > 0 ? `（${skipped} 项在此目标上不适用）` : ''}`;
}

export function formatEvent(event: DemoEvent, lang: Lang): string {
  switch (event.kind) {
    case 'step':
      return `▸ ${event.text[lang]}`;
    case 'observation':
      return `  · ${event.label}: ${formatValue(event.value)}`;
    case 'not-applicable':
      return `  – ${event.label[lang]} (${lang === 'zh' ? '此目标上不适用' : 'not applicable here'}: ${event.why})`;
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
