import type { Consumer } from 'kafkajs';
import { ApiKey, ErrorCode, errorInfo, waitUntil } from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { describeOffsets, groupDemoCluster, offsetOf, type GroupDemoCluster } from '../src/demo/group-demo-cluster.js';
import { connectToLeader, FETCH_VERSION, fetchRequest, partitionOf } from '../src/demo/raw-fetch.js';

/**
 * Proves auto-offset-reset and the predict card auto-offset-reset-after-retention with the card's own numbers: a
 * group committed offset 120, the log start has since moved to 500 (DeleteRecords, as retention would), the log end
 * is 800. The committed offset is out of range, so the reset policy decides: latest resumes at the end (800),
 * skipping 500–799; earliest at the log start (500). A group with no commit is reset the same way, and a group whose
 * committed offset is still in range (600) resumes there whatever the policy. kafkajs's `fromBeginning` is
 * auto.offset.reset (true = earliest, false = latest). Speaks only the protocol, so it runs against a real cluster too.
 */
const LOG_END = 800;
const STALE_COMMIT = 120;
const VALID_COMMIT = 600;
const PRODUCE_BATCH = 100;
const NEW_RECORDS = 10;

interface Resumed {
  name: string;
  consumer: Consumer;
  offsets: bigint[];
  fetches: number;
}

export default defineDemo({
  id: 'auto-offset-reset',
  title: {
    zh: 'auto.offset.reset：没有可用 offset 时从哪里开始',
    en: 'auto.offset.reset: where a consumer starts without a usable offset',
  },
  claim: {
    zh: '没有提交过 offset、或提交的 offset 已被删除（小于 log start offset）时，由 auto.offset.reset 决定起点：latest 从 log end offset 开始（跳过中间未消费的记录），earliest 从 log start offset 开始；提交的 offset 仍有效时，从它继续',
    en: 'with no committed offset, or one already deleted (below the log start offset), auto.offset.reset decides: latest starts at the log end offset (skipping the unconsumed records in between), earliest at the log start offset; a committed offset still in range is resumed from',
  },
  needs: 'client',
  knobs: {
    'log.start.offset': {
      default: 500,
      min: 0,
      max: 800,
      about: {
        zh: 'DeleteRecords 把 log start offset 移到哪里（低于 120 时提交的 120 仍有效；高于 600 时 600 也失效）',
        en: 'where DeleteRecords moves the log start offset (below 120 the commit of 120 stays valid; above 600 the commit of 600 is gone too)',
      },
    },
  },
  async run(ctx) {
    const LOG_START = ctx.knobs['log.start.offset'];
    /** Where a consumer must start: its committed offset if still in the log, else where its reset policy says. */
    const startOf = (committed: number | undefined, earliest: boolean) =>
      committed !== undefined && committed >= LOG_START && committed <= LOG_END
        ? committed
        : earliest
          ? LOG_START
          : LOG_END;
    const cluster = await groupDemoCluster(ctx);
    const topic = ctx.topic('offset-reset');
    const group = (name: string) => ctx.topic(`reset-${name}`);
    const admin = await cluster.admin();
    ctx.step({
      zh: `创建单分区 topic ${topic}，写入 ${LOG_END} 条记录（offset 0–${LOG_END - 1}）`,
      en: `create the one-partition topic ${topic} and write ${LOG_END} records (offsets 0–${LOG_END - 1})`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = await cluster.producer();
    const produce = async (from: number, count: number) => {
      for (let at = from; at < from + count; at += PRODUCE_BATCH) {
        const n = Math.min(PRODUCE_BATCH, from + count - at);
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: n }, (_, i) => ({ value: `record ${at + i}` })),
        });
      }
    };
    await produce(0, LOG_END);

    ctx.step({
      zh: `三个组各自消费并提交后停止：两个组提交 ${STALE_COMMIT}（处理完 0–${STALE_COMMIT - 1}），一个组提交 ${VALID_COMMIT}`,
      en: `three groups consume, commit and stop: two commit ${STALE_COMMIT} (having processed 0–${STALE_COMMIT - 1}), one commits ${VALID_COMMIT}`,
    });
    const staleLatest = group('stale-latest');
    const staleEarliest = group('stale-earliest');
    const validLatest = group('valid-latest');
    await Promise.all([
      consumeAndCommit(cluster, staleLatest, topic, STALE_COMMIT),
      consumeAndCommit(cluster, staleEarliest, topic, STALE_COMMIT),
      consumeAndCommit(cluster, validLatest, topic, VALID_COMMIT),
    ]);

    ctx.step({
      zh: `DeleteRecords 把 log start offset 移到 ${LOG_START}（与保留策略删除旧 segment 的效果相同）`,
      en: `DeleteRecords moves the log start offset to ${LOG_START} (what retention deleting old segments does)`,
    });
    // kafkajs finds the partition leader in its metadata cache, so the admin must have loaded the topic first.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: String(LOG_START) }] });
    const [bounds] = await admin.fetchTopicOffsets(topic);
    ctx.observe('partition 0 offsets', `log start ${bounds?.low}, log end ${bounds?.high}`);
    ctx.check(
      {
        zh: `分区现在是 log start ${LOG_START}、log end ${LOG_END}，与卡片中的数字一致`,
        en: `the partition now has log start ${LOG_START} and log end ${LOG_END}, the card's numbers`,
      },
      {
        pass: bounds?.low === String(LOG_START) && bounds.high === String(LOG_END),
        expected: `${LOG_START}..${LOG_END}`,
        actual: `${bounds?.low}..${bounds?.high}`,
      },
    );
    const outOfRange = await fetchErrorAt(cluster.bootstrap, topic, BigInt(STALE_COMMIT));
    ctx.observe(`Fetch at the committed offset ${STALE_COMMIT}`, errorInfo(outOfRange).name);
    const staleGone = STALE_COMMIT < LOG_START;
    // Fails if the broker still serves a deleted offset (the committed offset would then simply win), or refuses one
    // that is still in the log.
    ctx.check(
      {
        zh: `在提交的 offset ${STALE_COMMIT} 处 Fetch：${staleGone ? '已删除，broker 返回 OFFSET_OUT_OF_RANGE' : '仍在日志中，broker 正常返回'}`,
        en: `a Fetch at the committed offset ${STALE_COMMIT}: ${staleGone ? 'deleted, so the broker answers OFFSET_OUT_OF_RANGE' : 'still in the log, so the broker serves it'}`,
      },
      {
        pass: outOfRange === (staleGone ? ErrorCode.OFFSET_OUT_OF_RANGE : ErrorCode.NONE),
        expected: staleGone ? 'OFFSET_OUT_OF_RANGE' : 'NONE',
        actual: errorInfo(outOfRange).name,
      },
    );

    ctx.step({
      zh: '五个消费者重启/启动：两个全新组（latest、earliest），两个提交了 120 的组（latest、earliest），提交了 600 的组（latest）；等它们都确定了起点，再写入 10 条新记录（800–809）',
      en: 'five consumers (re)start: two new groups (latest, earliest), the two groups that committed 120 (latest, earliest), the group that committed 600 (latest); once each has settled its position, write 10 new records (800–809)',
    });
    const resumed = await Promise.all([
      resume(cluster, 'new group, latest', group('new-latest'), topic, false),
      resume(cluster, 'new group, earliest', group('new-earliest'), topic, true),
      resume(cluster, `committed ${STALE_COMMIT}, latest`, staleLatest, topic, false),
      resume(cluster, `committed ${STALE_COMMIT}, earliest`, staleEarliest, topic, true),
      resume(cluster, `committed ${VALID_COMMIT}, latest`, validLatest, topic, false),
    ]);
    // kafkajs resets in two fetches: the one that gets OFFSET_OUT_OF_RANGE commits the policy (-1 latest, -2
    // earliest) and returns nothing; the next looks the policy's offset up (ListOffsets) and fetches from it. Only
    // after two completed fetches is every position settled — records written earlier could be skipped by "latest"
    // for the wrong reason.
    // Bounded waits whose outcome the checks below judge: a consumer stuck resetting (or reading from the wrong
    // place) shows up as offsets that do not match, not as a demo that timed out.
    const settled = await eventually(() => resumed.every((r) => r.fetches >= 2), 8000);
    if (!settled)
      ctx.observe('positions not settled within 8 s', resumed.map((r) => `${r.name}: ${r.fetches} fetches`).join('; '));
    await produce(LOG_END, NEW_RECORDS);
    const lastNew = BigInt(LOG_END + NEW_RECORDS - 1);
    const allRead = await eventually(() => resumed.every((r) => r.offsets.includes(lastNew)), 8000);
    if (!allRead) ctx.observe(`offset ${lastNew}`, 'not read by every consumer within 8 s');
    for (const r of resumed) {
      await r.consumer.disconnect();
      ctx.observe(`${r.name} read`, `${describeOffsets(r.offsets)} (${r.offsets.length} records)`);
    }
    const [newLatest, newEarliest, oldLatest, oldEarliest, validResumed] = resumed;

    // Each check fails if the consumer started anywhere else: e.g. 0 or 120 instead of 500, 500 instead of 800.
    const startsAt = (r: Resumed, expected: number, label: { zh: string; en: string }) => {
      const exactRun = r.offsets.length === LOG_END + NEW_RECORDS - expected && r.offsets[0] === BigInt(expected);
      ctx.check(label, {
        pass: exactRun && r.offsets.every((offset, i) => offset === BigInt(expected + i)),
        expected: {
          zh: `${expected}–${lastNew}（${LOG_END + NEW_RECORDS - expected} 条）`,
          en: `${expected}–${lastNew} (${LOG_END + NEW_RECORDS - expected} records)`,
        },
        actual: {
          zh: `${describeOffsets(r.offsets)}（${r.offsets.length} 条）`,
          en: `${describeOffsets(r.offsets)} (${r.offsets.length} records)`,
        },
      });
    };
    const where = (start: number) =>
      start === LOG_END
        ? { zh: `从 log end offset ${LOG_END} 开始`, en: `starts at the log end offset ${LOG_END}` }
        : start === LOG_START
          ? { zh: `从 log start offset ${LOG_START} 开始`, en: `starts at the log start offset ${LOG_START}` }
          : { zh: `从提交的 ${start} 继续`, en: `resumes at its commit ${start}` };
    const cases: Array<[Resumed, number | undefined, boolean, { zh: string; en: string }]> = [
      [newLatest, undefined, false, { zh: '全新组 + latest', en: 'new group + latest' }],
      [newEarliest, undefined, true, { zh: '全新组 + earliest', en: 'new group + earliest' }],
      [
        oldLatest,
        STALE_COMMIT,
        false,
        { zh: `提交了 ${STALE_COMMIT} + latest`, en: `committed ${STALE_COMMIT} + latest` },
      ],
      [
        oldEarliest,
        STALE_COMMIT,
        true,
        { zh: `提交了 ${STALE_COMMIT} + earliest`, en: `committed ${STALE_COMMIT} + earliest` },
      ],
      [
        validResumed,
        VALID_COMMIT,
        false,
        { zh: `提交了 ${VALID_COMMIT} + latest`, en: `committed ${VALID_COMMIT} + latest` },
      ],
    ];
    for (const [resumedConsumer, committed, earliest, who] of cases) {
      const start = startOf(committed, earliest);
      const gone = committed !== undefined && committed < LOG_START;
      const text = where(start);
      startsAt(resumedConsumer, start, {
        zh: `${who.zh}${gone ? `（${committed} 已被删除）` : ''}：${text.zh}`,
        en: `${who.en}${gone ? ` (${committed} deleted)` : ''}: ${text.en}`,
      });
    }
  },
});

/** A consumer of `groupId` reads from the beginning, processes records below `commitAt`, commits `commitAt` and stops. */
async function consumeAndCommit(
  cluster: GroupDemoCluster,
  groupId: string,
  topic: string,
  commitAt: number,
): Promise<void> {
  const consumer = await cluster.consumer({ groupId, topic, fromBeginning: true });
  let committed = false;
  await consumer.run({
    autoCommit: false,
    eachMessage: async (payload) => {
      const { message, partition } = payload;
      if (committed || Number(message.offset) !== commitAt - 1) return;
      await consumer.commitOffsets([{ topic, partition, offset: String(commitAt) }]);
      committed = true;
      payload.pause();
    },
  });
  await waitUntil(() => committed, `group ${groupId} commits offset ${commitAt}`, 8000);
  await consumer.disconnect();
}

/** Starts a consumer of `groupId` with auto.offset.reset = earliest (`fromBeginning`) or latest, recording what it reads. */
async function resume(
  cluster: GroupDemoCluster,
  name: string,
  groupId: string,
  topic: string,
  fromBeginning: boolean,
): Promise<Resumed> {
  const consumer = await cluster.consumer({ groupId, topic, fromBeginning });
  const resumed: Resumed = { name, consumer, offsets: [], fetches: 0 };
  consumer.on(consumer.events.FETCH, () => void (resumed.fetches += 1));
  await consumer.run({
    autoCommit: false,
    eachMessage: async (payload) => void resumed.offsets.push(offsetOf(payload)),
  });
  return resumed;
}

/** The error code of a raw Fetch at `offset` of partition 0. */
async function fetchErrorAt(bootstrap: string, topic: string, offset: bigint): Promise<number> {
  const client = await connectToLeader(bootstrap, topic);
  try {
    const response = await client.request(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, offset));
    return partitionOf(response, topic).errorCode;
  } finally {
    client.close();
  }
}
