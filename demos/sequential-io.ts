import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves sequential-io-page-cache and ack-does-not-mean-fsync the operator's way: strace on the broker process
 * counts every fsync/fdatasync it makes on the partition's files, and the segment file is read back from the data
 * directory. With default settings (log.flush.interval.messages = Long.MAX_VALUE) acks=-1 acknowledgements come
 * with no fsync at all — the data is in the page cache only; with flush.messages=N the broker fsyncs the log each
 * time N or more messages are unflushed after an append; and the log file is a run of back-to-back batches with
 * contiguous offsets: appended, never rewritten.
 *
 * Why no timing of sequential vs random writes: on this machine both go to the page cache and differ by a few per
 * cent, so a figure would not show what the card claims (disk seeks); the demo claims only what it can observe.
 */
export default defineDemo({
  id: 'sequential-io',
  title: { zh: '顺序写、page cache 与 fsync', en: 'Sequential writes, the page cache and fsync' },
  claim: {
    zh: '分区日志只在文件末尾追加；默认配置下 acks=-1 的确认前 broker 不对分区文件做任何 fsync（strace 可见），只有 flush.messages=N 让它每积累 N 条就 fsync 一次',
    en: 'a partition log only appends at the end of its file; by default the broker acknowledges acks=-1 sends without a single fsync of the partition files (seen with strace); only flush.messages=N makes it fsync the log whenever N messages are unflushed',
  },
  needs: 'internals',
  knobs: {
    'flush.messages': {
      default: 1,
      min: 1,
      about: {
        zh: '第二个 topic 的 flush.messages（每积累多少条未刷盘消息就 fsync）',
        en: "the second topic's flush.messages (fsync once this many messages are unflushed)",
      },
    },
    'records.per.send': { default: 5, min: 1, max: 500, about: { zh: '每次发送的记录数', en: 'records per send' } },
    sends: { default: 20, min: 1, max: 500, about: { zh: '每个 topic 的发送次数', en: 'sends per topic' } },
  },
  async run(ctx) {
    const { sends, 'records.per.send': perSend, 'flush.messages': flushMessages } = ctx.knobs;
    const lazy = ctx.topic('default-flush');
    const eager = ctx.topic('flush-messages');
    ctx.step({
      zh: `创建两个 topic：${lazy}（默认：log.flush.interval.messages = Long.MAX_VALUE）和 ${eager}（flush.messages=${flushMessages}）`,
      en: `create two topics: ${lazy} (default: log.flush.interval.messages = Long.MAX_VALUE) and ${eager} (flush.messages=${flushMessages})`,
    });
    await ctx.createTopics([{ topic: lazy }, { topic: eager, configs: { 'flush.messages': flushMessages } }]);
    const host = ctx.host;
    if (!host) {
      ctx.notApplicable(
        { zh: '用 strace 数 fsync', en: 'fsyncs counted with strace' },
        { zh: 'broker 进程不在这台机器上', en: 'the broker process is not on this machine' },
      );
      return;
    }
    ctx.step({
      zh: `strace 挂到 broker 进程（pid ${host.pid}）的所有线程上，记录 fsync / fdatasync 及其文件路径`,
      en: `attach strace to every thread of the broker process (pid ${host.pid}), recording fsync / fdatasync and the file each is on`,
    });
    const trace = await ctx.traceSyscalls(['fsync', 'fdatasync']);
    const syncsOn = (topic: string) => trace.calls({ pathIncludes: `/${topic}-0/` });
    // The records live in the segment files; a checkpoint (leader-epoch-checkpoint, written with fsync by Kafka
    // too when a new leader epoch starts) is metadata about them, shown but not what an acknowledgement waits for.
    const isSegmentFile = (path: string | undefined) => /\/\d{20}\.(log|index|timeindex)$/.test(path ?? '');

    const producer = await ctx.producer();
    const sendAll = async (topic: string) => {
      let acknowledged = 0;
      for (let i = 0; i < sends; i++) {
        const [result] = await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: perSend }, (_, j) => ({
            key: `k${j}`,
            value: `send ${i} record ${j} ${'x'.repeat(60)}`,
          })),
        });
        if (result?.errorCode === 0) acknowledged += perSend;
      }
      return acknowledged;
    };

    // ------------------------------------------------------------ default: acknowledged, not fsynced
    ctx.step({
      zh: `向 ${lazy} 发送 ${sends} 次（每次 ${perSend} 条，acks=-1），每次都等到确认`,
      en: `send ${sends} times to ${lazy} (${perSend} records each, acks=-1), awaiting each acknowledgement`,
    });
    const lazyAcked = await sendAll(lazy);
    await trace.barrier(host.host, host.port);
    const lazyAll = syncsOn(lazy);
    const lazySyncs = lazyAll.filter((call) => isSegmentFile(call.path));
    ctx.observe(`${lazy}: fsync/fdatasync on its files`, describeCalls(lazyAll));
    // Fails if the broker fsyncs the partition's records before (or while) acknowledging.
    ctx.check(
      {
        zh: '默认配置：acks=-1 全部确认，而 broker 没有对该分区的 segment 文件（记录所在）调用 fsync/fdatasync',
        en: "default settings: every acks=-1 send was acknowledged, yet the broker made no fsync/fdatasync on the partition's segment files (where the records are)",
      },
      {
        pass: lazyAcked === sends * perSend && lazySyncs.length === 0,
        expected: {
          zh: `${sends * perSend} 条被确认，0 次 fsync`,
          en: `${sends * perSend} records acknowledged, 0 fsync calls`,
        },
        actual: {
          zh: `${lazyAcked} 条被确认，${lazySyncs.length} 次 fsync`,
          en: `${lazyAcked} acknowledged, ${lazySyncs.length} fsync calls`,
        },
      },
    );

    // ------------------------------------------------------------ flush.messages=N
    ctx.step({ zh: `向 ${eager} 同样发送 ${sends} 次`, en: `send ${sends} times to ${eager} the same way` });
    await sendAll(eager);
    await trace.barrier(host.host, host.port);
    const eagerSyncs = syncsOn(eager).filter((call) => call.path?.endsWith('.log'));
    const expected = expectedFlushes(sends, perSend, flushMessages);
    ctx.observe(`${eager}: fsync/fdatasync on its .log`, describeCalls(eagerSyncs));
    // Fails if flush.messages is ignored, or the broker fsyncs on some other schedule than "N unflushed".
    ctx.check(
      {
        zh: `flush.messages=${flushMessages}：每次追加后未刷盘消息 ≥ ${flushMessages} 就 fsync 一次 .log`,
        en: `flush.messages=${flushMessages}: one fsync of the .log after each append that leaves ≥ ${flushMessages} messages unflushed`,
      },
      {
        pass: eagerSyncs.length === expected,
        expected: {
          zh: `${expected} 次 fsync（${sends} 次追加，每次 ${perSend} 条，flush.messages=${flushMessages}）`,
          en: `${expected} fsync calls (${sends} appends of ${perSend}, flush.messages=${flushMessages})`,
        },
        actual: { zh: `${eagerSyncs.length} 次 fsync`, en: `${eagerSyncs.length} fsync calls` },
      },
    );

    // ------------------------------------------------------------ append-only layout, from the file itself
    ctx.step({
      zh: `从数据目录读出 ${lazy}-0 的 segment 文件，逐个检查批次的位置`,
      en: `read ${lazy}-0's segment file from the data directory and check where each batch sits`,
    });
    const onDisk = ctx.partitionOnDisk(lazy, 0);
    const segment = onDisk.segments.at(-1);
    const batches = segment?.batches ?? [];
    const contiguous = batches.every(
      (b, i) =>
        i === 0 ||
        (b.baseOffset === batches[i - 1]!.lastOffset + 1n &&
          b.position === batches[i - 1]!.position + batches[i - 1]!.sizeInBytes),
    );
    ctx.observe(
      'segment layout',
      `${segment?.fileName ?? 'no segment'}: ${batches.length} batches, ${segment ? segment.bytes - segment.trailingBytes : 0} of ${segment?.bytes ?? 0} bytes, offsets ${batches[0]?.baseOffset ?? '-'}..${batches.at(-1)?.lastOffset ?? '-'}`,
    );
    // Fails if a batch was written anywhere but the previous end (gaps, overwrites, out-of-order offsets).
    ctx.check(
      {
        zh: '每个批次都紧接在上一个批次之后，offset 从 0 连续递增：只在末尾追加',
        en: 'each batch starts where the previous one ended, offsets contiguous from 0: append-only',
      },
      {
        pass:
          segment !== undefined &&
          contiguous &&
          segment.trailingBytes === 0 &&
          batches.length === sends &&
          batches[0]?.baseOffset === 0n &&
          batches.at(-1)?.lastOffset === BigInt(sends * perSend - 1),
        expected: {
          zh: `${sends} 个首尾相接的批次占满文件，offset 0..${sends * perSend - 1}`,
          en: `${sends} back-to-back batches covering the file, offsets 0..${sends * perSend - 1}`,
        },
        actual: {
          zh: `${batches.length} 个批次，${contiguous ? '首尾相接' : '不相接'}，${segment?.trailingBytes ?? 0} 个多余字节，offset ${batches[0]?.baseOffset ?? '-'}..${batches.at(-1)?.lastOffset ?? '-'}`,
          en: `${batches.length} batches, ${contiguous ? 'back-to-back' : 'not back-to-back'}, ${segment?.trailingBytes ?? 0} stray bytes, offsets ${batches[0]?.baseOffset ?? '-'}..${batches.at(-1)?.lastOffset ?? '-'}`,
        },
      },
    );
  },
});

/**
 * fsyncs Kafka's rule makes: after each append, if unflushed messages ≥ flush.messages, flush (UnifiedLog.append,
 * `unflushedMessages >= config.flushInterval`).
 */
function expectedFlushes(appends: number, perAppend: number, flushMessages: number): number {
  let unflushed = 0;
  let flushes = 0;
  for (let i = 0; i < appends; i++) {
    unflushed += perAppend;
    if (unflushed >= flushMessages) {
      flushes++;
      unflushed = 0;
    }
  }
  return flushes;
}

function describeCalls(calls: ReadonlyArray<{ name: string; path: string | undefined }>): string {
  if (calls.length === 0) return 'none';
  const byFile = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.name} ${call.path?.split('/').pop() ?? '?'}`;
    byFile.set(key, (byFile.get(key) ?? 0) + 1);
  }
  return [...byFile].map(([key, n]) => `${n}× ${key}`).join(', ');
}
