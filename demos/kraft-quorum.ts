import { eventually } from '../src/demo/eventually.js';
import { rolesAvoidingController, type ControllerQuorum } from '../src/demo/demo-cluster.js';
import { defineDemo } from '../src/demo/demo-definition.js';

/**
 * Proves kraft-quorum-size, kraft-lost-majority and kraft-controller-deployment on a 3-node cluster whose nodes are
 * both brokers and controllers (combined mode, `process.roles=broker,controller`): the quorum is read the
 * operator's way (each node's metadata-log quorum state: voters, the Raft leader, its epoch) and the rest through
 * the protocol. Killing the active controller costs a Raft election among the two left (a majority of 3), after
 * which metadata still changes (a topic is created). Killing a second node leaves one voter of three: no majority,
 * no leader, and CreateTopics fails; yet the data plane carries on for now — the surviving broker still takes
 * Produce and serves Fetch for a partition it leads — while self-healing is gone: the dead node's partition gets
 * no new leader, and an ISR that includes the dead node cannot shrink, so acks=all there times out. Bringing one
 * controller back restores the majority and metadata changes resume.
 */
const NOT_TRIED = { zh: '未尝试', en: 'not tried' };
const NO_QUORUM_STATE = { zh: '没有 quorum 状态', en: 'no quorum state' };
const B_ = (zh: string, en: string) => ({ zh, en });

export default defineDemo({
  id: 'kraft-quorum',
  title: {
    zh: 'KRaft 控制器集群：3 个节点容忍 1 个故障，失去多数派后元数据停摆、数据面暂时照常',
    en: 'The KRaft controller quorum: 3 nodes tolerate one failure; without a majority metadata stops while the data plane carries on for now',
  },
  claim: {
    zh: '3 个投票者的多数派是 2：杀掉活跃控制器后剩下两个重新选出 leader（epoch 增加），仍能创建 topic；再杀一个就没有多数派、没有 leader，创建 topic 失败，但存活 broker 上已有 leader 的分区照常读写；宕机节点领导的分区选不出新 leader，包含宕机节点的 ISR 无法收缩（acks=all 超时）；恢复一个控制器后元数据变更恢复',
    en: 'the majority of 3 voters is 2: with the active controller killed, the two left elect a leader (a higher epoch) and topics can still be created; with a second node killed there is no majority and no leader and CreateTopics fails, yet partitions led by the surviving broker still take writes and serve reads; the dead node’s partition gets no new leader and an ISR holding the dead node cannot shrink (acks=all times out); one controller back restores metadata changes',
  },
  needs: 'client',
  brokers: 3,
  knobs: {
    acks: {
      default: -1,
      choices: [-1, 1],
      about: {
        zh: '没有控制器时写入 ISR 里还留着死节点的分区所用的 acks',
        en: 'acks of the write, without a controller, to the partition whose ISR still holds the dead node',
      },
    },
  },
  async run(ctx) {
    const stuckAcks = ctx.knobs.acks;
    const cluster = ctx.cluster!;
    const view = ctx.clusterView!;
    // the active controller dies first; `second` later; `survivor` stays
    const [survivor, second, controller] = rolesAvoidingController(cluster);
    const quorum0 = cluster.controllerQuorum();
    ctx.observe('the controller quorum (quorum-state of each node)', quorum0);
    const majority = quorum0 ? Math.floor(quorum0.voters.length / 2) + 1 : 0;
    ctx.check(
      {
        zh: '控制器集群有 3 个投票者，多数派为 2；活跃控制器是其中之一',
        en: 'the controller quorum has 3 voters, a majority of 2; the active controller is one of them',
      },
      {
        pass:
          quorum0 !== undefined &&
          quorum0.voters.length === 3 &&
          majority === 2 &&
          quorum0.voters.includes(quorum0.leaderId),
        expected: { zh: '3 个投票者，多数派 2，其中一个是 leader', en: '3 voters, majority 2, a leader among them' },
        actual: quorum0
          ? B_(
              `投票者 [${quorum0.voters.join(',')}]，多数派 ${majority}，leader ${quorum0.leaderId}`,
              `voters [${quorum0.voters.join(',')}], majority ${majority}, leader ${quorum0.leaderId}`,
            )
          : NO_QUORUM_STATE,
      },
    );

    const steady = ctx.topic('kraft-steady');
    const stuck = ctx.topic('kraft-stuck');
    const orphan = ctx.topic('kraft-orphan');
    ctx.step({
      zh: `topic：${steady} 在 [${survivor},${controller}]，${stuck} 在 [${survivor},${second}]，${orphan} 在 [${second},${survivor}]（leader 是各自的第一个）`,
      en: `topics: ${steady} on [${survivor},${controller}], ${stuck} on [${survivor},${second}], ${orphan} on [${second},${survivor}] (each led by its first)`,
    });
    await view.createTopic(steady, [survivor, controller]);
    await view.createTopic(stuck, [survivor, second]);
    await view.createTopic(orphan, [second, survivor]);

    ctx.step({
      zh: `SIGKILL 活跃控制器所在节点 ${controller}`,
      en: `SIGKILL node ${controller}, the active controller`,
    });
    await cluster.kill(controller);
    let quorum1: ControllerQuorum | undefined;
    const reelected = await eventually(() => {
      quorum1 = cluster.controllerQuorum();
      return (
        quorum1 !== undefined &&
        quorum1.leaderId >= 0 &&
        quorum1.leaderId !== controller &&
        quorum1.leaderEpoch > (quorum0?.leaderEpoch ?? 0)
      );
    }, 20_000);
    const afterOne = ctx.topic('kraft-after-one');
    const createdWithTwo = reelected
      ? await view.sendCreateTopic(afterOne, [survivor], {}, 10_000)
      : NOT_TRIED[ctx.lang];
    ctx.observe('after one controller died', { quorum: quorum1, createTopics: createdWithTwo });
    ctx.check(
      {
        zh: '死一个控制器：剩下两个（多数派）选出新 leader，epoch 增加，元数据照常变更（创建 topic 成功）',
        en: 'one controller dead: the two left (a majority) elect a new leader in a higher epoch and metadata still changes (CreateTopics succeeds)',
      },
      {
        pass: reelected && createdWithTwo === 'NONE',
        expected: {
          zh: `${controller} 以外的 leader，epoch 高于 ${quorum0?.leaderEpoch ?? '?'}；CreateTopics NONE`,
          en: `a leader other than ${controller} in an epoch above ${quorum0?.leaderEpoch}; CreateTopics NONE`,
        },
        actual: {
          zh: `${quorum1 ? `leader ${quorum1.leaderId}，epoch ${quorum1.leaderEpoch}` : NO_QUORUM_STATE.zh}；CreateTopics ${createdWithTwo}`,
          en: `${quorum1 ? `leader ${quorum1.leaderId} in epoch ${quorum1.leaderEpoch}` : NO_QUORUM_STATE.en}; CreateTopics ${createdWithTwo}`,
        },
      },
    );
    // the dead node leaves steady's ISR once the controller fences it, so steady keeps taking acks=all later
    const steadyShrunk = await eventually(
      async () => (await view.partition(steady, 0, survivor)).isr.length === 1,
      30_000,
    );

    ctx.step({
      zh: `再 SIGKILL 节点 ${second}：3 个投票者只剩 1 个`,
      en: `SIGKILL node ${second} too: one voter of three is left`,
    });
    await cluster.kill(second);
    const quorum2 = cluster.controllerQuorum();
    const alive = cluster.brokerIds.filter((id) => cluster.broker(id).state === 'running').length;
    const createdWithOne = await view.sendCreateTopic(ctx.topic('kraft-after-two'), [survivor], {}, 5000);
    ctx.observe('after the second node died', { quorum: quorum2, createTopics: createdWithOne });
    ctx.check(
      {
        zh: '失去多数派：元数据无法变更（创建 topic 失败或得不到回答；剩下的控制器即使自认为 leader 也无法提交）',
        en: 'majority lost: metadata cannot change (CreateTopics fails or gets no answer; the voter left cannot commit, even if it still thinks it leads)',
      },
      {
        pass: alive < majority && createdWithOne !== 'NONE',
        expected: {
          zh: `存活的投票者少于 ${majority} 个；CreateTopics 失败`,
          en: `fewer than ${majority} voters alive; CreateTopics fails`,
        },
        actual: {
          zh: `${alive} 个存活（它最后写下的 quorum 状态里 leader 是 ${quorum2?.leaderId ?? '?'}）；CreateTopics ${createdWithOne}`,
          en: `${alive} alive (the last quorum state it wrote names leader ${quorum2?.leaderId ?? 'unknown'}); CreateTopics ${createdWithOne}`,
        },
      },
    );

    const write = await view.produce(survivor, steady, ['written-without-a-controller'], { acks: -1, timeoutMs: 5000 });
    const read = await view.readReplica(survivor, steady, 0);
    const readBack = read.records.some((r) => r.value?.toString() === 'written-without-a-controller');
    ctx.check(
      {
        zh: `数据面暂时照常：存活 broker ${survivor} 领导的分区（ISR 已只剩它）仍接受 acks=all 写入，消费者读得到`,
        en: `the data plane carries on for now: the partition the surviving broker ${survivor} leads (its ISR already down to it) still takes an acks=all write, and a consumer reads it`,
      },
      {
        pass: steadyShrunk && write.error === 'NONE' && readBack,
        expected: {
          zh: '第二次 kill 前 ISR 只剩 1 个；Produce NONE；记录读得回来',
          en: 'ISR of 1 before the second kill; Produce NONE; the record read back',
        },
        actual: {
          zh: `ISR ${steadyShrunk ? '只剩 1 个' : '没有收缩'}；Produce ${write.error}；${readBack ? '读得回来' : '读不到'}`,
          en: `ISR ${steadyShrunk ? 'of 1' : 'not shrunk'}; Produce ${write.error}; ${readBack ? 'read back' : 'not readable'}`,
        },
      },
    );
    const orphanNow = await view.partition(orphan, 0, survivor);
    const stuckWrite = await view.produce(survivor, stuck, ['waits-for-a-dead-replica'], {
      acks: stuckAcks === 1 ? 1 : -1,
      timeoutMs: 3000,
    });
    const stuckIsr = (await view.partition(stuck, 0, survivor)).isr;
    // acks=all waits for every ISR member, the dead one included; acks=1 waits for the leader's log alone
    const stuckAnswer = stuckAcks === -1 ? 'REQUEST_TIMED_OUT' : 'NONE';
    const acksName = stuckAcks === -1 ? 'acks=all' : 'acks=1';
    ctx.observe('without a controller', { orphanLeader: orphanNow.leader, stuckIsr, [acksName]: stuckWrite.error });
    ctx.check(
      stuckAcks === -1
        ? {
            zh: `自愈停止：${second} 领导的分区没有新 leader；ISR 里还留着死节点 ${second} 的分区无法收缩，acks=all 写入超时`,
            en: `self-healing is gone: the partition ${second} led gets no new leader; the ISR still holding the dead ${second} cannot shrink, so an acks=all write times out`,
          }
        : {
            zh: `自愈停止：${second} 领导的分区没有新 leader；ISR 里还留着死节点 ${second} 的分区无法收缩，但 acks=1 只等 leader，写入照样被确认`,
            en: `self-healing is gone: the partition ${second} led gets no new leader; the ISR still holding the dead ${second} cannot shrink, yet an acks=1 write waits for the leader alone and is acknowledged`,
          },
      {
        pass: orphanNow.leader === second && stuckIsr.includes(second) && stuckWrite.error === stuckAnswer,
        expected: {
          zh: `${orphan} 的 leader 仍是 ${second}；${stuck} 的 ISR 里仍有 ${second}；${acksName} ${stuckAnswer}`,
          en: `${orphan} still names ${second} as leader; ${stuck}'s ISR still holds ${second}; ${acksName} ${stuckAnswer}`,
        },
        actual: `${orphan} leader ${orphanNow.leader}; ${stuck} ISR [${stuckIsr.join(',')}]; ${acksName} ${stuckWrite.error}`,
      },
    );

    ctx.step({
      zh: `重启节点 ${controller}：3 个投票者中 2 个在线`,
      en: `restart node ${controller}: two voters of three are up`,
    });
    await cluster.restart(controller);
    const back = await eventually(() => (cluster.controllerQuorum()?.leaderId ?? -1) >= 0, 30_000);
    const createdAgain = back
      ? await view.sendCreateTopic(ctx.topic('kraft-after-recovery'), [survivor], {}, 10_000)
      : NOT_TRIED[ctx.lang];
    ctx.check(
      {
        zh: '恢复一个控制器后重新有了多数派，元数据变更恢复（创建 topic 成功）',
        en: 'with one controller back the majority is restored and metadata changes resume (CreateTopics succeeds)',
      },
      {
        pass: back && createdAgain === 'NONE',
        expected: { zh: 'quorum 重新有了 leader；CreateTopics NONE', en: 'a quorum leader again; CreateTopics NONE' },
        actual: {
          zh: `${back ? `leader ${cluster.controllerQuorum()?.leaderId}` : '没有 leader'}；CreateTopics ${createdAgain}`,
          en: `${back ? `leader ${cluster.controllerQuorum()?.leaderId}` : 'no leader'}; CreateTopics ${createdAgain}`,
        },
      },
    );
  },
});
