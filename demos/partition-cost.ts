import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves partition-count-sizing, partitions-cannot-decrease, more-partitions-cost and partition-files-predict on
 * the mini-broker: a partition is a directory of its own with its own segment and index files, held open by the
 * broker, so files and open file handles grow linearly with the partition count (1 partition vs 64); the count
 * can only grow — CreatePartitions to a smaller number is refused with INVALID_PARTITIONS and nothing changes,
 * while growing it works. Reads the broker's log directories and this process's open descriptors
 * (/proc/self/fd, Linux), so it needs the mini-broker in-process.
 */
const SMALL = 1;
const LARGE = 64;
const GROWN = 80;

const openDescriptors = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined);

export default defineDemo({
  id: 'partition-cost',
  title: {
    zh: '分区不是免费的：每个分区一个目录、一组文件和句柄；分区数只能加不能减',
    en: 'Partitions are not free: a directory, files and handles each; the count can only grow',
  },
  claim: {
    zh: '每个分区是一个独立目录，有自己的 segment 与索引文件并被 broker 打开，文件数和打开的句柄随分区数线性增长（1 个 vs 64 个）；把分区数改小会被 INVALID_PARTITIONS 拒绝、什么都不变，只能增加',
    en: 'each partition is a directory of its own with its own segment and index files held open by the broker, so files and open handles grow linearly with the partition count (1 vs 64); lowering the count is refused with INVALID_PARTITIONS and changes nothing; it can only grow',
  },
  needs: 'internals',
  knobs: {},
  async run(ctx) {
    const broker = ctx.broker!;
    const admin = await ctx.admin();
    const producer = await ctx.producer();
    const small = ctx.topic('one-partition');
    const large = ctx.topic('many-partitions');

    const filesOf = (topic: string, partitions: number) =>
      Array.from({ length: partitions }, (_, p) => readdirSync(broker.log(topic, p).dir));
    const before = openDescriptors();
    ctx.step({
      zh: `创建 ${small}（${SMALL} 个分区）和 ${large}（${LARGE} 个分区），每个分区写 1 条记录`,
      en: `create ${small} (${SMALL} partition) and ${large} (${LARGE} partitions), and write one record to every partition`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: small, numPartitions: SMALL }] });
    const afterSmall = openDescriptors();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: large, numPartitions: LARGE }] });
    const afterLarge = openDescriptors();
    for (const [topic, count] of [
      [small, SMALL],
      [large, LARGE],
    ] as const) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, partition) => ({ partition, value: `hello ${partition}` })),
      });
    }

    const smallFiles = filesOf(small, SMALL);
    const largeFiles = filesOf(large, LARGE);
    const dirs = new Set(Array.from({ length: LARGE }, (_, p) => broker.log(large, p).dir));
    const perPartition = smallFiles[0]!.length;
    const largeTotal = largeFiles.reduce((sum, files) => sum + files.length, 0);
    ctx.observe(`files in ${small}-0`, smallFiles[0]!.sort().join(' '));
    ctx.observe(`partition directories of ${large}`, `${dirs.size} under ${dirname(broker.log(large, 0).dir)}`);
    ctx.observe('files', `${SMALL} partition: ${perPartition}; ${LARGE} partitions: ${largeTotal}`);
    ctx.check(
      {
        zh: `每个分区一个目录，里面有 .log、.index、.timeindex；${LARGE} 个分区的文件数 = ${LARGE} × 单分区文件数`,
        en: `each partition is its own directory holding .log, .index and .timeindex; ${LARGE} partitions have ${LARGE} × the files of one`,
      },
      {
        pass:
          dirs.size === LARGE &&
          ['.log', '.index', '.timeindex'].every((ext) =>
            largeFiles.every((files) => files.some((f) => f.endsWith(ext))),
          ) &&
          largeTotal === LARGE * perPartition,
        expected: `${LARGE} directories, ${LARGE * perPartition} files`,
        actual: `${dirs.size} directories, ${largeTotal} files`,
      },
    );
    if (before !== undefined && afterSmall !== undefined && afterLarge !== undefined) {
      const forSmall = afterSmall - before;
      const forLarge = afterLarge - afterSmall;
      ctx.observe('open file descriptors added', `${SMALL} partition: +${forSmall}; ${LARGE} partitions: +${forLarge}`);
      // Linear: at least two handles (segment + index) per partition, and far more for 64 than for 1.
      ctx.check(
        {
          zh: `打开的文件句柄随分区数增长：${LARGE} 个分区至少多出 ${2 * LARGE} 个`,
          en: `open file handles grow with the partition count: ${LARGE} partitions add at least ${2 * LARGE}`,
        },
        {
          pass: forLarge >= 2 * LARGE && forLarge >= (LARGE / 2) * Math.max(forSmall, 1),
          expected: `≥ ${2 * LARGE} (1 partition added ${forSmall})`,
          actual: `+${forLarge}`,
        },
      );
    }

    ctx.step({
      zh: `尝试把 ${large} 的分区数从 ${LARGE} 改成 10，再改成 ${GROWN}`,
      en: `try to change ${large} from ${LARGE} partitions to 10, then to ${GROWN}`,
    });
    let shrinkError = 'none';
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: large, count: 10 }] });
    } catch (error) {
      shrinkError = `${(error as { type?: string }).type ?? ''} ${(error as Error).message}`.trim();
    }
    const countAfterShrink = (await admin.fetchTopicMetadata({ topics: [large] })).topics[0]!.partitions.length;
    await admin.createPartitions({ topicPartitions: [{ topic: large, count: GROWN }] });
    const countAfterGrow = (await admin.fetchTopicMetadata({ topics: [large] })).topics[0]!.partitions.length;
    ctx.observe('shrink to 10', shrinkError);
    ctx.observe('partition count', `after shrink attempt ${countAfterShrink}; after growing ${countAfterGrow}`);
    ctx.check(
      {
        zh: '改小被 INVALID_PARTITIONS 拒绝、分区数不变；改大成功',
        en: 'shrinking is refused with INVALID_PARTITIONS and the count is unchanged; growing works',
      },
      {
        pass: /INVALID_PARTITIONS/.test(shrinkError) && countAfterShrink === LARGE && countAfterGrow === GROWN,
        expected: `INVALID_PARTITIONS; ${LARGE} → ${LARGE} → ${GROWN}`,
        actual: `${shrinkError}; ${LARGE} → ${countAfterShrink} → ${countAfterGrow}`,
      },
    );
  },
});
