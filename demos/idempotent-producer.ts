import {
  ApiKey,
  batchesIn,
  batchOf,
  decodeRecords,
  decodeResponseFrame,
  ErrorCode,
  idempotentBatchOf,
  initProducerId,
  produce,
  RawKafkaClient,
  type ProducerBatchSpec,
} from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { connectToLeader, FETCH_VERSION, fetchRequest, partitionOf } from '../src/demo/raw-fetch.js';

/**
 * Proves idempotent-producer-mechanism, idempotence-max-in-flight and idempotence-scope by speaking Produce the
 * way a producer whose responses were lost would: the same batch sent twice without a producer id is stored
 * twice; with a producer id (InitProducerId) and sequence numbers the retry is acknowledged with its original
 * offset and nothing is appended; a batch that skips ahead is refused OUT_OF_ORDER_SEQUENCE_NUMBER; of six
 * pipelined batches all retried, the five newest are recognised and the oldest has left the broker's window (why
 * max.in.flight.requests.per.connection is at most 5); an older epoch is fenced; and a new producer id (a
 * restarted producer) sending the same content is a new message — idempotence covers one session.
 * Raw protocol only, so it runs against a real cluster too.
 */
const PRODUCE_VERSION = 8;
const INIT_PRODUCER_ID_VERSION = 1;
const WINDOW = 5;

export default defineDemo({
  id: 'idempotent-producer',
  title: {
    zh: '幂等生产者：producer id、epoch、序列号与 5 个批次的窗口',
    en: 'The idempotent producer: producer id, epoch, sequence numbers and the 5-batch window',
  },
  claim: {
    zh: '没有 producer id 时重发的批次被存两次；有 producer id 和序列号时，重试的批次以原 offset 确认且不再追加，跳号的批次被拒（OUT_OF_ORDER_SEQUENCE_NUMBER）；6 个在途批次全部重试时只有最新的 5 个被识别；旧 epoch 被拒；新的 producer id 发送相同内容会被当作新消息',
    en: 'without a producer id a resent batch is stored twice; with a producer id and sequence numbers a retried batch is acknowledged at its original offset and not appended, and a batch that skips ahead is refused (OUT_OF_ORDER_SEQUENCE_NUMBER); of 6 in-flight batches all retried only the newest 5 are recognised; an older epoch is fenced; a new producer id sending the same content is a new message',
  },
  needs: 'client',
  knobs: {
    'max.in.flight.requests.per.connection': {
      default: WINDOW + 1,
      min: 1,
      max: 10,
      about: {
        zh: '在同一连接上连发、再全部重试的批次数（broker 只记得最新的 5 个）',
        en: 'batches pipelined on one connection and then all retried (the broker remembers the newest 5)',
      },
    },
  },
  async run(ctx) {
    const inFlight = ctx.knobs['max.in.flight.requests.per.connection'];
    /** The oldest retries that have left the broker's window of 5 and are refused. */
    const forgotten = Math.max(0, inFlight - WINDOW);
    const admin = await ctx.admin();
    const topic = ctx.topic('idem');
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const client: RawKafkaClient = await connectToLeader(ctx.bootstrap, topic);
    ctx.defer(() => client.close());
    const send = async (batch: Buffer) =>
      (await client.request(ApiKey.Produce, PRODUCE_VERSION, produce(topic, batch))).responses[0]!.partitions[0]!;
    const stored = async () => {
      const response = await client.request(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, 0n));
      const records = partitionOf(response, topic).records ?? Buffer.alloc(0);
      return [...batchesIn(records)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? ''));
    };
    const newProducerId = async () => {
      // As a real producer does, retry while the coordinator is loading: Apache Kafka answers
      // COORDINATOR_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE until its transaction coordinator is ready.
      let r = await client.request(ApiKey.InitProducerId, INIT_PRODUCER_ID_VERSION, initProducerId());
      await ctx.waitUntil(
        async () => {
          if (
            r.errorCode !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS &&
            r.errorCode !== ErrorCode.COORDINATOR_NOT_AVAILABLE
          )
            return true;
          r = await client.request(ApiKey.InitProducerId, INIT_PRODUCER_ID_VERSION, initProducerId());
          return false;
        },
        'InitProducerId to be served',
        30_000,
      );
      if (r.errorCode !== ErrorCode.NONE) throw new Error(`InitProducerId failed with error ${r.errorCode}`);
      return r.producerId;
    };
    const errorName = (code: number) => Object.entries(ErrorCode).find(([, v]) => v === code)?.[0] ?? String(code);

    // 1. No producer id: a retry is just another batch.
    ctx.step({
      zh: '不开幂等（producer id = -1）：发送批次 [plain]，假设响应丢了，再发一次',
      en: 'without idempotence (producer id -1): send the batch [plain], pretend the response was lost, send it again',
    });
    const plain = batchOf(['plain']);
    await send(plain);
    await send(plain);
    const afterPlain = await stored();
    ctx.observe('stored', afterPlain.join(', '));
    ctx.check(
      { zh: '没有 producer id：重发的批次被存了两次', en: 'without a producer id the resent batch is stored twice' },
      {
        pass: afterPlain.filter((v) => v === 'plain').length === 2,
        expected: 'plain ×2',
        actual: `plain ×${afterPlain.filter((v) => v === 'plain').length}`,
      },
    );

    // 2. Producer id + sequence: the retry is recognised.
    const pid = await newProducerId();
    const p = (baseSequence: number, producerEpoch = 0): ProducerBatchSpec => ({
      producerId: pid,
      producerEpoch,
      baseSequence,
    });
    ctx.step({
      zh: `InitProducerId 拿到 producer id ${pid}（epoch 0）；发送 seq 0 [a]、seq 1–2 [b, c]，再重发 seq 1–2`,
      en: `InitProducerId gives producer id ${pid} (epoch 0); send seq 0 [a], seq 1–2 [b, c], then seq 1–2 again`,
    });
    const a = await send(idempotentBatchOf(['a'], p(0)));
    const bc = await send(idempotentBatchOf(['b', 'c'], p(1)));
    const retry = await send(idempotentBatchOf(['b', 'c'], p(1)));
    const afterRetry = await stored();
    ctx.observe('first send of seq 1–2', `${errorName(bc.errorCode)} at offset ${bc.baseOffset}`);
    ctx.observe('retry of seq 1–2', `${errorName(retry.errorCode)} at offset ${retry.baseOffset}`);
    ctx.check(
      {
        zh: '重试的批次以原来的 offset 确认（NONE），日志里没有第二份',
        en: 'the retried batch is acknowledged (NONE) at its original offset, and the log holds no second copy',
      },
      {
        pass:
          a.errorCode === ErrorCode.NONE &&
          retry.errorCode === ErrorCode.NONE &&
          retry.baseOffset === bc.baseOffset &&
          afterRetry.filter((v) => v === 'b').length === 1,
        expected: { zh: `NONE，offset ${bc.baseOffset}；b 只存一份`, en: `NONE at ${bc.baseOffset}; b stored once` },
        actual: {
          zh: `${errorName(retry.errorCode)}，offset ${retry.baseOffset}；b 存了 ${afterRetry.filter((v) => v === 'b').length} 份`,
          en: `${errorName(retry.errorCode)} at ${retry.baseOffset}; b stored ${afterRetry.filter((v) => v === 'b').length}×`,
        },
      },
    );

    // 3. A gap is refused: order is kept.
    ctx.step({
      zh: '跳号：先发 seq 4 [e]（seq 3 还没到），再发 seq 3 [d]、seq 4 [e]',
      en: 'a gap: send seq 4 [e] before seq 3, then seq 3 [d] and seq 4 [e]',
    });
    const early = await send(idempotentBatchOf(['e'], p(4)));
    await send(idempotentBatchOf(['d'], p(3)));
    await send(idempotentBatchOf(['e'], p(4)));
    const ordered = await stored();
    ctx.observe('seq 4 sent early', errorName(early.errorCode));
    ctx.check(
      {
        zh: '跳号的批次被拒（OUT_OF_ORDER_SEQUENCE_NUMBER）且不写入；按序重发后顺序为 a b c d e',
        en: 'the batch that skipped ahead is refused (OUT_OF_ORDER_SEQUENCE_NUMBER) and not written; resent in order the log reads a b c d e',
      },
      {
        pass:
          early.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER &&
          ordered.filter((v) => v !== 'plain').join(' ') === 'a b c d e',
        expected: 'OUT_OF_ORDER_SEQUENCE_NUMBER; a b c d e',
        actual: `${errorName(early.errorCode)}; ${ordered.filter((v) => v !== 'plain').join(' ')}`,
      },
    );

    // 4. The window: pipelined batches, all retried.
    const lastSeq = 5 + inFlight - 1;
    ctx.step({
      zh: `在同一连接上连发 ${inFlight} 个批次（seq 5–${lastSeq}；Java 生产者最多允许 ${WINDOW} 个），再假设响应全丢、按顺序全部重发`,
      en: `pipeline ${inFlight} batches on one connection (seq 5–${lastSeq}; a Java producer allows at most ${WINDOW}), then pretend every response was lost and retry them all, oldest first`,
    });
    const pipelined = Array.from({ length: inFlight }, (_, i) => idempotentBatchOf([`w${i}`], p(5 + i)));
    const ids = pipelined.map((b) => client.send(ApiKey.Produce, PRODUCE_VERSION, produce(topic, Buffer.from(b))));
    for (const id of ids) {
      const { correlationId } = decodeResponseFrame(ApiKey.Produce, PRODUCE_VERSION, await client.nextFrame());
      if (correlationId !== id) throw new Error(`expected the response to ${id}, got ${correlationId}`);
    }
    const retried = [];
    for (const b of pipelined) retried.push(await send(Buffer.from(b)));
    const afterWindow = await stored();
    const outcome = retried.map((r) => errorName(r.errorCode));
    const expectedOutcome = Array.from({ length: inFlight }, (_, i) =>
      i < forgotten ? 'OUT_OF_ORDER_SEQUENCE_NUMBER' : 'NONE',
    );
    ctx.observe('retries, oldest first', outcome.join(', '));
    ctx.check(
      forgotten > 0
        ? {
            zh: `只有最新的 ${WINDOW} 个批次被识别为重复；最老的 ${forgotten} 个已离开 broker 的窗口（OUT_OF_ORDER_SEQUENCE_NUMBER）；没有写入重复`,
            en: `only the newest ${WINDOW} batches are recognised as duplicates; the oldest ${forgotten} have left the broker's window (OUT_OF_ORDER_SEQUENCE_NUMBER); nothing is written twice`,
          }
        : {
            zh: `${inFlight} 个在途批次都在 broker 的 ${WINDOW} 个窗口内：每个重试都被识别为重复（NONE）；没有写入重复`,
            en: `all ${inFlight} in-flight batches are within the broker's window of ${WINDOW}: every retry is recognised as a duplicate (NONE); nothing is written twice`,
          },
      {
        pass:
          outcome.join(',') === expectedOutcome.join(',') &&
          Array.from({ length: inFlight }, (_, i) => `w${i}`).every(
            (v) => afterWindow.filter((s) => s === v).length === 1,
          ),
        expected: {
          zh: `${forgotten > 0 ? `OUT_OF_ORDER_SEQUENCE_NUMBER ×${forgotten}，然后 ` : ''}NONE ×${inFlight - forgotten}；每个 w 只存一份`,
          en: `${forgotten > 0 ? `OUT_OF_ORDER_SEQUENCE_NUMBER ×${forgotten}, then ` : ''}NONE ×${inFlight - forgotten}; each w stored once`,
        },
        actual: {
          zh: `${outcome.join(', ')}；存了 ${afterWindow.filter((s) => s.startsWith('w')).length} 条 w 记录`,
          en: `${outcome.join(', ')}; stored ${afterWindow.filter((s) => s.startsWith('w')).length} w records`,
        },
      },
    );

    // 5. Epochs fence; a new producer id is a new session.
    ctx.step({
      zh: '同一 producer id 换到 epoch 1（序列号从 0 重新开始）后，再用旧的 epoch 0 发送；然后用新的 producer id 发送与 [a] 相同的内容',
      en: 'the same producer id moves to epoch 1 (sequence restarts at 0), then sends with the old epoch 0; then a new producer id sends the same content as [a]',
    });
    await send(idempotentBatchOf(['epoch1'], p(0, 1)));
    const zombie = await send(idempotentBatchOf(['zombie'], p(lastSeq + 1, 0)));
    const restarted = await newProducerId();
    const again = await send(idempotentBatchOf(['a'], { producerId: restarted, producerEpoch: 0, baseSequence: 0 }));
    const end = await stored();
    ctx.observe('old epoch', errorName(zombie.errorCode));
    ctx.observe(
      `new producer id ${restarted} sends [a]`,
      `${errorName(again.errorCode)} at offset ${again.baseOffset}`,
    );
    ctx.check(
      {
        zh: '旧 epoch 被拒（INVALID_PRODUCER_EPOCH），不写入；新的 producer id 发送的 [a] 是一条新消息（幂等只覆盖一个会话）',
        en: 'the old epoch is fenced (INVALID_PRODUCER_EPOCH) and not written; [a] from a new producer id is a new message (idempotence covers one session)',
      },
      {
        pass:
          zombie.errorCode === ErrorCode.INVALID_PRODUCER_EPOCH &&
          !end.includes('zombie') &&
          again.errorCode === ErrorCode.NONE &&
          end.filter((v) => v === 'a').length === 2,
        expected: {
          zh: 'INVALID_PRODUCER_EPOCH，没有 zombie；a 存了 2 份',
          en: 'INVALID_PRODUCER_EPOCH, no zombie; a stored twice',
        },
        actual: {
          zh: `${errorName(zombie.errorCode)}，zombie ${end.includes('zombie') ? '被写入' : '未写入'}；a 存了 ${end.filter((v) => v === 'a').length} 份`,
          en: `${errorName(zombie.errorCode)}, zombie ${end.includes('zombie') ? 'stored' : 'not stored'}; a stored ${end.filter((v) => v === 'a').length}×`,
        },
      },
    );
  },
});
