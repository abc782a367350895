import type { Bilingual } from './demo-definition.js';

/** Everything a demo run produced, in order: the JSON of `kq demo --json`, and what the runner prints. */
export type DemoEvent =
  | { kind: 'step'; text: Bilingual }
  | { kind: 'observation'; label: string; value: unknown }
  | { kind: 'check'; label: Bilingual; pass: boolean; expected: string; actual: string }
  | { kind: 'not-applicable'; label: Bilingual; why: string };

export interface DemoResult {
  id: string;
  claim: Bilingual;
  /** Where it ran: the demo's own mini-broker, or an external cluster. */
  target: 'mini-broker' | 'apache-kafka' | 'external';
  /** The Apache Kafka version, when the demo ran on one kq started (`--kafka`). */
  kafkaVersion?: string;
  /** How many brokers the cluster had, for demos that need several (faults, elections). */
  brokers?: number;
  bootstrap: string;
  proven: boolean;
  /** The knobs this run used (defaults with --set applied). */
  knobs: Record<string, unknown>;
  /** Why the verdict is what it is, in one line. */
  reason: string;
  events: DemoEvent[];
  durationMs: number;
  /** Set when the demo threw instead of finishing its checks. */
  error?: string;
}

/** The verdict from the checks alone: no check is no evidence, one failed check refutes the claim. */
export function verdictOf(
  events: readonly DemoEvent[],
  error: string | undefined,
): { proven: boolean; reason: string } {
  const checks = events.filter((e): e is Extract<DemoEvent, { kind: 'check' }> => e.kind === 'check');
  if (error !== undefined) return { proven: false, reason: `the demo failed before finishing: ${error}` };
  if (checks.length === 0) return { proven: false, reason: 'the demo made no check, so nothing was proven' };
  const failed = checks.filter((c) => !c.pass);
  if (failed.length > 0)
    return {
      proven: false,
      reason: `${failed.length} of ${checks.length} checks failed: ${failed.map((c) => c.label.en).join('; ')}`,
    };
  const skipped = events.filter((e) => e.kind === 'not-applicable').length;
  return {
    proven: true,
    reason: `all ${checks.length} checks held${skipped > 0 ? ` (${skipped} not applicable on this target)` : ''}`,
  };
}
