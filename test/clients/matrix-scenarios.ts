import type { Acks, ClientDriver } from './client-driver.js';
import { producedValues } from './client-driver.js';
import type { ReferenceTools } from './reference-tools.js';

/**
 * The scenarios of the compatibility matrix. Each runs the client under test through its own API against one
 * broker and checks the result with the reference tools; it throws (with what it saw) when the client did not
 * get the job done. The same code runs against Apache Kafka, which proves the scenario itself right.
 *
 * A scenario returns an observation worth a table cell (e.g. whether the default producer was idempotent), or
 * nothing; kq's and Kafka's observations must agree.
 */
export interface MatrixScenario {
  /** Key in clients/matrix.json. */
  id: string;
  /** The README table's column header. */
  column: string;
  /** False when the client has no API for it (the cell says "n/a"). */
  applies(driver: ClientDriver): boolean;
  run(driver: ClientDriver, tools: ReferenceTools, name: (what: string) => string): Promise<string | undefined>;
}

const RECORDS = 5;

function expectValues(actual: string[], expected: string[], what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function produceAt(acks: Acks): MatrixScenario {
  return {
    id: `produce-acks-${acks}`,
    column: `produce acks=${acks}`,
    applies: () => true,
    async run(driver, tools, name) {
      const topic = name(`acks-${acks}`);
      await tools.createTopic(topic);
      await driver.produce(tools.target.bootstrap, topic, RECORDS, acks);
      const stored = await tools.read(topic, RECORDS);
      expectValues(
        stored.map((r) => r.value),
        producedValues(RECORDS),
        `partition 0 after producing at acks=${acks}`,
      );
      return undefined;
    },
  };
}

export const MATRIX_SCENARIOS: MatrixScenario[] = [
  produceAt('0'),
  produceAt('1'),
  produceAt('all'),
  {
    id: 'produce-defaults',
    column: 'produce at defaults',
    applies: () => true,
    async run(driver, tools, name) {
      const topic = name('defaults');
      await tools.createTopic(topic);
      await driver.produce(tools.target.bootstrap, topic, RECORDS, undefined);
      const stored = await tools.read(topic, RECORDS);
      expectValues(
        stored.map((r) => r.value),
        producedValues(RECORDS),
        'partition 0 after producing at the defaults',
      );
      // An idempotent producer's batches carry the id InitProducerId gave it; others carry -1.
      return (await tools.firstBatchProducerId(topic)) >= 0n ? 'idempotent' : 'not idempotent';
    },
  },
  {
    id: 'produce-idempotent',
    column: 'produce, idempotence on',
    applies: () => true,
    async run(driver, tools, name) {
      const topic = name('idempotent');
      await tools.createTopic(topic);
      await driver.produce(tools.target.bootstrap, topic, RECORDS, 'idempotent');
      const stored = await tools.read(topic, RECORDS);
      expectValues(
        stored.map((r) => r.value),
        producedValues(RECORDS),
        'partition 0 after producing with idempotence on',
      );
      const producerId = await tools.firstBatchProducerId(topic);
      if (producerId < 0n) throw new Error('the stored batch carries no producer id: the producer was not idempotent');
      return undefined;
    },
  },
  {
    id: 'group-resume',
    column: 'group: join, commit, resume after restart',
    applies: () => true,
    async run(driver, tools, name) {
      const topic = name('group');
      const group = name('group-g');
      await tools.createTopic(topic);
      const first = producedValues(4, 'a');
      const second = producedValues(3, 'b');
      await tools.produce(topic, first);
      expectValues(await driver.consumeInGroup(tools.target.bootstrap, topic, group, 4), first, 'the first member');
      const committed = await tools.committedOffset(group, topic);
      if (committed !== 4)
        throw new Error(`after the first member left, the group's committed offset is ${committed}, not 4`);
      await tools.produce(topic, second);
      // a new consumer instance (a restarted process for the external clients) resumes after the commit
      expectValues(
        await driver.consumeInGroup(tools.target.bootstrap, topic, group, 3),
        second,
        'the member after the restart',
      );
      const resumed = await tools.committedOffset(group, topic);
      if (resumed !== 7) throw new Error(`after the restarted member left, the committed offset is ${resumed}, not 7`);
      return undefined;
    },
  },
  {
    id: 'admin-create',
    column: 'admin: create topic',
    applies: (driver) => driver.createTopic !== undefined,
    async run(driver, tools, name) {
      const topic = name('created');
      const created = await driver.createTopic!(tools.target.bootstrap, topic, 3);
      if (created.partitions !== null && created.partitions !== 3) {
        throw new Error(`the client describes ${created.partitions} partitions, not 3`);
      }
      if (created.listed === false) throw new Error(`the client's topic list does not include ${topic}`);
      // the broker holds the topic whatever the client says: the reference producer can write to it
      await tools.produce(topic, ['created']);
      const calls = ['create', created.listed === null ? '' : 'list', created.partitions === null ? '' : 'describe'];
      return calls.filter(Boolean).join(', ');
    },
  },
];
