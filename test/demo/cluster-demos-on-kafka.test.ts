import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DemoDefinition } from '../../src/demo/demo-definition.js';
import { FAULT_DEMO_BROKER_CONFIG } from '../../src/demo/demo-cluster.js';
import { demoIds } from '../../src/demo/demo-modules.js';
import { kqInternalReason } from '../../src/demo/kq-internal-demos.js';
import { runDemo } from '../../src/demo/demo-runner.js';
import { ApacheKafkaCluster } from '../../src/kafka/index.js';
import { transcript } from './support/demo-transcript.js';
import { KNOB_CASES_ON_KAFKA } from './support/knob-cases.js';

/**
 * The demos that need several brokers (faults, replication, elections), on Apache Kafka: one 3-node cluster with
 * the fault settings, shared by them all as `kq demo --all --kafka --brokers 3` shares it. Every one must prove
 * its claim there: a card claim that fails on Apache Kafka is wrong content.
 */
const demosDir = fileURLToPath(new URL('../../demos', import.meta.url));
const clusterDemos: DemoDefinition[] = [];
for (const id of demoIds(demosDir)) {
  const demo = ((await import(`../../demos/${id}.ts`)) as { default: DemoDefinition }).default;
  // a kq-internal one (power-loss) is refused on Kafka with its reason: demos-on-kafka.test.ts holds that
  if ((demo.brokers ?? 1) > 1 && kqInternalReason(id) === undefined) clusterDemos.push(demo);
}

let cluster: ApacheKafkaCluster;
beforeAll(async () => {
  cluster = await ApacheKafkaCluster.start({
    brokers: 3,
    config: { ...FAULT_DEMO_BROKER_CONFIG },
    waitForGroupCoordinator: true,
  });
}, 240_000);
afterAll(async () => {
  await cluster?.stop();
}, 60_000);
// Each demo starts on a whole cluster: a demo that failed half-way (a broker killed or paused, never brought back)
// must fail alone, not every demo after it.
beforeEach(async () => {
  for (const node of cluster.nodes) if (node.isPaused) node.resume();
  const down = cluster.nodes.filter((node) => !node.isRunning).map((node) => node.nodeId);
  if (down.length > 0) await cluster.restart(down);
}, 120_000);

describe('demos that need several brokers, on Apache Kafka (3 nodes)', () => {
  it('are there', () => {
    expect(clusterDemos.map((d) => d.id)).toContain('replication-isr');
  });

  it.each(clusterDemos.map((d) => [d.id, d] as const))(
    '%s proves its claim',
    async (_id, demo) => {
      const result = await runDemo(demo, { lang: 'en', target: { kind: 'apache-kafka', cluster }, timeoutMs: 150_000 });
      expect(result.error, result.reason).toBeUndefined();
      expect(result.proven, `${result.reason}\n${transcript(result.events)}`).toBe(true);
      expect(result).toMatchObject({ target: 'apache-kafka', brokers: 3 });
    },
    200_000,
  );
});

// The knob of each cluster demo kq's cluster cannot run to its steered check yet (the others are turned on kq in
// demo-knobs-outcomes.test.ts): on Apache Kafka the demo still proves its claim, and the checks follow the knob.
describe.each(KNOB_CASES_ON_KAFKA)('demo %s with --set %j, on Apache Kafka (3 nodes)', (id, set, expected) => {
  it('holds, and its checks follow the knob', async () => {
    const demo = clusterDemos.find((d) => d.id === id);
    expect(demo, `${id} is a cluster demo`).toBeDefined();
    const result = await runDemo(demo!, { lang: 'en', set, target: { kind: 'apache-kafka', cluster } });
    const text = transcript(result.events);
    expect(result.proven, `${result.reason}\n${text}`).toBe(true);
    expect(text).toMatch(expected);
  }, 180_000);
});
