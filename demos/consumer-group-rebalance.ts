import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import {
  DescribedGroupLog,
  drawAssignmentTimeline,
  isGeneration,
  partitionsByMember,
  type GenerationCompleted,
} from '../src/demo/described-group-log.js';
import { FAST_GROUP_CONFIG } from '../src/demo/group-demo-cluster.js';
import { Signal, WaitTimeoutError, withTimeout } from '../src/broker/index.js';

/**
 * Proves consumer-group-basics, group-more-consumers-than-partitions (predict: 3 partitions, 4 consumers → 3 own
 * one partition each, the 4th is idle), share-groups-vs-consumer-groups, rebalance-protocols and rebalance-timeouts
 * with four kafkajs consumers in one group on a mini-broker with short group timeouts:
 * - the coordinator gives every partition to exactly one member, and the member beyond the partition count idles;
 * - a member leaving starts a new generation: its partition moves to a remaining member and the idle one takes
 *   a partition (a hot standby);
 * - kafkajs speaks the eager (classic) protocol: every member stops consuming all its partitions while the group
 *   rebalances, even partitions it keeps — the stop-the-world pause;
 * - a member that stops heartbeating (its eachMessage hangs; kafkajs heartbeats from its processing loop) is
 *   removed after session.timeout.ms, and its unfinished record is redelivered to the member that takes over.
 * Observes the group as an operator would, on kq's broker and on Apache Kafka alike: DescribeGroups polled from the
 * group's coordinator (DescribedGroupLog), and the clients' own events (kafkajs' rebalancing, join, heartbeat and
 * request instrumentation). On kq it starts a broker of its own with short group timeouts; `--kafka` starts Kafka
 * with the same two settings (APACHE_KAFKA_FOR_DEMOS); a cluster of your own must allow the session timeout.
 */
const PARTITIONS = 3;
const MEMBERS = 4;
const HEARTBEAT_INTERVAL_MS = 100;
/**
 * The last member heartbeats only this often. A member learns of a rebalance at its next heartbeat and the
 * JoinGroup barrier waits for everyone, so the quick members, having revoked everything, wait for the slow one:
 * that makes the eager pause long enough to see on the partitions they own.
 */
const SLOW_HEARTBEAT_INTERVAL_MS = 1000;
/** One record per partition this often while the leave-triggered rebalance runs, so a pause in consumption shows. */
const STEADY_EVERY_MS = 20;
/** Bound for waits on group progress: far above the ~100 ms a rebalance takes here, far below the demo budget. */
const GROUP_WAIT_MS = 15_000;
const TIMER_SLACK_MS = 5;

interface Consumed {
  member: string;
  partition: number;
  value: string;
  at: number;
}

interface Member {
  name: string;
  consumer: Consumer;
  /** Client-side instrumentation: when kafkajs learnt of a rebalance, and when it got its assignment back. */
  rebalancingAt: number[];
  joinedAt: number[];
  heartbeatAt: number[];
  /** When each Heartbeat / LeaveGroup request went out on the wire (kafkajs' request instrumentation). */
  heartbeatSentAt: number[];
  leaveGroupSentAt: number[];
  hang: boolean;
}

export default defineDemo({
  id: 'consumer-group-rebalance',
  title: {
    zh: '消费者组：分区分配、空闲成员与 rebalance',
    en: 'Consumer groups: assignment, idle members and rebalances',
  },
  claim: {
    zh: '组内每个分区只分给一个成员，多于分区数的成员空闲；成员离开或停止心跳（session.timeout.ms 后被移除）都会触发 rebalance，分区转给其他成员；eager 协议下 rebalance 期间所有成员都停止消费',
    en: 'within a group each partition goes to exactly one member and members beyond the partition count idle; a member leaving, or going silent (removed after session.timeout.ms), triggers a rebalance that moves its partitions to the others; under the eager protocol every member stops consuming while the group rebalances',
  },
  needs: 'client',
  knobs: {
    'session.timeout.ms': {
      default: 2000,
      min: 600,
      max: 6000,
      about: { zh: '消费者的 session.timeout.ms', en: "the consumers' session.timeout.ms" },
    },
  },
  async run(ctx) {
    const SESSION_TIMEOUT_MS = ctx.knobs['session.timeout.ms'];
    const shortTimeouts = `group.min.session.timeout.ms=${FAST_GROUP_CONFIG['group.min.session.timeout.ms']}, group.initial.rebalance.delay.ms=${FAST_GROUP_CONFIG['group.initial.rebalance.delay.ms']}`;
    ctx.step(
      ctx.broker
        ? {
            zh: `启动一个专用 broker：${shortTimeouts}（演示用的短超时）`,
            en: `start a dedicated broker with ${shortTimeouts} (short timeouts for the demo)`,
          }
        : {
            zh: `使用 ${ctx.bootstrap} 上的集群（kq 启动的 Kafka 同样设置了 ${shortTimeouts}）；只通过 DescribeGroups 和客户端事件观察这个组`,
            en: `use the cluster at ${ctx.bootstrap} (the Kafka kq starts has the same ${shortTimeouts}); the group is observed only through DescribeGroups and the clients' events`,
          },
    );
    const bootstrap = ctx.broker ? (await ctx.startBroker({ config: FAST_GROUP_CONFIG })).bootstrap : ctx.bootstrap;
    const brokers = bootstrap.split(',').map((address) => address.trim());
    const topic = ctx.topic('group');
    const groupId = ctx.topic('group-g');
    const events = DescribedGroupLog.observe(bootstrap, groupId);
    ctx.defer(() => events.close());
    const admin = ctx.kafka({ brokers }).admin();
    ctx.defer(() => admin.disconnect());
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
    const producer = ctx.kafka({ brokers }).producer();
    ctx.defer(() => producer.disconnect());
    await producer.connect();

    const consumed: Consumed[] = [];
    const progress = new Signal();
    let releaseHang: () => void = () => undefined;
    const hangReleased = new Promise<void>((resolve) => (releaseHang = resolve));
    let hangEntered: (m: Consumed) => void = () => undefined;
    const hangStarted = new Promise<Consumed>((resolve) => (hangEntered = resolve));
    // released before the consumers disconnect, so the hung one can stop (cleanups run in reverse order)
    const startMember = async (name: string, heartbeatInterval: number): Promise<Member> => {
      const consumer = ctx.kafka({ brokers, clientId: name }).consumer({
        groupId,
        sessionTimeout: SESSION_TIMEOUT_MS,
        rebalanceTimeout: 3000,
        heartbeatInterval,
        maxWaitTimeInMs: 100,
      });
      const member: Member = {
        name,
        consumer,
        rebalancingAt: [],
        joinedAt: [],
        heartbeatAt: [],
        heartbeatSentAt: [],
        leaveGroupSentAt: [],
        hang: false,
      };
      ctx.defer(() => consumer.disconnect());
      ctx.defer(releaseHang);
      consumer.on(consumer.events.REBALANCING, (e) => member.rebalancingAt.push(e.timestamp));
      consumer.on(consumer.events.GROUP_JOIN, (e) => member.joinedAt.push(e.timestamp));
      consumer.on(consumer.events.REQUEST, (e) => {
        if (e.payload.apiName === 'Heartbeat') member.heartbeatSentAt.push(e.payload.sentAt);
        if (e.payload.apiName === 'LeaveGroup') member.leaveGroupSentAt.push(e.payload.sentAt);
      });
      consumer.on(consumer.events.HEARTBEAT, (e) => {
        member.heartbeatAt.push(e.timestamp);
        progress.notify();
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const record = { member: name, partition, value: message.value?.toString() ?? '', at: Date.now() };
          if (member.hang) {
            hangEntered(record);
            await hangReleased;
            return;
          }
          consumed.push(record);
          progress.notify();
        },
      });
      return member;
    };

    // ---------------------------------------------------------------- 4 members, 3 partitions
    ctx.step({
      zh: `创建 ${PARTITIONS} 分区的 topic ${topic}，同一个组 ${groupId} 里启动 ${MEMBERS} 个 kafkajs 消费者（session.timeout.ms=${SESSION_TIMEOUT_MS}；每 ${HEARTBEAT_INTERVAL_MS} ms 心跳一次，member-${MEMBERS} 每 ${SLOW_HEARTBEAT_INTERVAL_MS} ms 一次）`,
      en: `create topic ${topic} with ${PARTITIONS} partitions and start ${MEMBERS} kafkajs consumers in group ${groupId} (session.timeout.ms=${SESSION_TIMEOUT_MS}; heartbeat every ${HEARTBEAT_INTERVAL_MS} ms, member-${MEMBERS} every ${SLOW_HEARTBEAT_INTERVAL_MS} ms)`,
    });
    const members = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        startMember(`member-${i + 1}`, i === MEMBERS - 1 ? SLOW_HEARTBEAT_INTERVAL_MS : HEARTBEAT_INTERVAL_MS),
      ),
    );
    const byName = new Map(members.map((m) => [m.name, m]));
    const full = await events.waitFor(isGeneration(MEMBERS), 0, GROUP_WAIT_MS, `a generation with ${MEMBERS} members`);
    const names = new Map(full.assignment.map((a) => [a.memberId, a.clientId]));
    const owners = ownersOf(full, topic);
    ctx.observe(`generation ${full.generationId}`, describeGeneration(full, topic));

    // Fails if a partition went to two members (shared) or to none, or if every member got one (rotation/sharing).
    const exclusive = [...Array(PARTITIONS).keys()].every((p) => owners.get(p)?.length === 1);
    ctx.check(
      {
        zh: '每个分区恰好分给一个成员（没有分区被两个成员共享）',
        en: 'every partition went to exactly one member (none shared by two)',
      },
      {
        pass: exclusive,
        expected: {
          zh: `分区 0..${PARTITIONS - 1} 各有一个所有者`,
          en: `partitions 0..${PARTITIONS - 1}: one owner each`,
        },
        actual: [...owners].map(([p, o]) => `p${p}: ${o.map((id) => names.get(id)).join('+')}`).join(', '),
      },
    );
    const working = [...partitionsByMember(full, topic).values()].filter((ps) => ps.length > 0).length;
    ctx.check(
      {
        zh: `${MEMBERS} 个成员、${PARTITIONS} 个分区：${PARTITIONS} 个成员各拿一个分区，1 个空闲`,
        en: `${MEMBERS} members, ${PARTITIONS} partitions: ${PARTITIONS} members own one each, 1 is idle`,
      },
      {
        pass: working === PARTITIONS && full.assignment.length - working === 1,
        expected: { zh: `${PARTITIONS} 个所有者，1 个空闲`, en: `${PARTITIONS} owners, 1 idle` },
        actual: {
          zh: `${working} 个所有者，${full.assignment.length - working} 个空闲`,
          en: `${working} owners, ${full.assignment.length - working} idle`,
        },
      },
    );

    ctx.step({
      zh: '向每个分区各写一条记录，看谁消费了它',
      en: 'produce one record to each partition and see who consumes it',
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [...Array(PARTITIONS).keys()].map((p) => ({ partition: p, value: `probe-${p}` })),
    });
    await progress.until(
      () => [...Array(PARTITIONS).keys()].every((p) => consumed.some((c) => c.value === `probe-${p}`)),
      'every probe record consumed',
      GROUP_WAIT_MS,
    );
    const probes = consumed.filter((c) => c.value.startsWith('probe-'));
    const ownerName = (p: number) => names.get(owners.get(p)?.[0] ?? '');
    // Fails if a record was consumed by a member not assigned its partition, or twice (by two members).
    ctx.check(
      {
        zh: '每条记录只被其分区的所有者消费一次，空闲成员什么也没收到',
        en: 'each record was consumed once, by its partition owner; the idle member received nothing',
      },
      {
        pass: probes.length === PARTITIONS && probes.every((c) => c.member === ownerName(c.partition)),
        expected: [...Array(PARTITIONS).keys()].map((p) => `p${p} → ${ownerName(p)}`).join(', '),
        actual: probes.map((c) => `p${c.partition} → ${c.member}`).join(', '),
      },
    );

    // ---------------------------------------------------------------- a member leaves; eager pause
    const leaverId = owners.get(0)![0]!;
    const leaver = byName.get(names.get(leaverId)!)!;
    const idle = full.assignment.find((a) => (partitionsByMember(full, topic).get(a.memberId) ?? []).length === 0)!;
    ctx.step({
      zh: `持续向每个分区每 ${STEADY_EVERY_MS} ms 写一条记录；在 member-${MEMBERS} 刚发完心跳时，${leaver.name}（p0 的所有者）主动离开（disconnect → LeaveGroup），于是 member-${MEMBERS} 约 ${SLOW_HEARTBEAT_INTERVAL_MS} ms 后才得知 rebalance`,
      en: `keep producing one record per partition every ${STEADY_EVERY_MS} ms; just after member-${MEMBERS} heartbeats, ${leaver.name} (owner of p0) leaves (disconnect → LeaveGroup), so member-${MEMBERS} learns of the rebalance only ~${SLOW_HEARTBEAT_INTERVAL_MS} ms later`,
    });
    const produced: Array<{ partition: number; at: number }> = [];
    let steady = true;
    const steadyLoop = (async () => {
      for (let n = 0; steady; n++) {
        const at = Date.now();
        await producer.send({
          topic,
          acks: 1,
          messages: [...Array(PARTITIONS).keys()].map((p) => ({ partition: p, value: `steady-${n}` })),
        });
        for (let p = 0; p < PARTITIONS; p++) produced.push({ partition: p, at });
        await delay(STEADY_EVERY_MS); // pacing the load, not synchronisation
      }
    })();
    // Awaited below; if a step before that fails, the loop dies with the producer, and its rejection must not
    // surface as an unhandled one that hides the step's own error.
    steadyLoop.catch(() => undefined);
    const steadyStart = Date.now();
    await progress.until(
      () =>
        [...Array(PARTITIONS).keys()].every((p) =>
          consumed.some((c) => c.partition === p && c.at > steadyStart && c.value.startsWith('steady-')),
        ),
      'steady records consumed on every partition',
      GROUP_WAIT_MS,
    );
    // Leave right after the slow member's heartbeat, so it learns of the rebalance ~1 s later and the quick members,
    // already rejoined, wait for it with nothing assigned.
    const slow = members[MEMBERS - 1]!;
    const beforeBeat = Date.now();
    await progress.until(
      () => slow.heartbeatAt.some((t) => t >= beforeBeat),
      `a heartbeat from ${slow.name}`,
      SLOW_HEARTBEAT_INTERVAL_MS * 3,
    );
    const leaveMark = events.mark;
    const leftAt = Date.now();
    await leaver.consumer.disconnect();
    const left = await events.waitFor(
      (e) => e.type === 'member-gone' && e.memberId === leaverId,
      leaveMark,
      GROUP_WAIT_MS,
      `${leaver.name} leaving`,
    );
    const afterLeave = await events.waitFor(
      isGeneration(MEMBERS - 1),
      leaveMark,
      GROUP_WAIT_MS,
      `a generation with ${MEMBERS - 1} members`,
    );
    await progress.until(
      () => [...Array(PARTITIONS).keys()].every((p) => consumed.some((c) => c.partition === p && c.at > afterLeave.at)),
      'consumption resuming on every partition after the rebalance',
      GROUP_WAIT_MS,
    );
    steady = false;
    await steadyLoop;
    const ownersAfterLeave = ownersOf(afterLeave, topic);
    ctx.observe(`generation ${afterLeave.generationId}`, describeGeneration(afterLeave, topic));

    // Fails if the leave did not start a new generation, if p0 stayed with the departed member or went unowned,
    // if any partition lost exclusivity, or if the idle member was left idle (no hot standby).
    const p0Owner = ownersAfterLeave.get(0) ?? [];
    const exclusiveAfterLeave = [...Array(PARTITIONS).keys()].every(
      (p) => ownersAfterLeave.get(p)?.length === 1 && ownersAfterLeave.get(p)?.[0] !== leaverId,
    );
    const standbyWorks = (partitionsByMember(afterLeave, topic).get(idle.memberId) ?? []).length > 0;
    ctx.check(
      {
        zh: '成员离开触发 rebalance：generation 增加，p0 转给了留下的成员，原先空闲的成员接手了分区',
        en: 'the leave triggered a rebalance: the generation increased, p0 moved to a remaining member and the formerly idle member took a partition',
      },
      {
        pass:
          left.at >= leftAt &&
          afterLeave.generationId > full.generationId &&
          p0Owner.length === 1 &&
          exclusiveAfterLeave &&
          standbyWorks,
        expected: {
          zh: `generation > ${full.generationId}；每个分区一个留下的所有者；${idle.clientId} 拿到一个分区`,
          en: `generation > ${full.generationId}; every partition one remaining owner; ${idle.clientId} owns a partition`,
        },
        actual: `generation ${afterLeave.generationId}; ${describeGeneration(afterLeave, topic)}`,
      },
    );

    // Eager: each remaining member, from the moment it learnt of the rebalance until it had its assignment back,
    // consumed nothing at all, although records kept arriving on the partitions it had owned. Fails under
    // cooperative rebalancing (a member goes on consuming what it owned while the group rebalances), if a member
    // never had to rejoin, or if no record arrived on an owned partition during the windows (nothing to show).
    const remaining = members.filter((m) => m !== leaver);
    const windows = remaining.map((m) => {
      const from = m.rebalancingAt.find((t) => t >= leftAt);
      const to = from === undefined ? undefined : m.joinedAt.find((t) => t >= from);
      const during =
        from === undefined || to === undefined
          ? []
          : consumed.filter((c) => c.member === m.name && c.at > from && c.at < to);
      const ownedBefore = [...owners].filter(([, ids]) => ids.some((id) => names.get(id) === m.name)).map(([p]) => p);
      // records that arrived on partitions it owned when the rebalance began: it could have consumed them
      const producedDuring =
        from === undefined || to === undefined
          ? 0
          : produced.filter((r) => r.at > from && r.at < to && ownedBefore.includes(r.partition)).length;
      return { member: m.name, from, to, consumedDuring: during.length, producedDuring, ownedBefore };
    });
    const started = events.events.slice(leaveMark).find((e) => e.type === 'rebalance-started');
    ctx.observe(
      'rebalance timeline (ms after the leave)',
      `rebalance started +${(started?.at ?? left.at) - leftAt}, generation ${afterLeave.generationId} completed +${afterLeave.at - leftAt}; ` +
        windows
          .map((w) => `${w.member} rejoined +${(w.from ?? leftAt) - leftAt}, assigned +${(w.to ?? leftAt) - leftAt}`)
          .join(', '),
    );
    for (const w of windows) {
      ctx.observe(
        `${w.member} rebalance window`,
        w.from === undefined || w.to === undefined
          ? 'no rejoin seen'
          : `${w.to - w.from} ms without an assignment; consumed ${w.consumedDuring}; ${w.producedDuring} records arrived meanwhile on ${w.ownedBefore.map((p) => `p${p}`).join(',') || '(no partition before)'}`,
      );
    }
    ctx.check(
      {
        zh: 'eager rebalance：每个留下的成员都撤销了全部分区——从得知 rebalance 到拿回分配，期间有新记录写入，但它一条也没消费',
        en: 'eager rebalance: every remaining member revoked all its partitions — from learning of the rebalance until it had its assignment back it consumed nothing, though records kept arriving',
      },
      {
        pass:
          windows.every((w) => w.from !== undefined && w.to !== undefined && w.consumedDuring === 0) &&
          windows.some((w) => w.producedDuring > 0),
        expected: {
          zh: '每个成员：重新加入期间消费 0 条，而成员原先拥有的分区上仍有新记录写入',
          en: 'each member: a rejoin window with 0 records consumed, while records arrived on partitions members owned',
        },
        actual: {
          zh: windows
            .map(
              (w) =>
                `${w.member}：${w.from === undefined || w.to === undefined ? '没有重新加入' : `${w.to - w.from} ms 内消费 ${w.consumedDuring} 条 / 写入 ${w.producedDuring} 条`}`,
            )
            .join('，'),
          en: windows
            .map(
              (w) =>
                `${w.member}: ${w.from === undefined || w.to === undefined ? 'no rejoin' : `${w.consumedDuring} consumed / ${w.producedDuring} produced in ${w.to - w.from} ms`}`,
            )
            .join(', '),
        },
      },
    );
    for (let p = 0; p < PARTITIONS; p++) {
      const times = consumed.filter((c) => c.partition === p && c.at >= steadyStart).map((c) => c.at);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      ctx.observe(
        `p${p} consumption`,
        `longest pause ${Math.max(0, ...gaps)} ms while one record arrived every ${STEADY_EVERY_MS} ms`,
      );
    }

    // ---------------------------------------------------------------- a member goes silent
    const silentId = ownersAfterLeave.get(1)![0]!;
    const silent = byName.get(names.get(silentId)!)!;
    ctx.step({
      zh: `${silent.name}（p1 的所有者）处理一条记录时卡住：kafkajs 在处理循环里发心跳，所以它不再发心跳`,
      en: `${silent.name} (owner of p1) hangs while processing a record: kafkajs heartbeats from its processing loop, so its heartbeats stop`,
    });
    const silentMark = events.mark;
    silent.hang = true;
    await producer.send({ topic, acks: -1, messages: [{ partition: 1, value: 'stuck' }] });
    const stuck = await withTimeout(hangStarted, `${silent.name} picking up the record it hangs on`, GROUP_WAIT_MS);
    // Bounded at 3× the session: a coordinator that never expires the session fails the checks below, not a timeout.
    const removed = await events
      .waitFor(
        (e) => e.type === 'member-gone' && e.memberId === silentId,
        silentMark,
        SESSION_TIMEOUT_MS * 3,
        `${silent.name} being removed`,
      )
      .catch(notYet);
    const afterRemoval = removed
      ? await events
          .waitFor(isGeneration(MEMBERS - 2), silentMark, GROUP_WAIT_MS, `a generation with ${MEMBERS - 2} members`)
          .catch(notYet)
      : undefined;
    const redelivered = afterRemoval
      ? await progress
          .until(() => consumed.some((c) => c.value === 'stuck'), 'the stuck record redelivered', GROUP_WAIT_MS)
          .then(() => consumed.find((c) => c.value === 'stuck'))
          .catch(notYet)
      : undefined;
    // Its last sign of life is the last Heartbeat it sent (the coordinator received it no earlier): the session
    // is measured from there. A LeaveGroup sent before the removal would mean it left rather than timed out.
    const goneAt = removed?.at ?? Date.now();
    const lastHeartbeat = silent.heartbeatSentAt.filter((t) => t <= goneAt).at(-1);
    const silentFor = lastHeartbeat === undefined ? undefined : goneAt - lastHeartbeat;
    const leftRatherThanTimedOut = silent.leaveGroupSentAt.some((t) => t <= goneAt);
    const sinceHeartbeat = `${silentFor ?? '?'} ms after its last heartbeat was sent`;
    ctx.observe(
      'silent member',
      `hung at +${stuck.at - (lastHeartbeat ?? stuck.at)} ms after its last heartbeat was sent; ${removed ? 'gone from the group' : 'still in the group'} ${sinceHeartbeat} (${leftRatherThanTimedOut ? 'after a LeaveGroup' : 'no LeaveGroup sent'})`,
    );
    if (afterRemoval) ctx.observe(`generation ${afterRemoval.generationId}`, describeGeneration(afterRemoval, topic));
    ctx.observe(
      'assignment over time',
      '\n' + drawAssignmentTimeline(afterRemoval ? [full, afterLeave, afterRemoval] : [full, afterLeave], topic),
    );

    // Fails if the coordinator removes a member early (before the session timeout), never, or much later, or if the
    // member left by itself. The TIMER_SLACK_MS allows for Node's timers running on the event loop's cached clock, a
    // few ms behind Date.now(); the poll that sees the removal can only make it look later, never earlier.
    ctx.check(
      {
        zh: `停止心跳的成员在 session.timeout.ms（${SESSION_TIMEOUT_MS} ms）后被移除，且早于 2 倍`,
        en: `the silent member was removed after session.timeout.ms (${SESSION_TIMEOUT_MS} ms), and within twice that`,
      },
      {
        pass:
          removed !== undefined &&
          !leftRatherThanTimedOut &&
          silentFor !== undefined &&
          silentFor >= SESSION_TIMEOUT_MS - TIMER_SLACK_MS &&
          silentFor < 2 * SESSION_TIMEOUT_MS,
        expected: {
          zh: `没有 LeaveGroup；最后一次心跳后 ${SESSION_TIMEOUT_MS} ≤ t < ${2 * SESSION_TIMEOUT_MS} ms 离开组`,
          en: `no LeaveGroup; gone ${SESSION_TIMEOUT_MS} ≤ t < ${2 * SESSION_TIMEOUT_MS} ms after its last heartbeat`,
        },
        actual: {
          zh: `${leftRatherThanTimedOut ? '发送了 LeaveGroup' : '没有 LeaveGroup'}；最后一次心跳后 ${silentFor ?? '?'} ms ${removed ? '离开组' : '仍在组内'}`,
          en: `${leftRatherThanTimedOut ? 'a LeaveGroup was sent' : 'no LeaveGroup'}; ${removed ? `gone ${silentFor ?? 'unknown'} ms` : `still a member ${silentFor ?? '?'} ms`} after its last heartbeat`,
        },
      },
    );
    const p1Owner = afterRemoval ? (ownersOf(afterRemoval, topic).get(1) ?? []) : [];
    ctx.check(
      {
        zh: '移除后 rebalance，p1 转给了仍在组内的成员，它重新收到了卡住的那条记录',
        en: 'after the removal the group rebalanced: p1 moved to a live member, which received the stuck record again',
      },
      {
        pass:
          afterRemoval !== undefined &&
          afterRemoval.generationId > afterLeave.generationId &&
          p1Owner.length === 1 &&
          p1Owner[0] !== silentId &&
          redelivered?.member === names.get(p1Owner[0]!),
        expected: {
          zh: `generation > ${afterLeave.generationId}，p1 → 一个存活的成员，'stuck' 被它消费`,
          en: `generation > ${afterLeave.generationId}, p1 → a live member, 'stuck' consumed by it`,
        },
        actual: {
          zh: `generation ${afterRemoval?.generationId ?? `${afterLeave.generationId}（没有 rebalance）`}，p1 → ${p1Owner.map((id) => names.get(id)).join('+') || '无人'}，'stuck' 被 ${redelivered?.member ?? '无人'} 消费`,
          en: `generation ${afterRemoval?.generationId ?? `${afterLeave.generationId} (no rebalance)`}, p1 → ${p1Owner.map((id) => names.get(id)).join('+') || 'nobody'}, 'stuck' consumed by ${redelivered?.member ?? 'nobody'}`,
        },
      },
    );
  },
});

/** Partition → the member ids it was assigned to (one, if assignment is exclusive). */
function ownersOf(generation: GenerationCompleted, topic: string): Map<number, string[]> {
  const owners = new Map<number, string[]>();
  for (const [memberId, partitions] of partitionsByMember(generation, topic)) {
    for (const p of partitions) owners.set(p, [...(owners.get(p) ?? []), memberId]);
  }
  return new Map([...owners].sort(([a], [b]) => a - b));
}

function describeGeneration(generation: GenerationCompleted, topic: string): string {
  const byMember = partitionsByMember(generation, topic);
  return generation.assignment
    .map((a) => `${a.clientId} → ${(byMember.get(a.memberId) ?? []).map((p) => `p${p}`).join(',') || 'idle'}`)
    .sort()
    .join('; ');
}

/** A bounded wait that ran out is an observation ("not within the bound"), for a check to judge; anything else throws. */
function notYet(error: unknown): undefined {
  if (error instanceof WaitTimeoutError) return undefined;
  throw error;
}
