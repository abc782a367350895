import type { ClusterView } from '../src/demo/cluster-view.js';
import { eventually } from '../src/demo/eventually.js';
import { numericBrokerConfig, rolesAvoidingController } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves ack-does-not-mean-fsync on a 3-broker cluster whose nodes can lose power (kq's fault layer: every file a
 * node wrote goes back to what its last fsync made durable, and the process dies): an acknowledgement, acks=all
 * included, means the record is in every ISR replica's page cache, not on any disk. Three 3-replica topics led by
 * the same broker — acks=1, acks=all, and acks=all with flush.messages=1 (an fsync per append on every replica) —
 * each take a round of records before each of three faults:
 * 1. SIGKILL of every broker at once: nothing acknowledged is lost (the OS keeps a dead process's page cache);
 * 2. power loss of the leader alone: nothing acknowledged with acks=all is lost (the other ISR replicas have it);
 * 3. power loss of the two left, the whole ISR, at once: acks=1 and acks=all lose acknowledged records (the
 *    unflushed tail), the flushed topic loses none — it is the missing fsync that loses them, not the demo.
 * kq-internal (kq-internal-demos.ts): kq cannot cut a JVM's page cache.
 */
const BATCH = 5;
/** After a whole-cluster restart on a loaded machine: every replica back in the ISR and the HW at the log's end. */
const SETTLE_MS = 60_000;

interface Setting {
  name: string;
  acks: 1 | -1;
  configs: Record<string, string>;
  topic: string;
}

export default defineDemo({
  id: 'power-loss',
  title: {
    zh: '确认不等于 fsync：进程被杀与断电',
    en: 'An acknowledgement is not an fsync: a process kill versus a power loss',
  },
  claim: {
    zh: '已确认（acks=1 或 acks=all、默认刷盘配置）的记录只在各副本的 page cache 中：所有 broker 同时被 SIGKILL 一条不丢，只有 leader 断电时 acks=all 一条不丢，整个 ISR 同时断电则丢失已确认的记录；flush.messages=1（每次追加都 fsync）时同样的断电一条不丢',
    en: 'records acknowledged with acks=1 or acks=all under the default flush settings are only in the replicas’ page cache: a SIGKILL of every broker at once loses none, a power loss of the leader alone loses none acknowledged with acks=all, and a power loss of the whole ISR at once loses acknowledged records; with flush.messages=1 (an fsync per append) the same power loss loses none',
  },
  needs: 'client',
  brokers: 3,
  powerLoss: true,
  knobs: {
    'records.per.round': {
      default: 20,
      min: BATCH,
      max: 1000,
      about: {
        zh: '每次故障前每个 topic 写入的记录数',
        en: 'records written to each topic before each fault',
      },
    },
  },
  async run(ctx) {
    const ROUND = ctx.knobs['records.per.round'];
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    const sessionMs = numericBrokerConfig(cluster, 'broker.session.timeout.ms');
    const [leader, second, third] = rolesAvoidingController(cluster);
    const all = [leader, second, third];
    const settings: Setting[] = [
      { name: 'acks=1', acks: 1, configs: {}, topic: ctx.topic('power-acks-1') },
      { name: 'acks=all', acks: -1, configs: {}, topic: ctx.topic('power-acks-all') },
      {
        name: 'acks=all, flush.messages=1',
        acks: -1,
        configs: { 'flush.messages': '1' },
        topic: ctx.topic('power-flushed'),
      },
    ];
    const [ones, alls, flushed] = settings as [Setting, Setting, Setting];
    ctx.step({
      zh: `三个 3 副本 topic，leader 都是 broker ${leader}：${ones.topic}（acks=1）、${alls.topic}（acks=all）、${flushed.topic}（acks=all，flush.messages=1）`,
      en: `three 3-replica topics, all led by broker ${leader}: ${ones.topic} (acks=1), ${alls.topic} (acks=all), ${flushed.topic} (acks=all, flush.messages=1)`,
    });
    for (const s of settings) await view.createTopic(s.topic, all, s.configs);

    const acked = new Map<string, string[]>(settings.map((s) => [s.topic, []]));
    const round = async (name: string) => {
      for (const s of settings) await send(view, s, name, ROUND, acked.get(s.topic)!);
      return Object.fromEntries(
        settings.map((s) => [s.name, acked.get(s.topic)!.filter((v) => v.startsWith(`${name}-`)).length]),
      );
    };
    const lostOf = async (s: Setting, name?: string) => {
      const served = new Set(await readFromLeader(view, s.topic));
      return acked.get(s.topic)!.filter((v) => (name === undefined || v.startsWith(`${name}-`)) && !served.has(v));
    };

    // 1. every process killed at once
    ctx.step({
      zh: `每个 topic 写 ${ROUND} 条并得到确认，然后同时 SIGKILL 全部三个 broker，再全部重启`,
      en: `write ${ROUND} acknowledged records to each, then SIGKILL all three brokers at once and restart them all`,
    });
    const killedRound = await round('killed');
    ctx.observe('acknowledged before the kill', killedRound);
    await Promise.all(all.map((id) => cluster.kill(id)));
    await Promise.all(all.map((id) => cluster.restart(id)));
    const afterKill = await settle(view, settings);
    const lostToKill = await Promise.all(settings.map(async (s) => (await lostOf(s)).length));
    ctx.observe('acknowledged but lost, per setting, after the kill', named(settings, lostToKill));
    // Fails if a process kill loses acknowledged records (the broker kept them in its own memory, not the OS's),
    // or the cluster does not come back whole.
    ctx.check(
      {
        zh: '所有 broker 同时被 SIGKILL：三种设置都一条不丢（进程死了，page cache 还在操作系统里）',
        en: 'every broker SIGKILLed at once: no setting loses an acknowledged record (the process died, the OS kept its page cache)',
      },
      {
        pass: afterKill && Object.values(killedRound).every((n) => n === ROUND) && lostToKill.every((n) => n === 0),
        expected: {
          zh: `每种设置确认 ${ROUND} 条、丢 0 条；重启后三个副本都回到 ISR`,
          en: `${ROUND} acknowledged and 0 lost per setting; all three replicas back in the ISR after the restart`,
        },
        actual: {
          zh: `确认 ${Object.values(killedRound).join('/')} 条，丢 ${lostToKill.join('/')} 条；${afterKill ? '都回到 ISR' : '没有都回到 ISR'}`,
          en: `${Object.values(killedRound).join('/')} acknowledged, ${lostToKill.join('/')} lost; ${afterKill ? 'all back in the ISR' : 'not all back in the ISR'}`,
        },
      },
    );

    // 2. the acks=all topic's leader alone loses power
    const cut = (await view.partition(alls.topic, 0)).leader;
    ctx.step({
      zh: `再各写 ${ROUND} 条，然后只让 ${alls.topic} 的 leader（broker ${cut}）断电；等新 leader 当选`,
      en: `write ${ROUND} more to each, then cut the power of ${alls.topic}'s leader (broker ${cut}) alone; wait for a new leader`,
    });
    const oneRound = await round('one-down');
    ctx.observe('acknowledged before the power loss of one broker', oneRound);
    await cluster.powerLoss!(cut);
    // the node's death moves every leadership it held: wait for all three topics (each readable again)
    const elected = await eventually(
      async () =>
        (await Promise.all(settings.map((s) => view.partition(s.topic, 0)))).every(
          (p) => p.leader !== -1 && p.leader !== cut,
        ),
      3 * sessionMs,
    );
    const lostToOne = await Promise.all(settings.map(async (s) => (await lostOf(s)).length));
    ctx.observe(`acknowledged but lost, per setting, after broker ${cut} lost power`, named(settings, lostToOne));
    // Fails if acks=all acknowledged a record the other ISR replicas did not have, or no replica takes over.
    ctx.check(
      {
        zh: `只有 leader ${cut} 断电：acks=all 确认过的记录一条不丢（其他 ISR 副本的 page cache 里有）`,
        en: `the leader ${cut} alone loses power: no record acknowledged with acks=all is lost (the other ISR replicas have it in their page cache)`,
      },
      {
        pass: elected && lostToOne[1] === 0 && oneRound['acks=all'] === ROUND,
        expected: {
          zh: `新 leader 不是 ${cut}；确认 ${ROUND} 条，丢 0 条`,
          en: `a new leader other than ${cut}; ${ROUND} acknowledged, 0 lost`,
        },
        actual: {
          zh: `${elected ? '新 leader 已选出' : '没有选出新 leader'}；确认 ${oneRound['acks=all']} 条，丢 ${lostToOne[1]} 条`,
          en: `${elected ? 'a new leader was elected' : 'no new leader elected'}; ${oneRound['acks=all']} acknowledged, ${lostToOne[1]} lost`,
        },
      },
    );
    // 3. the rest of the ISR loses power too, all at once
    const rest = all.filter((id) => id !== cut);
    ctx.step({
      zh: `再各写 ${ROUND} 条（ISR 现在是 broker ${rest.join(' 和 ')}），然后让它们同时断电——整个 ISR——再重启全部三个 broker`,
      en: `write ${ROUND} more to each (the ISR is now brokers ${rest.join(' and ')}), then cut the power of both at once — the whole ISR — and restart all three`,
    });
    const lastRound = await round('all-down');
    ctx.observe('acknowledged before the whole ISR lost power', lastRound);
    const unsynced = await Promise.all(rest.map((id) => cluster.unsyncedFiles!(id)));
    ctx.observe(
      'segment files holding bytes no fsync has made durable, per broker',
      Object.fromEntries(rest.map((id, i) => [id, unsynced[i]!.filter((f) => f.endsWith('.log')).length])),
    );
    await Promise.all(rest.map((id) => cluster.powerLoss!(id)));
    await Promise.all(all.map((id) => cluster.restart(id)));
    const afterAll = await settle(view, settings);
    const lostToAll = await Promise.all(settings.map(async (s) => (await lostOf(s, 'all-down')).length));
    const earlierLost = await Promise.all(
      settings.map(async (s) => (await lostOf(s)).filter((v) => !v.startsWith('all-down-')).length),
    );
    ctx.observe('acknowledged but lost, per setting, after the whole ISR lost power', {
      ...named(settings, lostToAll),
      'of the earlier rounds': named(settings, earlierLost),
    });
    const recovered = afterAll && Object.values(lastRound).every((n) => n === ROUND);
    for (const s of [ones, alls]) {
      const lost = lostToAll[settings.indexOf(s)]!;
      // Fails if an acknowledgement waited for an fsync (then the power loss takes nothing acknowledged).
      ctx.check(
        {
          zh: `${s.name}（默认刷盘配置）：整个 ISR 同时断电，丢失已确认的记录——确认时没有任何副本 fsync`,
          en: `${s.name} (default flush settings): the whole ISR losing power at once loses acknowledged records — no replica had fsynced them when they were acknowledged`,
        },
        {
          pass: recovered && lost > 0,
          expected: {
            zh: `最后一轮确认的 ${ROUND} 条中丢失 > 0 条；集群恢复`,
            en: `> 0 of the ${ROUND} acknowledged in the last round lost; the cluster recovers`,
          },
          actual: {
            zh: `丢失 ${lost} 条；${recovered ? '集群恢复' : '集群没有恢复'}`,
            en: `${lost} lost; ${recovered ? 'the cluster recovered' : 'the cluster did not recover'}`,
          },
        },
      );
    }
    // Fails if flush.messages=1 is not acted on (the loss above would then not be the missing fsync's alone).
    ctx.check(
      {
        zh: `${flushed.name}：每次追加都 fsync，同样的断电一条已确认的记录都不丢`,
        en: `${flushed.name}: with an fsync per append, the same power loss loses no acknowledged record`,
      },
      {
        pass: recovered && lostToAll[2] === 0 && earlierLost[2] === 0,
        expected: { zh: '丢失 0 条；集群恢复', en: '0 lost; the cluster recovers' },
        actual: {
          zh: `丢失 ${lostToAll[2]! + earlierLost[2]!} 条；${recovered ? '集群恢复' : '集群没有恢复'}`,
          en: `${lostToAll[2]! + earlierLost[2]!} lost; ${recovered ? 'the cluster recovered' : 'the cluster did not recover'}`,
        },
      },
    );
  },
});

function named(settings: readonly Setting[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(settings.map((s, i) => [s.name, values[i]!]));
}

/** Sends `count` records to the topic's current leader in batches of BATCH, noting each acknowledged value. */
async function send(view: ClusterView, setting: Setting, round: string, count: number, acked: string[]): Promise<void> {
  const leader = (await view.partition(setting.topic, 0)).leader;
  for (let start = 0; start < count; start += BATCH) {
    const values = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => `${round}-${String(start + i).padStart(4, '0')}`,
    );
    const answer = await view.produce(leader, setting.topic, values, { acks: setting.acks, timeoutMs: 15_000 });
    if (answer.error === 'NONE') acked.push(...values);
  }
}

/**
 * What a consumer reads from the topic's current leader, below its high watermark; nothing when no leader serves
 * it (then every acknowledged record counts as lost: none can be read).
 */
async function readFromLeader(view: ClusterView, topic: string): Promise<string[]> {
  try {
    const leader = (await view.partition(topic, 0)).leader;
    const read = await view.readReplica(leader, topic, 0);
    return read.records.map((r) => r.value?.toString() ?? '');
  } catch {
    return [];
  }
}

/**
 * Waits (bounded) until every topic has a leader with all three replicas in its ISR and a high watermark at the end
 * of the leader's log as its data dir holds it: then a consumer reads everything the cluster still has.
 */
async function settle(view: ClusterView, settings: readonly Setting[]): Promise<boolean> {
  return eventually(async () => {
    for (const s of settings) {
      const p = await view.partition(s.topic, 0);
      if (p.leader < 0 || p.isr.length !== 3) return false;
      if (!(await view.highWatermarkAtLogEnd(p.leader, s.topic, 0))) return false;
    }
    return true;
  }, SETTLE_MS);
}
