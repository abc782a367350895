/**
 * What legitimately differs between two brokers answering the same request, removed before comparing:
 * throttle times, cluster ids, hosts and ports, topic ids (random UUIDs), generated member ids (replaced by
 * their order of first appearance in the session), error message wording (kept as present/absent), and the
 * order of topics, partitions and brokers in arrays (Kafka's protocol gives it no meaning). Byte fields become
 * hex so record batches are compared byte for byte. Everything else is compared as it is.
 */
export class Normaliser {
  private readonly members = new Map<string, string>();

  normalise(value: unknown, key = ''): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value === 'bigint') return value.toString();
    if (Buffer.isBuffer(value)) return value.length === 0 ? '' : `0x${value.toString('hex')}`;
    if (Array.isArray(value)) return sortByIdentity(value.map((v) => this.normalise(v, key)));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (DROPPED.has(k)) continue;
        out[k] = this.field(k, v);
      }
      return out;
    }
    return value;
  }

  private field(key: string, value: unknown): unknown {
    if (typeof value === 'string' && SYMBOLIC[key]) return value === '' ? '' : SYMBOLIC[key];
    if (typeof value === 'number' && key === 'port') return '<port>';
    // DescribeLogDirs v4+: the volume's size and free space move with everything else on the machine.
    if (typeof value === 'bigint' && (key === 'totalBytes' || key === 'usableBytes'))
      return value >= 0n ? '<bytes>' : value.toString();
    if (typeof value === 'string' && MEMBER_FIELDS.has(key)) return this.member(value);
    // producer ids come from a counter (kq) or a block the controller hands out (Kafka): only validity compares
    if (typeof value === 'bigint' && key === 'producerId') return value >= 0n ? '<producer-id>' : value.toString();
    return this.normalise(value, key);
  }

  private member(id: string): string {
    if (id === '') return '';
    let symbol = this.members.get(id);
    if (!symbol) this.members.set(id, (symbol = `<member-${this.members.size + 1}>`));
    return symbol;
  }
}

const DROPPED = new Set(['throttleTimeMs']);
const SYMBOLIC: Record<string, string> = {
  clusterId: '<cluster-id>',
  host: '<host>',
  topicId: '<topic-id>',
  errorMessage: '<message>',
  // DescribeConfigs v3+: each broker words its documentation; only whether it is there compares.
  documentation: '<documentation>',
  // DescribeLogDirs: each broker's own data dir.
  logDir: '<log-dir>',
};
const MEMBER_FIELDS = new Set(['memberId', 'leader']);

/** Objects in an array sorted by name / partition / node id when they carry one; other arrays keep their order. */
function sortByIdentity(items: unknown[]): unknown[] {
  const keyOf = (item: unknown): string | undefined => {
    if (item === null || typeof item !== 'object') return undefined;
    const o = item as Record<string, unknown>;
    for (const k of ['name', 'topic', 'groupId', 'partitionIndex', 'partition', 'nodeId', 'memberId']) {
      if (typeof o[k] === 'string' || typeof o[k] === 'number') return `${k}:${String(o[k]).padStart(12, '0')}`;
    }
    return undefined;
  };
  if (items.length < 2 || items.some((i) => keyOf(i) === undefined)) return items;
  return [...items].sort((a, b) => (keyOf(a)! < keyOf(b)! ? -1 : keyOf(a)! > keyOf(b)! ? 1 : 0));
}

export interface Difference {
  /** Where, with indices: `topics[0].partitions[1].errorCode`. */
  path: string;
  /** Where, without indices, for matching known differences: `topics[].partitions[].errorCode`. */
  pattern: string;
  kq: unknown;
  kafka: unknown;
}

/** Field-by-field differences between two normalised values. */
export function differences(kq: unknown, kafka: unknown, path = '', pattern = ''): Difference[] {
  if (Array.isArray(kq) && Array.isArray(kafka)) {
    const out: Difference[] = [];
    if (kq.length !== kafka.length)
      out.push({ path: `${path}.length`, pattern: `${pattern}.length`, kq: kq.length, kafka: kafka.length });
    for (let i = 0; i < Math.min(kq.length, kafka.length); i++) {
      out.push(...differences(kq[i], kafka[i], `${path}[${i}]`, `${pattern}[]`));
    }
    return out;
  }
  if (isObject(kq) && isObject(kafka)) {
    const out: Difference[] = [];
    for (const key of new Set([...Object.keys(kq), ...Object.keys(kafka)])) {
      const p = path ? `${path}.${key}` : key;
      const q = pattern ? `${pattern}.${key}` : key;
      out.push(...differences(kq[key], kafka[key], p, q));
    }
    return out;
  }
  return JSON.stringify(kq) === JSON.stringify(kafka) ? [] : [{ path, pattern, kq, kafka }];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
