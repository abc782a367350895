import type { ClusterView } from '../src/demo/cluster-view.js';
import { eventually } from '../src/demo/eventually.js';
import { numericBrokerConfig, rolesAvoidingController } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { readPartitionFromDisk } from '../src/demo/partition-on-disk.js';

/**
 * Proves acks-one-leader-crash, acks-levels, acks-default-today, broker-side-loss-settings and
 * no-message-loss-end-to-end on a 3-broker cluster: the same fault hits two 2-replica partitions led by the same
 * broker, one written with acks=1 and one with acks=all. Both take a first round of records while every replica
 * fetches; then the follower is frozen (SIGSTOP: still in the ISR, fetching nothing), a second round is sent,
 * the leader is SIGKILLed and the follower thawed, so the controller elects it, cleanly, from the ISR. Counted per
 * setting: acknowledged, and acknowledged but gone from the new leader. acks=1 acknowledged the second round from
 * the leader's log alone and loses all of it; acks=all never acknowledged it, and loses nothing it acknowledged.
 * The old leader, restarted, does not bring the records back: it truncates its log to the new leader's (leader
 * epochs), as its data dir shows.
 */
const FIRST = 20;
const BATCH = 25;

export default defineDemo({
  id: 'acks-durability',
  title: {
    zh: 'acks=1 与 acks=all：leader 被 SIGKILL 时，已确认的消息丢了多少',
    en: 'acks=1 versus acks=all: how many acknowledged records a leader SIGKILL loses',
  },
  claim: {
    zh: 'follower 未复制时 leader 被杀：acks=1 已确认的记录全部丢失（新 leader 从 ISR 正常选出，没有它们），acks=all 已确认的一条不丢（它根本没有确认只在 leader 上的记录）；旧 leader 重启后按新 leader 截断，不会把记录"同步回来"',
    en: 'a leader killed before its follower copied the records: every acks=1 acknowledgement of them is lost (the new leader, cleanly elected from the ISR, lacks them), while acks=all loses no acknowledged record (it never acknowledged records only the leader had); the restarted old leader truncates to the new leader, it does not sync them back',
  },
  needs: 'client',
  brokers: 3,
  knobs: {
    'records.while.frozen': {
      default: 100,
      min: 1,
      max: 1000,
      about: {
        zh: 'follower 冻结期间每个 topic 写入的记录数（第二轮）',
        en: 'records written to each topic while the follower is frozen (the second round)',
      },
    },
  },
  async run(ctx) {
    const SECOND = ctx.knobs['records.while.frozen'];
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    const fetchWaitMs = numericBrokerConfig(cluster, 'replica.fetch.wait.max.ms');
    // neither fault hits the active controller: that would add a controller election to the partition's
    const [leader, follower, bystander] = rolesAvoidingController(cluster);
    const settings = [
      { acks: 1 as const, topic: ctx.topic('acks-1') },
      { acks: -1 as const, topic: ctx.topic('acks-all') },
    ];
    ctx.step({
      zh: `两个 2 副本 topic，都在 broker ${leader}（leader）和 ${follower} 上：${settings.map((s) => s.topic).join('、')}`,
      en: `two 2-replica topics, both on broker ${leader} (leader) and ${follower}: ${settings.map((s) => s.topic).join(', ')}`,
    });
    for (const { topic } of settings) await view.createTopic(topic, [leader, follower]);
    const ask = (topic: string, broker = bystander) => view.partition(topic, 0, broker);

    const acked = new Map<string, string[]>(settings.map((s) => [s.topic, []]));
    ctx.step({
      zh: `每个 topic 先写 ${FIRST} 条（follower 正常拉取）`,
      en: `write ${FIRST} records to each while the follower fetches`,
    });
    for (const { acks, topic } of settings) await send(view, leader, topic, acks, 'first', FIRST, acked.get(topic)!);

    ctx.step({
      zh: `冻结 follower ${follower}（仍在 ISR 中），再各写 ${SECOND} 条，随即 SIGKILL leader ${leader} 并解冻 ${follower}`,
      en: `freeze follower ${follower} (still in the ISR), write ${SECOND} more to each, then SIGKILL leader ${leader} and thaw ${follower}`,
    });
    cluster.pause(follower);
    // A frozen process still gets what the kernel buffers for it: the fetch the follower had parked at the leader is
    // answered into its socket, by an append or when its replica.fetch.wait.max.ms runs out. One bridge record, then
    // that wait (with margin for a loaded machine), and the parked fetch has been answered with the bridge at most:
    // the second round reaches the follower by no path at all.
    const bridge = await view.produce(leader, settings[0]!.topic, ['bridge'], { acks: 1 });
    if (bridge.error === 'NONE') acked.get(settings[0]!.topic)!.push('bridge');
    await new Promise((resolve) => setTimeout(resolve, 2 * fetchWaitMs));
    const pending: Array<Promise<unknown>> = [];
    for (const { acks, topic } of settings) {
      const round = send(view, leader, topic, acks, 'second', SECOND, acked.get(topic)!);
      // acks=1 answers from the leader's log alone; acks=all waits for the frozen follower, so it is left pending
      if (acks === 1) await round;
      else pending.push(round.catch(() => undefined));
    }
    // A request still on its way when the leader dies proves nothing about acks: wait (bounded) until the leader's
    // log holds the acks=all round's first batch — appended, in its data dir as an operator reads it — then kill.
    const allsTopic = settings[1]!.topic;
    const reachedLeader = await eventually(
      () => recordsOnDisk(cluster.broker(leader).dataDir, allsTopic) >= FIRST + Math.min(BATCH, SECOND),
      20_000,
    );
    const isrAtKill = await ask(settings[0]!.topic, leader);
    await cluster.kill(leader);
    cluster.resume(follower);
    await Promise.all(pending);
    ctx.observe('at the kill', {
      isr: isrAtKill.isr,
      acknowledged: Object.fromEntries(settings.map(({ acks, topic }) => [`acks=${acks}`, acked.get(topic)!.length])),
    });

    const elected = await eventually(
      async () => (await Promise.all(settings.map((s) => ask(s.topic)))).every((p) => p.leader === follower),
      20_000,
    );
    const after = await Promise.all(settings.map((s) => ask(s.topic)));
    ctx.check(
      {
        zh: `leader ${leader} 被杀时 follower ${follower} 仍在 ISR 中，控制器从 ISR 正常选它为新 leader（epoch 增加）`,
        en: `follower ${follower} was still in the ISR when leader ${leader} was killed, and the controller elected it, cleanly, from the ISR (a higher epoch)`,
      },
      {
        pass:
          isrAtKill.isr.includes(follower) &&
          elected &&
          after.every((p) => p.leader === follower && p.leaderEpoch > isrAtKill.leaderEpoch),
        expected: {
          zh: `被杀时 ISR 包含 ${follower}；之后 leader 是 ${follower}，epoch 高于 ${isrAtKill.leaderEpoch}`,
          en: `ISR at the kill contains ${follower}; then leader ${follower} in an epoch above ${isrAtKill.leaderEpoch}`,
        },
        actual: {
          zh: `被杀时 ISR [${isrAtKill.isr.join(',')}]；之后 leader ${after.map((p) => `${p.leader}（epoch ${p.leaderEpoch}）`).join('、')}`,
          en: `ISR at the kill [${isrAtKill.isr.join(',')}]; then leaders ${after.map((p) => `${p.leader} (epoch ${p.leaderEpoch})`).join(', ')}`,
        },
      },
    );

    ctx.step({
      zh: `重启旧 leader ${leader}：它作为 follower 回来`,
      en: `restart the old leader ${leader}: it comes back as a follower`,
    });
    await cluster.restart(leader);
    const rejoined = await eventually(
      async () => (await Promise.all(settings.map((s) => ask(s.topic)))).every((p) => p.isr.includes(leader)),
      30_000,
    );
    // read once both are in the ISR again and the new leader's high watermark covers everything it stores (Kafka
    // moves it with the rejoined follower's next fetch, which may come after Metadata shows the ISR)
    await eventually(
      async () =>
        (await Promise.all(settings.map((s) => view.highWatermarkAtLogEnd(follower, s.topic, 0)))).every(Boolean),
      15_000,
    );
    const survivors = new Map<string, string[]>();
    for (const { topic } of settings) {
      const read = await view.readReplica(follower, topic, 0);
      survivors.set(
        topic,
        read.records.map((r) => r.value?.toString() ?? ''),
      );
    }
    const lost = (topic: string) => acked.get(topic)!.filter((v) => !survivors.get(topic)!.includes(v));
    const [ones, alls] = settings.map((s) => s.topic) as [string, string];
    const lostSecond = (topic: string) => lost(topic).filter((v) => v.startsWith('second')).length;
    const secondAcked = (topic: string) => acked.get(topic)!.filter((v) => v.startsWith('second')).length;
    ctx.observe('acknowledged, and acknowledged but lost, per setting', {
      'acks=1': {
        acknowledged: acked.get(ones)!.length,
        lost: lost(ones).length,
        onNewLeader: survivors.get(ones)!.length,
      },
      'acks=all': {
        acknowledged: acked.get(alls)!.length,
        lost: lost(alls).length,
        onNewLeader: survivors.get(alls)!.length,
      },
    });
    ctx.check(
      {
        zh: `acks=1：冻结期间的 ${SECOND} 条全部被确认，却全部丢失`,
        en: `acks=1: all ${SECOND} records sent while the follower was frozen were acknowledged, and all of them are lost`,
      },
      {
        pass: secondAcked(ones) === SECOND && lostSecond(ones) === SECOND,
        expected: { zh: `确认 ${SECOND} 条，丢失 ${SECOND} 条`, en: `${SECOND} acknowledged, ${SECOND} lost` },
        actual: {
          zh: `确认 ${secondAcked(ones)} 条，丢失 ${lostSecond(ones)} 条（新 leader 上有 ${survivors.get(ones)!.length} 条）`,
          en: `${secondAcked(ones)} acknowledged, ${lostSecond(ones)} lost (${survivors.get(ones)!.length} records on the new leader)`,
        },
      },
    );
    ctx.check(
      {
        zh: 'acks=all：没有一条已确认的记录丢失；只在 leader 上的记录从未被确认',
        en: 'acks=all: no acknowledged record is lost; the records only the leader had were never acknowledged',
      },
      {
        pass: reachedLeader && acked.get(alls)!.length === FIRST && secondAcked(alls) === 0 && lost(alls).length === 0,
        expected: {
          zh: `第二轮已追加到 leader 的日志；确认 ${FIRST} 条（第一轮），第二轮 0 条，丢失 0 条`,
          en: `the second round appended to the leader's log; ${FIRST} acknowledged (the first round), 0 of the second, 0 lost`,
        },
        actual: {
          zh: `第二轮${reachedLeader ? '已' : '没有'}追加到 leader 的日志；确认 ${acked.get(alls)!.length} 条（第二轮 ${secondAcked(alls)} 条），丢失 ${lost(alls).length} 条`,
          en: `the second round ${reachedLeader ? 'was' : 'was not'} appended to the leader's log; ${acked.get(alls)!.length} acknowledged (${secondAcked(alls)} of the second), ${lost(alls).length} lost`,
        },
      },
    );
    const onDisk = settings.map(({ topic }) => recordsOnDisk(cluster.broker(leader).dataDir, topic));
    const newLeaderRecords = settings.map(({ topic }) => survivors.get(topic)!.length);
    ctx.observe(`records in broker ${leader}'s data dir after it rejoined`, {
      'acks=1': onDisk[0],
      'acks=all': onDisk[1],
    });
    ctx.check(
      {
        zh: `旧 leader 不会把记录"同步回来"：它重新加入 ISR 时，数据目录里的日志已截断到与新 leader 相同`,
        en: `the old leader does not sync the records back: back in the ISR, the log in its data dir is truncated to the new leader's`,
      },
      {
        pass: rejoined && onDisk.every((n, i) => n === newLeaderRecords[i]),
        expected: {
          zh: `重新进入两个 ISR；磁盘上分别有 ${newLeaderRecords.join(' 和 ')} 条，与新 leader 相同`,
          en: `back in both ISRs; ${newLeaderRecords.join(' and ')} records on disk, as on the new leader`,
        },
        actual: {
          zh: `${rejoined ? '重新进入两个 ISR' : '没有重新进入两个 ISR'}；磁盘上分别有 ${onDisk.join(' 和 ')} 条`,
          en: `${rejoined ? 'back in both ISRs' : 'not back in both ISRs'}; ${onDisk.join(' and ')} records on disk`,
        },
      },
    );
  },
});

/** Sends `count` records to `topic` in batches from one connection per batch, noting each acknowledged value. */
async function send(
  view: ClusterView,
  broker: number,
  topic: string,
  acks: 1 | -1,
  round: string,
  count: number,
  acked: string[],
): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const values = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => `${round}-${String(start + i).padStart(3, '0')}`,
    );
    const answer = await view.produce(broker, topic, values, { acks, timeoutMs: 30_000 });
    if (answer.error === 'NONE') acked.push(...values);
  }
}

/** Records in partition 0 of `topic` as the broker's data dir holds it (segment files read from their bytes). */
function recordsOnDisk(dataDir: string, topic: string): number {
  return readPartitionFromDisk(dataDir, topic, 0)
    .segments.flatMap((s) => s.batches)
    .reduce((n, b) => n + b.recordCount, 0);
}
