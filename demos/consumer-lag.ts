import { eventually } from '../src/demo/eventually.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { groupDemoCluster } from '../src/demo/group-demo-cluster.js';

/**
 * Proves consumer-lag-definition, consumer-lag-per-partition, consumer-lag-monitoring and backlog-handling's
 * "measure first" step: a group's lag is per partition, end offset − committed offset, computed from two public
 * answers (ListOffsets for the end, OffsetFetch for the commit) the way kafka-consumer-groups.sh does it. A group
 * that read everything and stopped shows 0; records written afterwards show up as lag exactly on the partitions
 * they went to, and nowhere else; when the group catches up, every partition is back to 0. Speaks only the
 * protocol, so it runs against a real cluster too.
 */
const PARTITIONS = 3;
const FIRST_PER_PARTITION = 10;
/** Written while the group is stopped: the backlog, deliberately uneven (partition 1's count is the knob). */
const backlog = (toPartition1: number): Record<number, number> => ({ 0: 0, 1: toPartition1, 2: 5 });

export default defineDemo({
  id: 'consumer-lag',
  title: {
    zh: '消费延迟（lag）：每个分区的 end offset − 已提交 offset',
    en: 'Consumer lag: end offset − committed offset, per partition',
  },
  claim: {
    zh: 'lag 按分区计算，等于该分区的 end offset 减去组提交的 offset；组停下后新写入的记录恰好变成所在分区的 lag，其他分区仍为 0；追上后全部归零',
    en: "lag is per partition: the partition's end offset minus the group's committed offset; records written while the group is stopped become lag on exactly the partitions they went to and nowhere else; once the group catches up every partition is back to 0",
  },
  needs: 'client',
  knobs: {
    'records.while.stopped': {
      default: 25,
      min: 1,
      max: 500,
      about: {
        zh: '组停下时写入分区 1 的记录数（分区 2 写 5 条，分区 0 不写）',
        en: 'records written to partition 1 while the group is stopped (5 go to partition 2, none to partition 0)',
      },
    },
  },
  async run(ctx) {
    const LATER = backlog(ctx.knobs['records.while.stopped']);
    const cluster = await groupDemoCluster(ctx);
    const topic = ctx.topic('lag');
    const group = ctx.topic('lag-group');
    const admin = await cluster.admin();
    const producer = await cluster.producer();
    ctx.step({
      zh: `创建 ${PARTITIONS} 个分区的 topic ${topic}，每个分区写入 ${FIRST_PER_PARTITION} 条`,
      en: `create the ${PARTITIONS}-partition topic ${topic} and write ${FIRST_PER_PARTITION} records to each partition`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
    const write = async (partition: number, count: number) => {
      if (count === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ partition, value: `p${partition} #${i}` })),
      });
    };
    for (let p = 0; p < PARTITIONS; p++) await write(p, FIRST_PER_PARTITION);

    /** Lag per partition, as kafka-consumer-groups.sh computes it: ListOffsets(latest) − OffsetFetch. */
    const lagByPartition = async () => {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return Array.from({ length: PARTITIONS }, (_, partition) => {
        const end = BigInt(ends.find((e) => e.partition === partition)?.high ?? '-1');
        const commit = BigInt(committed?.partitions.find((c) => c.partition === partition)?.offset ?? '-1');
        return { partition, end, committed: commit, lag: commit < 0n ? null : end - commit };
      });
    };
    const show = (rows: Awaited<ReturnType<typeof lagByPartition>>) =>
      rows
        .map((r) =>
          ctx.lang === 'zh'
            ? `p${r.partition}：end offset ${r.end} − 已提交 ${r.committed} = ${r.lag ?? '无'}`
            : `p${r.partition}: end ${r.end} − committed ${r.committed} = ${r.lag ?? 'n/a'}`,
        )
        .join('; ');

    const consumeToEnd = async (label: string) => {
      const target = await admin.fetchTopicOffsets(topic);
      // Where the group stands now: a partition it has already read to the end delivers nothing more.
      const seen = new Map<number, bigint>(
        (await lagByPartition()).map((r) => [r.partition, r.committed < 0n ? 0n : r.committed]),
      );
      const consumer = await cluster.consumer({ groupId: group, topic, fromBeginning: true });
      await consumer.run({
        autoCommitThreshold: 1,
        eachMessage: async ({ partition, message }) => void seen.set(partition, BigInt(message.offset) + 1n),
      });
      // The end as ListOffsets reports it: a broker that reports a wrong end leaves the consumer short of it, and
      // the lag checks below then fail on what they compute, instead of the demo timing out here.
      const reached = () => target.every((t) => (seen.get(t.partition) ?? 0n) >= BigInt(t.high));
      const reachedEnd = await eventually(reached, 10_000);
      ctx.observe(
        `${label} read up to`,
        `${[...seen].map(([p, o]) => `p${p}@${o}`).join(' ')}${reachedEnd ? '' : ' (short of the end ListOffsets reported)'}`,
      );
      // Disconnecting waits for the record in hand and its auto-commit: afterwards the commit no longer moves.
      await consumer.disconnect();
    };

    ctx.step({ zh: `组 ${group} 读完全部记录后停下`, en: `group ${group} reads everything, then stops` });
    await consumeToEnd('the group');
    const caughtUp = await lagByPartition();
    ctx.observe('lag after reading everything', show(caughtUp));
    ctx.check(
      { zh: '读完后每个分区的 lag 都是 0', en: 'after reading everything, every partition has lag 0' },
      {
        pass: caughtUp.every((r) => r.lag === 0n),
        expected: 'p0: 0; p1: 0; p2: 0',
        actual: caughtUp.map((r) => `p${r.partition}: ${r.lag}`).join('; '),
      },
    );

    ctx.step({
      zh: `组停着，再向分区 1 写 ${LATER[1]} 条、分区 2 写 ${LATER[2]} 条、分区 0 不写`,
      en: `with the group stopped, write ${LATER[1]} more records to partition 1, ${LATER[2]} to partition 2 and none to partition 0`,
    });
    for (let p = 0; p < PARTITIONS; p++) await write(p, LATER[p] ?? 0);
    const behind = await lagByPartition();
    ctx.observe('lag with the group stopped', show(behind));
    // Fails for "lag is one number for the group", for lag measured from the last processed offset (off by one),
    // and for lag spread over partitions that received nothing.
    ctx.check(
      {
        zh: `每个分区的 lag 恰好等于组停下后写入该分区的条数（${Object.values(LATER).join(' / ')}）`,
        en: `each partition lags by exactly the records written to it while the group was stopped (${Object.values(LATER).join(' / ')})`,
      },
      {
        pass: behind.every((r) => r.lag === BigInt(LATER[r.partition] ?? 0)),
        expected: Object.entries(LATER)
          .map(([p, n]) => `p${p}: ${n}`)
          .join('; '),
        actual: behind.map((r) => `p${r.partition}: ${r.lag}`).join('; '),
      },
    );
    const total = behind.reduce((sum, r) => sum + (r.lag ?? 0n), 0n);
    ctx.observe('total lag (sum over partitions)', String(total));

    ctx.step({ zh: '组重新启动并追到末尾', en: 'the group starts again and catches up' });
    await consumeToEnd('the restarted group');
    const after = await lagByPartition();
    ctx.observe('lag after catching up', show(after));
    ctx.check(
      { zh: '追上后每个分区的 lag 回到 0', en: 'after catching up, every partition is back to lag 0' },
      {
        pass: after.every((r) => r.lag === 0n) && after.every((r, i) => r.end === behind[i]!.end),
        expected: { zh: 'p0: 0; p1: 0; p2: 0（end offset 不变）', en: 'p0: 0; p1: 0; p2: 0 (end offsets unchanged)' },
        actual: show(after),
      },
    );
  },
});
