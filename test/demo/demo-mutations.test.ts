import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { demoIds } from '../../src/demo/demo-modules.js';
import { FAULT_DEMO_BROKER_CONFIG } from '../../src/demo/demo-cluster.js';
import { KqDemoCluster } from '../../src/demo/kq-demo-cluster.js';
import { MUTATIONS } from '../../scripts/demo-mutation/mutations.js';
import { mutatedSource, StaleMutationError } from '../../scripts/demo-mutation/mutant.js';
import { formatMutationTable, runMutationTable } from '../../scripts/demo-mutation/mutation-table.js';

// The quick subset of `npm run demos:mutate`: a few mutants of the broker's mechanisms, each of which must turn its
// demo's verdict to NOT PROVEN (and the unmutated demo must be PROVEN). The full table runs with demos:mutate.
const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Demos whose mechanism kq does not have on main yet, so no mutation of it can exist: each says why. The list can
 * only shrink: a demo listed here must really be unable to run on kq (the test below starts kq's cluster to see).
 */
const AWAITING_KQ_MECHANISM: Record<string, string> = {
  'kraft-quorum': "kq's KRaft quorum (issue 11: RaftManager over sockets, QuorumController) is not on main",
};

describe('demo mutations', () => {
  it('exist for every demo, and each still finds its text once in the current source', () => {
    const demos = demoIds(`${root}/demos`);
    expect(demos.filter((d) => !MUTATIONS.some((m) => m.demo === d) && !(d in AWAITING_KQ_MECHANISM))).toEqual([]);
    for (const mutation of MUTATIONS) expect(mutatedSource(root, mutation)).toContain(mutation.replace);
  });

  it('exempts a demo only while kq cannot run its cluster', async () => {
    if (Object.keys(AWAITING_KQ_MECHANISM).length === 0) return;
    const started = await KqDemoCluster.start(3, FAULT_DEMO_BROKER_CONFIG).then(
      (cluster) => cluster.close().then(() => true),
      () => false,
    );
    expect(started, `kq runs 3 brokers now: write mutations for ${Object.keys(AWAITING_KQ_MECHANISM).join(', ')}`).toBe(
      false,
    );
  }, 60_000);

  it('refuses a mutation whose text is no longer in the source (stale), instead of testing the unmutated code', () => {
    expect(() => mutatedSource(root, { ...MUTATIONS[0]!, find: 'text that is nowhere in the file' })).toThrow(
      StaleMutationError,
    );
  });

  it('turns each quick mutant NOT PROVEN while the unmutated demos stay PROVEN', async () => {
    const run = await runMutationTable(root, { fast: true });
    expect(run.failures, formatMutationTable(run.verdicts)).toEqual([]);
    expect(run.verdicts.filter((v) => v.mutation !== undefined).length).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
