import type { WhyEvent } from '../why/why-log.js';
import type { ElectionRule } from './leader-election.js';
import type { ControllerEvent, PartitionChangeCause } from './quorum-controller.js';

/** The config or KIP behind each election rule. */
const RULE_SOURCE: Readonly<Record<ElectionRule, string>> = {
  'current-leader': 'KIP-631 PartitionChangeBuilder',
  'preferred-replica': 'KIP-460 preferred leader election',
  'first-isr-in-assignment-order': 'offline partition election: first live ISR replica in assignment order',
  'eligible-leader-replica': 'KIP-966 Eligible Leader Replicas',
  'last-known-leader': 'KIP-966 last known leader',
  'unclean-first-live-replica': 'unclean.leader.election.enable',
  'no-eligible-leader': 'unclean.leader.election.enable=false',
};

const CAUSE: Readonly<Record<PartitionChangeCause, { zh: string; en: string }>> = {
  'broker-fenced': { zh: 'broker 被隔离（fenced）后', en: 'after a broker was fenced' },
  'controlled-shutdown': { zh: '受控关闭时', en: 'in a controlled shutdown' },
  'broker-registered': { zh: 'broker 重新注册（重启）后', en: 'after a broker registered again (restart)' },
  'broker-unclean-shutdown': {
    zh: 'broker 非正常关闭后重新注册（没有带上次的 broker epoch，KIP-966：移出 ISR 和 ELR）后',
    en: 'after a broker came back from an unclean shutdown (no previous broker epoch; KIP-966: out of the ISR and the ELR)',
  },
  'broker-unfenced': { zh: 'broker 恢复（unfenced）后', en: 'after a broker was unfenced' },
  'alter-partition': { zh: 'leader 提交 AlterPartition 时', en: 'on the leader’s AlterPartition' },
  'unclean-election-check': {
    zh: '定期检查（unclean.leader.election.interval.ms）时',
    en: 'in the periodic check (unclean.leader.election.interval.ms)',
  },
  'leader-rebalance': {
    zh: '自动 leader 再平衡（auto.leader.rebalance.enable）时',
    en: 'in the automatic leader rebalance (auto.leader.rebalance.enable)',
  },
  'elect-leaders': { zh: '管理员调用 ElectLeaders 时', en: 'on an admin’s ElectLeaders' },
  reassignment: { zh: '管理员调用 AlterPartitionReassignments 时', en: 'on an admin’s AlterPartitionReassignments' },
  'reassignment-cancelled': {
    zh: '管理员取消分区重分配时',
    en: 'when an admin cancelled the reassignment',
  },
};

const list = (ids: readonly number[]) => `[${ids.join(',')}]`;

/**
 * The why-log entry for a decision of the active controller, or undefined for the ones that are not about the
 * cluster's data (activation, renouncing). `topicName` resolves the topic id of a partition change.
 */
export function explainControllerEvent(
  event: ControllerEvent,
  node: number,
  topicName: (topicId: string) => string | undefined,
  at = Date.now(),
): WhyEvent | undefined {
  switch (event.kind) {
    case 'broker-fenced': {
      const reason = {
        'session-timeout': {
          rule: 'broker.session.timeout.ms',
          zh: `broker ${event.brokerId} 在 broker.session.timeout.ms 内没有心跳：隔离它，移出所有 ISR，它领导的分区重新选举`,
          en: `broker ${event.brokerId} sent no heartbeat within broker.session.timeout.ms: fenced, out of every ISR, its partitions elect new leaders`,
        },
        'want-fence': {
          rule: 'KIP-631 BrokerHeartbeat want_fence',
          zh: `broker ${event.brokerId} 请求被隔离`,
          en: `broker ${event.brokerId} asked to be fenced`,
        },
        'controlled-shutdown-done': {
          rule: 'controlled shutdown (KIP-631)',
          zh: `broker ${event.brokerId} 已交出所有 leader，受控关闭完成：隔离它，它可以停止了`,
          en: `broker ${event.brokerId} leads nothing any more: controlled shutdown done, fenced, it may stop`,
        },
      }[event.reason];
      return {
        at,
        node,
        kind: 'broker-fenced',
        rule: reason.rule,
        text: { zh: reason.zh, en: reason.en },
        data: { brokerId: event.brokerId, reason: event.reason },
      };
    }
    case 'broker-unfenced':
      return {
        at,
        node,
        kind: 'broker-unfenced',
        rule: 'KIP-631 BrokerHeartbeat',
        text: {
          zh: `broker ${event.brokerId} 的元数据已追上它的注册记录：解除隔离，它可以重新当 leader、进 ISR`,
          en: `broker ${event.brokerId} has replayed the metadata up to its registration: unfenced, it may lead and join ISRs again`,
        },
        data: { brokerId: event.brokerId },
      };
    case 'broker-registered':
      return {
        at,
        node,
        kind: 'broker-registered',
        rule: 'KIP-631 BrokerRegistration',
        text: {
          zh: `broker ${event.brokerId} 注册（broker epoch ${event.brokerEpoch}），先处于隔离状态`,
          en: `broker ${event.brokerId} registered (broker epoch ${event.brokerEpoch}), fenced until it catches up`,
        },
        data: { brokerId: event.brokerId, brokerEpoch: String(event.brokerEpoch) },
      };
    case 'controlled-shutdown':
      return {
        at,
        node,
        kind: 'controlled-shutdown',
        rule: 'controlled shutdown (KIP-631)',
        text: {
          zh: `broker ${event.brokerId} 要求受控关闭：先把它领导的分区交给 ISR 中的其他副本，再让它停止`,
          en: `broker ${event.brokerId} asked for a controlled shutdown: its leaderships move to other ISR members before it stops`,
        },
        data: { brokerId: event.brokerId },
      };
    case 'partition-change':
      return explainPartitionChange(event, node, topicName, at);
    case 'elr-cleared': {
      const whose =
        event.topicName === ''
          ? { zh: '所有 topic', en: 'every topic' }
          : { zh: `topic ${event.topicName}`, en: `topic ${event.topicName}` };
      return {
        at,
        node,
        kind: 'elr',
        rule: 'KIP-966 Eligible Leader Replicas',
        text: {
          zh: `${whose.zh} 的 min.insync.replicas 改为 ${event.minIsr}：清空其分区的 ELR 和 last known ELR（在旧的最小值下合格，不代表在新的下也合格），下一次 ISR 变化按新的最小值重新填入`,
          en: `min.insync.replicas of ${whose.en} changed to ${event.minIsr}: the ELR and last known ELR of its partitions are cleared (eligible under the old minimum is not eligible under the new one); the next ISR change fills them by the new minimum`,
        },
        data: { topic: event.topicName, minIsr: event.minIsr },
      };
    }
    default:
      return undefined;
  }
}

function explainPartitionChange(
  event: Extract<ControllerEvent, { kind: 'partition-change' }>,
  node: number,
  topicName: (topicId: string) => string | undefined,
  at: number,
): WhyEvent | undefined {
  const partition = `${topicName(event.topicId) ?? event.topicId}-${event.partition}`;
  const cause = event.cause ? CAUSE[event.cause] : { zh: '', en: '' };
  const before = event.before;
  const isr = event.isr ?? before?.isr ?? [];
  const beforeElr = before?.elr ?? [];
  const elr = event.elr ?? beforeElr;
  const data = {
    leader: event.leader === -2 ? (before?.leader ?? -2) : event.leader,
    elr,
    previousElr: before ? beforeElr : null,
    minIsr: event.minIsr ?? null,
    isr,
    previousLeader: before?.leader ?? null,
    previousIsr: before?.isr ?? null,
    leaderEpoch: before ? before.leaderEpoch + (event.leader === -2 ? 0 : 1) : null,
    election: event.election?.kind ?? null,
    electionRule: event.election?.rule ?? null,
    unclean: event.election?.unclean ?? false,
    cause: event.cause ?? null,
  };
  if (event.reassignment) return explainReassignment(event, event.reassignment, partition, data, node, at);
  if (event.leader !== -2 && event.election) {
    const { rule, node: leader } = event.election;
    const epoch = data.leaderEpoch ?? '?';
    const texts: Record<ElectionRule, { zh: string; en: string }> = {
      'current-leader': { zh: `leader ${leader} 不变`, en: `leader ${leader} stays` },
      'preferred-replica': {
        zh: `选出首选副本 ${leader}（分配列表的第一个，且在 ISR ${list(isr)} 中），leader epoch ${epoch}`,
        en: `elected the preferred replica ${leader} (first in the assignment, in the ISR ${list(isr)}), leader epoch ${epoch}`,
      },
      'first-isr-in-assignment-order': {
        zh: `选出 ${leader}：按分配顺序第一个在 ISR ${list(isr)} 中且存活的副本，leader epoch ${epoch}`,
        en: `elected ${leader}: the first replica in assignment order that is in the ISR ${list(isr)} and live, leader epoch ${epoch}`,
      },
      'eligible-leader-replica': {
        zh: `从 ELR ${list(beforeElr)} 选出 ${leader}（KIP-966）：ISR 已空，而 ELR 成员是在 ISR 小于 min.insync.replicas 时离开的，持有所有已提交记录，所以不丢数据；ISR 变为 [${leader}]，leader epoch ${epoch}`,
        en: `elected ${leader} from the ELR ${list(beforeElr)} (KIP-966): the ISR is empty, and an eligible leader replica left it below min.insync.replicas holding every committed record, so nothing is lost; the ISR becomes [${leader}], leader epoch ${epoch}`,
      },
      'last-known-leader': {
        zh: `ISR 和 ELR 都空了：选出最后已知的 leader ${leader}（KIP-966 last known leader），ISR 变为 [${leader}]，leader epoch ${epoch}`,
        en: `ISR and ELR are both empty: elected the last known leader ${leader} (KIP-966), the ISR becomes [${leader}], leader epoch ${epoch}`,
      },
      'unclean-first-live-replica': {
        zh: `unclean 选举：ISR ${list(before?.isr ?? [])}${beforeElr.length > 0 ? ` 和 ELR ${list(beforeElr)}` : ''} 中没有存活的副本，选出不同步的 ${leader}，ISR 重置为 [${leader}]；它缺少的已确认记录将丢失，leader epoch ${epoch}`,
        en: `unclean election: no member of the ISR ${list(before?.isr ?? [])}${beforeElr.length > 0 ? ` nor of the ELR ${list(beforeElr)}` : ''} is live, so the out-of-sync ${leader} leads and the ISR becomes [${leader}]; acknowledged records it lacks are lost, leader epoch ${epoch}`,
      },
      'no-eligible-leader':
        elr.length > 0
          ? {
              zh: `没有可当选的副本（ISR ${list(isr)} 和 ELR ${list(elr)} 中都没有存活成员，且不允许 unclean 选举）：分区离线，leader -1；ELR 成员回来后会被干净地选出（KIP-966）`,
              en: `no replica may lead (no live member of the ISR ${list(isr)} nor of the ELR ${list(elr)}, and unclean election is not allowed): the partition is offline, leader -1; an ELR member that comes back is elected cleanly (KIP-966)`,
            }
          : {
              zh: `没有可当选的副本（ISR ${list(isr)} 中无存活成员，且不允许 unclean 选举）：分区离线，leader -1`,
              en: `no replica may lead (no live member of the ISR ${list(isr)}, and unclean election is not allowed): the partition is offline, leader -1`,
            },
    };
    const moved = texts[rule];
    const elrNote =
      event.elr !== undefined
        ? {
            zh: `；ELR ${list(beforeElr)} → ${list(elr)}（KIP-966）`,
            en: `; ELR ${list(beforeElr)} → ${list(elr)} (KIP-966)`,
          }
        : { zh: '', en: '' };
    const text = { zh: moved.zh + elrNote.zh, en: moved.en + elrNote.en };
    return {
      at,
      node,
      kind: 'election',
      partition,
      rule: RULE_SOURCE[rule],
      text: { zh: `${cause.zh}${cause.zh ? '，' : ''}${text.zh}`, en: `${text.en}${cause.en ? ` ${cause.en}` : ''}` },
      data,
    };
  }
  if (event.elr !== undefined) return explainElrChange(event, partition, data, beforeElr, event.elr, node, at);
  if (event.isr === null) return undefined;
  return {
    at,
    node,
    kind: 'isr-committed',
    partition,
    rule: 'KIP-497 AlterPartition',
    text: {
      zh: `控制器提交 ISR ${list(before?.isr ?? [])} → ${list(isr)}${cause.zh ? `（${cause.zh}）` : ''}`,
      en: `the controller committed the ISR ${list(before?.isr ?? [])} → ${list(isr)}${cause.en ? ` ${cause.en}` : ''}`,
    },
    data,
  };
}

/**
 * KIP-966: the ISR moved and the ELR with it, without an election — an ISR below min.insync.replicas keeps the
 * replicas that leave it as eligible leaders (they hold every committed record), an ISR back at the minimum (or a
 * replica that shut down uncleanly) takes them out.
 */
function explainElrChange(
  event: Extract<ControllerEvent, { kind: 'partition-change' }>,
  partition: string,
  data: Record<string, string | number | boolean | null | readonly number[]> & { readonly isr: readonly number[] },
  beforeElr: readonly number[],
  elr: readonly number[],
  node: number,
  at: number,
): WhyEvent {
  const cause = event.cause ? CAUSE[event.cause] : { zh: '', en: '' };
  const minIsr = event.minIsr ?? '?';
  const isrMove = `ISR ${list(event.before?.isr ?? [])} → ${list(data.isr)}`;
  const grew = elr.some((id) => !beforeElr.includes(id));
  const text = grew
    ? {
        zh: `${isrMove} 小于 min.insync.replicas=${minIsr}：离开的副本留作合格 leader 副本，ELR ${list(beforeElr)} → ${list(elr)}（它们持有所有已提交记录，ISR 为空时可被干净地选为 leader）`,
        en: `${isrMove} is below min.insync.replicas=${minIsr}: the replicas that left stay eligible to lead, ELR ${list(beforeElr)} → ${list(elr)} (they hold every committed record, so an empty ISR can elect one cleanly)`,
      }
    : {
        zh: `${isrMove}，ELR ${list(beforeElr)} → ${list(elr)}${data.isr.length >= Number(minIsr) ? `：ISR 已回到 min.insync.replicas=${minIsr}，不再需要 ELR` : ''}`,
        en: `${isrMove}, ELR ${list(beforeElr)} → ${list(elr)}${data.isr.length >= Number(minIsr) ? `: the ISR is back at min.insync.replicas=${minIsr}, no ELR needed` : ''}`,
      };
  return {
    at,
    node,
    kind: 'elr',
    partition,
    rule: 'KIP-966 Eligible Leader Replicas',
    text: { zh: `${cause.zh}${cause.zh ? '，' : ''}${text.zh}`, en: `${text.en}${cause.en ? ` ${cause.en}` : ''}` },
    data,
  };
}

/**
 * A change of a partition's assignment (KIP-455): a reassignment started (adding replicas catch up as followers),
 * completed (every target replica is in the ISR, the removed ones leave and stop), or was cancelled.
 */
function explainReassignment(
  event: Extract<ControllerEvent, { kind: 'partition-change' }>,
  moved: NonNullable<Extract<ControllerEvent, { kind: 'partition-change' }>['reassignment']>,
  partition: string,
  data: Record<string, string | number | boolean | null | readonly number[]> & { readonly isr: readonly number[] },
  node: number,
  at: number,
): WhyEvent {
  const before = event.before;
  const leaderMoved = event.leader !== -2 && before !== undefined && event.leader !== before.leader;
  const epoch = before ? before.leaderEpoch + (event.leader === -2 ? 0 : 1) : '?';
  const leader = {
    zh: leaderMoved
      ? `；leader ${before.leader} → ${event.leader}（leader epoch ${epoch}）`
      : event.leader !== -2
        ? `；leader epoch 升到 ${epoch}，被移除的副本用旧 epoch 的请求会被拒绝`
        : '',
    en: leaderMoved
      ? `; leader ${before.leader} → ${event.leader} (leader epoch ${epoch})`
      : event.leader !== -2
        ? `; leader epoch bumped to ${epoch}, so requests of the removed replicas at the old epoch are fenced`
        : '',
  };
  const cancelled = event.cause === 'reassignment-cancelled';
  const removed = moved.removed;
  const text = cancelled
    ? {
        zh: `取消重分配：回到副本 ${list(moved.replicas)}，正在加入的副本被移出${leader.zh}`,
        en: `reassignment cancelled: back to the replicas ${list(moved.replicas)}, the replicas being added are dropped${leader.en}`,
      }
    : removed !== undefined
      ? {
          zh: `重分配完成：目标副本都在 ISR ${list(data.isr)} 中，副本变为 ${list(moved.replicas)}，${list(removed)} 被移除（停止复制并删除日志）${leader.zh}`,
          en: `reassignment completed: every target replica is in the ISR ${list(data.isr)}, the replicas are now ${list(moved.replicas)} and ${list(removed)} leave (they stop fetching and delete their logs)${leader.en}`,
        }
      : {
          zh: `开始重分配：副本 ${list(moved.replicas)}，新增 ${list(moved.addingReplicas)} 作为 follower 追赶，待它们进入 ISR 后移除 ${list(moved.removingReplicas)}${leader.zh}`,
          en: `reassignment started: replicas ${list(moved.replicas)}, adding ${list(moved.addingReplicas)} as followers that catch up, removing ${list(moved.removingReplicas)} once they are in the ISR${leader.en}`,
        };
  return {
    at,
    node,
    kind: 'reassignment',
    partition,
    rule: 'KIP-455 AlterPartitionReassignments',
    text,
    data: {
      ...data,
      replicas: moved.replicas,
      addingReplicas: moved.addingReplicas,
      removingReplicas: moved.removingReplicas,
      removed: removed ?? null,
    },
  };
}
