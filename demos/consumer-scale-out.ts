import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { groupDemoCluster } from '../src/demo/group-demo-cluster.js';

/**
 * Proves backlog-handling, scale-consumers-beyond-partitions and backlog-what-does-not-help: a group drains a
 * backlog on a 4-partition topic with 1, 4 and 6 members, each record costing the same simulated work. Scaling
 * out to the partition count divides the work (each of 4 members gets one partition and drains it in parallel,
 * several times faster than one member); members beyond the partition count get no partition and process
 * nothing, so 6 members spread the work no wider than 4. The three groups join at once, each on a topic of its
 * own, and each backlog is written only after every assignment is settled and drained alone, so every run measures
 * draining, not joining. Speaks only the protocol, so it runs
 * against a real cluster too.
 */
const PARTITIONS = 4;
const PER_PARTITION = 30;
/** Simulated processing per record (a database write, say); the consumer handles one record at a time. */
const WORK_MS = 10;

interface Run {
  members: number;
  /** Partitions assigned to each member once the group settled. */
  assignment: number[][];
  /** Records each member processed. */
  processed: number[];
  drainMs: number;
  /** Whether every record of the backlog was processed (within the bound). */
  drained: boolean;
}

export default defineDemo({
  id: 'consumer-scale-out',
  title: {
    zh: '消息积压：加消费者到分区数为止有用，超过就没用',
    en: 'A backlog: adding consumers helps up to the partition count, not beyond',
  },
  claim: {
    zh: '同一个组里，消费者加到分区数（4）时每个成员分到一个分区、并行消费，清空积压比 1 个成员快数倍；超过分区数的成员（6 个中的 2 个）分不到分区、一条也不处理',
    en: 'in one group, scaling to the partition count (4) gives each member one partition and drains the backlog in parallel, several times faster than one member; members beyond the partition count (2 of 6) get no partition and process nothing',
  },
  needs: 'client',
  knobs: {
    'members.beyond.partitions': {
      default: 2,
      min: 1,
      max: 4,
      about: {
        zh: '第三轮比分区数多出的消费者个数（它们分不到分区）',
        en: 'consumers beyond the partition count in the third round (they get no partition)',
      },
    },
  },
  async run(ctx) {
    const extra = ctx.knobs['members.beyond.partitions'];
    const GROUP_SIZES = [1, PARTITIONS, PARTITIONS + extra];
    const cluster = await groupDemoCluster(ctx);
    const admin = await cluster.admin();
    const producer = await cluster.producer();
    const runs: Run[] = [];

    // one backlog topic per group size, all created at once
    const topicFor = (members: number) => ctx.topic(`backlog-${members}`);
    await admin.createTopics({
      waitForLeaders: true,
      topics: GROUP_SIZES.map((members) => ({ topic: topicFor(members), numPartitions: PARTITIONS })),
    });
    interface Group {
      members: number;
      topic: string;
      assigned: number[][];
      joined: boolean[];
      processed: number[];
      doneAt: number[];
      consumers: Consumer[];
    }
    // Every group joins at once, before any backlog exists: joins cost no drain time, and each drain below runs
    // alone (the other groups' members only long-poll their empty topics meanwhile).
    ctx.step({
      zh: `${GROUP_SIZES.length} 个组同时加入：${GROUP_SIZES.map((m) => `${m} 个消费者`).join('、')}，各自订阅一个 ${PARTITIONS} 分区的 topic；等分配稳定`,
      en: `${GROUP_SIZES.length} groups join at once, of ${GROUP_SIZES.join(', ')} consumer(s), each subscribed to a ${PARTITIONS}-partition topic of its own; wait for the assignments to settle`,
    });
    const groups: Group[] = await Promise.all(
      GROUP_SIZES.map(async (members) => {
        const topic = topicFor(members);
        const groupId = ctx.topic(`scale-${members}`);
        const group: Group = {
          members,
          topic,
          assigned: Array.from({ length: members }, () => []),
          joined: new Array<boolean>(members).fill(false),
          processed: new Array<number>(members).fill(0),
          doneAt: [],
          consumers: [],
        };
        // All members start at once: joining one by one would cost a rebalance per member.
        group.consumers = await Promise.all(
          Array.from({ length: members }, async (_, m) => {
            const consumer = await cluster.consumer({ groupId, topic, fromBeginning: true });
            consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
              group.assigned[m] = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
              group.joined[m] = true;
            });
            await consumer.run({
              eachMessage: async () => {
                await delay(WORK_MS);
                group.processed[m]!++;
                group.doneAt.push(Date.now());
              },
            });
            return consumer;
          }),
        );
        return group;
      }),
    );
    // Settled: every member has joined the latest generation and the assignments cover each partition once. A
    // bounded wait whose outcome the checks judge: an assignor that hands out partitions wrongly never settles,
    // and the assignment it made is what the first check then shows.
    const settled = (g: Group) => {
      const all = g.assigned.flat();
      return g.joined.every(Boolean) && all.length === PARTITIONS && new Set(all).size === PARTITIONS;
    };
    if (!(await eventually(() => groups.every(settled), 8000)))
      for (const g of groups.filter((x) => !settled(x)))
        ctx.observe(`${g.members} member(s): the assignment did not settle within 8 s`, JSON.stringify(g.assigned));

    for (const group of groups) {
      const { members, topic, processed, doneAt } = group;
      ctx.step({
        zh: `${members} 个成员的组：写入积压，每个分区 ${PER_PARTITION} 条，每条处理耗时 ${WORK_MS} ms`,
        en: `the group of ${members}: write its backlog, ${PER_PARTITION} records per partition, ${WORK_MS} ms of work each`,
      });
      const startedAt = Date.now();
      // one Produce request for the whole backlog (kafkajs groups the messages by partition)
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => ({
          partition: i % PARTITIONS,
          value: `p${i % PARTITIONS} #${Math.floor(i / PARTITIONS)}`,
        })),
      });
      const total = PARTITIONS * PER_PARTITION;
      const drained = await eventually(() => doneAt.length >= total, 30_000);
      if (!drained) ctx.observe(`${members} member(s): not drained within 30 s`, `processed ${processed.join('/')}`);
      const run: Run = {
        members,
        assignment: group.assigned.map((a) => [...a]),
        processed: [...processed],
        drainMs: Math.max(startedAt, ...doneAt) - startedAt,
        drained,
      };
      runs.push(run);
      ctx.observe(
        `${members} member(s)`,
        `partitions ${run.assignment.map((a) => `[${a.join(',')}]`).join(' ')}; processed ${run.processed.join('/')}; drained in ${run.drainMs} ms`,
      );
    }
    await Promise.all(groups.flatMap((g) => g.consumers).map((consumer) => consumer.disconnect()));

    const [one, four, crowded] = runs as [Run, Run, Run];
    ctx.check(
      {
        zh: '4 个成员（= 分区数）时每个成员恰好一个分区，各处理自己分区的全部记录',
        en: 'with 4 members (= partitions) each member owns exactly one partition and processes all of its records',
      },
      {
        pass: four.assignment.every((a) => a.length === 1) && four.processed.every((n) => n === PER_PARTITION),
        expected: {
          zh: `每个成员一个分区；各处理 ${PER_PARTITION} 条`,
          en: `one partition each; processed ${PER_PARTITION} each`,
        },
        actual: {
          zh: `分区数 ${four.assignment.map((a) => a.length).join('/')}；处理 ${four.processed.join('/')} 条`,
          en: `partitions ${four.assignment.map((a) => a.length).join('/')}; processed ${four.processed.join('/')}`,
        },
      },
    );
    // Ideal is 4×; half of it still fails "more consumers do not help at all" on any machine this runs on.
    ctx.check(
      {
        zh: '4 个成员清空积压的速度至少是 1 个成员的 2 倍',
        en: '4 members drain the backlog at least twice as fast as 1',
      },
      {
        pass: one.drained && four.drained && four.drainMs * 2 <= one.drainMs,
        expected: {
          zh: `≤ ${Math.floor(one.drainMs / 2)} ms（1 个成员：${one.drainMs} ms）`,
          en: `≤ ${Math.floor(one.drainMs / 2)} ms (1 member: ${one.drainMs} ms)`,
        },
        actual: {
          zh: `${four.drainMs} ms（快 ${(one.drainMs / four.drainMs).toFixed(1)} 倍）`,
          en: `${four.drainMs} ms (${(one.drainMs / four.drainMs).toFixed(1)}× faster)`,
        },
      },
    );
    const idle = crowded.assignment.filter((a) => a.length === 0).length;
    const idleProcessed = crowded.assignment.reduce(
      (sum, a, i) => sum + (a.length === 0 ? crowded.processed[i]! : 0),
      0,
    );
    ctx.check(
      {
        zh: `${PARTITIONS + extra} 个成员时恰好 ${extra} 个分不到分区、处理 0 条；最忙的成员和 ${PARTITIONS} 个成员时一样多`,
        en: `with ${PARTITIONS + extra} members exactly ${extra} get no partition and process 0 records; the busiest member does as much as with ${PARTITIONS}`,
      },
      {
        pass: idle === extra && idleProcessed === 0 && Math.max(...crowded.processed) === Math.max(...four.processed),
        expected: {
          zh: `${extra} 个空闲，它们处理 0 条，最忙的处理 ${Math.max(...four.processed)} 条`,
          en: `${extra} idle, 0 processed by them, busiest ${Math.max(...four.processed)}`,
        },
        actual: {
          zh: `${idle} 个空闲，它们处理 ${idleProcessed} 条，最忙的处理 ${Math.max(...crowded.processed)} 条`,
          en: `${idle} idle, ${idleProcessed} processed by them, busiest ${Math.max(...crowded.processed)}`,
        },
      },
    );
  },
});
