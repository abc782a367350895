import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { batchesIn } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves sequential-io-page-cache and ack-does-not-mean-fsync: a partition's log is written append-only (every
 * batch lands at the previous end of the segment file); with default settings an acks=-1 acknowledgement does not
 * wait for an fsync — the broker acknowledges while the data is only in the page cache, and its recovery point
 * (everything below it fsynced) stays behind — while flush.messages=1 makes it fsync on every append.
 * It also times 4 KiB writes, sequential vs random, as an observation: the ratio depends on the disk and the page
 * cache, so it is reported, not checked.
 */
const SENDS = 20;
const RECORDS_PER_SEND = 5;
const BLOCK = 4096;
const BLOCKS = 2048; // 8 MiB

export default defineDemo({
  id: 'sequential-io',
  title: { zh: '顺序写、page cache 与 fsync', en: 'Sequential writes, the page cache and fsync' },
  claim: {
    zh: '分区日志只在文件末尾追加；默认配置下 acks=-1 的确认不等待 fsync（刷盘次数不变、recovery point 落后），只有设置 flush.messages 才会每次追加都 fsync',
    en: 'a partition log only appends at the end of its file; by default an acks=-1 acknowledgement does not wait for fsync (flush count unchanged, recovery point behind), only flush.messages makes every append fsync',
  },
  needs: 'internals',
  async run(ctx) {
    const broker = ctx.broker!;
    const lazy = ctx.topic('default-flush');
    const eager = ctx.topic('flush-every-message');
    ctx.step({
      zh: `创建两个 topic：${lazy}（默认：log.flush.interval.messages = Long.MAX_VALUE）和 ${eager}（flush.messages=1）`,
      en: `create two topics: ${lazy} (default: log.flush.interval.messages = Long.MAX_VALUE) and ${eager} (flush.messages=1)`,
    });
    const admin = await ctx.admin();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: lazy, numPartitions: 1 },
        { topic: eager, numPartitions: 1, configEntries: [{ name: 'flush.messages', value: '1' }] },
      ],
    });
    const producer = await ctx.producer();
    const send = async (topic: string, i: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: RECORDS_PER_SEND }, (_, j) => ({
          key: `k${j}`,
          value: `send ${i} record ${j} ${'x'.repeat(60)}`,
        })),
      });

    // ------------------------------------------------------------ default: acknowledged, not fsynced
    ctx.step({
      zh: `向 ${lazy} 发送 ${SENDS} 次（每次 ${RECORDS_PER_SEND} 条，acks=-1），每次都等到确认`,
      en: `send ${SENDS} times to ${lazy} (${RECORDS_PER_SEND} records each, acks=-1), awaiting each acknowledgement`,
    });
    const lazyLog = broker.log(lazy, 0);
    const lazyFlushesBefore = lazyLog.flushCount;
    let acknowledged = 0;
    const lazyStarted = performance.now();
    for (let i = 0; i < SENDS; i++) {
      const [result] = await send(lazy, i);
      if (result?.errorCode === 0) acknowledged += RECORDS_PER_SEND;
    }
    const lazyMs = performance.now() - lazyStarted;
    ctx.observe(
      lazy,
      `${acknowledged} records acknowledged; log end offset ${lazyLog.logEndOffset}, recovery point ${lazyLog.recoveryPoint}, flushes ${lazyFlushesBefore} → ${lazyLog.flushCount}, ${lazyMs.toFixed(0)} ms for ${SENDS} sends`,
    );
    // Fails if the broker fsynced before acknowledging (flush count would grow with the sends).
    ctx.check(
      {
        zh: '默认配置：acks=-1 全部确认，但 broker 一次也没有 fsync',
        en: 'default settings: every acks=-1 send was acknowledged, yet the broker did not fsync once',
      },
      {
        pass: acknowledged === SENDS * RECORDS_PER_SEND && lazyLog.flushCount === lazyFlushesBefore,
        expected: `${SENDS * RECORDS_PER_SEND} records acknowledged, flush count stays ${lazyFlushesBefore}`,
        actual: `${acknowledged} acknowledged, flush count ${lazyLog.flushCount}`,
      },
    );
    // Fails if acknowledged offsets were below the recovery point, i.e. already known to be on disk.
    ctx.check(
      {
        zh: '已确认的记录都在 recovery point 之上：它们在 page cache 里，还不能确定已落盘',
        en: 'the acknowledged records are all above the recovery point: they are in the page cache, not yet known to be on disk',
      },
      {
        pass: lazyLog.unflushedMessages === BigInt(acknowledged) && lazyLog.recoveryPoint < lazyLog.logEndOffset,
        expected: `${acknowledged} unflushed messages (recovery point < log end offset)`,
        actual: `${lazyLog.unflushedMessages} unflushed (recovery point ${lazyLog.recoveryPoint}, log end offset ${lazyLog.logEndOffset})`,
      },
    );

    // ------------------------------------------------------------ flush.messages=1: fsync per append
    ctx.step({ zh: `向 ${eager} 同样发送 ${SENDS} 次`, en: `send ${SENDS} times to ${eager} the same way` });
    const eagerLog = broker.log(eager, 0);
    const eagerFlushesBefore = eagerLog.flushCount;
    const eagerStarted = performance.now();
    for (let i = 0; i < SENDS; i++) await send(eager, i);
    const eagerMs = performance.now() - eagerStarted;
    ctx.observe(
      eager,
      `log end offset ${eagerLog.logEndOffset}, recovery point ${eagerLog.recoveryPoint}, flushes ${eagerFlushesBefore} → ${eagerLog.flushCount}, ${eagerMs.toFixed(0)} ms for ${SENDS} sends`,
    );
    // Fails if flush.messages is ignored (no fsync) or the broker batches fsyncs across appends.
    ctx.check(
      {
        zh: 'flush.messages=1：每次追加都 fsync 一次，recovery point 跟上 log end offset',
        en: 'flush.messages=1: one fsync per append, and the recovery point keeps up with the log end offset',
      },
      {
        pass: eagerLog.flushCount - eagerFlushesBefore === SENDS && eagerLog.recoveryPoint === eagerLog.logEndOffset,
        expected: `${SENDS} more flushes, recovery point = log end offset`,
        actual: `${eagerLog.flushCount - eagerFlushesBefore} more flushes, recovery point ${eagerLog.recoveryPoint} / log end offset ${eagerLog.logEndOffset}`,
      },
    );

    // ------------------------------------------------------------ append-only layout
    ctx.step({
      zh: `读出 ${lazy} 的 segment 文件，逐个检查批次的位置`,
      en: `read ${lazy}'s segment file and check where each batch sits`,
    });
    const segment = lazyLog.segments.at(-1)!;
    const file = readFileSync(join(lazyLog.dir, segment.fileName));
    const layout = appendOnlyLayout(file);
    ctx.observe(
      'segment layout',
      `${segment.fileName}: ${layout.batches} batches, ${layout.coveredBytes} of ${file.length} bytes, offsets ${layout.firstOffset}..${layout.lastOffset}`,
    );
    // Fails if a batch was written anywhere but the previous end (gaps, overwrites, or out-of-order offsets).
    ctx.check(
      {
        zh: '每个批次都紧接在上一个批次之后，offset 连续递增：只在末尾追加',
        en: 'each batch starts where the previous one ended, with contiguous increasing offsets: append-only',
      },
      {
        pass: layout.contiguous && layout.coveredBytes === file.length && layout.batches === SENDS,
        expected: `${SENDS} back-to-back batches covering all ${file.length} bytes, offsets contiguous`,
        actual: `${layout.batches} batches covering ${layout.coveredBytes} bytes, ${layout.contiguous ? 'contiguous' : `first break at byte ${layout.breakAt}`}`,
      },
    );

    // ------------------------------------------------------------ sequential vs random (observation)
    ctx.step({
      zh: `对比：向临时文件写 ${(BLOCK * BLOCKS) / 2 ** 20} MiB，4 KiB 一块，顺序写 vs 随机位置写（最后都 fsync）`,
      en: `compare: write ${(BLOCK * BLOCKS) / 2 ** 20} MiB to a temp file in 4 KiB blocks, sequentially vs at random positions (each ending with fsync)`,
    });
    const dir = mkdtempSync(join(tmpdir(), 'kq-seq-io-'));
    ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
    // Two rounds, alternating, keeping each pattern's faster run: the first run also pays for warming up.
    const runs = [0, 1].flatMap((round) => [
      {
        kind: 'sequential',
        ...timeWrites(
          join(dir, `sequential-${round}.bin`),
          Array.from({ length: BLOCKS }, (_, i) => i),
        ),
      },
      { kind: 'random', ...timeWrites(join(dir, `random-${round}.bin`), shuffled(BLOCKS)) },
    ]);
    const best = (kind: string) => runs.filter((r) => r.kind === kind).reduce((a, b) => (b.ms < a.ms ? b : a));
    const sequential = best('sequential');
    const random = best('random');
    ctx.observe(
      'sequential 4 KiB writes',
      `${sequential.mbPerSecond.toFixed(0)} MB/s (${sequential.ms.toFixed(1)} ms)`,
    );
    ctx.observe('random 4 KiB writes', `${random.mbPerSecond.toFixed(0)} MB/s (${random.ms.toFixed(1)} ms)`);
    ctx.observe(
      'sequential / random',
      `${(sequential.mbPerSecond / random.mbPerSecond).toFixed(2)}× (best of 2 each; the page cache and SSDs narrow the gap, spinning disks widen it to orders of magnitude)`,
    );
    // Fails if a run did not write every block (short writes) — the figures would then mean nothing.
    ctx.check(
      {
        zh: '每次测量都完整写入并 fsync 了全部数据，吞吐量可比',
        en: 'every run wrote and fsynced every block, so their throughputs compare',
      },
      {
        pass:
          runs.every((r) => r.bytes === BLOCK * BLOCKS) &&
          Number.isFinite(sequential.mbPerSecond) &&
          sequential.mbPerSecond > 0,
        expected: `${BLOCK * BLOCKS} bytes in each of ${runs.length} runs`,
        actual: runs.map((r) => `${r.kind} ${r.bytes} B`).join(', '),
      },
    );
  },
});

interface Layout {
  batches: number;
  coveredBytes: number;
  contiguous: boolean;
  breakAt: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

/** Walks a segment file batch by batch: does each batch start where the previous ended, at the next offset? */
function appendOnlyLayout(file: Buffer): Layout {
  let batches = 0;
  let position = 0;
  let nextOffset: bigint | undefined;
  let contiguous = true;
  let breakAt = -1;
  let firstOffset = -1n;
  let lastOffset = -1n;
  for (const batch of batchesIn(file)) {
    if (batches === 0) firstOffset = batch.baseOffset;
    if (nextOffset !== undefined && batch.baseOffset !== nextOffset && contiguous) {
      contiguous = false;
      breakAt = position;
    }
    nextOffset = batch.nextOffset;
    lastOffset = batch.lastOffset;
    position += batch.sizeInBytes;
    batches++;
  }
  return { batches, coveredBytes: position, contiguous, breakAt, firstOffset, lastOffset };
}

/** Writes one 4 KiB block per index, in the given order, then fsyncs; the file is sized up front. */
function timeWrites(path: string, order: readonly number[]): { ms: number; bytes: number; mbPerSecond: number } {
  const block = Buffer.alloc(BLOCK, 0x6b);
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, BLOCK * order.length);
    const started = performance.now();
    for (const index of order) writeSync(fd, block, 0, BLOCK, index * BLOCK);
    fsyncSync(fd);
    const ms = performance.now() - started;
    const bytes = statSync(path).size;
    return { ms, bytes, mbPerSecond: bytes / 1e6 / (ms / 1000) };
  } finally {
    closeSync(fd);
  }
}

/** 0..n-1 in a random order (Fisher–Yates). */
function shuffled(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
