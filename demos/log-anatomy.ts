import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves the storage answers (what-is-kafka, kafka-core-design, offset-lookup-path): a partition is a sequence of
 * segment files named by their base offset, each with a *sparse* offset index, and finding an offset is
 * partition → segment (binary search over base offsets) → index entry (largest ≤ target) → short forward scan.
 */
const SEGMENT_BYTES = 64 * 1024;
const RECORDS = 3000;
const BATCH = 50;

export default defineDemo({
  id: 'log-anatomy',
  title: {
    zh: '分区日志的解剖：segment、稀疏索引与 offset 查找',
    en: 'Anatomy of a partition log: segments, sparse index, offset lookup',
  },
  claim: {
    zh: '分区由以基准 offset 命名的 segment 文件组成，每个 segment 有稀疏的 offset 索引；查找 offset 走 segment → 索引 → 顺序扫描',
    en: 'a partition is a series of segment files named by base offset, each with a sparse offset index; an offset is found via segment → index entry → forward scan',
  },
  needs: 'internals',
  async run(ctx) {
    const broker = ctx.broker!;
    const topic = ctx.topic('log-anatomy');
    ctx.step({
      zh: `创建 topic ${topic}：segment.bytes=${SEGMENT_BYTES}（很小，方便滚动出多个 segment）`,
      en: `create topic ${topic} with segment.bytes=${SEGMENT_BYTES} (tiny, so the log rolls several segments)`,
    });
    const admin = await ctx.admin();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: String(SEGMENT_BYTES) }] }],
    });

    ctx.step({
      zh: `用 kafkajs 写入 ${RECORDS} 条约 100 字节的记录（每批 ${BATCH} 条）`,
      en: `produce ${RECORDS} records of ~100 bytes with kafkajs (${BATCH} per batch)`,
    });
    const producer = await ctx.producer();
    for (let i = 0; i < RECORDS; i += BATCH) {
      const messages = Array.from({ length: BATCH }, (_, j) => ({
        key: `k${i + j}`,
        value: `record ${String(i + j).padStart(6, '0')} ${'x'.repeat(80)}`,
      }));
      await producer.send({ topic, acks: -1, messages });
    }

    const log = broker.log(topic, 0);
    const segments = log.segments;
    ctx.observe(
      'segments',
      segments.map((s) => `${s.fileName} ${s.sizeInBytes} B, ${s.offsetIndexEntries} index entries`),
    );
    ctx.check(
      { zh: '日志滚动出多个 segment', en: 'the log rolled into several segments' },
      { pass: segments.length >= 3, expected: '≥ 3 segments', actual: `${segments.length}` },
    );
    const named = segments.every((s) => s.fileName === `${s.baseOffset.toString().padStart(20, '0')}.log`);
    const increasing = segments.every((s, i) => i === 0 || s.baseOffset > segments[i - 1]!.baseOffset);
    ctx.check(
      {
        zh: '每个 segment 以其基准 offset（20 位补零）命名且递增',
        en: 'each segment is named by its base offset (20 digits) and base offsets increase',
      },
      {
        pass: named && increasing,
        expected: 'NNNNNNNNNNNNNNNNNNNN.log, increasing',
        actual: segments.map((s) => s.fileName).join(' '),
      },
    );

    // Sparse: at most one index entry per index.interval.bytes (4096) of log — far fewer entries than batches.
    const closed = segments.filter((s) => !s.active);
    const batchesPerSegment = Math.round(RECORDS / BATCH / segments.length);
    const sparse = closed.every(
      (s) => s.offsetIndexEntries >= 1 && s.offsetIndexEntries <= Math.ceil(s.sizeInBytes / 4096),
    );
    ctx.check(
      {
        zh: '索引是稀疏的：约每 4096 字节一个条目，而不是每条消息一个',
        en: 'the index is sparse: about one entry per 4096 bytes, not one per message',
      },
      {
        pass: closed.length > 0 && sparse,
        expected: `1..⌈size/4096⌉ entries per segment (~${batchesPerSegment} batches each)`,
        actual: closed.map((s) => s.offsetIndexEntries).join(', '),
      },
    );

    // deep inside a closed segment, so the lookup has index entries below it to use
    const target =
      closed[Math.floor(closed.length / 2)]!.baseOffset + BigInt(Math.floor((RECORDS / segments.length) * 0.7));
    ctx.step({ zh: `查找 offset ${target}`, en: `look up offset ${target}` });
    const trace = log.explainLookup(target);
    for (const line of trace.steps) ctx.observe('lookup', line);
    const segmentIndex = segments.findIndex((s) => s.baseOffset === trace.segment.baseOffset);
    const next = segments[segmentIndex + 1];
    const inSegment =
      segmentIndex >= 0 && trace.segment.baseOffset <= target && (next === undefined || target < next.baseOffset);
    ctx.check(
      { zh: '二分查找选中的 segment 覆盖该 offset', en: 'the segment picked by binary search holds the offset' },
      {
        pass: inSegment,
        expected: `base ≤ ${target} < next base`,
        actual: `${trace.segment.baseOffset} ≤ ${target} < ${next?.baseOffset ?? 'end'}`,
      },
    );
    ctx.check(
      {
        zh: '索引条目是不大于目标的最大条目，之后只需短距离顺序扫描',
        en: 'the index entry is the largest ≤ target, leaving a short forward scan',
      },
      {
        pass:
          trace.indexEntry.slot >= 0 &&
          trace.indexEntry.offset <= target &&
          trace.scan.bytesSkipped < 4096 + trace.batch.sizeInBytes,
        expected: `an index entry ≤ ${target}, then a scan < 4096 B + one batch`,
        actual: `slot ${trace.indexEntry.slot} (offset ${trace.indexEntry.offset}), scanned ${trace.scan.bytesSkipped} B over ${trace.scan.headersRead} headers`,
      },
    );
    ctx.check(
      { zh: '找到的 batch 包含目标 offset', en: 'the batch found contains the target offset' },
      {
        pass: trace.batch.baseOffset <= target && target <= trace.batch.lastOffset,
        expected: `${target} in batch`,
        actual: `${trace.batch.baseOffset}..${trace.batch.lastOffset}`,
      },
    );
  },
});
