import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, ApiKey, type ApiName } from '../../src/broker/protocol/api-keys.js';
import type { ApiVersionsResponse } from '../../src/broker/protocol/api-versions/response.js';
import { ADVERTISED_APIS } from '../../src/broker/server/kafka-apis.js';
import { explains, KNOWN_DIFFERENCES, type KnownDifference } from './known-differences.js';
import { differences, type Difference } from './normalise.js';
import { OracleSession, type SessionStep } from './oracle-session.js';
import { startOracleTargets, type OracleTarget } from './oracle-targets.js';
import { SCENARIOS } from './scenarios.js';

/** Versions kq serves that Apache Kafka 4.x no longer does (KIP-896 removed them); see README.md. */
const KQ_SERVES_BELOW_KAFKA_MIN = ['CreateTopics v0-1', 'DeleteTopics v0-0', 'OffsetForLeaderEpoch v0-1'];

/**
 * Differential conformance: every API and version kq's broker advertises in its own ApiVersions answer is
 * exercised by the same scripted session against kq and against Apache Kafka, and the answers are compared field
 * by field after normalising what legitimately differs. Versions Kafka no longer serves are checked to be
 * refused there (and listed), the rest must match or be a known difference.
 */
let targets: Awaited<ReturnType<typeof startOracleTargets>>;
let kqVersions: ApiVersionsResponse;
let kafkaVersions: ApiVersionsResponse;
const observedKnown = new Set<string>();
const timestamp = Math.floor(Date.now() / 1000) * 1000 - 60_000;

beforeAll(async () => {
  targets = await startOracleTargets();
  [kqVersions, kafkaVersions] = await Promise.all([apiVersions(targets.kq), apiVersions(targets.kafka)]);
}, 180_000);
afterAll(async () => {
  await targets?.stop();
}, 60_000);

async function apiVersions(target: OracleTarget): Promise<ApiVersionsResponse> {
  const client = await target.connect();
  try {
    return await client.request(ApiKey.ApiVersions, 0, {});
  } finally {
    client.close();
  }
}

function range(response: ApiVersionsResponse, api: ApiName): { min: number; max: number } | undefined {
  const entry = response.apiKeys.find((k) => k.apiKey === ApiKey[api]);
  return entry ? { min: entry.minVersion, max: entry.maxVersion } : undefined;
}

/** For each API, the highest version both brokers serve: what a scenario uses for the APIs it is not about. */
function commonVersions(): Record<ApiName, number> {
  const out = {} as Record<ApiName, number>;
  for (const { name } of API_KEYS) {
    const a = range(kqVersions, name);
    const b = range(kafkaVersions, name);
    if (a && b) out[name] = Math.min(a.max, b.max);
  }
  return out;
}

async function runScenario(api: ApiName, version: number, target: OracleTarget): Promise<SessionStep[]> {
  const session = new OracleSession(target);
  try {
    await SCENARIOS[api]!({
      session,
      version,
      versions: commonVersions(),
      name: (base) => `o-${api.toLowerCase()}-v${version}-${base}`,
      timestamp,
    });
    return session.steps;
  } finally {
    session.close();
  }
}

interface Mismatch extends Difference {
  /** The version under test of the scenario's API. */
  version: number;
  step: string;
  /** The API and version of the request that step sent. */
  stepApi: ApiName;
  stepVersion: number;
}

it('the APIs compared are exactly those kq advertises in its ApiVersions answer', () => {
  expect(kqVersions.errorCode).toBe(0);
  expect(kqVersions.apiKeys.map((k) => k.apiKey).sort((a, b) => a - b)).toEqual(
    ADVERTISED_APIS.map((k) => k.key).sort((a, b) => a - b),
  );
});

// A standalone broker's APIs: KRaft's quorum RPCs (Vote, ...) are answered only by a node running a Raft quorum,
// as Kafka answers them only on its controller listener, so neither broker listener here advertises them.
describe.each(ADVERTISED_APIS.map((k) => k.name))('%s', (api) => {
  const scenario = SCENARIOS[api];
  if (!scenario) {
    it.todo(`${api}: no differential scenario yet`);
    return;
  }

  it('Apache Kafka serves it too', () => {
    expect(range(kafkaVersions, api), `Apache Kafka does not advertise ${api}`).toBeDefined();
  });

  it('answers every version both serve as Apache Kafka does, field by field (or a known difference)', async () => {
    const ours = range(kqVersions, api)!;
    const theirs = range(kafkaVersions, api)!;
    const mismatches: Mismatch[] = [];
    for (let version = Math.max(ours.min, theirs.min); version <= Math.min(ours.max, theirs.max); version++) {
      const [kq, kafka] = await Promise.all([
        runScenario(api, version, targets.kq),
        runScenario(api, version, targets.kafka),
      ]);
      expect(kq.map((s) => s.label)).toEqual(kafka.map((s) => s.label));
      kq.forEach((step, i) => {
        for (const d of differences(step.outcome, kafka[i]!.outcome)) {
          const known = KNOWN_DIFFERENCES.find((k) => explains(k, step.api, step.version, step.label, d));
          if (known) observedKnown.add(known.id);
          else mismatches.push({ ...d, version, step: step.label, stepApi: step.api, stepVersion: step.version });
        }
      });
    }
    expect(mismatches, describeMismatches(api, mismatches)).toEqual([]);
  }, 240_000);
});

function describeMismatches(api: ApiName, mismatches: Mismatch[]): string {
  return mismatches
    .map(
      (m) => `${api} v${m.version} "${m.step}" ${m.path}: kq ${JSON.stringify(m.kq)}, Kafka ${JSON.stringify(m.kafka)}`,
    )
    .join('\n');
}

it('kq never advertises a version Apache Kafka does not know, and the older ones it keeps are listed', () => {
  const olderThanKafka: string[] = [];
  for (const { name } of ADVERTISED_APIS) {
    const ours = range(kqVersions, name)!;
    const theirs = range(kafkaVersions, name);
    expect(theirs, `Apache Kafka does not advertise ${name}`).toBeDefined();
    expect(
      ours.max,
      `${name}: kq advertises v${ours.max}, Apache Kafka only up to v${theirs!.max}`,
    ).toBeLessThanOrEqual(theirs!.max);
    if (ours.min < theirs!.min) olderThanKafka.push(`${name} v${ours.min}-${theirs!.min - 1}`);
  }
  // Versions Kafka 4.0 removed (KIP-896) that kq still serves: answered by kq, refused by Kafka, not compared.
  expect(olderThanKafka).toEqual(KQ_SERVES_BELOW_KAFKA_MIN);
});

it('every known difference in the table was observed in this run (the table stays true)', () => {
  const stale = KNOWN_DIFFERENCES.filter((k: KnownDifference) => SCENARIOS[k.api] && !observedKnown.has(k.id));
  expect(stale.map((k) => k.id)).toEqual([]);
});

it('README.md lists every known difference by its id', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Known differences'), readme.indexOf('## Fixed in kq'));
  const listed = [...section.matchAll(/^\| ([a-z0-9]+(?:-[a-z0-9]+)+) \| /gm)].map((m) => m[1]);
  expect(listed).toEqual(KNOWN_DIFFERENCES.map((k) => k.id));
});
