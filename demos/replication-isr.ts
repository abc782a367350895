import type { PartitionView } from '../src/demo/cluster-view.js';
import { eventually } from '../src/demo/eventually.js';
import { numericBrokerConfig, rolesAvoidingController } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves isr-ar-osr, isr-shrink-criterion, min-insync-replicas-reject, replication-follower-pull,
 * leader-follower-replicas, kafka-high-availability, under-replicated-partitions and why-no-read-write-split on a
 * 3-broker cluster, from what clients see (Metadata's replicas and ISR, a consumer's Fetch, Produce answers): one
 * follower is frozen (SIGSTOP: it stops fetching, its connections stay open) and two partitions led by the same
 * broker react — `lenient` (min.insync.replicas=2) and `strict` (min.insync.replicas=3):
 * - while the frozen follower is still in the ISR, records the leader acknowledged with acks=1 stay below the high
 *   watermark (HW = min LEO over the ISR) and an acks=all write waits;
 * - after replica.lag.time.max.ms without catching up (and before its session timeout: the lag rule, not fencing)
 *   the leader drops it from the ISR; the lenient HW moves on and the acks=all write is acknowledged;
 * - the strict partition is now below min.insync.replicas: acks=all is refused NOT_ENOUGH_REPLICAS, nothing
 *   appended, and the HW stands still (KAFKA-15583, Kafka ≥ 3.7): acks=1 writes are acknowledged but unreadable;
 * - both partitions count as under-replicated; the thawed follower catches up by fetching, rejoins, and everything
 *   acknowledged becomes readable; a follower serves a consumer only what is below the HW it knows.
 */
export default defineDemo({
  id: 'replication-isr',
  title: {
    zh: 'AR、ISR 与高水位：冻结一个 follower，看 ISR 收缩、min.insync.replicas 拒绝写入、再扩张',
    en: 'AR, ISR and the high watermark: freeze a follower, watch the ISR shrink, min.insync.replicas refuse writes, and the ISR expand again',
  },
  claim: {
    zh: 'HW = ISR 中最小的 LEO：停止拉取的 follower 仍在 ISR 时，已确认的 acks=1 记录读不到、acks=all 写入等待；超过 replica.lag.time.max.ms 后它被移出 ISR（按时间，而非被 fence），HW 前进、acks=all 得到确认；ISR 小于 min.insync.replicas 时 acks=all 被拒（NOT_ENOUGH_REPLICAS，不追加），HW 停住，acks=1 确认了也读不到；分区计入 under-replicated；follower 恢复拉取后追上并重新加入 ISR，数据全部可读；follower 只向消费者提供它所知 HW 以下的数据',
    en: 'HW = the minimum LEO over the ISR: while a follower that stopped fetching is still in the ISR, acknowledged acks=1 records are unreadable and an acks=all write waits; after replica.lag.time.max.ms it leaves the ISR (by the lag rule, not fencing), the HW moves and the acks=all write is acknowledged; with the ISR below min.insync.replicas acks=all is refused (NOT_ENOUGH_REPLICAS, nothing appended), the HW stands still and acks=1 writes are acknowledged yet unreadable; the partitions count as under-replicated; once the follower fetches again it catches up and rejoins the ISR and everything acknowledged is readable; a follower serves consumers only below the HW it knows',
  },
  needs: 'client',
  brokers: 3,
  knobs: {
    'min.insync.replicas': {
      default: 3,
      choices: [2, 3],
      about: {
        zh: '第二个 topic（strict）的 min.insync.replicas：3 时 ISR 收缩到 2 就拒绝 acks=all，2 时照常确认',
        en: "the second topic's (strict) min.insync.replicas: at 3 an ISR shrunk to 2 refuses acks=all, at 2 it still acknowledges",
      },
    },
  },
  async run(ctx) {
    const strictMinIsr = ctx.knobs['min.insync.replicas'];
    /** After the freeze the ISR is 2: below the strict topic's minimum only when that is 3. */
    const strictRefuses = strictMinIsr > 2;
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    const lagMs = numericBrokerConfig(cluster, 'replica.lag.time.max.ms');
    const fetchWaitMs = numericBrokerConfig(cluster, 'replica.fetch.wait.max.ms');
    const sessionMs = numericBrokerConfig(cluster, 'broker.session.timeout.ms');
    // The lag is counted from the follower's last caught-up fetch, which may precede the freeze by a long poll and
    // the time it took the follower to send the next one: the earliest a lag-rule removal can be seen after it.
    const earliestMs = lagMs - 2 * fetchWaitMs;
    // the frozen follower is not the active controller: freezing that would also cost a controller election
    const [leader, frozen, steady] = rolesAvoidingController(cluster);
    const lenient = ctx.topic('isr-lenient');
    const strict = ctx.topic('isr-strict');
    const topics = [lenient, strict];

    ctx.step({
      zh: `在 broker ${leader},${steady},${frozen} 上建两个 3 副本的 topic（leader 都是 ${leader}）：${lenient}（min.insync.replicas=2）和 ${strict}（min.insync.replicas=${strictMinIsr}）`,
      en: `create two 3-replica topics on brokers ${leader},${steady},${frozen} (both led by ${leader}): ${lenient} (min.insync.replicas=2) and ${strict} (min.insync.replicas=${strictMinIsr})`,
    });
    await view.createTopic(lenient, [leader, steady, frozen], { 'min.insync.replicas': '2' });
    await view.createTopic(strict, [leader, steady, frozen], { 'min.insync.replicas': String(strictMinIsr) });
    const state = (topic: string) => view.partition(topic, 0, leader);
    const states = () => Promise.all(topics.map(state));
    const fullIsr = (s: PartitionView) => s.isr.length === 3 && s.leader === leader;
    const initial = await state(lenient);
    ctx.observe('AR (replicas) and ISR from Metadata', { replicas: initial.replicas, isr: initial.isr });
    ctx.check(
      {
        zh: 'AR 和 ISR 是客户端可见的数据：3 个副本，全部在 ISR 中（含 leader）',
        en: 'AR and ISR are data a client reads: 3 replicas, all in the ISR (the leader included)',
      },
      {
        pass: initial.replicas.length === 3 && initial.isr.length === 3 && initial.isr.includes(leader),
        expected: {
          zh: `副本 [${leader},${steady},${frozen}]，ISR 有 3 个且包含 ${leader}`,
          en: `replicas [${leader},${steady},${frozen}], ISR of 3 containing ${leader}`,
        },
        actual: {
          zh: `副本 [${initial.replicas.join(',')}]，ISR [${initial.isr.join(',')}]，leader ${initial.leader}`,
          en: `replicas [${initial.replicas.join(',')}], ISR [${initial.isr.join(',')}], leader ${initial.leader}`,
        },
      },
    );

    ctx.step({
      zh: `冻结 broker ${frozen}（SIGSTOP）：它不再拉取，但连接仍在`,
      en: `freeze broker ${frozen} (SIGSTOP): it stops fetching, its connections stay open`,
    });
    const frozenAt = Date.now();
    cluster.pause(frozen);
    const q1 = await view.produce(leader, lenient, ['q1'], { acks: 1 });
    const s1 = await view.produce(leader, strict, ['s1'], { acks: 1 });
    const pendingAll = view.produce(leader, lenient, ['r1'], { acks: -1, timeoutMs: 4 * lagMs + sessionMs });
    const whileIn = await view.readReplica(leader, lenient, 0);
    const stillIn = (await state(lenient)).isr.includes(frozen);
    ctx.observe(`while ${frozen} is in the ISR`, {
      acks1Offset: String(q1.baseOffset),
      consumerSeesHighWatermark: String(whileIn.highWatermark),
      consumerRecords: whileIn.records.map((r) => r.value?.toString()),
    });
    ctx.check(
      {
        zh: 'HW = ISR 中最小的 LEO：冻结的 follower 还在 ISR 时，leader 已确认（acks=1）的 q1 在 HW 之上，消费者读不到',
        en: 'HW = the minimum LEO over the ISR: while the frozen follower is still in the ISR, q1, which the leader acknowledged (acks=1), is above the HW and unreadable',
      },
      {
        pass: q1.error === 'NONE' && stillIn && whileIn.highWatermark <= q1.baseOffset && whileIn.records.length === 0,
        expected: {
          zh: `q1 在某个 offset o 被确认；${frozen} 仍在 ISR 时读取：HW ≤ o，没有记录`,
          en: `q1 acknowledged at some offset o; read while ${frozen} is in the ISR: HW ≤ o, no records`,
        },
        actual: {
          zh: `q1 ${q1.error}，offset ${q1.baseOffset}；读取时 ${frozen} ${stillIn ? '在' : '不在'} ISR 中；HW ${whileIn.highWatermark}，${whileIn.records.length} 条记录`,
          en: `q1 ${q1.error} at ${q1.baseOffset}; ${frozen} in the ISR at the read: ${stillIn}; HW ${whileIn.highWatermark}, ${whileIn.records.length} record(s)`,
        },
      },
    );

    const left = await eventually(
      async () => (await states()).every((s) => !s.isr.includes(frozen)),
      2 * lagMs + sessionMs,
    );
    const leftAfterMs = Date.now() - frozenAt;
    const r1 = await pendingAll;
    ctx.observe(`broker ${frozen} left the ISR`, { afterMs: leftAfterMs, acksAllAnsweredAfterMs: r1.ms });
    ctx.check(
      {
        zh: `停止拉取的 follower 在 replica.lag.time.max.ms（${lagMs} ms）后被移出 ISR，且早于会话超时（${sessionMs} ms）：按落后时间判定，而不是因为被 fence`,
        en: `the follower that stopped fetching left the ISR after replica.lag.time.max.ms (${lagMs} ms) and before its session timeout (${sessionMs} ms): the lag rule, not fencing`,
      },
      {
        pass: left && leftAfterMs >= earliestMs && leftAfterMs < sessionMs,
        expected: {
          zh: `冻结后 ${earliestMs} ms 到 ${sessionMs} ms 之间移出两个 ISR`,
          en: `out of both ISRs between ${earliestMs} ms and ${sessionMs} ms after it froze`,
        },
        actual: left
          ? { zh: `${leftAfterMs} ms 后移出`, en: `out after ${leftAfterMs} ms` }
          : { zh: `${leftAfterMs} ms 后仍在 ISR 中`, en: `still in an ISR after ${leftAfterMs} ms` },
      },
    );
    ctx.check(
      {
        zh: 'acks=all 等待整个 ISR：r1 直到冻结的 follower 离开 ISR 才得到确认',
        en: 'acks=all waits for the whole ISR: r1 was acknowledged only once the frozen follower had left the ISR',
      },
      {
        pass: r1.error === 'NONE' && r1.ms >= earliestMs,
        expected: {
          zh: `r1 发出后不早于 ${earliestMs} ms 被确认（NONE）`,
          en: `r1 acknowledged (NONE) no sooner than ${earliestMs} ms after it was sent`,
        },
        actual: { zh: `r1 ${r1.error}，${r1.ms} ms 后`, en: `r1 ${r1.error} after ${r1.ms} ms` },
      },
    );
    const afterLeave = await view.readReplica(leader, lenient, 0);
    ctx.check(
      {
        zh: 'ISR 收缩为 2 个（不小于 min.insync.replicas=2）后 HW 前进：q1、r1 可读',
        en: 'with the ISR down to 2 (not below min.insync.replicas=2) the HW moves on: q1 and r1 are readable',
      },
      {
        pass: sameValues(
          afterLeave.records.map((r) => r.value?.toString()),
          ['q1', 'r1'],
        ),
        expected: { zh: '消费者读到 q1, r1', en: 'a consumer reads q1, r1' },
        actual: {
          zh: `读到 [${afterLeave.records.map((r) => r.value?.toString()).join(', ')}]，HW ${afterLeave.highWatermark}`,
          en: `reads [${afterLeave.records.map((r) => r.value?.toString()).join(', ')}], HW ${afterLeave.highWatermark}`,
        },
      },
    );

    ctx.step({
      zh: `${strict} 的 ISR 现在是 2（min.insync.replicas=${strictMinIsr}）：分别用 acks=all 和 acks=1 写入`,
      en: `${strict}'s ISR is now 2 (min.insync.replicas=${strictMinIsr}): write with acks=all, then acks=1`,
    });
    const s2 = await view.produce(leader, strict, ['s2'], { acks: -1 });
    const s3 = await view.produce(leader, strict, ['s3'], { acks: 1 });
    const strictBelow = await view.readReplica(leader, strict, 0);
    const strictReadable = strictBelow.records.map((r) => r.value?.toString());
    ctx.observe(`${strict} with an ISR of 2`, {
      acksAll: s2.error,
      acks1: `${s3.error} at ${s3.baseOffset}`,
      consumerSeesHighWatermark: String(strictBelow.highWatermark),
    });
    const s2Answer = strictRefuses ? 'NOT_ENOUGH_REPLICAS' : 'NONE';
    ctx.check(
      strictRefuses
        ? {
            zh: 'ISR 小于 min.insync.replicas 时 acks=all 被拒：NOT_ENOUGH_REPLICAS',
            en: 'with the ISR below min.insync.replicas an acks=all write is refused: NOT_ENOUGH_REPLICAS',
          }
        : {
            zh: 'ISR（2）不小于 min.insync.replicas=2 时 acks=all 照常确认：NONE',
            en: 'with the ISR (2) not below min.insync.replicas=2 an acks=all write is acknowledged: NONE',
          },
      { pass: s2.error === s2Answer, expected: s2Answer, actual: s2.error },
    );
    ctx.check(
      strictRefuses
        ? {
            zh: 'ISR 小于 min.insync.replicas 时 HW 停住（KAFKA-15583，3.7 起）：acks=1 的 s1、s3 都被确认，消费者却一条也读不到',
            en: 'with the ISR below min.insync.replicas the HW stands still (KAFKA-15583, since 3.7): s1 and s3 are acknowledged with acks=1, yet a consumer reads neither',
          }
        : {
            zh: 'ISR 不小于 min.insync.replicas 时 HW 照常前进：s1、s2 已可读',
            en: 'with the ISR not below min.insync.replicas the HW moves on: s1 and s2 are readable',
          },
      strictRefuses
        ? {
            pass:
              s1.error === 'NONE' &&
              s3.error === 'NONE' &&
              strictBelow.records.length === 0 &&
              strictBelow.highWatermark <= s1.baseOffset,
            expected: {
              zh: `s1、s3 被确认；HW ≤ s1 的 offset，读不到任何记录`,
              en: `s1, s3 acknowledged; HW ≤ s1's offset, no records readable`,
            },
            actual: {
              zh: `s1 ${s1.error}，s3 ${s3.error}；HW ${strictBelow.highWatermark}，可读 ${strictBelow.records.length} 条`,
              en: `s1 ${s1.error}, s3 ${s3.error}; HW ${strictBelow.highWatermark}, ${strictBelow.records.length} record(s) readable`,
            },
          }
        : {
            pass: s1.error === 'NONE' && s3.error === 'NONE' && sameValues(strictReadable.slice(0, 2), ['s1', 's2']),
            expected: { zh: 's1、s3 被确认；消费者读到 s1, s2', en: 's1, s3 acknowledged; a consumer reads s1, s2' },
            actual: {
              zh: `s1 ${s1.error}，s3 ${s3.error}；读到 [${strictReadable.join(', ')}]，HW ${strictBelow.highWatermark}`,
              en: `s1 ${s1.error}, s3 ${s3.error}; reads [${strictReadable.join(', ')}], HW ${strictBelow.highWatermark}`,
            },
          },
    );
    const under = (await states()).filter((s) => s.isr.length < s.replicas.length).length;
    const followerRead = await view.readReplica(steady, lenient, 0);
    const leaderRead = await view.readReplica(leader, lenient, 0);
    ctx.observe(`a consumer fetching from follower ${steady} (KIP-392) and from the leader`, {
      follower: { error: followerRead.error, highWatermark: String(followerRead.highWatermark) },
      leader: { highWatermark: String(leaderRead.highWatermark) },
    });
    ctx.check(
      {
        zh: 'follower 只向消费者提供它所知 HW 以下的数据，从不超过 leader',
        en: 'a follower serves a consumer only what is below the HW it knows, never ahead of the leader',
      },
      {
        pass:
          followerRead.error === 'NONE' &&
          followerRead.highWatermark <= leaderRead.highWatermark &&
          followerRead.records.every((r, i) => r.value?.toString() === leaderRead.records[i]?.value?.toString()),
        expected: {
          zh: `follower ${steady} 回答的 HW ≤ leader 的（${leaderRead.highWatermark}），记录是 leader 记录的前缀`,
          en: `follower ${steady} answers with HW ≤ the leader's (${leaderRead.highWatermark}) and a prefix of its records`,
        },
        actual: {
          zh: `follower ${followerRead.error}，HW ${followerRead.highWatermark}，${followerRead.records.length} 条记录`,
          en: `follower ${followerRead.error}, HW ${followerRead.highWatermark}, ${followerRead.records.length} record(s)`,
        },
      },
    );

    ctx.step({ zh: `解冻 broker ${frozen}（SIGCONT）`, en: `thaw broker ${frozen} (SIGCONT)` });
    cluster.resume(frozen);
    const rejoined = await eventually(async () => (await states()).every(fullIsr), 2 * sessionMs);
    const strictAfter = await view.readReplica(leader, strict, 0);
    const underAfter = (await states()).filter((s) => s.isr.length < s.replicas.length).length;
    ctx.observe('under-replicated partitions (ISR < replicas, from Metadata)', { frozen: under, thawed: underAfter });
    ctx.check(
      {
        zh: 'follower 恢复拉取、追上后重新加入 ISR；冻结期间两个分区都是 under-replicated，之后为 0',
        en: 'the follower fetches again, catches up and rejoins the ISR; both partitions were under-replicated while it was out, none after',
      },
      {
        pass: rejoined && under === 2 && underAfter === 0,
        expected: {
          zh: '冻结期间 URP 2 个；ISR 恢复为 3，URP 0 个',
          en: 'under-replicated 2 while frozen; ISR of 3 again, under-replicated 0',
        },
        actual: {
          zh: `冻结期间 URP ${under} 个；${rejoined ? '重新加入' : '没有重新进入两个 ISR'}，URP ${underAfter} 个`,
          en: `under-replicated ${under} while frozen; ${rejoined ? 'rejoined' : 'not back in both ISRs'}, under-replicated ${underAfter}`,
        },
      },
    );
    const strictValues = strictAfter.records.map((r) => r.value?.toString());
    const strictAll = strictRefuses ? ['s1', 's3'] : ['s1', 's2', 's3'];
    ctx.check(
      strictRefuses
        ? {
            zh: 'ISR 恢复后 HW 前进：acks=1 确认过的 s1、s3 可读，被拒的 s2 从未写入',
            en: 'once the ISR recovers the HW moves: s1 and s3, acknowledged with acks=1, are readable; the refused s2 was never written',
          }
        : {
            zh: 'ISR 恢复后三条都可读：s1、s2、s3',
            en: 'once the ISR recovers all three are readable: s1, s2, s3',
          },
      {
        pass: sameValues(strictValues, strictAll),
        expected: { zh: `消费者读到 ${strictAll.join(', ')}`, en: `a consumer reads ${strictAll.join(', ')}` },
        actual: { zh: `读到 [${strictValues.join(', ')}]`, en: `reads [${strictValues.join(', ')}]` },
      },
    );
  },
});

function sameValues(actual: Array<string | undefined>, expected: string[]): boolean {
  return actual.length === expected.length && actual.every((v, i) => v === expected[i]);
}
