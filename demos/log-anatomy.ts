import type { BatchOnDisk, SegmentOnDisk } from '../src/demo/partition-on-disk.js';
import { segmentHolding } from '../src/demo/partition-on-disk.js';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves the storage answers (what-is-kafka, kafka-core-design, offset-lookup-path) from the files themselves: the
 * partition directory holds segment files named by the offset of their first batch, rolled when the next batch
 * would push a file past segment.bytes; each has a *sparse* offset index — an entry only after more than
 * index.interval.bytes of log since the previous one, so far fewer entries than batches; and finding an offset is
 * partition → segment (binary search over base offsets) → index entry (largest ≤ target) → short forward scan.
 *
 * Every expectation is computed from the batches read off disk and the knobs (segment.bytes,
 * index.interval.bytes), with Kafka's rules (LogSegment.shouldRoll, LogSegment.append); the lookup itself is
 * kq's, traced (on Apache Kafka that check is not applicable: its lookup has no trace).
 */
/** Produce requests in flight at once (each one batch of one record). */
const IN_FLIGHT = 64;

const B_ = (zh: string, en: string) => ({ zh, en });

export default defineDemo({
  id: 'log-anatomy',
  title: {
    zh: '分区日志的解剖：segment、稀疏索引与 offset 查找',
    en: 'Anatomy of a partition log: segments, sparse index, offset lookup',
  },
  claim: {
    zh: '分区由以首个 offset 命名的 segment 文件组成，超过 segment.bytes 就滚动；每个 segment 的 offset 索引是稀疏的（每 index.interval.bytes 一条）；查找 offset 走二分查找 segment → 索引 → 顺序扫描',
    en: 'a partition is a series of segment files named by their first offset, rolled at segment.bytes; each has a sparse offset index (one entry per index.interval.bytes); an offset is found by binary search for the segment → index entry → forward scan',
  },
  needs: 'internals',
  knobs: {
    'segment.bytes': {
      // Apache Kafka 4.x refuses a topic segment.bytes below 1 MiB: the demo uses values both brokers accept.
      default: 1_048_576,
      min: 1_048_576,
      about: {
        zh: 'segment 文件的大小上限（Kafka 4.x 最小 1 MiB）',
        en: 'segment file size limit (Kafka 4.x: at least 1 MiB)',
      },
    },
    'index.interval.bytes': {
      default: 4096,
      min: 0,
      about: { zh: '两个索引条目之间至少间隔的日志字节数', en: 'log bytes between two index entries' },
    },
    records: {
      default: 4000,
      min: 10,
      max: 20_000,
      about: {
        zh: '写入的记录数（每批 1 条，约 0.5 KiB；默认写满约 2 个 1 MiB 的 segment）',
        en: 'records written (1 per batch of ~0.5 KiB; the default fills about two 1 MiB segments)',
      },
    },
  },
  async run(ctx) {
    const { 'segment.bytes': segmentBytes, 'index.interval.bytes': indexInterval, records } = ctx.knobs;
    const topic = ctx.topic('log-anatomy');
    ctx.step({
      zh: `创建 topic ${topic}：segment.bytes=${segmentBytes}，index.interval.bytes=${indexInterval}`,
      en: `create topic ${topic} with segment.bytes=${segmentBytes}, index.interval.bytes=${indexInterval}`,
    });
    await ctx.createTopics([
      { topic, configs: { 'segment.bytes': segmentBytes, 'index.interval.bytes': indexInterval } },
    ]);

    ctx.step({
      zh: `用 kafkajs 写入 ${records} 条约 500 字节的记录：每条一个 Produce 请求、一个小批次（最多 ${IN_FLIGHT} 个请求同时在途）`,
      en: `produce ${records} records of ~500 bytes with kafkajs: one Produce request and one small batch each (up to ${IN_FLIGHT} requests in flight)`,
    });
    const producer = await ctx.producer();
    const sendOne = (i: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: [{ key: `k${i}`, value: `record ${String(i).padStart(6, '0')} ${'x'.repeat(480)}` }],
      });
    // Several sends in flight at once: each is still its own request and batch (the broker appends one
    // connection's requests in order), and a segment of 1 MiB fills in seconds instead of one round trip per record.
    for (let from = 0; from < records; from += IN_FLIGHT)
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, records - from) }, (_, k) => sendOne(from + k)));

    const { segments, files } = ctx.partitionOnDisk(topic, 0);
    const kinds = new Map<string, number>();
    for (const file of files) {
      const kind = /\.\w+$/.exec(file)?.[0] ?? file;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    ctx.observe('partition directory', [...kinds].map(([kind, n]) => `${n} × ${kind}`).join(', '));
    ctx.observe('segments', '\n' + drawSegments(segments));

    // ---------------------------------------------------------------- rolling
    const batches = segments.flatMap((s) => s.batches);
    const predicted = predictRolls(batches, segmentBytes);
    const actualFirsts = segments.map((s) => s.batches[0]?.baseOffset ?? -1n);
    // Fails if the broker rolls at another size (or not at all): the boundaries are computed from the batch sizes.
    ctx.check(
      {
        zh: `日志在下一批次会让文件超过 segment.bytes=${segmentBytes} 时滚动出新 segment`,
        en: `the log rolls a new segment when the next batch would take the file past segment.bytes=${segmentBytes}`,
      },
      {
        pass: batches.length === records && predicted.length >= 2 && sameList(actualFirsts, predicted),
        expected: {
          zh: `${predicted.length} 个 segment，起始于 ${predicted.join(', ')}（${records} 个批次）`,
          en: `${predicted.length} segments starting at ${predicted.join(', ')} (${records} batches)`,
        },
        actual: {
          zh: `${segments.length} 个 segment，起始于 ${actualFirsts.join(', ')}（${batches.length} 个批次）`,
          en: `${segments.length} segments starting at ${actualFirsts.join(', ')} (${batches.length} batches)`,
        },
      },
    );
    const misnamed = segments.filter((s) => s.batches[0] === undefined || s.nameOffset !== s.batches[0].baseOffset);
    // Fails if a file name is not the offset of the file's first batch.
    ctx.check(
      {
        zh: '每个 .log 文件名（20 位补零）= 文件中第一个批次的 offset',
        en: "each .log file's name (20 digits) is the offset of the first batch inside it",
      },
      {
        pass: segments.length > 0 && misnamed.length === 0,
        expected: { zh: '每个文件名 = 第一个批次的 offset', en: 'name = first batch offset for every file' },
        actual:
          misnamed.length === 0
            ? B_(`${segments.length} 个文件都对得上`, `${segments.length} files match`)
            : misnamed.map((s) => `${s.fileName} → ${s.batches[0]?.baseOffset ?? '-'}`).join(', '),
      },
    );

    // ---------------------------------------------------------------- sparse index
    const closed = segments.slice(0, -1);
    const wrongIndex = closed.filter((s) => !sameEntries(s.indexEntries, predictIndex(s.batches, indexInterval)));
    const entries = closed.reduce((n, s) => n + s.indexEntries.length, 0);
    const closedBatches = closed.reduce((n, s) => n + s.batches.length, 0);
    // Fails if the broker indexes every batch (or on any other rule than "more than index.interval.bytes since the
    // last entry"), and shows how much smaller the index is than the log.
    ctx.check(
      {
        zh: `索引是稀疏的：距上一条目超过 index.interval.bytes=${indexInterval} 字节才记一条（不是每批一条）`,
        en: `the index is sparse: an entry only after more than index.interval.bytes=${indexInterval} bytes since the last (not one per batch)`,
      },
      {
        pass: closed.length > 0 && wrongIndex.length === 0,
        expected: {
          zh: `已关闭的 segment 中分别有 ${closed.map((s) => predictIndex(s.batches, indexInterval).length).join(', ')} 个条目`,
          en: `${closed.map((s) => predictIndex(s.batches, indexInterval).length).join(', ')} entries in the closed segments`,
        },
        actual: {
          zh: `${closed.map((s) => s.indexEntries.length).join(', ')} 个条目（${closedBatches} 个批次共 ${entries} 个）`,
          en: `${closed.map((s) => s.indexEntries.length).join(', ')} entries (${entries} for ${closedBatches} batches)`,
        },
      },
    );

    // ---------------------------------------------------------------- lookup
    const middle = closed[Math.floor(closed.length / 2)] ?? segments[0]!;
    const target = middle.batches[Math.floor(middle.batches.length * 0.7)]!.baseOffset;
    const holder = segmentHolding(segments, target)!;
    const bestEntry = holder.indexEntries.filter((e) => e.offset <= target).at(-1);
    ctx.step({ zh: `查找 offset ${target}`, en: `look up offset ${target}` });
    const log = ctx.broker?.log(topic, 0);
    if (!log) {
      ctx.notApplicable(
        { zh: 'kq 的查找路径（二分查找、索引条目、扫描）', en: "kq's lookup path (binary search, index entry, scan)" },
        {
          zh: '不追踪 Apache Kafka 的查找过程；上面的文件就是它的索引',
          en: "Apache Kafka's lookup is not traced; the files above are its index",
        },
      );
      return;
    }
    const trace = log.explainLookup(target);
    for (const line of trace.steps) ctx.observe('lookup', line);
    const maxProbes = Math.ceil(Math.log2(segments.length)) + 1;
    // Fails if the search picks another segment than the one holding the offset on disk (even when a fall-through
    // to the next segment would hide it), or compares more base offsets than a binary search does.
    ctx.check(
      {
        zh: `二分查找直接选中磁盘上装有该 offset 的 segment，比较不超过 ⌈log₂ ${segments.length}⌉ + 1 = ${maxProbes} 次`,
        en: `the binary search lands on the segment that holds the offset on disk, in at most ⌈log₂ ${segments.length}⌉ + 1 = ${maxProbes} comparisons`,
      },
      {
        pass: trace.segment.floorBaseOffset === holder.nameOffset && trace.segment.probes.length <= maxProbes,
        expected: {
          zh: `${holder.fileName}，≤ ${maxProbes} 次比较`,
          en: `${holder.fileName}, ≤ ${maxProbes} comparisons`,
        },
        actual: {
          zh: `floor ${trace.segment.floorBaseOffset ?? 'none'}（${trace.segment.probes.length} 次比较：${trace.segment.probes.join(', ')}）`,
          en: `floor ${trace.segment.floorBaseOffset ?? 'none'} (${trace.segment.probes.length} comparisons: ${trace.segment.probes.join(', ')})`,
        },
      },
    );
    // Fails if the lookup ignores the index (scan from byte 0) or takes an entry other than the largest ≤ target.
    ctx.check(
      {
        zh: '用的是磁盘索引中不大于目标的最大条目，之后只扫描不到一个间隔的字节',
        en: 'it uses the largest on-disk index entry ≤ target, then scans less than one interval of bytes',
      },
      {
        pass:
          bestEntry !== undefined &&
          trace.indexEntry.offset === bestEntry.offset &&
          trace.indexEntry.position === bestEntry.position &&
          trace.scan.bytesSkipped <= indexInterval + trace.batch.sizeInBytes,
        expected: {
          zh: `条目（${bestEntry?.offset ?? 'none'} → 字节 ${bestEntry?.position ?? '-'}），扫描 ≤ ${indexInterval} B + 一个批次`,
          en: `entry (${bestEntry?.offset ?? 'none'} → byte ${bestEntry?.position ?? '-'}), scan ≤ ${indexInterval} B + one batch`,
        },
        actual: {
          zh: `条目（${trace.indexEntry.offset} → 字节 ${trace.indexEntry.position}），扫描 ${trace.scan.bytesSkipped} B、读了 ${trace.scan.headersRead} 个批次头`,
          en: `entry (${trace.indexEntry.offset} → byte ${trace.indexEntry.position}), scanned ${trace.scan.bytesSkipped} B over ${trace.scan.headersRead} headers`,
        },
      },
    );
    ctx.check(
      { zh: '找到的批次包含目标 offset', en: 'the batch found contains the target offset' },
      {
        pass: trace.batch.baseOffset <= target && target <= trace.batch.lastOffset,
        expected: { zh: `${target} 在批次中`, en: `${target} in batch` },
        actual: `${trace.batch.baseOffset}..${trace.batch.lastOffset}`,
      },
    );
  },
});

/** First offsets of the segments Kafka's roll rule gives: a new segment when size + next batch > segment.bytes. */
function predictRolls(batches: readonly BatchOnDisk[], segmentBytes: number): bigint[] {
  const firsts: bigint[] = [];
  let size = 0;
  for (const batch of batches) {
    if (firsts.length === 0 || size + batch.sizeInBytes > segmentBytes) {
      firsts.push(batch.baseOffset);
      size = 0;
    }
    size += batch.sizeInBytes;
  }
  return firsts;
}

/** Kafka's index rule (LogSegment.append): an entry for a batch when > interval bytes were appended since the last. */
function predictIndex(batches: readonly BatchOnDisk[], interval: number): Array<{ offset: bigint; position: number }> {
  const entries: Array<{ offset: bigint; position: number }> = [];
  let since = 0;
  for (const batch of batches) {
    if (since > interval) {
      entries.push({ offset: batch.lastOffset, position: batch.position });
      since = 0;
    }
    since += batch.sizeInBytes;
  }
  return entries;
}

function sameEntries(
  a: ReadonlyArray<{ offset: bigint; position: number }>,
  b: ReadonlyArray<{ offset: bigint; position: number }>,
): boolean {
  return a.length === b.length && a.every((e, i) => e.offset === b[i]!.offset && e.position === b[i]!.position);
}

function sameList(a: readonly bigint[], b: readonly bigint[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** One line per segment: its file, offset range, size, and index entries as `offset@byte`. */
function drawSegments(segments: readonly SegmentOnDisk[]): string {
  const widest = Math.max(...segments.map((s) => s.bytes), 1);
  return segments
    .map((s) => {
      const bar = '█'.repeat(Math.max(1, Math.round((s.bytes / widest) * 24))).padEnd(24, '·');
      const range = s.batches.length > 0 ? `${s.batches[0]!.baseOffset}..${s.batches.at(-1)!.lastOffset}` : 'empty';
      const shown = s.indexEntries.slice(0, 4).map((e) => `${e.offset}@${e.position}`);
      const index = s.indexEntries.length > shown.length ? `${shown.join(' ')} …` : shown.join(' ');
      return `    ${s.fileName} ${bar} ${String(s.bytes).padStart(6)} B  offsets ${range.padEnd(11)} index[${s.indexEntries.length}/${s.batches.length} batches] ${index}`;
    })
    .join('\n');
}
