import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DemoDefinition } from '../../src/demo/demo-definition.js';
import { demoIds } from '../../src/demo/demo-modules.js';
import { runDemo } from '../../src/demo/demo-runner.js';

// Every shipped demo, run from its source on its own mini-broker, must prove its claim.
const demosDir = fileURLToPath(new URL('../../demos', import.meta.url));

describe.each(demoIds(demosDir))('demo %s', (id) => {
  it('proves its claim on the mini-broker', async () => {
    const module = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
    expect(module.default.id).toBe(id);
    const result = await runDemo(module.default, { lang: 'en' });
    expect(result.error, result.reason).toBeUndefined();
    expect(result.proven, result.reason).toBe(true);
  }, 90_000);
});
