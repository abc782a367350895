import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { apiVersionsResponseCodec } from '../../../src/broker/protocol/api-versions/response.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { buildRecordBatch } from '../../../src/broker/record/record-batch-builder.js';
import { ADVERTISED_APIS } from '../../../src/broker/server/kafka-apis.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import {
  batchOf,
  createTopics,
  fetch,
  listOffsets,
  metadata,
  produce,
} from '../../../src/broker/client/request-builders.js';

let broker: KafkaBroker;
let client: RawKafkaClient;
const clients: RawKafkaClient[] = [];

async function newClient(): Promise<RawKafkaClient> {
  const c = await RawKafkaClient.connect(broker.port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  broker = await KafkaBroker.start({ config: { 'message.max.bytes': 2000 } });
  client = await newClient();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker.close();
});

function valuesIn(records: Buffer | null): string[] {
  return [...batchesIn(records ?? Buffer.alloc(0))].flatMap((b) =>
    decodeRecords(b).map((r) => r.value?.toString() ?? ''),
  );
}

/** A producer asks Metadata first, which auto-creates the topic; a Produce alone never creates one (as in Kafka). */
async function topicExists(name: string): Promise<void> {
  await client.request(ApiKey.Metadata, 8, metadata([name]));
}

describe('ApiVersions', () => {
  it.each([0, 1, 2])('v%i lists exactly the served APIs with the codec table’s ranges', async (version) => {
    const response = await client.request(ApiKey.ApiVersions, version, {});
    expect(response.errorCode).toBe(ErrorCode.NONE);
    expect(response.apiKeys).toEqual(
      ADVERTISED_APIS.map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    );
  });

  it.each([3, 4])('v%i (flexible) is answered in kind, its response header staying v0', async (version) => {
    const response = await client.request(ApiKey.ApiVersions, version, {
      clientSoftwareName: 'kq-test',
      clientSoftwareVersion: '1.0',
    });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    expect(response.apiKeys).toEqual(
      ADVERTISED_APIS.map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    );
  });

  it('answers librdkafka’s v3 probe (captured bytes) with a v3 body after a v0 header', async () => {
    // ApiVersions v3 uses the flexible header v2: client id, then an empty tagged-field buffer.
    const header = Buffer.from('0012000300000007000772646b61666b6100', 'hex');
    const body = Buffer.from('0b6c696272646b61666b6106322e302e3200', 'hex');
    const frame = Buffer.concat([Buffer.alloc(4), header, body]);
    frame.writeInt32BE(frame.length - 4, 0);
    client.sendRaw(frame);
    const response = await client.nextFrame();
    expect(response.readInt32BE(0)).toBe(7);
    const decoded = apiVersionsResponseCodec.decode(3, new ByteReader(response, 4));
    expect(decoded.errorCode).toBe(ErrorCode.NONE);
    expect(decoded.apiKeys.length).toBe(ADVERTISED_APIS.length);
  });

  it('answers a version above its maximum with a v0 body carrying error 35 and the ranges (KIP-511)', async () => {
    // A future ApiVersions v9 is flexible too (3+): header v2, and a body kq cannot know.
    const header = Buffer.from('0012000900000008000772646b61666b6100', 'hex');
    const frame = Buffer.concat([Buffer.alloc(4), header, Buffer.from('ffffff', 'hex')]);
    frame.writeInt32BE(frame.length - 4, 0);
    client.sendRaw(frame);
    const response = await client.nextFrame();
    expect(response.readInt32BE(0)).toBe(8);
    const decoded = apiVersionsResponseCodec.decode(0, new ByteReader(response, 4));
    expect(decoded.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(decoded.apiKeys.length).toBe(ADVERTISED_APIS.length);
    expect(client.isClosed).toBe(false);
  });

  it('refuses a v3 request whose client software name Kafka would not accept, with INVALID_REQUEST', async () => {
    const response = await client.request(ApiKey.ApiVersions, 3, {
      clientSoftwareName: 'has space',
      clientSoftwareVersion: '1.0',
    });
    expect(response.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(response.apiKeys).toEqual([]);
  });
});

describe('Metadata', () => {
  it('advertises the host and port the broker listens on, as the controller', async () => {
    const response = await client.request(ApiKey.Metadata, 8, metadata(null));
    expect(response.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: broker.port, rack: null }]);
    expect(response.controllerId).toBe(0);
    expect(response.clusterId).toBe(broker.clusterId);
  });

  it('auto-creates a requested topic with num.partitions when allowed', async () => {
    const response = await client.request(ApiKey.Metadata, 8, metadata(['auto']));
    expect(response.topics[0]).toMatchObject({ errorCode: ErrorCode.NONE, name: 'auto' });
    expect(response.topics[0]?.partitions).toEqual([
      {
        errorCode: 0,
        partitionIndex: 0,
        leaderId: 0,
        leaderEpoch: 0,
        replicaNodes: [0],
        isrNodes: [0],
        offlineReplicas: [],
      },
    ]);
    expect(broker.topics()).toEqual(['auto']);
  });

  it.each([
    ['the client disallows auto-creation', 'nope', false, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ['the name is illegal', 'bad/name', true, ErrorCode.INVALID_TOPIC_EXCEPTION],
  ])('does not create a topic when %s', async (_why, name, allow, code) => {
    const response = await client.request(ApiKey.Metadata, 8, metadata([name], allow));
    expect(response.topics[0]?.errorCode).toBe(code);
    expect(broker.topics()).toEqual([]);
  });

  it('treats an empty topic list as "all topics" in v0 only', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 't1' }]));
    expect((await client.request(ApiKey.Metadata, 0, metadata([]))).topics.map((t) => t.name)).toEqual(['t1']);
    expect((await client.request(ApiKey.Metadata, 1, metadata([]))).topics).toEqual([]);
  });
});

describe('Produce', () => {
  it('appends, assigns offsets from the log end, and serves the stored batch back in Fetch', async () => {
    await topicExists('orders');
    const first = await client.request(ApiKey.Produce, 8, produce('orders', batchOf(['a', 'b'])));
    const second = await client.request(ApiKey.Produce, 8, produce('orders', batchOf(['c'])));
    expect(first.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(second.responses[0]?.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 2n });
    const fetched = await client.request(ApiKey.Fetch, 11, fetch('orders', 0n));
    const partition = fetched.responses[0]?.partitions[0];
    expect(partition).toMatchObject({ errorCode: 0, highWatermark: 3n, lastStableOffset: 3n, logStartOffset: 0n });
    expect(valuesIn(partition?.records ?? null)).toEqual(['a', 'b', 'c']);
  });

  it.each([0, 1, 2])(
    'refuses Produce v%i with UNSUPPORTED_VERSION and appends nothing (Kafka 4.0)',
    async (version) => {
      const response = await client.request(ApiKey.Produce, version, produce('old', batchOf(['x'])));
      expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(broker.topics()).toEqual([]);
    },
  );

  it('serves Produce from v3, the first version carrying RecordBatch v2', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'v3' }]));
    const response = await client.request(ApiKey.Produce, 3, produce('v3', batchOf(['x'])));
    expect(response.responses[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 0n });
    expect(broker.log('v3', 0).logEndOffset).toBe(1n);
  });

  it.each([
    ['a batch whose CRC does not match', () => corruptCrc(batchOf(['x'])), ErrorCode.CORRUPT_MESSAGE],
    ['a batch above message.max.bytes', () => batchOf(['y'.repeat(3000)]), ErrorCode.MESSAGE_TOO_LARGE],
  ])('rejects %s and appends nothing', async (_what, records, code) => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'guarded' }]));
    const response = await client.request(ApiKey.Produce, 8, produce('guarded', records()));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(code);
    expect(broker.log('guarded', 0).logEndOffset).toBe(0n);
  });

  it('refuses acks=2 to an existing topic with INVALID_REQUIRED_ACKS, appending nothing', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'acks' }]));
    const response = await client.request(ApiKey.Produce, 8, { ...produce('acks', batchOf(['x'])), acks: 2 });
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(broker.log('acks', 0).logEndOffset).toBe(0n);
  });

  it('answers acks=2 to an unknown topic with UNKNOWN_TOPIC_OR_PARTITION: the topic is resolved before acks, as in Kafka', async () => {
    const response = await client.request(ApiKey.Produce, 8, { ...produce('nowhere', batchOf(['x'])), acks: 2 });
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(broker.topics()).toEqual([]);
  });

  it.each([
    [
      'a transactional id (no transactions here)',
      { ...produce('refused', batchOf(['x'])), transactionalId: 'tx-1' },
      ErrorCode.INVALID_REQUEST,
    ],
  ])('refuses %s without appending', async (_what, request, code) => {
    const response = await client.request(ApiKey.Produce, 8, request);
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(code);
    expect(broker.topics()).toEqual([]);
  });

  it('rejects an illegal topic name with INVALID_TOPIC_EXCEPTION', async () => {
    const response = await client.request(ApiKey.Produce, 8, produce('no spaces', batchOf(['x'])));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('refuses a client produce to the internal __consumer_offsets topic, creating nothing', async () => {
    const response = await client.request(ApiKey.Produce, 8, produce('__consumer_offsets', batchOf(['x'])));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(broker.topics()).not.toContain('__consumer_offsets');
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic and creates nothing: only Metadata auto-creates', async () => {
    const response = await client.request(ApiKey.Produce, 8, produce('missing', batchOf(['x'])));
    expect(response.responses[0]?.partitions[0]).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      baseOffset: -1n,
      logStartOffset: -1n,
    });
    expect(broker.topics()).toEqual([]);
  });

  it('sends no response for acks=0: the next request’s response is the next frame', async () => {
    await topicExists('quiet');
    client.send(ApiKey.Produce, 8, produce('quiet', batchOf(['fire-and-forget']), { acks: 0 }));
    const correlationId = client.send(ApiKey.Metadata, 8, metadata(['quiet']));
    const frame = await client.nextFrame();
    expect(frame.readInt32BE(0)).toBe(correlationId);
    expect(broker.log('quiet', 0).logEndOffset).toBe(1n);
  });

  it('closes the connection when an acks=0 produce fails, the only way to tell that client', async () => {
    client.send(ApiKey.Produce, 8, produce('quiet', corruptCrc(batchOf(['x'])), { acks: 0 }));
    await client.expectClosed();
  });
});

describe('Fetch', () => {
  it('long-polls: waits for min_bytes and answers as soon as an append brings them', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'poll' }]));
    const consumer = await newClient();
    const pending = consumer.request(ApiKey.Fetch, 11, fetch('poll', 0n, { maxWaitMs: 20_000, minBytes: 1 }));
    await waitUntil(() => broker.metrics().delayedFetches === 1, 'the fetch to be parked in the purgatory');
    await client.request(ApiKey.Produce, 8, produce('poll', batchOf(['wake'])));
    const response = await pending;
    expect(valuesIn(response.responses[0]?.partitions[0]?.records ?? null)).toEqual(['wake']);
    expect(broker.metrics().delayedFetches).toBe(0);
  });

  it('answers an empty fetch after max_wait_ms when nothing arrives', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'idle' }]));
    const started = Date.now();
    const response = await client.request(ApiKey.Fetch, 11, fetch('idle', 0n, { maxWaitMs: 150 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.responses[0]?.partitions[0]?.records?.length ?? 0).toBe(0);
  });

  it('returns at least one whole batch even when it exceeds max_bytes, and respects max_bytes after it', async () => {
    await topicExists('big');
    for (const value of ['first', 'second', 'third'])
      await client.request(ApiKey.Produce, 8, produce('big', batchOf([value.repeat(20)])));
    const response = await client.request(ApiKey.Fetch, 11, fetch('big', 0n, { maxBytes: 10, partitionMaxBytes: 10 }));
    expect(valuesIn(response.responses[0]?.partitions[0]?.records ?? null)).toEqual(['first'.repeat(20)]);
  });

  it.each([
    ['above the log end offset', 5n],
    ['below the log start offset', -1n],
  ])('answers OFFSET_OUT_OF_RANGE for an offset %s', async (_where, offset) => {
    await topicExists('range');
    await client.request(ApiKey.Produce, 8, produce('range', batchOf(['only'])));
    const response = await client.request(ApiKey.Fetch, 11, fetch('range', offset));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it.each([
    ['older', -1, ErrorCode.NONE],
    ['newer', 1, ErrorCode.UNKNOWN_LEADER_EPOCH],
  ])('checks the client’s current leader epoch (%s)', async (_which, epoch, code) => {
    await topicExists('epochs');
    await client.request(ApiKey.Produce, 8, produce('epochs', batchOf(['x'])));
    const response = await client.request(ApiKey.Fetch, 11, fetch('epochs', 0n, { currentLeaderEpoch: epoch }));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(code);
  });
});

describe('ListOffsets', () => {
  it('finds earliest (-2), latest (-1) and the first offset at or after a timestamp', async () => {
    const batch = batchAt;
    await topicExists('times');
    await client.request(ApiKey.Produce, 8, produce('times', batch('a', 1000)));
    await client.request(ApiKey.Produce, 8, produce('times', batch('b', 2000)));
    await client.request(ApiKey.Produce, 8, produce('times', batch('c', 3000)));
    const ask = async (ts: bigint) =>
      (await client.request(ApiKey.ListOffsets, 5, listOffsets('times', ts))).topics[0]?.partitions[0];
    expect(await ask(-2n)).toMatchObject({ errorCode: 0, offset: 0n });
    expect(await ask(-1n)).toMatchObject({ errorCode: 0, offset: 3n });
    expect(await ask(1500n)).toMatchObject({ errorCode: 0, offset: 1n, timestamp: 2000n });
    expect(await ask(9999n)).toMatchObject({ errorCode: 0, offset: -1n });
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition the broker does not have', async () => {
    const response = await client.request(ApiKey.ListOffsets, 5, listOffsets('ghost', -1n));
    expect(response.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('CreateTopics / DeleteTopics / CreatePartitions', () => {
  it.each([
    ['an illegal name', { name: '..' }, ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['replication factor 3 on one broker', { name: 'rf', replicationFactor: 3 }, ErrorCode.INVALID_REPLICATION_FACTOR],
    ['zero partitions', { name: 'zero', numPartitions: 0 }, ErrorCode.INVALID_PARTITIONS],
    ['an unknown config', { name: 'cfg', configs: { 'segment.byte': '100' } }, ErrorCode.INVALID_CONFIG],
    [
      'segment.bytes below 1 MiB (KIP-1030)',
      { name: 'small', configs: { 'segment.bytes': '1048575' } },
      ErrorCode.INVALID_CONFIG,
    ],
    ['cleanup.policy=compact', { name: 'compact', configs: { 'cleanup.policy': 'compact' } }, ErrorCode.INVALID_CONFIG],
    ['a null config value', { name: 'nul', configs: { 'retention.ms': null } }, ErrorCode.INVALID_CONFIG],
  ])('refuses %s', async (_what, topic, code) => {
    const response = await client.request(ApiKey.CreateTopics, 4, createTopics([topic]));
    expect(response.topics[0]?.errorCode).toBe(code);
    expect(response.topics[0]?.errorMessage).toBeTruthy();
    expect(broker.topics()).toEqual([]);
  });

  it('creates with per-topic configs and -1 defaults, then refuses the same name with TOPIC_ALREADY_EXISTS', async () => {
    const created = await client.request(
      ApiKey.CreateTopics,
      4,
      createTopics([
        { name: 'cfg', numPartitions: -1, replicationFactor: -1, configs: { 'internal.segment.bytes': '1024' } },
      ]),
    );
    expect(created.topics[0]).toMatchObject({ name: 'cfg', errorCode: 0, errorMessage: null });
    const again = await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'cfg' }]));
    expect(again.topics[0]?.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    for (let i = 0; i < 30; i++) await client.request(ApiKey.Produce, 8, produce('cfg', batchOf(['x'.repeat(50)])));
    expect(broker.log('cfg', 0).segments.length).toBeGreaterThan(1);
  });

  it('validate_only checks without creating', async () => {
    const response = await client.request(
      ApiKey.CreateTopics,
      4,
      createTopics([{ name: 'dry', numPartitions: 3 }], true),
    );
    expect(response.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(broker.topics()).toEqual([]);
  });

  it('adds partitions (only more), and deletes a topic with its directories', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'grow', numPartitions: 1 }]));
    const grown = await client.request(ApiKey.CreatePartitions, 1, {
      topics: [{ name: 'grow', count: 3, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(grown.results[0]?.errorCode).toBe(ErrorCode.NONE);
    const shrink = await client.request(ApiKey.CreatePartitions, 1, {
      topics: [{ name: 'grow', count: 2, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(shrink.results[0]?.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    const meta = await client.request(ApiKey.Metadata, 8, metadata(['grow']));
    expect(meta.topics[0]?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
    const deleted = await client.request(ApiKey.DeleteTopics, 3, { topicNames: ['grow', 'never'], timeoutMs: 5000 });
    expect(deleted.responses).toMatchObject([
      { name: 'grow', errorCode: ErrorCode.NONE },
      { name: 'never', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
    expect(broker.topics()).toEqual([]);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(broker.dataDir).filter((f) => f.startsWith('grow'))).toEqual([]);
  });
});

describe('FindCoordinator / DeleteRecords', () => {
  it('names this broker as every group’s coordinator', async () => {
    const response = await client.request(ApiKey.FindCoordinator, 2, { key: 'my-group', keyType: 0 });
    expect(response).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 0, host: '127.0.0.1', port: broker.port });
  });

  it('moves the log start offset, after which older offsets are out of range', async () => {
    await topicExists('trim');
    for (const v of ['a', 'b', 'c']) await client.request(ApiKey.Produce, 8, produce('trim', batchOf([v])));
    const deleted = await client.request(ApiKey.DeleteRecords, 1, {
      topics: [
        {
          name: 'trim',
          partitions: [
            { partitionIndex: 0, offset: 2n },
            { partitionIndex: 1, offset: 0n },
          ],
        },
      ],
      timeoutMs: 5000,
    });
    expect(deleted.topics[0]?.partitions).toEqual([
      { partitionIndex: 0, lowWatermark: 2n, errorCode: ErrorCode.NONE },
      { partitionIndex: 1, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
    expect((await client.request(ApiKey.Fetch, 11, fetch('trim', 1n))).responses[0]?.partitions[0]?.errorCode).toBe(
      ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    expect(
      (await client.request(ApiKey.ListOffsets, 5, listOffsets('trim', -2n))).topics[0]?.partitions[0]?.offset,
    ).toBe(2n);
    const beyond = await client.request(ApiKey.DeleteRecords, 1, {
      topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, offset: 9n }] }],
      timeoutMs: 5000,
    });
    expect(beyond.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });
});

describe('close', () => {
  it('answers a parked long poll when the broker closes instead of dropping it', async () => {
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'parked' }]));
    const pending = client.request(ApiKey.Fetch, 11, fetch('parked', 0n, { maxWaitMs: 30_000 }), 10_000);
    await waitUntil(() => broker.metrics().delayedFetches === 1, 'the fetch to be parked');
    const closing = broker.close();
    const response = await pending;
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
    await closing;
  });
});

describe('connections the broker closes', () => {
  it.each([
    ['an unknown api key', frameWithHeader(99, 0)],
    ['an unsupported Fetch version', frameWithHeader(ApiKey.Fetch, 3)],
    ['an unserved api (JoinGroup)', frameWithHeader(ApiKey.JoinGroup, 0)],
    ['a body that does not decode', frameWithHeader(ApiKey.Metadata, 1, Buffer.from([0x7f, 0xff, 0xff, 0xff]))],
    ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xfe])],
    ['a frame above socket.request.max.bytes', Buffer.from([0x7f, 0xff, 0xff, 0xff])],
  ])('closes the connection on %s and keeps serving others', async (_what, bytes) => {
    const bad = await newClient();
    bad.sendRaw(bytes);
    await bad.expectClosed();
    const response = await client.request(ApiKey.ApiVersions, 2, {});
    expect(response.errorCode).toBe(ErrorCode.NONE);
  });
});

function frameWithHeader(apiKey: number, apiVersion: number, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(1, 4);
  header.writeInt16BE(-1, 8); // null client id
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

function corruptCrc(batch: Buffer): Buffer {
  const copy = Buffer.from(batch);
  copy.writeUInt8(copy.readUInt8(copy.length - 1) ^ 0xff, copy.length - 1);
  return copy;
}

function batchAt(value: string, timestamp: number): Buffer {
  return buildRecordBatch({ records: [{ value, timestamp }], now: timestamp });
}
