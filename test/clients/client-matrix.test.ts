import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedKafkaVersion } from '../../src/kafka/kafka-distribution.js';
import { startOracleTargets, type OracleTarget } from '../oracle/oracle-targets.js';
import type { ClientDriver } from './client-driver.js';
import { readMatrix, writeMatrix, type ClientResults, type ScenarioResult } from './compat-table.js';
import { MATRIX_CLIENTS } from './drivers/index.js';
import { MATRIX_SCENARIOS, type MatrixScenario } from './matrix-scenarios.js';
import { ReferenceTools } from './reference-tools.js';

/**
 * The client compatibility matrix: every client at its defaults and pinned (newest reachable) release, through
 * every scenario, against kq's broker and Apache Kafka (one JVM for the file) with the same code. A scenario
 * that fails on Kafka is a wrong test; on kq it is a broker bug, unless clients/matrix.json records it as a
 * known failure. Every run compares what it observes with clients/matrix.json (from which the README table is
 * generated); `KQ_CLIENT_MATRIX=update npx vitest run test/clients` writes the observations there instead,
 * then `npm run clients:table` regenerates the README.
 */
const UPDATE = process.env.KQ_CLIENT_MATRIX === 'update';
const UPDATE_HINT =
  'if this is intended, run KQ_CLIENT_MATRIX=update npx vitest run test/clients, then npm run clients:table';

let targets: Awaited<ReturnType<typeof startOracleTargets>>;
const observedClients = new Map<string, ClientResults>();

beforeAll(async () => {
  targets = await startOracleTargets();
}, 180_000);

afterAll(async () => {
  await targets?.stop();
  if (UPDATE && observedClients.size > 0) {
    const matrix = readMatrix();
    const clients: Record<string, ClientResults> = {};
    for (const driver of MATRIX_CLIENTS) {
      const entry = observedClients.get(driver.id) ?? matrix.clients[driver.id];
      if (entry) clients[driver.id] = entry;
    }
    writeMatrix({ kafkaVersion: pinnedKafkaVersion(), clients });
  }
}, 60_000);

interface Attempt {
  ok: boolean;
  observed?: string;
  error?: string;
}

async function attempt(scenario: MatrixScenario, driver: ClientDriver, target: OracleTarget): Promise<Attempt> {
  const name = (what: string) => `m-${driver.id}-${what}`;
  try {
    return { ok: true, observed: await scenario.run(driver, new ReferenceTools(target), name) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Both brokers' attempts folded into what clients/matrix.json records. */
function resultOf(kq: Attempt, kafka: Attempt): ScenarioResult {
  if (kq.ok && kafka.ok && kq.observed !== kafka.observed) {
    kq = { ok: false, error: `observed "${kq.observed}" where Apache Kafka observed "${kafka.observed}"` };
  }
  const result: ScenarioResult = { kq: kq.ok ? 'pass' : 'fail', kafka: kafka.ok ? 'pass' : 'fail' };
  if (kafka.observed !== undefined) result.observed = kafka.observed;
  if (!kq.ok) result.kqError = (kq.error ?? '').split('\n')[0]!.slice(0, 160);
  return result;
}

for (const driver of MATRIX_CLIENTS) {
  describe(driver.name, () => {
    const recorded = readMatrix().clients[driver.id];
    const observed: ClientResults = {
      name: driver.name,
      version: '',
      producerDefaults: driver.producerDefaults,
      scenarios: {},
    };
    beforeAll(async () => {
      observed.version = await driver.prepare();
      observedClients.set(driver.id, observed);
    }, 600_000);
    afterAll(async () => {
      await driver.close?.();
    });

    it('is the release clients/matrix.json records', () => {
      if (!UPDATE) expect(observed.version, UPDATE_HINT).toBe(recorded?.version);
    });

    for (const scenario of MATRIX_SCENARIOS) {
      it(`${scenario.column}: passes on Apache Kafka, and on kq as clients/matrix.json records`, async () => {
        let result: ScenarioResult | 'n/a' = 'n/a';
        if (scenario.applies(driver)) {
          const [kq, kafka] = await Promise.all([
            attempt(scenario, driver, targets.kq),
            attempt(scenario, driver, targets.kafka),
          ]);
          result = resultOf(kq, kafka);
          observed.scenarios[scenario.id] = result;
          // the oracle: a scenario Kafka fails is a wrong test or driver, never a finding about kq
          expect(kafka.error, `${driver.name} on Apache Kafka`).toBeUndefined();
          if (!UPDATE && result.kq !== (recorded?.scenarios[scenario.id] as ScenarioResult | undefined)?.kq) {
            expect.fail(
              result.kq === 'fail'
                ? `${driver.name} fails on kq: ${kq.error ?? result.kqError}`
                : `${driver.name} now passes on kq, but clients/matrix.json records a failure (${UPDATE_HINT})`,
            );
          }
        }
        observed.scenarios[scenario.id] = result;
        if (!UPDATE) {
          const { kqError: _recordedError, ...recordedShape } = (recorded?.scenarios[scenario.id] ??
            {}) as ScenarioResult;
          const { kqError: _observedError, ...observedShape } = (result === 'n/a' ? {} : result) as ScenarioResult;
          if (result === 'n/a') expect(recorded?.scenarios[scenario.id], UPDATE_HINT).toBe('n/a');
          else expect(observedShape, UPDATE_HINT).toEqual(recordedShape);
        }
      }, 300_000);
    }
  });
}
