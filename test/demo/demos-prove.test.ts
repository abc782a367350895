import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoDefinition } from '../../src/demo/demo-definition.js';
import { demoIds } from '../../src/demo/demo-modules.js';
import { runDemo } from '../../src/demo/demo-runner.js';
import { NOT_YET_PROVEN_ON_KQ } from './support/kq-cluster-gaps.js';

// Every shipped demo, run from its source on kq's broker (one, or a 3-node KRaft cluster for demos that need
// several), must prove its claim. The cluster demos are proven on Apache Kafka by cluster-demos-on-kafka.test.ts;
// on kq, those in NOT_YET_PROVEN_ON_KQ are not proven yet, each for a named reason. The test holds both ways: a
// demo in that table that becomes proven fails the test until its line is removed, so the table cannot go stale.
const demosDir = fileURLToPath(new URL('../../demos', import.meta.url));

describe.each(demoIds(demosDir))('demo %s', (id) => {
  it('proves its claim on kq', async () => {
    const module = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
    expect(module.default.id).toBe(id);
    const result = await runDemo(module.default, { lang: 'en' });
    const gap = NOT_YET_PROVEN_ON_KQ[id];
    if (gap !== undefined) {
      expect(result.proven, `${id} is proven on kq now: remove it from NOT_YET_PROVEN_ON_KQ (${gap})`).toBe(false);
      return;
    }
    expect(result.error, result.reason).toBeUndefined();
    expect(result.proven, result.reason).toBe(true);
  }, 120_000);
});
