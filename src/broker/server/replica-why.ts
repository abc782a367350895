import { errorInfo } from '../protocol/error-codes.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { WhyEvent } from '../why/why-log.js';
import type { ReplicaManagerEvent } from './replica-manager.js';

/** What the explanations of one broker's ReplicaManager events need to know about it. */
export interface ReplicaWhyContext {
  readonly node: number;
  readonly replicaLagTimeMaxMs: number;
  readonly truncation: 'leader-epoch' | 'high-watermark';
}

const list = (ids: readonly number[]) => `[${ids.join(',')}]`;
const without = (a: readonly number[], b: readonly number[]) => a.filter((id) => !b.includes(id));

/** The why-log entry for something this broker's ReplicaManager did or saw. */
export function explainReplicaEvent(event: ReplicaManagerEvent, ctx: ReplicaWhyContext, at = Date.now()): WhyEvent {
  const base = { at, node: ctx.node, partition: event.partition };
  switch (event.kind) {
    case 'isr': {
      const { change } = event;
      const before = event.committedIsr ?? [];
      const data = { isr: change.isr, previousIsr: before, partitionEpoch: change.partitionEpoch };
      switch (change.kind) {
        case 'shrink-proposed': {
          const out = list(without(before, change.isr));
          return {
            ...base,
            kind: 'isr-shrink',
            rule: 'replica.lag.time.max.ms',
            text: {
              zh: `${out} 超过 replica.lag.time.max.ms（${ctx.replicaLagTimeMaxMs} ms）没有追上 leader：leader 提议 ISR ${list(before)} → ${list(change.isr)}（AlterPartition）`,
              en: `${out} did not catch up with the leader for replica.lag.time.max.ms (${ctx.replicaLagTimeMaxMs} ms): the leader proposes the ISR ${list(before)} → ${list(change.isr)} (AlterPartition)`,
            },
            data,
          };
        }
        case 'expand-proposed': {
          const back = list(without(change.isr, before));
          return {
            ...base,
            kind: 'isr-expand',
            rule: 'ISR expansion: a follower reached the high watermark (KIP-497 AlterPartition)',
            text: {
              zh: `${back} 已追到高水位：leader 提议 ISR ${list(before)} → ${list(change.isr)}`,
              en: `${back} reached the high watermark: the leader proposes the ISR ${list(before)} → ${list(change.isr)}`,
            },
            data,
          };
        }
        case 'committed':
          return {
            ...base,
            kind: 'isr-committed',
            rule: 'KIP-497 AlterPartition',
            text: {
              zh: `控制器确认 ISR ${list(change.isr)}（partition epoch ${change.partitionEpoch}）`,
              en: `the controller committed the ISR ${list(change.isr)} (partition epoch ${change.partitionEpoch})`,
            },
            data,
          };
        case 'refused': {
          const name = errorInfo(change.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR).name;
          return {
            ...base,
            kind: 'isr-refused',
            rule: 'KIP-497 AlterPartition',
            text: {
              zh: `控制器拒绝了 ISR 变更（${name}），ISR 仍是 ${list(change.isr)}`,
              en: `the controller refused the ISR change (${name}); the ISR stays ${list(change.isr)}`,
            },
            data: { ...data, error: name },
          };
        }
      }
      break;
    }
    case 'leader':
      return {
        ...base,
        kind: 'leader-epoch',
        rule: 'KIP-101 leader epoch',
        text: {
          zh: `本 broker 成为 leader，leader epoch ${event.leaderEpoch}：此后写入的批次都带这个 epoch`,
          en: `this broker leads now, leader epoch ${event.leaderEpoch}: every batch it appends carries that epoch`,
        },
        data: { leaderEpoch: event.leaderEpoch },
      };
    case 'follower':
      return {
        ...base,
        kind: 'follower',
        rule: 'KIP-101 leader epoch',
        text: {
          zh: `本 broker 跟随 leader ${event.leader}（leader epoch ${event.leaderEpoch}），先截断到分歧点再拉取`,
          en: `this broker follows leader ${event.leader} (leader epoch ${event.leaderEpoch}): it truncates to the divergence point, then fetches`,
        },
        data: { leader: event.leader, leaderEpoch: event.leaderEpoch },
      };
    case 'truncated': {
      const removed = event.from - event.to;
      const lost =
        event.highWatermark > event.to
          ? (event.highWatermark < event.from ? event.highWatermark : event.from) - event.to
          : 0n;
      const byEpoch = ctx.truncation === 'leader-epoch';
      return {
        ...base,
        kind: 'truncation',
        rule: byEpoch ? 'KIP-101 / KIP-279 OffsetsForLeaderEpoch' : 'pre-KIP-101 high-watermark truncation',
        text: {
          zh: `截断 ${event.from} → ${event.to}，删除 ${removed} 条${byEpoch ? '（按新 leader 的 epoch 边界）' : '（按自己的高水位，KIP-101 之前的规则）'}${lost > 0n ? `；其中 ${lost} 条在本副本的高水位 ${event.highWatermark} 之下，即已确认的记录丢失了（unclean 选举的代价）` : ''}`,
          en: `truncated ${event.from} → ${event.to}, ${removed} record(s) removed${byEpoch ? " (to the new leader's epoch boundary)" : ' (to its own high watermark, the rule before KIP-101)'}${lost > 0n ? `; ${lost} of them were below this replica's high watermark ${event.highWatermark}: acknowledged records lost (what an unclean election costs)` : ''}`,
        },
        data: {
          from: String(event.from),
          to: String(event.to),
          removed: Number(removed),
          highWatermark: String(event.highWatermark),
          acknowledgedLost: Number(lost),
        },
      };
    }
    case 'high-watermark':
      return {
        ...base,
        kind: 'high-watermark',
        rule: 'HW = min log end offset over the ISR (min.insync.replicas)',
        text: {
          zh: `高水位到 ${event.highWatermark}：ISR 中每个副本都有了它之前的记录，消费者可以读到这里`,
          en: `high watermark ${event.highWatermark}: every ISR member has the records below it, so consumers may read up to it`,
        },
        data: { highWatermark: String(event.highWatermark) },
      };
    case 'produce-rejected': {
      const name = errorInfo(event.errorCode).name;
      const why: Record<number, { rule: string; zh: string; en: string }> = {
        [ErrorCode.NOT_ENOUGH_REPLICAS]: {
          rule: 'min.insync.replicas',
          zh: `acks=all 的写入被拒绝（${name}）：ISR ${list(event.isr)} 少于 min.insync.replicas=${event.minInsyncReplicas}，什么也没写入`,
          en: `an acks=all produce was refused (${name}): the ISR ${list(event.isr)} is smaller than min.insync.replicas=${event.minInsyncReplicas}; nothing was appended`,
        },
        [ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND]: {
          rule: 'min.insync.replicas',
          zh: `acks=all 的写入已追加，但等待期间 ISR 缩到 ${list(event.isr)}，少于 min.insync.replicas=${event.minInsyncReplicas}（${name}）：客户端会重试`,
          en: `an acks=all produce was appended but the ISR shrank to ${list(event.isr)} while it waited, below min.insync.replicas=${event.minInsyncReplicas} (${name}): the client retries`,
        },
        [ErrorCode.NOT_LEADER_OR_FOLLOWER]: {
          rule: 'KIP-631 leadership from the metadata log',
          zh: `写入被拒绝（${name}）：本 broker 不是这个分区的 leader，客户端需要刷新元数据`,
          en: `a produce was refused (${name}): this broker does not lead the partition; the client refreshes its metadata`,
        },
        [ErrorCode.REQUEST_TIMED_OUT]: {
          rule: 'request.timeout.ms (acks=all waits for the ISR)',
          zh: `acks=all 的写入在超时前没有被 ISR ${list(event.isr)} 全部复制（${name}）：记录仍在 leader 的日志里`,
          en: `an acks=all produce was not replicated by the whole ISR ${list(event.isr)} before its timeout (${name}); the records stay in the leader's log`,
        },
      };
      const text = why[event.errorCode] ?? {
        rule: 'Produce',
        zh: `写入被拒绝（${name}）`,
        en: `a produce was refused (${name})`,
      };
      return {
        ...base,
        kind: 'produce-rejected',
        rule: text.rule,
        text: { zh: text.zh, en: text.en },
        data: { error: name, acks: event.acks, isr: event.isr, minInsyncReplicas: event.minInsyncReplicas },
      };
    }
  }
}
