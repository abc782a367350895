import type { Consumer } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { readPartitionFromDisk } from '../src/demo/partition-on-disk.js';
import { waitUntil, Signal } from '../src/broker/index.js';

/**
 * Proves kafka-vs-traditional-mq (and what-is-kafka's "replay"): Kafka is a log, not a queue. Reading deletes
 * nothing — two groups read the same records independently and one can seek back and read them again — and
 * records go only by retention, which deletes whole old segments (the log start offset jumps to a segment's base
 * offset) whether or not any group has read them; a group left behind resumes at the new log start.
 * Reads the partition's segment files in the broker's data dir (kq's, or Apache Kafka's with --kafka), so it needs
 * the broker's machine. Sizes are Kafka-legal: 1 MiB segments (Kafka 4.x's minimum) of ten ~100 KB records.
 */
const SEGMENT_BYTES = 1_048_576;
/** Each record's value: ten records fill a 1 MiB segment. */
const VALUE_BYTES = 100_000;
const FIRST = 20;
const SECOND = 40;
/** A bound on every wait (group joins, commits, a retention pass); the demo moves on as soon as each happens. */
const WAIT_MS = 20_000;
/** The retention check interval the demo needs from the broker (Kafka's default is 5 minutes). */
const RETENTION_CHECK_MS = 1000;

interface Read {
  offset: bigint;
  value: string;
}

export default defineDemo({
  id: 'retention-replay',
  title: {
    zh: '日志而非队列：多组独立消费、回放与按 segment 的保留删除',
    en: 'A log, not a queue: independent groups, replay, and retention by segment',
  },
  claim: {
    zh: '消费不会删除记录：两个组各自读到全部记录，消费者可以 seek 回去重读；记录只由保留策略删除，且按整个 segment 删除（log start offset 移到 segment 边界），与是否有人消费过无关',
    en: 'consuming deletes nothing: two groups each read every record and a consumer can seek back and read them again; records go only by retention, a whole segment at a time (the log start offset moves to a segment boundary), whether or not anyone consumed them',
  },
  needs: 'internals',
  knobs: {
    'retention.bytes': {
      // 6 segments of ~1 MB are written; up to 2.5 MiB, retention deletes past group B's commit at offset 20.
      default: 2_097_152,
      min: 1_048_576,
      max: 2_621_440,
      about: {
        zh: 'topic 的 retention.bytes（第二批写入让日志超过它）',
        en: "the topic's retention.bytes (the second batch of writes takes the log past it)",
      },
    },
  },
  async run(ctx) {
    const RETENTION_BYTES = ctx.knobs['retention.bytes'];
    ctx.step({
      zh: `broker 每 ${RETENTION_CHECK_MS} ms 做一次保留检查（log.retention.check.interval.ms）；创建 topic：segment.bytes=${SEGMENT_BYTES}，retention.bytes=${RETENTION_BYTES}`,
      en: `a broker that checks retention every ${RETENTION_CHECK_MS} ms (log.retention.check.interval.ms), and a topic with segment.bytes=${SEGMENT_BYTES}, retention.bytes=${RETENTION_BYTES}`,
    });
    // The retention check interval is a broker setting: kq's broker is started with it; Apache Kafka must have
    // been (kq starts it so for --kafka).
    let bootstrap: string;
    let dataDir: string;
    if (ctx.target === 'apache-kafka' && ctx.apacheKafka && ctx.host) {
      const interval = Number(ctx.apacheKafka.node(1).spec.config['log.retention.check.interval.ms'] ?? 300_000);
      if (interval > RETENTION_CHECK_MS)
        throw new Error(
          `this Apache Kafka checks retention every ${interval} ms; start it with log.retention.check.interval.ms=${RETENTION_CHECK_MS}`,
        );
      bootstrap = ctx.bootstrap;
      dataDir = ctx.host.dataDir;
    } else {
      const broker = await ctx.startBroker({
        config: { 'log.retention.check.interval.ms': RETENTION_CHECK_MS, 'group.initial.rebalance.delay.ms': 0 },
      });
      bootstrap = broker.bootstrap;
      dataDir = broker.dataDir;
    }
    const topic = ctx.topic('retention');
    const kafka = (clientId: string) => ctx.kafka({ brokers: bootstrap.split(','), clientId });
    const admin = kafka('admin').admin();
    ctx.defer(() => admin.disconnect());
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          configEntries: [
            { name: 'segment.bytes', value: String(SEGMENT_BYTES) },
            { name: 'retention.bytes', value: String(RETENTION_BYTES) },
          ],
        },
      ],
    });
    const producer = kafka('producer').producer();
    ctx.defer(() => producer.disconnect());
    await producer.connect();
    const onDisk = () => readPartitionFromDisk(dataDir, topic, 0).segments;
    const boundaries = new Set<bigint>();
    const produce = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        await producer.send({
          topic,
          acks: -1,
          messages: [{ value: `record-${String(i).padStart(3, '0')} ${'x'.repeat(VALUE_BYTES)}` }],
        });
        for (const s of onDisk()) boundaries.add(s.nameOffset);
      }
    };
    ctx.step({
      zh: `写入 ${FIRST} 条约 100 KB 的记录（约 ${(FIRST * VALUE_BYTES) / 1e6} MB，低于 retention.bytes）`,
      en: `produce ${FIRST} records of ~100 KB (~${(FIRST * VALUE_BYTES) / 1e6} MB, under retention.bytes)`,
    });
    await produce(0, FIRST);

    const progress = new Signal();
    const groupA = ctx.topic('group-a');
    const groupB = ctx.topic('group-b');
    /** A group's committed offset, as a client asks for it (OffsetFetch); -1 for none. */
    const committedOffset = async (groupId: string) =>
      BigInt((await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions[0]?.offset ?? '-1');
    const reads = new Map<string, Read[]>([
      [groupA, []],
      [groupB, []],
    ]);
    const startConsumer = async (groupId: string): Promise<Consumer> => {
      const consumer = kafka(groupId).consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
      ctx.defer(() => consumer.disconnect());
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          reads.get(groupId)!.push({ offset: BigInt(message.offset), value: message.value?.toString() ?? '' });
          progress.notify();
        },
      });
      return consumer;
    };
    const committed = (groupId: string, offset: bigint) =>
      waitUntil(
        async () => (await committedOffset(groupId)) >= offset,
        `${groupId} committing offset ${offset}`,
        WAIT_MS,
        {
          everyMs: 100,
        },
      );

    ctx.step({
      zh: `两个消费者组 A、B 各用一个 kafkajs 消费者从头读`,
      en: `two consumer groups, A and B, each read from the beginning with one kafkajs consumer`,
    });
    const consumerA = await startConsumer(groupA);
    const consumerB = await startConsumer(groupB);
    await progress.until(
      () => [...reads.values()].every((r) => r.length >= FIRST),
      `both groups reading ${FIRST} records`,
      WAIT_MS,
    );
    await Promise.all([committed(groupA, BigInt(FIRST)), committed(groupB, BigInt(FIRST))]);
    const readA = reads.get(groupA)!.slice(0, FIRST);
    const readB = reads.get(groupB)!.slice(0, FIRST);
    ctx.observe('group A read', `${readA.length} records, offsets ${readA[0]?.offset}..${readA.at(-1)?.offset}`);
    ctx.observe('group B read', `${readB.length} records, offsets ${readB[0]?.offset}..${readB.at(-1)?.offset}`);
    // Fails if the groups split the records between them (queue semantics) or either missed or reordered some.
    const sameRecords =
      readA.length === FIRST &&
      readA.every((r, i) => r.offset === BigInt(i) && r.value === readB[i]?.value && readB[i]?.offset === r.offset);
    ctx.check(
      {
        zh: '两个组各自读到了全部记录，内容和顺序完全相同（组间互不影响）',
        en: 'each group read every record, same content in the same order (groups are independent)',
      },
      {
        pass: sameRecords,
        expected: { zh: `A 和 B：offset 0..${FIRST - 1}，完全相同`, en: `A and B: offsets 0..${FIRST - 1}, identical` },
        actual: {
          zh: `A ${readA.length} 条，B ${readB.length} 条，${sameRecords ? '完全相同' : '不同'}`,
          en: `A ${readA.length} records, B ${readB.length} records, identical: ${sameRecords}`,
        },
      },
    );

    const afterRead = await admin.fetchTopicOffsets(topic);
    const { low, high } = afterRead[0]!;
    // Fails if consuming or committing removed records (a queue deleting acknowledged messages).
    ctx.check(
      {
        zh: '两个组都提交了 offset 之后，日志里的记录一条没少：log start offset 仍是 0',
        en: 'after both groups committed, the log still holds every record: the log start offset is still 0',
      },
      {
        pass: low === '0' && high === String(FIRST),
        expected: `earliest 0, latest ${FIRST}`,
        actual: `earliest ${low}, latest ${high}`,
      },
    );

    ctx.step({
      zh: `组 B 的消费者下线（已提交 offset ${FIRST}）；组 A 的消费者 seek 回 offset 0 重读`,
      en: `group B's consumer goes away (committed offset ${FIRST}); group A's consumer seeks back to offset 0 and reads again`,
    });
    await consumerB.disconnect();
    const replayFrom = reads.get(groupA)!.length;
    consumerA.seek({ topic, partition: 0, offset: '0' });
    await progress.until(
      () => reads.get(groupA)!.length >= replayFrom + FIRST,
      `group A re-reading ${FIRST} records`,
      WAIT_MS,
    );
    const replay = reads.get(groupA)!.slice(replayFrom, replayFrom + FIRST);
    // Fails if the records were gone after being read once, or the replay started elsewhere.
    ctx.check(
      { zh: '回放：seek 到 0 后又读到了同样的记录', en: 'replay: after seeking to 0 the same records came back' },
      {
        pass:
          replay.length === FIRST &&
          replay.every((r, i) => r.offset === readA[i]!.offset && r.value === readA[i]!.value),
        expected: { zh: `再次读到 offset 0..${FIRST - 1}，值相同`, en: `offsets 0..${FIRST - 1} again, same values` },
        actual: {
          zh: `offset ${replay[0]?.offset}..${replay.at(-1)?.offset}，值${replay.every((r, i) => r.value === readA[i]?.value) ? '相同' : '不同'}`,
          en: `offsets ${replay[0]?.offset}..${replay.at(-1)?.offset}, same values: ${replay.every((r, i) => r.value === readA[i]?.value)}`,
        },
      },
    );

    ctx.step({
      zh: `再写入 ${SECOND} 条记录，日志超过 retention.bytes；等待保留检查删除旧 segment`,
      en: `produce ${SECOND} more records, taking the log past retention.bytes; wait for the retention check to delete old segments`,
    });
    await produce(FIRST, SECOND);
    // Retention's fixpoint: deleting the oldest remaining segment would take the log under retention.bytes.
    // Read from the data dir (a deleted segment is gone, or renamed *.deleted by Kafka) and from ListOffsets.
    const settled = async () => {
      const segments = onDisk();
      const sizes = segments.map((s) => s.bytes);
      const low = (await admin.fetchTopicOffsets(topic))[0]!.low;
      return sizes.reduce((a, b) => a + b, 0) - sizes[0]! < RETENTION_BYTES && low === String(segments[0]!.nameOffset);
    };
    // Bounded, and judged by the checks below: a log that retention never brings down fails them.
    const retained = await eventually(settled, WAIT_MS);
    const start = BigInt((await admin.fetchTopicOffsets(topic))[0]!.low);
    const remaining = onDisk();
    const size = remaining.reduce((sum, s) => sum + s.bytes, 0);
    ctx.observe(
      'segment base offsets seen while producing',
      [...boundaries].sort((a, b) => (a < b ? -1 : 1)).join(' '),
    );
    ctx.observe(
      'after retention',
      `log start offset ${start}; ${remaining.length} segments, ${size} B; first segment ${remaining[0]?.fileName}`,
    );
    ctx.observe(
      'committed offsets',
      `group A ${await committedOffset(groupA)}, group B ${await committedOffset(groupB)}`,
    );
    // Fails if retention cut inside a segment (the start would not be a base offset the log had) or the first
    // remaining segment does not start at the log start offset.
    ctx.check(
      {
        zh: '保留策略删除的是整个 segment：新的 log start offset 恰好是原来某个 segment 的基准 offset',
        en: 'retention deleted whole segments: the new log start offset is the base offset of a segment the log had',
      },
      {
        pass: retained && boundaries.has(start) && remaining[0]?.nameOffset === start,
        expected: {
          zh: `${WAIT_MS} ms 内日志降到 retention.bytes 以下；起点是 ${[...boundaries].join(', ')} 之一`,
          en: `the log under retention.bytes within ${WAIT_MS} ms; a start offset among ${[...boundaries].join(', ')}`,
        },
        actual: {
          zh: `${retained ? '已低于 retention.bytes' : `仍有 ${size} B（retention.bytes ${RETENTION_BYTES}）`}；起点 ${start}`,
          en: `${retained ? 'under retention.bytes' : `still ${size} B (retention.bytes ${RETENTION_BYTES})`}; start ${start}`,
        },
      },
    );
    const earliest = (await admin.fetchTopicOffsets(topic))[0]!.low;
    // Fails if retention respected the lagging group (kept what B has not read) — a queue would.
    ctx.check(
      {
        zh: '删除与是否被消费无关：组 B 从未读过的记录也被删除了',
        en: 'deletion ignores consumption: records group B never read were deleted too',
      },
      {
        pass: start > BigInt(FIRST) && earliest === String(start),
        expected: { zh: `log start > ${FIRST}（B 提交的 offset）`, en: `log start > ${FIRST} (B's committed offset)` },
        actual: {
          zh: `log start ${start}，ListOffsets 给出的 earliest offset ${earliest}`,
          en: `log start ${start}, earliest offset via ListOffsets ${earliest}`,
        },
      },
    );

    ctx.step({
      zh: '组 B 的消费者重新上线，从它提交的 offset 继续',
      en: "group B's consumer comes back to resume from its committed offset",
    });
    const resumeFrom = reads.get(groupB)!.length;
    await startConsumer(groupB);
    await progress.until(() => reads.get(groupB)!.length > resumeFrom, 'group B reading again', WAIT_MS);
    const firstAfter = reads.get(groupB)![resumeFrom]!;
    // Fails if B got the deleted records back (they were not really gone) or skipped past the new log start.
    ctx.check(
      {
        zh: `组 B 提交的 offset ${FIRST} 已经不存在，它从新的 log start offset 读起：中间的记录它永远读不到了`,
        en: `group B's committed offset ${FIRST} no longer exists, so it starts at the new log start: the records in between are lost to it`,
      },
      {
        pass: firstAfter.offset === start,
        expected: { zh: `第一个 offset ${start}`, en: `first offset ${start}` },
        actual: {
          zh: `第一个 offset ${firstAfter.offset}（${firstAfter.value.slice(0, 10)}）`,
          en: `first offset ${firstAfter.offset} (${firstAfter.value.slice(0, 10)})`,
        },
      },
    );
  },
});
