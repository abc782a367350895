import type { ApiName } from '../../src/broker/protocol/api-keys.js';
import type { Difference } from './normalise.js';

/**
 * Every way kq's broker is allowed to answer differently from Apache Kafka, with the reason. A difference the
 * differential tests find that is not here fails them; an entry here that no test observed any more fails too
 * (the table must stay true). The same table, with the same ids, is in test/oracle/README.md.
 */
export interface KnownDifference {
  id: string;
  api: ApiName;
  /** The step label (a regular expression) the difference is allowed in; every step when absent. */
  step?: RegExp;
  /** The field, without indices (`topics[].partitions[].errorCode`); a prefix matches the fields below it. */
  pattern: string;
  /** Versions it applies to; all when absent. */
  versions?: readonly [number, number];
  reason: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];

export function explains(known: KnownDifference, api: ApiName, version: number, step: string, d: Difference): boolean {
  if (known.api !== api) return false;
  if (known.versions && (version < known.versions[0] || version > known.versions[1])) return false;
  if (known.step && !known.step.test(step)) return false;
  const pattern = `response.${known.pattern}`;
  return (
    d.pattern === pattern ||
    d.pattern.startsWith(`${pattern}.`) ||
    d.pattern.startsWith(`${pattern}[`) ||
    known.pattern === '*'
  );
}
