import { eventually } from '../src/demo/eventually.js';
import { rolesAvoidingController } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { checkpointedHighWatermark, readPartitionFromDisk } from '../src/demo/partition-on-disk.js';

/**
 * Proves leader-epoch-truncation-why on a 3-broker cluster, the operator's way (the follower's data dir) plus the
 * protocol: a follower crashes (SIGKILL) while a producer writes, so the high watermark it last wrote to disk
 * (replication-offset-checkpoint) is behind the records in its log — the precondition of the pre-KIP-101 anomaly,
 * where a restarted follower cut its log back to that stale high watermark and a leader failure then lost committed
 * records. It is restarted while its leader is frozen, so it can learn nothing from the leader: with leader epochs
 * it cuts nothing on its own (it truncates only where the leader says its epoch ends), and once the leader is back
 * the two logs are identical, batch for batch. kq's pre-KIP-101 rule (`kq.follower.truncation=high-watermark`) is
 * the mutation that flips it.
 */
export default defineDemo({
  id: 'leader-epoch-truncation',
  title: {
    zh: 'Leader epoch：重启的 follower 不再按自己滞后的高水位截断',
    en: 'Leader epochs: a restarted follower no longer truncates to its own stale high watermark',
  },
  claim: {
    zh: 'follower 崩溃时磁盘上的高水位落后于它日志里的记录；重启后即使联系不到 leader，它也不按这个高水位截断任何记录（只在 leader 告诉它 epoch 结束的位置截断）；leader 回来后两份日志逐批次一致，没有分叉',
    en: 'when a follower crashes, the high watermark on its disk is behind the records in its log; restarted, even with its leader unreachable, it cuts none of them to that high watermark (it truncates only where the leader says its epoch ends); once the leader is back the two logs are identical batch for batch, with no divergence',
  },
  needs: 'client',
  brokers: 3,
  knobs: {
    'records.before.crash': {
      default: 100,
      min: 20,
      max: 2000,
      about: {
        zh: 'follower 被 SIGKILL 前至少已复制的记录数',
        en: 'records the follower holds at least before it is SIGKILLed',
      },
    },
  },
  async run(ctx) {
    const beforeCrash = ctx.knobs['records.before.crash'];
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    const [leader, follower, observer] = rolesAvoidingController(cluster);
    const topic = ctx.topic('epochs');
    const onDisk = (broker: number) =>
      readPartitionFromDisk(cluster.broker(broker).dataDir, topic, 0).segments.flatMap((s) => s.batches);
    const records = (broker: number) => onDisk(broker).reduce((n, b) => n + b.recordCount, 0);

    ctx.step({
      zh: `2 副本 topic ${topic}：broker ${leader}（leader）和 ${follower}；一边持续写入（acks=all），一边 SIGKILL follower ${follower}`,
      en: `a 2-replica topic ${topic} on broker ${leader} (leader) and ${follower}; SIGKILL follower ${follower} while a producer keeps writing (acks=all)`,
    });
    await view.createTopic(topic, [leader, follower]);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        // acks=all: an acknowledged record is on both replicas, so whatever happens next must keep it
        const answer = await view
          .produce(leader, topic, [`r${written}`], { acks: -1, timeoutMs: 1000 })
          .catch(() => undefined);
        if (answer?.error === 'NONE') written++;
      }
    })();
    // a few hundred records in the follower's log, so some are certainly past the last high-watermark checkpoint
    await ctx.waitUntil(
      async () => (await view.readReplica(follower, topic, 0)).highWatermark >= BigInt(beforeCrash),
      `the follower holds ${beforeCrash} records`,
      20_000,
    );
    await cluster.kill(follower);
    writing = false;
    await writer;
    const logEnd = records(follower);
    const checkpointed = checkpointedHighWatermark(cluster.broker(follower).dataDir, topic, 0) ?? 0n;
    ctx.observe(`follower ${follower}'s data dir after the crash`, {
      recordsInLog: logEnd,
      highWatermarkCheckpoint: String(checkpointed),
      writtenToLeader: written,
    });
    ctx.check(
      {
        zh: 'follower 磁盘上的高水位（replication-offset-checkpoint）落后于它日志里的记录：旧规则会截掉这部分',
        en: "the follower's high watermark on disk (replication-offset-checkpoint) is behind the records in its log: the old rule would cut that part",
      },
      {
        pass: logEnd >= beforeCrash && checkpointed < BigInt(logEnd),
        expected: {
          zh: `日志里至少 ${beforeCrash} 条；checkpoint 中的高水位 < ${logEnd}（这些记录）`,
          en: `at least ${beforeCrash} records in its log; checkpointed high watermark < ${logEnd} (those records)`,
        },
        actual: {
          zh: `checkpoint 中 ${checkpointed}，日志里 ${logEnd} 条`,
          en: `checkpointed ${checkpointed}, ${logEnd} records in its log`,
        },
      },
    );

    ctx.step({
      zh: `冻结 leader ${leader}（让 follower 问不到任何东西），重启 follower ${follower}`,
      en: `freeze leader ${leader} (so the follower can learn nothing from it) and restart follower ${follower}`,
    });
    cluster.pause(leader);
    await cluster.restart(follower);
    // the old rule truncates as the follower takes up the partition, before it reaches any leader: give it time to
    const cut = await eventually(() => records(follower) < logEnd, 5000);
    const afterRestart = records(follower);
    ctx.check(
      {
        zh: '重启后联系不到 leader 时，follower 没有按滞后的高水位截断任何记录（它只在 leader 告诉它 epoch 结束的位置截断）',
        en: 'restarted with its leader unreachable, the follower cut nothing to its stale high watermark (it truncates only where the leader says its epoch ends)',
      },
      {
        pass: !cut && afterRestart === logEnd,
        expected: {
          zh: `磁盘上仍有 ${logEnd} 条（不是 ${checkpointed}）`,
          en: `still ${logEnd} records on disk (not ${checkpointed})`,
        },
        actual: { zh: `磁盘上有 ${afterRestart} 条`, en: `${afterRestart} records on disk` },
      },
    );

    ctx.step({ zh: `解冻 leader ${leader}`, en: `thaw leader ${leader}` });
    cluster.resume(leader);
    const inSync = await eventually(async () => (await view.partition(topic, 0, observer)).isr.length === 2, 60_000);
    const same = await eventually(() => {
      const a = onDisk(leader);
      const b = onDisk(follower);
      return (
        a.length === b.length &&
        a.every((x, i) => x.baseOffset === b[i]!.baseOffset && x.sizeInBytes === b[i]!.sizeInBytes)
      );
    }, 10_000);
    const held = Math.min(records(leader), records(follower));
    ctx.check(
      {
        zh: 'leader 回来后 follower 追上并回到 ISR，两份日志逐批次一致（没有分叉），每条已确认（acks=all）的记录都在',
        en: 'with the leader back the follower catches up and rejoins the ISR; the two logs match batch for batch (no divergence) and hold every acknowledged (acks=all) record',
      },
      {
        pass: inSync && same && held >= written,
        expected: {
          zh: `ISR 为 2；两边批次相同（offset、大小）；各至少 ${written} 条`,
          en: `ISR of 2; the same batches (offsets, sizes) on both; at least ${written} records on each`,
        },
        actual: {
          zh: `${inSync ? 'ISR 为 2' : '没有重新进入 ISR'}；${same ? '批次相同' : '两份日志不同'}；leader ${records(leader)} 条，follower ${records(follower)} 条`,
          en: `${inSync ? 'ISR of 2' : 'not back in the ISR'}; ${same ? 'same batches' : 'the logs differ'}; leader ${records(leader)}, follower ${records(follower)} records`,
        },
      },
    );
  },
});
