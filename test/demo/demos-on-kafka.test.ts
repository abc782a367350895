import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineDemo, type DemoContext, type DemoDefinition } from '../../src/demo/demo-definition.js';
import { demoIds } from '../../src/demo/demo-modules.js';
import { APACHE_KAFKA_FOR_DEMOS, DemoIsKqInternalError, runDemo, type DemoTarget } from '../../src/demo/demo-runner.js';
import { KQ_INTERNAL_DEMOS, kqInternalReason } from '../../src/demo/kq-internal-demos.js';
import { ApacheKafkaCluster } from '../../src/kafka/index.js';
import { runKq } from '../cli/run-kq.js';
import { transcript } from './support/demo-transcript.js';

/**
 * `kq demo --kafka`: the demo runner on real Apache Kafka (one node shared by this file). Client-visible demos must
 * reach the same verdict as on kq's broker; checks that need kq's internals are reported not applicable there,
 * never passed; the operator's view (the JVM's pid, its data dir on disk) is what a demo gets instead.
 */
let cluster: ApacheKafkaCluster;
let kafkaTarget: DemoTarget;
beforeAll(async () => {
  cluster = await ApacheKafkaCluster.start({ brokers: 1, ...APACHE_KAFKA_FOR_DEMOS });
  kafkaTarget = { kind: 'apache-kafka', cluster };
}, 180_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);

const label = { zh: '检查', en: 'a check' };
const internals = { zh: '内部', en: "the request queue's depth" };
const demo = (run: (ctx: DemoContext) => Promise<void>) =>
  defineDemo({ id: 'test-demo', title: label, claim: label, needs: 'internals', knobs: {}, run });

describe('the demo context on Apache Kafka', () => {
  it('reports a check that needs kq internals as not applicable, and proves nothing by it alone', async () => {
    let measured = false;
    const result = await runDemo(
      demo(async (ctx) => {
        await ctx.checkInternals(internals, 'reads RequestChannel', () => {
          measured = true;
          return { pass: true, expected: '1', actual: '1' };
        });
      }),
      { lang: 'en', target: kafkaTarget },
    );
    expect(measured).toBe(false);
    expect(result.events).toEqual([
      {
        kind: 'not-applicable',
        label: internals,
        why: expect.stringMatching(/^reads RequestChannel \(kq's broker internals/),
      },
    ]);
    expect(result).toMatchObject({ proven: false, target: 'apache-kafka', kafkaVersion: cluster.kafka.version });
  }, 60_000);

  it('measures the same check on kq broker', async () => {
    const result = await runDemo(
      demo(async (ctx) => {
        await ctx.checkInternals(internals, 'reads RequestChannel', (broker) => ({
          pass: broker.port > 0,
          expected: 'a port',
          actual: String(broker.port),
        }));
      }),
      { lang: 'en' },
    );
    expect(result).toMatchObject({ proven: true, target: 'mini-broker' });
    expect(result.events[0]).toMatchObject({ kind: 'check', pass: true });
  });

  it("gives the demo Kafka's JVM and data dir, where produced records are found in segment files on disk", async () => {
    let seen: { pid?: number; dataDir?: string; batches?: number; files?: string[] } = {};
    const result = await runDemo(
      demo(async (ctx) => {
        const topic = ctx.topic('on-disk');
        await ctx.createTopics([{ topic }]);
        const producer = await ctx.producer();
        await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
        await producer.send({ topic, messages: [{ value: 'c' }] });
        const partition = ctx.partitionOnDisk(topic, 0);
        const batches = partition.segments.flatMap((s) => s.batches);
        seen = {
          pid: ctx.host?.pid,
          dataDir: ctx.host?.dataDir,
          batches: batches.length,
          files: partition.segments.map((s) => s.fileName),
        };
        ctx.check(label, { pass: batches.length === 2, expected: '2 batches', actual: `${batches.length}` });
      }),
      { lang: 'en', target: kafkaTarget },
    );
    expect(result.proven, result.reason).toBe(true);
    expect(seen.pid).toBe(cluster.node(1).pid);
    expect(seen.dataDir).toBe(cluster.node(1).dataDir);
    expect(seen.files).toEqual(['00000000000000000000.log']);
  }, 60_000);
});

// Every demo must prove its claim on the real thing too, on one shared node, except the kq-internal ones (one
// table, src/demo/kq-internal-demos.ts, each with its reason).
const demosDir = fileURLToPath(new URL('../../demos', import.meta.url));
const allDemos = demoIds(demosDir);
// Demos that need several brokers (faults, elections) share one 3-node cluster in cluster-demos-on-kafka.test.ts.
const needsCluster = new Set<string>();
for (const id of allDemos) {
  const { default: definition } = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
  if ((definition.brokers ?? 1) > 1) needsCluster.add(id);
}
const onKafka = allDemos.filter((id) => kqInternalReason(id) === undefined && !needsCluster.has(id));

describe.each(onKafka)('demo %s with --kafka', (id) => {
  it('proves its claim on Apache Kafka', async () => {
    const { default: definition } = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
    const result = await runDemo(definition, { lang: 'en', target: kafkaTarget, timeoutMs: 120_000 });
    expect(result.target).toBe('apache-kafka');
    expect(result.proven, `${result.reason}\n${transcript(result.events)}`).toBe(true);
  }, 150_000);
});

it('zero-copy-serve proves sendfile on the plaintext listener and none on the TLS one (a check made, not skipped)', async () => {
  const { default: definition } = (await import(`../../demos/${'zero-copy-serve'}.ts`)) as { default: DemoDefinition };
  const result = await runDemo(definition, { lang: 'en', target: kafkaTarget, timeoutMs: 120_000 });
  const checks = result.events.filter((e) => e.kind === 'check');
  expect(checks.find((c) => /with sendfile\(2\)/.test(c.label.en))).toMatchObject({ pass: true });
  expect(checks.find((c) => /over a TLS listener/.test(c.label.en))).toMatchObject({
    pass: true,
    actual: expect.stringMatching(/, 0 sendfile, [1-9]\d* pread64$/),
  });
}, 150_000);

it('runs the demos this plumbing was first proven with, and the ones ported since', () => {
  expect(onKafka).toEqual(expect.arrayContaining(['offset-commit', 'pull-long-poll', 'partition-ordering']));
  expect(onKafka).toEqual(
    expect.arrayContaining(['coordinator-lookup', 'partition-cost', 'zero-copy-serve', 'log-anatomy']),
  );
});

describe('kq-internal demos (src/demo/kq-internal-demos.ts)', () => {
  it('name existing demos, each with a reason that says why Apache Kafka cannot show it', () => {
    for (const [id, reason] of Object.entries(KQ_INTERNAL_DEMOS)) {
      expect(allDemos).toContain(id);
      expect(reason).toMatch(/kq's own|kq does not read|KafkaBroker\.metrics/);
    }
  });

  it.each(Object.keys(KQ_INTERNAL_DEMOS))(
    '%s is refused on Apache Kafka, naming why (not run, not passed)',
    async (id) => {
      const { default: definition } = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
      await expect(runDemo(definition, { lang: 'en', target: kafkaTarget })).rejects.toThrow(DemoIsKqInternalError);
      await expect(runDemo(definition, { lang: 'en', target: kafkaTarget })).rejects.toThrow(
        new RegExp(`^demo '${id}' runs on kq's broker only: .*Run it without --kafka$`),
      );
    },
  );

  it('kq demo <it> --kafka exits 2 with the reason, before starting any Kafka', () => {
    const [id] = Object.keys(KQ_INTERNAL_DEMOS);
    const run = runKq(['demo', id!, '--kafka']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`demo '${id}' runs on kq's broker only: ${KQ_INTERNAL_DEMOS[id!]}`);
    expect(run.stderr).not.toMatch(/formatting|Apache Kafka \d/);
  });
});

describe('kq demo --kafka', () => {
  // One CLI run covers both: a CLI-started Kafka costs JVMs, and three nodes exercise the bootstrap list too.
  it('--kafka --brokers 3 starts three Kafka nodes, runs the demo on them, says so in the result, and stops them (exit 0)', () => {
    const run = runKq(['demo', 'offset-commit', '--kafka', '--brokers', '3', '--json'], { timeoutMs: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      target: string;
      kafkaVersion: string;
      bootstrap: string;
      proven: boolean;
    };
    expect(result).toMatchObject({ target: 'apache-kafka', kafkaVersion: cluster.kafka.version, proven: true });
    expect(result.bootstrap.split(',')).toHaveLength(3);
    expect(run.stderr).toMatch(
      /Apache Kafka \d+\.\d+\.\d+: 3 node\(s\) at (127\.0\.0\.1:\d+,){2}127\.0\.0\.1:\d+ ready in \d+ ms/,
    );
  }, 320_000);

  it.each([
    [['--kafka', '--bootstrap-server', '127.0.0.1:9092'], /give one of them/],
    [['--brokers', '3'], /--brokers goes with --kafka/],
    [['--kafka', '--brokers', '2'], /Allowed choices are 1, 3/],
  ])('refuses %j as a usage error (exit 2)', (flags, message) => {
    const run = runKq(['demo', 'pull-long-poll', ...flags]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 3 when there is no Java to run Kafka', () => {
    const run = runKq(['demo', 'pull-long-poll', '--kafka'], { env: { JAVA_HOME: '/nonexistent-jdk' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no usable Java found/);
  });
});
