import { Partitioners } from 'kafkajs';
import type { DecodedRecord } from '../src/broker/index.js';
import { CorruptingProxy } from '../src/demo/corrupting-proxy.js';
import { defineDemo, type DemoContext } from '../src/demo/demo-definition.js';
import { eventually } from '../src/demo/eventually.js';
import { KcatProducer } from '../src/demo/kcat-producer.js';
import { partitionForKey } from '../src/demo/murmur2-partitioner.js';
import { RawPartitionReader } from '../src/demo/raw-partition-reader.js';

/**
 * Proves the ordering answers (message-ordering, key-partition-ordering, consumer-processing-order,
 * retries-reordering-idempotence): Kafka orders records within a partition only; the default partitioner sends a key
 * to murmur2(key) % partitions, so a key stays in one partition — until partitions are added, when keys remap while
 * their old records stay put; and without idempotence a retried batch lands after the batch that overtook it.
 *
 * Each record's value is "<key>#<seq>@<send index>": the log itself then shows where each key went and in what order.
 */
const KEYS = Array.from({ length: 12 }, (_, i) => `order-${i + 1}`);
const ROUNDS = 8;
const PARTITIONS_BEFORE = 3;
/** Apache Kafka answers CreatePartitions before its Metadata shows the new partitions: bounded, for a loaded machine. */
const GROWTH_WAIT_MS = 30_000;
const RETRY_RECORDS = 20;
/** Another loopback address, where the proxy listens on the broker's port. */
const PROXY_HOST = '127.0.0.2';

interface Sent {
  key: string;
  seq: number;
  sendIndex: number;
}

const B_ = (zh: string, en: string) => ({ zh, en });

export default defineDemo({
  id: 'partition-ordering',
  title: {
    zh: '分区内有序：key 路由、扩分区与重试乱序',
    en: 'Order within a partition: key routing, added partitions, reordering retries',
  },
  claim: {
    zh: '同 key 在分区数不变时总落在 murmur2(key) % 分区数 的同一分区，分区内 offset 保持发送顺序；扩分区后部分 key 改落新分区而旧记录不动；不开幂等时重试的批次排在后发的批次之后，开启幂等则顺序不变',
    en: 'while the partition count is unchanged a key always lands in partition murmur2(key) % partitions and offsets keep send order; after adding partitions some keys map elsewhere while old records stay; without idempotence a retried batch lands after the batches that overtook it, with idempotence the order holds',
  },
  needs: 'client',
  knobs: {
    'partitions.after': {
      default: 6,
      min: 4,
      max: 24,
      about: { zh: '扩分区后的分区数（之前是 3）', en: 'the partition count after growing the topic (3 before)' },
    },
    'enable.idempotence': {
      default: false,
      about: {
        zh: '重试那一段生产者是否开启幂等',
        en: 'whether the producer in the retry part is idempotent',
      },
    },
  },
  async run(ctx) {
    const PARTITIONS_AFTER = ctx.knobs['partitions.after'];
    const reader = new RawPartitionReader(ctx.bootstrap);
    ctx.defer(() => reader.close());
    const admin = await ctx.admin();
    const topic = ctx.topic('ordering');

    ctx.step({
      zh: `创建 ${PARTITIONS_BEFORE} 个分区的 topic ${topic}`,
      en: `create topic ${topic} with ${PARTITIONS_BEFORE} partitions`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS_BEFORE }] });

    ctx.step({
      zh: `用 kafkajs（Java 兼容的默认分区器）按轮次发送 ${KEYS.length} 个 key × ${ROUNDS} 条：每轮一次 send，key 交错`,
      en: `produce ${KEYS.length} keys × ${ROUNDS} records with kafkajs (Java-compatible default partitioner), one send per round, keys interleaved`,
    });
    // Partitioners.DefaultPartitioner is kafkajs' murmur2 port of the Java client's partitioner (also its default in 2.x)
    const producer = await ctx.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      // idempotent: a send retried on a slow cluster must not store a round twice (this part is about placement)
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const sent: Sent[] = [];
    for (let seq = 0; seq < ROUNDS; seq++) {
      const round = KEYS.map((key) => ({ key, seq, sendIndex: sent.length + KEYS.indexOf(key) }));
      await producer.send({ topic, acks: -1, messages: round.map((r) => ({ key: r.key, value: valueOf(r) })) });
      sent.push(...round);
    }

    const before = await readAll(reader, topic, PARTITIONS_BEFORE);
    const homes = partitionsByKey(before);
    ctx.observe('records per partition', [...before].map(([p, records]) => `p${p}: ${records.length}`).join(', '));
    ctx.observe('key → partition', KEYS.map((k) => `${k}→${[...(homes.get(k) ?? [])].join('/')}`).join(' '));

    // Fails if any key's records were spread over two partitions (e.g. a random or round-robin partitioner).
    const split = KEYS.filter((k) => homes.get(k)?.size !== 1);
    ctx.check(
      { zh: '每个 key 的全部记录都在同一个分区', en: 'all records of each key are in one partition' },
      {
        pass: split.length === 0 && storedCount(before) === sent.length,
        expected: {
          zh: `${KEYS.length} 个 key，各在 1 个分区，共 ${sent.length} 条`,
          en: `${KEYS.length} keys, 1 partition each, ${sent.length} records`,
        },
        actual:
          split.length === 0
            ? B_(
                `${KEYS.length} 个 key，各在 1 个分区，共 ${storedCount(before)} 条`,
                `${KEYS.length} keys, 1 partition each, ${storedCount(before)} records`,
              )
            : B_(`分散的：${split.join(', ')}`, `split: ${split.join(', ')}`),
      },
    );
    // Fails if the client placed keys by anything other than murmur2(key) % 3 — and shows keys really spread out.
    const mismatched = KEYS.filter((k) => !homes.get(k)?.has(partitionForKey(k, PARTITIONS_BEFORE)));
    const used = new Set(KEYS.flatMap((k) => [...(homes.get(k) ?? [])]));
    ctx.check(
      {
        zh: `key 所在分区 = murmur2(key) % ${PARTITIONS_BEFORE}，且 key 分布在多个分区`,
        en: `each key's partition is murmur2(key) % ${PARTITIONS_BEFORE}, and keys spread over several partitions`,
      },
      {
        pass: mismatched.length === 0 && used.size > 1,
        expected: { zh: `0 个不一致，用到 > 1 个分区`, en: `0 mismatches, > 1 partition used` },
        actual: {
          zh: `${mismatched.length} 个不一致（${mismatched.join(', ') || 'none'}），用到 ${used.size} 个分区`,
          en: `${mismatched.length} mismatches (${mismatched.join(', ') || 'none'}), ${used.size} partitions used`,
        },
      },
    );
    // Fails if any partition holds two records whose offsets disagree with the order they were sent in.
    const inversions = [...before.values()].map(sendOrderInversions).reduce((a, b) => a + b, 0);
    ctx.check(
      {
        zh: '每个分区内 offset 顺序 = 发送顺序（同 key 的 seq 依次递增）',
        en: "within each partition, offset order equals send order (each key's seq increases)",
      },
      {
        pass: inversions === 0 && storedCount(before) > 0,
        expected: { zh: '0 对乱序', en: '0 out-of-order pairs' },
        actual: {
          zh: `${storedCount(before)} 条中 ${inversions} 对乱序`,
          en: `${inversions} out-of-order pairs over ${storedCount(before)} records`,
        },
      },
    );

    ctx.step({
      zh: `把分区数从 ${PARTITIONS_BEFORE} 扩到 ${PARTITIONS_AFTER}，再用新的生产者给每个 key 发一条`,
      en: `grow the topic from ${PARTITIONS_BEFORE} to ${PARTITIONS_AFTER} partitions, then send one more record per key with a fresh producer`,
    });
    await admin.createPartitions({ topicPartitions: [{ topic, count: PARTITIONS_AFTER }] });
    // the answer is not the visibility: wait (bounded) until Metadata lists every new partition with a leader
    const ledPartitions = async () =>
      (await reader.metadata([topic])).topics.find((t) => t.name === topic)?.partitions.filter((p) => p.leaderId >= 0)
        .length ?? 0;
    await eventually(async () => (await ledPartitions()) === PARTITIONS_AFTER, GROWTH_WAIT_MS);
    const grownTo = await ledPartitions();
    // Fails if CreatePartitions added no partition (or not all of them): nothing could remap then.
    ctx.check(
      {
        zh: `CreatePartitions 之后 Metadata 列出 ${PARTITIONS_AFTER} 个有 leader 的分区`,
        en: `after CreatePartitions, Metadata lists ${PARTITIONS_AFTER} partitions, each with a leader`,
      },
      { pass: grownTo === PARTITIONS_AFTER, expected: String(PARTITIONS_AFTER), actual: String(grownTo) },
    );
    // a fresh producer fetches fresh metadata; the first one would keep its cached 3-partition view for metadata.max.age.ms
    const after = await ctx.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      // idempotent: a send retried on a slow cluster must not store a round twice (this part is about placement)
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const lastRound = KEYS.map((key, i) => ({ key, seq: ROUNDS, sendIndex: sent.length + i }));
    await after.send({ topic, acks: -1, messages: lastRound.map((r) => ({ key: r.key, value: valueOf(r) })) });

    const grown = await readAll(reader, topic, grownTo);
    const newHome = new Map<string, number>();
    for (const [p, records] of grown)
      for (const r of records) if (parse(r).seq === ROUNDS) newHome.set(parse(r).key, p);
    const moved = KEYS.filter((k) => newHome.get(k) !== undefined && !homes.get(k)?.has(newHome.get(k)!));
    ctx.observe(
      'keys now in another partition',
      moved.map((k) => `${k}: p${[...homes.get(k)!][0]}→p${newHome.get(k)}`).join(', ') || 'none',
    );

    // Fails if no key remapped (then adding partitions would be harmless to order) or if the new placement isn't % 6.
    const wrongAfter = KEYS.filter((k) => newHome.get(k) !== partitionForKey(k, PARTITIONS_AFTER));
    ctx.check(
      {
        zh: `扩分区后部分 key 改落其他分区（murmur2(key) % ${PARTITIONS_AFTER}）`,
        en: `after adding partitions some keys land elsewhere (murmur2(key) % ${PARTITIONS_AFTER})`,
      },
      {
        pass: moved.length > 0 && moved.length < KEYS.length && wrongAfter.length === 0,
        expected: {
          zh: `${KEYS.length} 个 key 中有一部分（不是全部）换了分区，全部位于 murmur2 % ${PARTITIONS_AFTER}`,
          en: `some but not all of ${KEYS.length} keys moved, all at murmur2 % ${PARTITIONS_AFTER}`,
        },
        actual: {
          zh: `${moved.length} 个换了分区，${wrongAfter.length} 个不在 murmur2 % ${PARTITIONS_AFTER}`,
          en: `${moved.length} moved, ${wrongAfter.length} not at murmur2 % ${PARTITIONS_AFTER}`,
        },
      },
    );
    // Fails if the broker migrated or dropped old records: every earlier record must sit where it was, at its offset.
    const stayed = [...before].every(([p, records]) => {
      const now = grown.get(p) ?? [];
      return records.every(
        (r, i) => now[i]?.offset === r.offset && now[i]?.value?.equals(r.value ?? Buffer.alloc(0)) === true,
      );
    });
    ctx.check(
      {
        zh: '旧记录留在原分区、原 offset，不会迁移',
        en: 'old records stay in their partition at their offset; nothing migrates',
      },
      {
        pass: stayed,
        expected: {
          zh: `之前的 ${storedCount(before)} 条不变`,
          en: `${storedCount(before)} earlier records unchanged`,
        },
        actual: stayed
          ? { zh: `${storedCount(before)} 条不变`, en: `${storedCount(before)} unchanged` }
          : { zh: '之前的记录有的移动或改变了', en: 'some earlier records moved or changed' },
      },
    );
    const example = moved[0];
    if (example !== undefined) {
      ctx.observe(
        'the ordering caveat',
        `${example}: seq 0..${ROUNDS - 1} in p${[...homes.get(example)!][0]}, seq ${ROUNDS} in p${newHome.get(example)} — a consumer of p${newHome.get(example)} can see seq ${ROUNDS} before the others are processed`,
      );
    }

    await retryReorders(ctx, ctx.knobs['enable.idempotence']);
  },
});

/**
 * The retries-reordering-idempotence scenario with a real producer (librdkafka via kcat): one record per batch,
 * max.in.flight.requests.per.connection=5, retries on. A proxy in front of the broker makes the request carrying
 * record #2 fail retriably (refused, nothing written) while the requests after it are already in flight. Without
 * idempotence those land first and the retried batch lands after them; with it, the broker refuses the batches that
 * arrive with a sequence gap (OUT_OF_ORDER_SEQUENCE_NUMBER) and the producer resends them in order.
 */
async function retryReorders(ctx: DemoContext, idempotent: boolean): Promise<void> {
  const label = idempotent
    ? {
        zh: 'enable.idempotence=true：重试后日志顺序仍等于发送顺序',
        en: 'enable.idempotence=true: after the retry the log order still equals the send order',
      }
    : {
        zh: 'enable.idempotence=false：重试的批次落在已在途的后续批次之后，顺序被打乱',
        en: 'enable.idempotence=false: the retried batch lands after the later batches already in flight; the order is broken',
      };
  if (!ctx.broker) {
    ctx.notApplicable(label, {
      zh: '重试由 kq 放在自己 broker 前面的代理触发',
      en: 'the retry is provoked by a proxy that kq places in front of its own broker',
    });
    return;
  }
  ctx.step({
    zh: `kcat（librdkafka）以 enable.idempotence=${idempotent}、max.in.flight=5、每批 1 条发送 ${RETRY_RECORDS} 条；代理让携带 #2 的请求失败一次（可重试，未写入）`,
    en: `kcat (librdkafka) sends ${RETRY_RECORDS} records, one per batch, enable.idempotence=${idempotent}, max.in.flight=5; a proxy makes the request carrying #2 fail once (retriable, nothing written)`,
  });
  // clients must reach the broker only through the proxy: the broker advertises the proxy's address
  const broker = await ctx.startBroker({ advertisedHost: PROXY_HOST });
  const proxy = await CorruptingProxy.start(PROXY_HOST, broker.port, '127.0.0.1'); // where ctx.startBroker listens
  ctx.defer(() => proxy.close());
  const admin = ctx.kafka({ brokers: [broker.bootstrap] }).admin();
  ctx.defer(() => admin.disconnect());
  await admin.connect();
  const topic = ctx.topic('retry-order');
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  const values = Array.from({ length: RETRY_RECORDS }, (_, i) => `retry-#${String(i).padStart(2, '0')}`);
  proxy.failProduceOf(values[2]!);
  const kcat = KcatProducer.start(broker.bootstrap, topic, 0, {
    'enable.idempotence': String(idempotent),
    'max.in.flight.requests.per.connection': 5,
    'batch.num.messages': 1,
    'linger.ms': 0,
    'retry.backoff.ms': 20,
    acks: 'all',
  });
  ctx.defer(() => kcat.kill());
  kcat.write(values);
  await kcat.end();
  const reader = new RawPartitionReader(broker.bootstrap);
  ctx.defer(() => reader.close());
  const log = (await reader.readRecords(topic, 0)).map((r) => r.value?.toString() ?? 'null');
  ctx.observe(
    'Produce requests (failed one)',
    `${proxy.produceRequests} (request ${proxy.corrupted ?? 'none'} failed)`,
  );
  ctx.observe('log order', log.map((v) => v.slice(-2)).join(' '));
  const once = values.every((v) => log.filter((l) => l === v).length === 1) && log.length === values.length;
  const inSendOrder = log.join() === values.join();
  // Fails if the failure was not retried (a record missing) or was written twice.
  ctx.check(
    {
      zh: '失败的请求被重试：每条记录恰好存储一次',
      en: 'the failed request was retried: every record is stored exactly once',
    },
    {
      pass: once,
      expected: { zh: `${values.length} 条，各一次`, en: `${values.length} records, once each` },
      actual: {
        zh: `${log.length} 条${once ? '，各一次' : ''}`,
        en: `${log.length} records${once ? ', once each' : ''}`,
      },
    },
  );
  // Fails without idempotence if nothing overtook the retry; with it, if anything did.
  ctx.check(label, {
    pass: proxy.corrupted !== undefined && (idempotent ? inSendOrder : !inSendOrder && log.indexOf(values[2]!) > 2),
    expected: idempotent
      ? { zh: '日志顺序 = 发送顺序', en: 'log order = send order' }
      : { zh: `#02 排在后发的记录之后（不在位置 2）`, en: `#02 after later records (not at position 2)` },
    actual: inSendOrder
      ? { zh: '日志顺序 = 发送顺序', en: 'log order = send order' }
      : { zh: `#02 在位置 ${log.indexOf(values[2]!)}`, en: `#02 at position ${log.indexOf(values[2]!)}` },
  });
}

function valueOf(r: Sent): string {
  return `${r.key}#${r.seq}@${r.sendIndex}`;
}

function parse(record: DecodedRecord): Sent {
  const match = /^(.+)#(\d+)@(\d+)$/.exec(record.value?.toString() ?? '');
  if (!match)
    throw new Error(
      `record at offset ${record.offset} has a value this demo did not write: ${record.value?.toString() ?? 'null'}`,
    );
  return { key: match[1]!, seq: Number(match[2]), sendIndex: Number(match[3]) };
}

async function readAll(
  reader: RawPartitionReader,
  topic: string,
  partitions: number,
): Promise<Map<number, DecodedRecord[]>> {
  const all = new Map<number, DecodedRecord[]>();
  for (let p = 0; p < partitions; p++) all.set(p, await reader.readRecords(topic, p));
  return all;
}

function partitionsByKey(byPartition: Map<number, DecodedRecord[]>): Map<string, Set<number>> {
  const homes = new Map<string, Set<number>>();
  for (const [p, records] of byPartition) {
    for (const record of records) {
      const key = record.key?.toString() ?? 'null';
      if (parse(record).key !== key)
        throw new Error(
          `record at p${p} offset ${record.offset} has key ${key} but value ${record.value?.toString() ?? 'null'}`,
        );
      homes.set(key, (homes.get(key) ?? new Set()).add(p));
    }
  }
  return homes;
}

function storedCount(byPartition: Map<number, DecodedRecord[]>): number {
  return [...byPartition.values()].reduce((n, records) => n + records.length, 0);
}

/** Pairs of adjacent records whose offsets increase while their send index does not. */
function sendOrderInversions(records: DecodedRecord[]): number {
  let inversions = 0;
  for (let i = 1; i < records.length; i++) {
    if (!(
      records[i]!.offset > records[i - 1]!.offset && parse(records[i]!).sendIndex > parse(records[i - 1]!).sendIndex
    ))
      inversions++;
  }
  return inversions;
}
