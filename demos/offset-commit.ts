import type { EachMessageHandler } from 'kafkajs';
import { defineDemo } from '../src/demo/demo-definition.js';
import { committedOffset, describeOffsets, groupDemoCluster, offsetOf } from '../src/demo/group-demo-cluster.js';
import { waitUntil } from '../src/broker/index.js';

/**
 * Proves offset-meaning, committed-offset-is-next and auto-commit-delivery-guarantee with kafkajs consumers in real
 * groups: the committed offset is the NEXT offset to read (last processed + 1); a consumer that dies after
 * processing but before committing makes the group re-read exactly the uncommitted records (at-least-once); one
 * that commits a fetched batch before processing it and dies loses exactly the unprocessed rest (at-most-once).
 * Speaks only the protocol, so it runs against a real cluster too.
 */
const FIRST_RECORDS = 5;
const SECOND_RECORDS = 5;
const LATE_RECORDS = 3;

export default defineDemo({
  id: 'offset-commit',
  title: {
    zh: '提交的 offset：下一条要读的位置，以及提交时机决定的投递语义',
    en: 'The committed offset: the next record to read, and how commit timing sets the delivery guarantee',
  },
  claim: {
    zh: '提交的 offset 是下一条要读的 offset（最后处理的 + 1）；处理后、提交前崩溃，组会重读未提交的记录（至少一次，有重复）；先提交后处理再崩溃，已提交未处理的记录被跳过（至多一次，有丢失）',
    en: 'the committed offset is the next offset to read (last processed + 1); a crash after processing but before committing makes the group re-read the uncommitted records (at-least-once, duplicates); committing before processing and crashing skips the committed-but-unprocessed records (at-most-once, loss)',
  },
  needs: 'client',
  knobs: {
    'processed.before.crash': {
      default: 3,
      min: 1,
      max: SECOND_RECORDS,
      about: {
        zh: '消费者 A2 在提交前崩溃时已处理的记录数（= 之后重复处理的条数）',
        en: 'records consumer A2 processes before crashing without a commit (= records processed twice)',
      },
    },
    'processed.of.batch': {
      default: 3,
      min: 0,
      max: FIRST_RECORDS + SECOND_RECORDS - 1,
      about: {
        zh: '先提交整批的消费者 C 崩溃前处理的记录数（其余已提交的丢失）',
        en: 'records the commit-first consumer C processes of its batch before crashing (the rest of it is lost)',
      },
    },
  },
  async run(ctx) {
    const { 'processed.before.crash': PROCESSED_BEFORE_CRASH, 'processed.of.batch': PROCESSED_OF_BATCH } = ctx.knobs;
    const cluster = await groupDemoCluster(ctx);
    const topic = ctx.topic('offset-commit');
    const atLeastOnce = ctx.topic('process-then-commit');
    const atMostOnce = ctx.topic('commit-then-process');
    const admin = await cluster.admin();
    ctx.step({
      zh: `创建单分区 topic ${topic}，写入 ${FIRST_RECORDS} 条记录（offset 0–${FIRST_RECORDS - 1}）`,
      en: `create the one-partition topic ${topic} and write ${FIRST_RECORDS} records (offsets 0–${FIRST_RECORDS - 1})`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const producer = await cluster.producer();
    const produce = (from: number, count: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ value: `record ${from + i}` })),
      });
    await produce(0, FIRST_RECORDS);

    // 1. kafkajs commits on its own (auto-commit after every record): what it stores is its position, the next offset.
    ctx.step({
      zh: `组 ${atLeastOnce} 的消费者 A 开启自动提交（每条记录后提交），处理全部 ${FIRST_RECORDS} 条`,
      en: `consumer A of group ${atLeastOnce}, auto-commit on (after every record), processes all ${FIRST_RECORDS} records`,
    });
    const processedA: bigint[] = [];
    const a = await cluster.consumer({ groupId: atLeastOnce, topic, fromBeginning: true });
    await a.run({ autoCommitThreshold: 1, eachMessage: async (payload) => void processedA.push(offsetOf(payload)) });
    await waitUntil(() => processedA.length >= FIRST_RECORDS, `consumer A processes ${FIRST_RECORDS} records`, 8000, {
      detail: () => `processed ${describeOffsets(processedA)}`,
    });
    // Disconnecting waits for kafkajs to finish the record in hand, including the auto-commit after it: after
    // this, the group's committed offset no longer moves.
    await a.disconnect();
    const committed = await committedOffset(admin, atLeastOnce, topic);
    // What the consumer itself knows: the last offset it processed. The expectation comes from here, not from the
    // broker's OffsetFetch answer it is compared with.
    const lastA = processedA.reduce((max, o) => (o > max ? o : max), -1n);
    ctx.observe('consumer A processed', describeOffsets(processedA));
    ctx.observe('committed offset (admin.fetchOffsets)', String(committed));
    // Fails if the commit names the last processed record or anything but last processed + 1.
    ctx.check(
      {
        zh: '提交的 offset = 最后处理的 offset + 1（下一条要读的）',
        en: 'the committed offset = last processed offset + 1 (the next one to read)',
      },
      {
        pass: committed === lastA + 1n,
        expected: { zh: `${lastA + 1n}（最后处理的 ${lastA} + 1）`, en: `${lastA + 1n} (last processed ${lastA} + 1)` },
        actual: String(committed),
      },
    );

    // 2. Process, then commit — but die in between: the group's next member starts at the last commit.
    ctx.step({
      zh: `再写入 ${SECOND_RECORDS} 条（offset ${FIRST_RECORDS}–${FIRST_RECORDS + SECOND_RECORDS - 1}）；同组的消费者 A2 关闭自动提交，处理 ${PROCESSED_BEFORE_CRASH} 条后在提交前崩溃`,
      en: `write ${SECOND_RECORDS} more (offsets ${FIRST_RECORDS}–${FIRST_RECORDS + SECOND_RECORDS - 1}); consumer A2 of the same group, auto-commit off, processes ${PROCESSED_BEFORE_CRASH} records and crashes before committing`,
    });
    await produce(FIRST_RECORDS, SECOND_RECORDS);
    const processedA2: bigint[] = [];
    const a2 = await cluster.consumer({ groupId: atLeastOnce, topic, fromBeginning: true });
    await a2.run({ autoCommit: false, eachMessage: crashAfter(PROCESSED_BEFORE_CRASH, processedA2) });
    await waitUntil(
      () => processedA2.length >= PROCESSED_BEFORE_CRASH,
      `consumer A2 processes ${PROCESSED_BEFORE_CRASH} records`,
      8000,
    );
    // The crash, as the group sees it: the member goes away without committing. (kafkajs's disconnect sends
    // LeaveGroup; a killed process would be dropped after session.timeout.ms instead — slower, same outcome.)
    await a2.disconnect();
    ctx.observe('consumer A2 processed, then crashed', describeOffsets(processedA2));
    const resumeAt = lastA + 1n; // computed by the consumer, not read back from the broker
    ctx.check(
      {
        zh: 'A2 从提交的 offset 开始，既不重读已提交的也不跳过',
        en: 'A2 started exactly at the committed offset: nothing committed re-read, nothing skipped',
      },
      {
        pass: processedA2[0] === resumeAt,
        expected: { zh: `第一个 offset ${resumeAt}`, en: `first offset ${resumeAt}` },
        actual: { zh: `第一个 offset ${processedA2[0] ?? '无'}`, en: `first offset ${processedA2[0] ?? 'none'}` },
      },
    );

    ctx.step({
      zh: `同组的消费者 B 接手（自动提交开启），读到末尾`,
      en: `consumer B of the same group takes over (auto-commit on) and reads to the end`,
    });
    const processedB: bigint[] = [];
    const b = await cluster.consumer({ groupId: atLeastOnce, topic, fromBeginning: true });
    await b.run({ autoCommitThreshold: 1, eachMessage: async (payload) => void processedB.push(offsetOf(payload)) });
    const end = BigInt(FIRST_RECORDS + SECOND_RECORDS - 1);
    await waitUntil(() => processedB.includes(end), `consumer B processes offset ${end}`, 8000, {
      detail: () => `processed ${describeOffsets(processedB)}`,
    });
    await b.disconnect();
    ctx.observe('consumer B processed', describeOffsets(processedB));
    const everProcessed = [...processedA, ...processedA2, ...processedB];
    const duplicates = duplicatesIn(everProcessed);
    const missing = missingIn(everProcessed, 0n, end);
    ctx.observe('processed twice', describeOffsets(duplicates));
    // Fails for "it loses them" (missing offsets), for "exactly once" (no duplicates), and for any other count.
    ctx.check(
      {
        zh: `提交前崩溃 → 恰好 ${PROCESSED_BEFORE_CRASH} 条被重复处理（A2 处理过、未提交的那些），没有丢失`,
        en: `crash before commit → exactly ${PROCESSED_BEFORE_CRASH} records processed twice (those A2 processed but never committed), none lost`,
      },
      {
        pass:
          duplicates.length === PROCESSED_BEFORE_CRASH && sameOffsets(duplicates, processedA2) && missing.length === 0,
        expected: {
          zh: `重复 ${describeOffsets(processedA2)}；缺失 无`,
          en: `duplicates ${describeOffsets(processedA2)}; missing none`,
        },
        actual: {
          zh: `重复 ${describeOffsets(duplicates)}；缺失 ${describeOffsets(missing)}`,
          en: `duplicates ${describeOffsets(duplicates)}; missing ${describeOffsets(missing)}`,
        },
      },
    );

    // 3. Commit the fetched batch first, then process — and die midway: the rest of the batch is never processed.
    ctx.step({
      zh: `组 ${atMostOnce} 的消费者 C 先提交拿到的整批，再逐条处理，处理 ${PROCESSED_OF_BATCH} 条后崩溃`,
      en: `consumer C of group ${atMostOnce} commits each fetched batch first, then processes it, and crashes after ${PROCESSED_OF_BATCH} records`,
    });
    const processedC: bigint[] = [];
    let committedBeforeProcessing: bigint | undefined;
    let crashedC = false;
    const c = await cluster.consumer({ groupId: atMostOnce, topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        if (crashedC) return;
        committedBeforeProcessing = BigInt(batch.lastOffset()) + 1n;
        await c.commitOffsets([{ topic, partition: batch.partition, offset: String(committedBeforeProcessing) }]);
        for (const message of batch.messages) {
          if (processedC.length === PROCESSED_OF_BATCH) {
            crashedC = true;
            payload.pause();
            return;
          }
          processedC.push(BigInt(message.offset));
        }
      },
    });
    await waitUntil(
      () => crashedC || processedC.length > PROCESSED_OF_BATCH,
      `consumer C crashes after ${PROCESSED_OF_BATCH} records`,
      8000,
    );
    await c.disconnect();
    ctx.observe('consumer C committed before processing', String(committedBeforeProcessing));
    ctx.observe('consumer C processed, then crashed', describeOffsets(processedC));

    ctx.step({
      zh: `再写入 ${LATE_RECORDS} 条新记录；同组的消费者 D 接手`,
      en: `write ${LATE_RECORDS} new records; consumer D of the same group takes over`,
    });
    await produce(FIRST_RECORDS + SECOND_RECORDS, LATE_RECORDS);
    const processedD: bigint[] = [];
    const d = await cluster.consumer({ groupId: atMostOnce, topic, fromBeginning: true });
    await d.run({ autoCommit: false, eachMessage: async (payload) => void processedD.push(offsetOf(payload)) });
    const last = BigInt(FIRST_RECORDS + SECOND_RECORDS + LATE_RECORDS - 1);
    await waitUntil(() => processedD.includes(last), `consumer D processes offset ${last}`, 8000, {
      detail: () => `processed ${describeOffsets(processedD)}`,
    });
    await d.disconnect();
    ctx.observe('consumer D processed', describeOffsets(processedD));
    const lost = missingIn([...processedC, ...processedD], 0n, last);
    const expectedLost =
      committedBeforeProcessing === undefined ? [] : range(BigInt(PROCESSED_OF_BATCH), committedBeforeProcessing - 1n);
    ctx.observe('never processed', describeOffsets(lost));
    // Fails for "no loss" (D re-reads from C's last processed record) and for any other count of lost records.
    ctx.check(
      {
        zh: '先提交后处理再崩溃 → 已提交但未处理的记录恰好全部丢失，D 从提交处开始',
        en: 'commit first, then crash → exactly the committed-but-unprocessed records are lost; D starts at the commit',
      },
      {
        pass:
          expectedLost.length > 0 &&
          sameOffsets(lost, expectedLost) &&
          processedD[0] === committedBeforeProcessing &&
          duplicatesIn([...processedC, ...processedD]).length === 0,
        expected: {
          zh: `丢失 ${describeOffsets(expectedLost)}（${expectedLost.length} 条）；D 从 ${committedBeforeProcessing} 开始；没有重复`,
          en: `lost ${describeOffsets(expectedLost)} (${expectedLost.length}); D starts at ${committedBeforeProcessing}; no duplicates`,
        },
        actual: {
          zh: `丢失 ${describeOffsets(lost)}（${lost.length} 条）；D 从 ${processedD[0] ?? '无'} 开始；重复 ${describeOffsets(duplicatesIn([...processedC, ...processedD]))}`,
          en: `lost ${describeOffsets(lost)} (${lost.length}); D starts at ${processedD[0] ?? 'none'}; duplicates ${describeOffsets(duplicatesIn([...processedC, ...processedD]))}`,
        },
      },
    );
  },
});

/**
 * An eachMessage handler that processes (records) `count` records and then "crashes": it pauses the partition,
 * so kafkajs hands over nothing more, and ignores anything already in flight. It never commits.
 */
function crashAfter(count: number, processed: bigint[]): EachMessageHandler {
  return async (payload) => {
    if (processed.length >= count) return;
    processed.push(BigInt(payload.message.offset));
    if (processed.length === count) payload.pause();
  };
}

function duplicatesIn(offsets: readonly bigint[]): bigint[] {
  const seen = new Set<bigint>();
  const twice = new Set<bigint>();
  for (const offset of offsets) (seen.has(offset) ? twice : seen).add(offset);
  return [...twice].sort(compare);
}

function missingIn(offsets: readonly bigint[], from: bigint, to: bigint): bigint[] {
  const seen = new Set(offsets);
  return range(from, to).filter((offset) => !seen.has(offset));
}

function range(from: bigint, to: bigint): bigint[] {
  const offsets: bigint[] = [];
  for (let offset = from; offset <= to; offset++) offsets.push(offset);
  return offsets;
}

function sameOffsets(a: readonly bigint[], b: readonly bigint[]): boolean {
  const sorted = [...b].sort(compare);
  return a.length === b.length && [...a].sort(compare).every((offset, i) => offset === sorted[i]);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
