import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { fetch } from '../../../src/broker/client/request-builders.js';
import { GroupTestKit } from './group-test-kit.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let kit: GroupTestKit | undefined;
let raw: RawKafkaClient | undefined;
afterEach(async () => {
  raw?.close();
  raw = undefined;
  await kit?.close();
  kit = undefined;
});

const payload = 'x'.repeat(200);

/** A broker checking retention every 50 ms and a topic of 1 KiB segments keeping at most 2 KiB. */
async function smallRetainedTopic(topic: string): Promise<GroupTestKit> {
  kit = await GroupTestKit.start({ config: { 'log.retention.check.interval.ms': 50 } });
  const admin = await kit.admin();
  await admin.createTopics({
    topics: [
      {
        topic,
        numPartitions: 1,
        configEntries: [
          { name: 'internal.segment.bytes', value: '1024' },
          { name: 'retention.bytes', value: '2048' },
        ],
      },
    ],
  });
  return kit;
}

async function fetchError(port: number, topic: string, offset: bigint): Promise<number | undefined> {
  raw ??= await RawKafkaClient.connect(port);
  const response = await raw.request(ApiKey.Fetch, 11, fetch(topic, offset));
  return response.responses[0]?.partitions[0]?.errorCode;
}

describe('retention and DeleteRecords', () => {
  it('retention.bytes deletes whole old segments every log.retention.check.interval.ms; a fetch below the start gets OFFSET_OUT_OF_RANGE', async () => {
    const k = await smallRetainedTopic('ret');
    const producer = await k.producer();
    for (let i = 0; i < 30; i++) await producer.send({ topic: 'ret', messages: [{ value: `${i}-${payload}` }] });
    const log = k.broker.log('ret', 0);
    // Done when deleting the oldest segment would take the log under retention.bytes: then the start stays put.
    await waitUntil(
      () => log.logStartOffset > 0n && log.size - 2048 < (log.segments[0]?.sizeInBytes ?? 0),
      'retention trims the log to retention.bytes',
      5_000,
      { detail: () => `start ${log.logStartOffset}, size ${log.size}, segments ${log.segments.length}` },
    );
    expect(log.segments[0]?.baseOffset).toBe(log.logStartOffset);
    expect(await fetchError(k.broker.port, 'ret', 0n)).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await fetchError(k.broker.port, 'ret', log.logStartOffset)).toBe(ErrorCode.NONE);
  });

  it('the broker default log.retention.ms deletes segments whose newest record is older than it', async () => {
    kit = await GroupTestKit.start({
      config: { 'log.retention.check.interval.ms': 50, 'log.retention.ms': 60_000 },
    });
    const admin = await kit.admin();
    await admin.createTopics({
      topics: [{ topic: 'aged', numPartitions: 1, configEntries: [{ name: 'internal.segment.bytes', value: '1024' }] }],
    });
    const producer = await kit.producer();
    const hourAgo = String(Date.now() - 3_600_000);
    for (let i = 0; i < 10; i++)
      await producer.send({ topic: 'aged', messages: [{ value: `old-${i}-${payload}`, timestamp: hourAgo }] });
    for (let i = 0; i < 10; i++) await producer.send({ topic: 'aged', messages: [{ value: `new-${i}-${payload}` }] });
    const log = kit.broker.log('aged', 0);
    // ~270-byte batches, three to a 1 KiB segment: offsets 0-8 sit in segments of old records only.
    await waitUntil(() => log.logStartOffset >= 8n, 'segments holding only hour-old records are deleted', 5_000, {
      detail: () => `start ${log.logStartOffset}`,
    });
    // Segments with fresh records stay, whatever their size: retention.bytes is unlimited by default.
    expect(log.logStartOffset).toBeLessThanOrEqual(10n);
    expect(log.logEndOffset).toBe(20n);
  });

  it('a group whose committed offset fell below the log start resumes where auto.offset.reset says (earliest)', async () => {
    const k = await smallRetainedTopic('reset');
    const producer = await k.producer();
    await producer.send({ topic: 'reset', messages: [{ value: `0-${payload}` }, { value: `1-${payload}` }] });
    const first = k.consumer({ groupId: 'late' });
    await first.connect();
    await first.subscribe({ topic: 'reset', fromBeginning: true });
    let firstSeen = 0;
    await first.run({ autoCommitThreshold: 1, eachMessage: async () => void (firstSeen += 1) });
    await waitUntil(
      () => k.broker.group('late')?.offsets[0]?.committedOffset === 2n,
      'the group commits offset 2',
      15_000,
    );
    await first.disconnect();

    for (let i = 2; i < 30; i++) await producer.send({ topic: 'reset', messages: [{ value: `${i}-${payload}` }] });
    const log = k.broker.log('reset', 0);
    // Retention ran while we produced; wait until it has nothing left to delete (the log minus its oldest
    // segment is under retention.bytes), so the start offset no longer moves under the consumer.
    await waitUntil(
      () => log.size - 2048 < (log.segments[0]?.sizeInBytes ?? 0),
      'retention has trimmed the log to retention.bytes',
      15_000,
    );
    expect(log.logStartOffset).toBeGreaterThan(2n);

    const offsets: bigint[] = [];
    const second = k.consumer({ groupId: 'late' });
    await second.connect();
    await second.subscribe({ topic: 'reset', fromBeginning: true });
    await second.run({ eachMessage: async ({ message }) => void offsets.push(BigInt(message.offset)) });
    await waitUntil(() => offsets.includes(29n), 'the consumer reads to the end', 15_000);
    // OFFSET_OUT_OF_RANGE at 2 made kafkajs reset to the earliest offset still held: the log start offset.
    expect(offsets[0]).toBe(log.logStartOffset);
    expect(firstSeen).toBe(2);
  });

  it('DeleteRecords (kafkajs admin.deleteTopicRecords) moves the log start offset on request', async () => {
    kit = await GroupTestKit.start();
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'del', numPartitions: 1 }] });
    const producer = await kit.producer();
    await producer.send({ topic: 'del', messages: Array.from({ length: 10 }, (_, i) => ({ value: `${i}` })) });
    // kafkajs looks the leader up in its metadata cache, so it must have fetched the topic's metadata first.
    await admin.fetchTopicMetadata({ topics: ['del'] });
    await admin.deleteTopicRecords({ topic: 'del', partitions: [{ partition: 0, offset: '7' }] });
    expect(await admin.fetchTopicOffsets('del')).toEqual([{ partition: 0, offset: '10', high: '10', low: '7' }]);
    expect(await fetchError(kit.broker.port, 'del', 6n)).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await fetchError(kit.broker.port, 'del', 7n)).toBe(ErrorCode.NONE);
    await admin.deleteTopicRecords({ topic: 'del', partitions: [{ partition: 0, offset: '-1' }] });
    expect((await admin.fetchTopicOffsets('del'))[0]?.low).toBe('10');
  });
});
