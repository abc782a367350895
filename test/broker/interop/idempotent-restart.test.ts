import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import {
  createTopics,
  fetch,
  idempotentBatchOf,
  initProducerId,
  produce,
} from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';

const TOPIC = 'orders';
let dataDir: string;
const processes: BrokerProcess[] = [];
const clients: RawKafkaClient[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kq-idem-restart-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RawKafkaClient> {
  const proc = await startBrokerProcess(['--data-dir', dataDir]);
  processes.push(proc);
  const client = await RawKafkaClient.connect(proc.port);
  clients.push(client);
  return client;
}

async function stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  for (const c of clients.splice(0)) c.close();
  const proc = processes.pop() as BrokerProcess;
  proc.child.kill(signal);
  expect(await proc.exited).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
}

const batchFor = (producerId: bigint, seq: number) =>
  idempotentBatchOf([`v${seq}-${'x'.repeat(60)}`], { producerId, baseSequence: seq });

async function sendBatch(client: RawKafkaClient, producerId: bigint, seq: number) {
  const response = await client.request(ApiKey.Produce, 8, produce(TOPIC, batchFor(producerId, seq)));
  return response.responses[0]?.partitions[0];
}

async function stored(client: RawKafkaClient): Promise<string[]> {
  const values: string[] = [];
  for (let offset = 0n; ;) {
    const response = await client.request(ApiKey.Fetch, 11, fetch(TOPIC, offset));
    const batches = [...batchesIn(response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0))];
    if (batches.length === 0) return values;
    for (const b of batches) {
      values.push(...decodeRecords(b).map((r) => (r.value?.toString() ?? '').split('-')[0] as string));
      offset = b.nextOffset;
    }
  }
}

describe.each(['SIGTERM', 'SIGKILL'] as const)('idempotent producer across a broker restart (%s)', (signal) => {
  it('still de-duplicates a batch retried after the restart, and never reissues the producer id', async () => {
    const first = await start();
    // Small segments, so the state comes back from a roll-time snapshot plus replay, not only the close-time one.
    await first.request(
      ApiKey.CreateTopics,
      4,
      createTopics([{ name: TOPIC, configs: { 'internal.segment.bytes': '500' } }]),
    );
    const init = await first.request(ApiKey.InitProducerId, 1, initProducerId());
    const producerId = init.producerId;
    const offsets: bigint[] = [];
    for (let seq = 0; seq < 20; seq++) offsets.push((await sendBatch(first, producerId, seq))?.baseOffset ?? -1n);
    expect(offsets).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
    await stop(signal);
    expect(readdirSync(join(dataDir, `${TOPIC}-0`)).filter((f) => f.endsWith('.snapshot')).length).toBeGreaterThan(1);

    const second = await start();
    // The last five batches' responses were lost in the restart: each retry gets its original offset back.
    for (let seq = 15; seq < 20; seq++) {
      expect(await sendBatch(second, producerId, seq)).toMatchObject({
        errorCode: ErrorCode.NONE,
        baseOffset: BigInt(seq),
      });
    }
    expect(await sendBatch(second, producerId, 22)).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(await sendBatch(second, producerId, 20)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 20n });
    expect(await stored(second)).toEqual(Array.from({ length: 21 }, (_, i) => `v${i}`));

    const next = await second.request(ApiKey.InitProducerId, 1, initProducerId());
    expect(next.errorCode).toBe(ErrorCode.NONE);
    expect(next.producerId).toBeGreaterThan(producerId);
  });
});
