import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';

/**
 * Proves partition-count-sizing, partitions-cannot-decrease, more-partitions-cost and partition-files-predict, the
 * operator's way on any broker kq can see (its own, or Apache Kafka with --kafka): a partition is a directory of
 * its own under log.dirs with its own segment and index files, held open by the broker process (a file
 * descriptor, or a memory map: Apache Kafka keeps each `.log` open and maps `.index`/`.timeindex`, as `lsof`
 * shows), so files and held files grow linearly with the partition count (1 partition vs 64); the count can only
 * grow — CreatePartitions to a smaller number is refused with INVALID_PARTITIONS and nothing changes, while growing
 * it works. Reads the data dir and /proc/<broker pid>/{fd,maps} (Linux), so it needs the broker's machine.
 */
const SMALL = 1;

/** Files the process holds, as lsof lists them: open descriptors, and memory-mapped files (how Kafka holds indexes). */
function heldFiles(pid: number): { byDescriptor: Set<string>; byMap: Set<string> } {
  const byDescriptor = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      byDescriptor.add(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed while we looked
    }
  }
  const byMap = new Set(
    readFileSync(`/proc/${pid}/maps`, 'utf8')
      .split('\n')
      .map((line) => line.split(/\s+/).slice(5).join(' '))
      .filter((path) => path.startsWith('/')),
  );
  return { byDescriptor, byMap };
}

export default defineDemo({
  id: 'partition-cost',
  title: {
    zh: '分区不是免费的：每个分区一个目录、一组文件和句柄；分区数只能加不能减',
    en: 'Partitions are not free: a directory, files and handles each; the count can only grow',
  },
  claim: {
    zh: '每个分区是一个独立目录，有自己的 segment 与索引文件并被 broker 进程持有（文件描述符或内存映射），文件数和持有的文件随分区数线性增长（1 个 vs 64 个）；把分区数改小会被 INVALID_PARTITIONS 拒绝、什么都不变，只能增加',
    en: 'each partition is a directory of its own with its own segment and index files held by the broker process (a file descriptor or a memory map), so files and held files grow linearly with the partition count (1 vs 64); lowering the count is refused with INVALID_PARTITIONS and changes nothing; it can only grow',
  },
  needs: 'internals',
  knobs: {
    partitions: {
      default: 64,
      min: 2,
      max: 200,
      about: {
        zh: '大 topic 的分区数（与 1 个分区的比）',
        en: 'partitions of the large topic (against one partition)',
      },
    },
  },
  async run(ctx) {
    const LARGE = ctx.knobs.partitions;
    const SHRUNK = Math.min(10, LARGE - 1);
    const GROWN = LARGE + 16;
    const host = ctx.host;
    const admin = await ctx.admin();
    const producer = await ctx.producer();
    const small = ctx.topic('one-partition');
    const large = ctx.topic('many-partitions');

    ctx.step({
      zh: `创建 ${small}（${SMALL} 个分区）和 ${large}（${LARGE} 个分区），每个分区写 1 条记录`,
      en: `create ${small} (${SMALL} partition) and ${large} (${LARGE} partitions), and write one record to every partition`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: small, numPartitions: SMALL }] });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: large, numPartitions: LARGE }] });
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

    if (!host) {
      ctx.notApplicable(
        { zh: '分区目录、文件与句柄', en: 'partition directories, files and handles' },
        {
          zh: '--bootstrap-server 集群的数据目录和进程在另一台机器上',
          en: "a --bootstrap-server cluster's data dir and process are on another machine",
        },
      );
    } else {
      // The data dir as `ls` shows it: <topic>-<partition> directories, and the files in each.
      const dirsOf = (topic: string) =>
        readdirSync(host.dataDir).filter((name) => new RegExp(`^${topic}-\\d+$`).test(name));
      const filesIn = (dir: string) => readdirSync(join(host.dataDir, dir));
      const smallDirs = dirsOf(small);
      const largeDirs = dirsOf(large);
      const perPartition = smallDirs.length === 1 ? filesIn(smallDirs[0]!).length : 0;
      const largeFiles = largeDirs.map(filesIn);
      const largeTotal = largeFiles.reduce((sum, files) => sum + files.length, 0);
      ctx.observe(
        `files in ${smallDirs[0] ?? `${small}-0`}`,
        smallDirs.length === 1 ? filesIn(smallDirs[0]!).sort().join(' ') : 'none',
      );
      ctx.observe(`partition directories of ${large}`, `${largeDirs.length} under ${host.dataDir}`);
      ctx.observe('files', `${SMALL} partition: ${perPartition}; ${LARGE} partitions: ${largeTotal}`);
      // Fails if partitions share a directory or files (one log per topic), or some partitions have no files yet.
      ctx.check(
        {
          zh: `每个分区一个目录，里面有 .log、.index、.timeindex；${LARGE} 个分区的文件数 = ${LARGE} × 单分区文件数`,
          en: `each partition is its own directory holding .log, .index and .timeindex; ${LARGE} partitions have ${LARGE} × the files of one`,
        },
        {
          pass:
            largeDirs.length === LARGE &&
            ['.log', '.index', '.timeindex'].every((ext) =>
              largeFiles.every((files) => files.some((f) => f.endsWith(ext))),
            ) &&
            perPartition > 0 &&
            largeTotal === LARGE * perPartition,
          expected: {
            zh: `${LARGE} 个目录，${LARGE * perPartition} 个文件`,
            en: `${LARGE} directories, ${LARGE * perPartition} files`,
          },
          actual: {
            zh: `${largeDirs.length} 个目录，${largeTotal} 个文件`,
            en: `${largeDirs.length} directories, ${largeTotal} files`,
          },
        },
      );

      // The broker process's view, as lsof gives it: which of these files it holds, by descriptor or by map.
      const held = heldFiles(host.pid);
      const heldIn = (dirs: string[]) => {
        const inside = (path: string) => dirs.some((d) => path.startsWith(join(host.dataDir, d) + '/'));
        const byDescriptor = [...held.byDescriptor].filter(inside);
        const byMap = [...held.byMap].filter((path) => inside(path) && !held.byDescriptor.has(path));
        const partitionsWith = (ext: string) =>
          dirs.filter((d) =>
            [...byDescriptor, ...byMap].some((p) => p.startsWith(join(host.dataDir, d) + '/') && p.endsWith(ext)),
          ).length;
        return {
          byDescriptor: byDescriptor.length,
          byMap: byMap.length,
          total: byDescriptor.length + byMap.length,
          partitionsWith,
        };
      };
      const heldSmall = heldIn(smallDirs);
      const heldLarge = heldIn(largeDirs);
      ctx.observe(
        'files held by the broker process',
        `${SMALL} partition: ${heldSmall.byDescriptor} open + ${heldSmall.byMap} mapped; ${LARGE} partitions: ${heldLarge.byDescriptor} open + ${heldLarge.byMap} mapped`,
      );
      // Fails if the broker holds files for only some partitions (a shared handle, files opened on demand and closed),
      // or fewer than a segment and an index per partition.
      ctx.check(
        {
          zh: `broker 进程持有每个分区的 .log 和 .index：${LARGE} 个分区持有的文件 = ${LARGE} × 单分区的，且每分区至少 2 个`,
          en: `the broker process holds every partition's .log and .index: ${LARGE} partitions hold ${LARGE} × the files of one, at least 2 each`,
        },
        {
          pass:
            heldSmall.total >= 2 &&
            heldLarge.total === LARGE * heldSmall.total &&
            heldLarge.partitionsWith('.log') === LARGE &&
            heldLarge.partitionsWith('.index') === LARGE,
          expected: {
            zh: `持有 ${LARGE} × ${heldSmall.total} = ${LARGE * heldSmall.total} 个，全部 ${LARGE} 个分区的 .log 和 .index`,
            en: `${LARGE} × ${heldSmall.total} = ${LARGE * heldSmall.total} held, .log and .index of all ${LARGE}`,
          },
          actual: {
            zh: `持有 ${heldLarge.total} 个；${heldLarge.partitionsWith('.log')} 个分区的 .log，${heldLarge.partitionsWith('.index')} 个分区的 .index`,
            en: `${heldLarge.total} held; .log of ${heldLarge.partitionsWith('.log')}, .index of ${heldLarge.partitionsWith('.index')}`,
          },
        },
      );
    }

    ctx.step({
      zh: `尝试把 ${large} 的分区数从 ${LARGE} 改成 ${SHRUNK}，再改成 ${GROWN}`,
      en: `try to change ${large} from ${LARGE} partitions to ${SHRUNK}, then to ${GROWN}`,
    });
    let shrinkError = 'none';
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: large, count: SHRUNK }] });
    } catch (error) {
      // in Chinese only the error's name: the client's message is English
      shrinkError =
        `${(error as { type?: string }).type ?? ''} ${ctx.lang === 'zh' ? '' : (error as Error).message}`.trim();
    }
    const countAfterShrink = (await admin.fetchTopicMetadata({ topics: [large] })).topics[0]!.partitions.length;
    await admin.createPartitions({ topicPartitions: [{ topic: large, count: GROWN }] });
    // Kafka answers CreatePartitions once the controller has committed the change; the broker answering Metadata
    // applies it a moment later. Look (bounded) until it does: a broker that never grows still fails the check.
    let countAfterGrow = 0;
    await eventually(async () => {
      countAfterGrow = (await admin.fetchTopicMetadata({ topics: [large] })).topics[0]!.partitions.length;
      return countAfterGrow === GROWN;
    }, 15_000);
    ctx.observe(`shrink to ${SHRUNK}`, shrinkError);
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
