import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoDefinition } from '../../src/demo/demo-definition.js';
import { demoIds } from '../../src/demo/demo-modules.js';
import { runDemo } from '../../src/demo/demo-runner.js';
import { NOT_YET_PROVEN_ON_KQ } from './support/kq-cluster-gaps.js';
import { transcript } from './support/demo-transcript.js';
import { KNOB_CASES_ON_KAFKA, KNOB_CASES_ON_KQ } from './support/knob-cases.js';

const demosDir = fileURLToPath(new URL('../../demos', import.meta.url));

describe.each(KNOB_CASES_ON_KQ)('demo %s with --set %j', (id, set, expected) => {
  it('holds, and its checks and observations follow the knob', async () => {
    const module = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
    const result = await runDemo(module.default, { lang: 'en', set });
    const text = transcript(result.events);
    // a demo kq cannot prove yet is held to the checks its knob steers (the regex names them HELD), not its verdict
    if (NOT_YET_PROVEN_ON_KQ[id] === undefined) expect(result.proven, `${result.reason}\n${text}`).toBe(true);
    expect(text).toMatch(expected);
    // above the runner's own bound for a cluster demo (150 s): a slow one fails with its transcript, not a timeout
  }, 180_000);
});

describe('knobs', () => {
  it('every demo has at least one, and one of its knobs is turned by a test (here or on Apache Kafka)', async () => {
    const turned = new Set([...KNOB_CASES_ON_KQ, ...KNOB_CASES_ON_KAFKA].map(([id]) => id));
    const missing: string[] = [];
    for (const id of demoIds(demosDir)) {
      const demo = ((await import(`../../demos/${id}.ts`)) as { default: DemoDefinition }).default;
      if (Object.keys(demo.knobs).length === 0 || !turned.has(id)) missing.push(id);
    }
    expect(missing, 'demos without a knob, or whose knob no test turns').toEqual([]);
  });
});
