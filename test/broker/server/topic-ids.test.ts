import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { ZERO_UUID } from '../../../src/broker/protocol/schema/message-codec.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { buildRecordBatch } from '../../../src/broker/record/record-batch-builder.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, fetch, listOffsets, metadata } from '../../../src/broker/client/request-builders.js';

// Topic ids on the wire (KIP-516): Metadata v10+ reports them and v12+ looks topics up by them, Fetch v13+ and
// Produce v13 name topics only by id, and an id the broker does not know is UNKNOWN_TOPIC_ID.

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAg';
let broker: KafkaBroker;
let client: RawKafkaClient;

beforeEach(async () => {
  broker = await KafkaBroker.start();
  client = await RawKafkaClient.connect(broker.port);
  await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'ids', numPartitions: 1 }]));
});

afterEach(async () => {
  client.close();
  await broker.close();
});

async function topicId(): Promise<string> {
  const response = await client.request(ApiKey.Metadata, 12, metadata(['ids']));
  return response.topics[0]!.topicId!;
}

describe('topic ids', () => {
  it('Metadata v10+ reports the id the topic was created with; v12 finds the topic by id, or says UNKNOWN_TOPIC_ID', async () => {
    const id = await topicId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(id).not.toBe(ZERO_UUID);
    const byId = await client.request(ApiKey.Metadata, 12, {
      topics: [
        { name: null, topicId: id },
        { name: null, topicId: UNKNOWN_ID },
      ],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(byId.topics.map((t) => [t.name, t.topicId, t.errorCode])).toEqual([
      ['ids', id, ErrorCode.NONE],
      [null, UNKNOWN_ID, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    const v13 = await client.request(ApiKey.Metadata, 13, metadata(['ids']));
    expect(v13.errorCode).toBe(ErrorCode.NONE);
  });

  it('Produce v13 and Fetch v13+ name the topic by id', async () => {
    const id = await topicId();
    const produced = await client.request(ApiKey.Produce, 13, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topics: [{ name: '', topicId: id, partitions: [{ partitionIndex: 0, records: batchOf(['by-id']) }] }],
    });
    expect(produced.responses[0]).toMatchObject({
      topicId: id,
      partitions: [{ errorCode: ErrorCode.NONE, baseOffset: 0n }],
    });

    const request = fetch('', 0n);
    request.topics[0]!.topicId = id;
    const fetched = await client.request(ApiKey.Fetch, 18, request);
    const partition = fetched.responses[0]!.partitions[0]!;
    expect(fetched.responses[0]!.topicId).toBe(id);
    expect(partition.errorCode).toBe(ErrorCode.NONE);
    const values = [...batchesIn(partition.records!)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString()));
    expect(values).toEqual(['by-id']);
  });

  it('an id the broker does not know is UNKNOWN_TOPIC_ID in Produce v13 and Fetch v13, and nothing is appended', async () => {
    const produced = await client.request(ApiKey.Produce, 13, {
      transactionalId: null,
      acks: 1,
      timeoutMs: 5000,
      topics: [{ name: '', topicId: UNKNOWN_ID, partitions: [{ partitionIndex: 0, records: batchOf(['lost']) }] }],
    });
    expect(produced.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
    const request = fetch('', 0n);
    request.topics[0]!.topicId = UNKNOWN_ID;
    const fetched = await client.request(ApiKey.Fetch, 13, request);
    expect(fetched.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
    expect(broker.log('ids', 0).logEndOffset).toBe(0n);
  });

  it('ListOffsets v7 finds the record with the largest timestamp (-3), v8 the earliest local offset (-4)', async () => {
    const now = Date.now();
    // Offsets 0-1 in one batch, then 2-3: the largest timestamp is offset 1's, inside the first batch.
    for (const timestamps of [
      [now - 3000, now + 5000],
      [now - 1000, now + 5000],
    ]) {
      const records = buildRecordBatch({
        records: timestamps.map((timestamp) => ({ key: null, value: 'v', timestamp })),
      });
      await client.request(ApiKey.Produce, 9, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topics: [{ name: 'ids', partitions: [{ partitionIndex: 0, records }] }],
      });
    }
    const max = await client.request(ApiKey.ListOffsets, 7, listOffsets('ids', -3n));
    expect(max.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 1n, timestamp: BigInt(now + 5000) });
    const local = await client.request(ApiKey.ListOffsets, 8, listOffsets('ids', -4n));
    expect(local.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 0n });
  });
});

describe('topic administration at its flexible versions', () => {
  it('CreateTopics v7 returns the new id, partitions and configs; DeleteTopics v6 deletes by id', async () => {
    const created = await client.request(
      ApiKey.CreateTopics,
      7,
      createTopics([{ name: 'made', numPartitions: 2, configs: { 'retention.ms': '60000' } }]),
    );
    const result = created.topics[0]!;
    expect(result).toMatchObject({ name: 'made', errorCode: ErrorCode.NONE, numPartitions: 2, replicationFactor: 1 });
    expect(result.configs).toContainEqual({
      name: 'retention.ms',
      value: '60000',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
    });
    const id = result.topicId!;
    expect((await client.request(ApiKey.Metadata, 12, metadata(['made']))).topics[0]!.topicId).toBe(id);

    const deleted = await client.request(ApiKey.DeleteTopics, 6, {
      topicNames: [],
      topics: [
        { name: null, topicId: id },
        { name: null, topicId: UNKNOWN_ID },
        { name: 'never', topicId: ZERO_UUID },
      ],
      timeoutMs: 5000,
    });
    expect(deleted.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['made', ErrorCode.NONE],
      [null, ErrorCode.UNKNOWN_TOPIC_ID],
      ['never', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    expect(broker.topics()).not.toContain('made');
  });
});

describe('committed offsets by topic id', () => {
  it('OffsetCommit v10 and OffsetFetch v10 name topics by id; an unknown id is UNKNOWN_TOPIC_ID', async () => {
    const id = await topicId();
    const committed = await client.request(ApiKey.OffsetCommit, 10, {
      groupId: 'by-id',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: '',
          topicId: id,
          partitions: [{ partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, committedMetadata: '' }],
        },
        {
          name: '',
          topicId: UNKNOWN_ID,
          partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' }],
        },
      ],
    });
    expect(committed.topics.map((t) => [t.topicId, t.partitions[0]!.errorCode])).toEqual([
      [id, ErrorCode.NONE],
      [UNKNOWN_ID, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    const fetched = await client.request(ApiKey.OffsetFetch, 10, {
      groupId: '',
      topics: null,
      groups: [
        {
          groupId: 'by-id',
          memberId: null,
          memberEpoch: -1,
          topics: [
            { name: '', topicId: id, partitionIndexes: [0] },
            { name: '', topicId: UNKNOWN_ID, partitionIndexes: [0] },
          ],
        },
      ],
    });
    expect(
      fetched.groups![0]!.topics.map((t) => [t.topicId, t.partitions[0]!.committedOffset, t.partitions[0]!.errorCode]),
    ).toEqual([
      [id, 7n, ErrorCode.NONE],
      [UNKNOWN_ID, -1n, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
  });
});
