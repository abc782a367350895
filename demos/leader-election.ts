import { eventually } from '../src/demo/eventually.js';
import { numericBrokerConfig, rolesAvoidingController } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { readPartitionFromDisk } from '../src/demo/partition-on-disk.js';

/**
 * Proves unclean-election-offline and the election rules of leader-election-strategies on a 3-broker cluster, from
 * what clients see: a 2-replica partition whose follower falls out of the ISR (frozen past replica.lag.time.max.ms)
 * and then misses acknowledged records; its leader, the ISR's only member, is SIGKILLed. With unclean election
 * disabled (the default) the controller may only elect from the ISR, so the partition stays offline although the
 * other replica is alive and registered, until the old leader returns with everything. The same fault on a topic
 * that allows unclean election (unclean.leader.election.enable=true) makes the controller elect the lagging
 * replica: available again, but the records acknowledged while it was out are gone; the old leader, restarted,
 * truncates its log to the new leader's.
 */
const BEFORE = 10;

export default defineDemo({
  id: 'leader-election',
  title: {
    zh: '只从 ISR 选举，和 unclean 选举丢掉的数据',
    en: 'Elections only from the ISR, and what an unclean election loses',
  },
  claim: {
    zh: 'ISR 唯一的成员宕机后，默认配置不会选落后的副本：分区保持离线，即使该副本活着，等原 leader 回来后一条不丢；允许 unclean 选举的 topic 会选它，分区恢复可用，但它落后期间已确认的记录永久丢失，旧 leader 回来后按它截断',
    en: "when the ISR's only member dies, the default configuration does not elect a lagging replica: the partition stays offline although that replica is alive, and once the old leader returns nothing acknowledged is lost; a topic that allows unclean election elects it and is available again, but the records acknowledged while it lagged are gone for good, and the old leader truncates to it when it returns",
  },
  needs: 'client',
  brokers: 3,
  knobs: {
    'records.while.out': {
      default: 50,
      min: 1,
      max: 1000,
      about: {
        zh: 'follower 被移出 ISR 期间每个 topic 写入（并确认）的记录数',
        en: 'records written (and acknowledged) to each topic while the follower is out of the ISR',
      },
    },
  },
  async run(ctx) {
    const WHILE_OUT = ctx.knobs['records.while.out'];
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    const sessionMs = numericBrokerConfig(cluster, 'broker.session.timeout.ms');
    const lagMs = numericBrokerConfig(cluster, 'replica.lag.time.max.ms');
    const uncleanCheckMs = numericBrokerConfig(cluster, 'unclean.leader.election.interval.ms');
    const [leader, lagging, observer] = rolesAvoidingController(cluster);
    const clean = ctx.topic('election-clean');
    const unclean = ctx.topic('election-unclean');
    const topics = [clean, unclean];
    ctx.step({
      zh: `两个 2 副本 topic，都在 broker ${leader}（leader）和 ${lagging} 上：${clean}（默认，不允许 unclean 选举）和 ${unclean}（unclean.leader.election.enable=true）；各写 ${BEFORE} 条（acks=all）`,
      en: `two 2-replica topics on broker ${leader} (leader) and ${lagging}: ${clean} (the default: no unclean election) and ${unclean} (unclean.leader.election.enable=true); write ${BEFORE} records to each (acks=all)`,
    });
    await view.createTopic(clean, [leader, lagging]);
    await view.createTopic(unclean, [leader, lagging], { 'unclean.leader.election.enable': 'true' });
    const ask = (topic: string) => view.partition(topic, 0, observer);
    const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    const before = await Promise.all(
      topics.map((t) => view.produce(leader, t, values('before', BEFORE), { acks: -1 })),
    );

    ctx.step({
      zh: `冻结 broker ${lagging}，直到它被移出两个 ISR；再各写 ${WHILE_OUT} 条（acks=all，ISR 只剩 ${leader}）`,
      en: `freeze broker ${lagging} until it leaves both ISRs; then write ${WHILE_OUT} records to each (acks=all, the ISR is ${leader} alone)`,
    });
    cluster.pause(lagging);
    const left = await eventually(
      async () =>
        (await Promise.all(topics.map((t) => view.partition(t, 0, leader)))).every((p) => !p.isr.includes(lagging)),
      2 * lagMs + sessionMs,
    );
    const whileOut = await Promise.all(
      topics.map((t) => view.produce(leader, t, values('while-out', WHILE_OUT), { acks: -1 })),
    );
    const acknowledged = [...before, ...whileOut].every((a) => a.error === 'NONE');
    ctx.observe('acknowledged', { before: before.map((a) => a.error), whileOut: whileOut.map((a) => a.error) });

    ctx.step({
      zh: `SIGKILL broker ${leader}（ISR 唯一的成员），解冻 ${lagging}`,
      en: `SIGKILL broker ${leader} (the ISR's only member) and thaw ${lagging}`,
    });
    await cluster.kill(leader);
    cluster.resume(lagging);
    const fenced = await eventually(async () => {
      const live = await view.liveBrokers(observer);
      return !live.includes(leader) && live.includes(lagging);
    }, 3 * sessionMs);
    const electedUnclean = await eventually(
      async () => (await ask(unclean)).leader === lagging,
      10 * uncleanCheckMs + 5000,
    );
    // the controller looks for unclean elections every unclean.leader.election.interval.ms: by now it has, thrice
    const cleanElected = await eventually(async () => (await ask(clean)).leader !== -1, 3 * uncleanCheckMs);
    const cleanNow = await ask(clean);
    ctx.observe(`after broker ${leader} was fenced`, {
      liveBrokers: await view.liveBrokers(observer),
      [clean]: { leader: cleanNow.leader, error: cleanNow.error },
      [unclean]: { leader: (await ask(unclean)).leader },
    });
    ctx.check(
      {
        zh: `unclean 选举关闭（默认）时只能从 ISR 选举：ISR 唯一的成员 ${leader} 宕机后，${clean} 没有 leader，即使 ${lagging} 活着并已注册`,
        en: `with unclean election disabled (the default) only the ISR is electable: with ${leader}, its only member, dead, ${clean} has no leader although ${lagging} is alive and registered`,
      },
      {
        pass: left && acknowledged && fenced && cleanNow.leader === -1 && !cleanElected,
        expected: {
          zh: `kill 前 ${lagging} 已移出 ISR；${leader} 被 fence，${lagging} 存活；${clean} 没有 leader`,
          en: `${lagging} out of the ISR before the kill; ${leader} fenced, ${lagging} live; ${clean} leaderless`,
        },
        actual: {
          zh: `${lagging} ${left ? '已移出' : '从未移出'} ISR；${fenced ? `${leader} 被 fence，${lagging} 存活` : '没有看到 fence'}；${clean} 的 leader ${cleanNow.leader}（${cleanNow.error}）`,
          en: `${lagging} ${left ? 'left' : 'never left'} the ISR; ${fenced ? `${leader} fenced, ${lagging} live` : 'fencing not seen'}; ${clean} leader ${cleanNow.leader} (${cleanNow.error})`,
        },
      },
    );
    const read = await view.readReplica(lagging, unclean, 0);
    const served = read.records.map((r) => r.value?.toString() ?? '');
    const lostCount = values('while-out', WHILE_OUT).filter((v) => !served.includes(v)).length;
    ctx.observe(`${unclean} on broker ${lagging} after the unclean election`, {
      records: served.length,
      lostAcknowledged: lostCount,
    });
    ctx.check(
      {
        zh: `允许 unclean 选举的 ${unclean}：落后的 ${lagging} 当选，分区恢复可用，但它落后期间已确认的 ${WHILE_OUT} 条全部丢失`,
        en: `${unclean}, which allows unclean election: the lagging ${lagging} is elected and the partition is available again, but all ${WHILE_OUT} records acknowledged while it lagged are lost`,
      },
      {
        pass:
          electedUnclean && lostCount === WHILE_OUT && served.filter((v) => v.startsWith('before-')).length === BEFORE,
        expected: {
          zh: `leader ${lagging}；它提供之前的 ${BEFORE} 条，${WHILE_OUT} 条中一条也没有`,
          en: `leader ${lagging}; it serves the ${BEFORE} earlier records and none of the ${WHILE_OUT}`,
        },
        actual: {
          zh: `${electedUnclean ? `leader ${lagging}` : '没有当选'}；它提供 ${served.length} 条，${WHILE_OUT} 条中缺 ${lostCount} 条`,
          en: `${electedUnclean ? `leader ${lagging}` : 'not elected'}; it serves ${served.length} records, ${lostCount} of the ${WHILE_OUT} missing`,
        },
      },
    );

    ctx.step({ zh: `重启旧 leader ${leader}`, en: `restart the old leader ${leader}` });
    await cluster.restart(leader);
    const cleanBack = await eventually(async () => (await ask(clean)).leader === leader, 30_000);
    // The restarted leader starts from the high watermark in its last replication-offset-checkpoint (written every
    // 5 s, so likely before the records written while the follower was out) and moves it to its log end once the
    // returning follower's fetches allow it: Apache Kafka's Partition waits for a caught-up, ISR-eligible follower.
    // Records it really lost would never come back, so waiting (bounded) does not weaken the check.
    const servedByLeader = async () => (await view.readReplica(leader, clean, 0)).records.length;
    let cleanServed = 0;
    if (cleanBack) await eventually(async () => (cleanServed = await servedByLeader()) >= BEFORE + WHILE_OUT, 15_000);
    ctx.check(
      {
        zh: `不允许 unclean 的 ${clean} 等到 ${leader} 回来才恢复，但一条已确认的记录都没丢`,
        en: `${clean}, without unclean election, waited for ${leader} to come back, and lost no acknowledged record`,
      },
      {
        pass: cleanBack && cleanServed === BEFORE + WHILE_OUT,
        expected: {
          zh: `leader 重新是 ${leader}，提供全部 ${BEFORE + WHILE_OUT} 条`,
          en: `leader ${leader} again, serving all ${BEFORE + WHILE_OUT} records`,
        },
        actual: {
          zh: `${cleanBack ? `leader ${leader}` : '没有 leader'}，提供 ${cleanServed} 条`,
          en: `${cleanBack ? `leader ${leader}` : 'no leader'}, serving ${cleanServed}`,
        },
      },
    );
    const rejoined = await eventually(async () => (await ask(unclean)).isr.includes(leader), 30_000);
    const onDisk = readPartitionFromDisk(cluster.broker(leader).dataDir, unclean, 0)
      .segments.flatMap((s) => s.batches)
      .reduce((n, b) => n + b.recordCount, 0);
    const newLeaderNow = (await view.readReplica(lagging, unclean, 0)).records.length;
    ctx.check(
      {
        zh: `${unclean} 的旧 leader 回来后按新 leader 截断：那 ${WHILE_OUT} 条从它的数据目录里也消失了`,
        en: `${unclean}'s old leader returns and truncates to the new leader: the ${WHILE_OUT} records are gone from its data dir too`,
      },
      {
        pass: rejoined && onDisk === newLeaderNow,
        expected: {
          zh: `重新进入 ISR，磁盘上有 ${newLeaderNow} 条，与新 leader 相同`,
          en: `back in the ISR with ${newLeaderNow} records on disk, as on the new leader`,
        },
        actual: {
          zh: `${rejoined ? '重新进入 ISR' : '没有重新进入 ISR'}，磁盘上有 ${onDisk} 条`,
          en: `${rejoined ? 'back in the ISR' : 'not back in the ISR'}, ${onDisk} records on disk`,
        },
      },
    );
  },
});
