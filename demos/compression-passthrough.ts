import { gunzipSync } from 'node:zlib';
import { CompressionTypes } from 'kafkajs';
import {
  ApiKey,
  batchesIn,
  CompressionCodec,
  compressionName,
  decodeRecords,
  LOG_OVERHEAD,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
} from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { connectToLeader, FETCH_VERSION, fetchRequest, partitionOf } from '../src/demo/raw-fetch.js';
import { wireTap } from '../src/demo/wire-tap.js';

/**
 * Proves compression-end-to-end and the predict card compression-codec-kept: with the topic's compression.type at
 * its default (`producer`), a gzip batch from the producer is what a consumer's Fetch receives — the very bytes the
 * producer put on the wire (compressed records and CRC included, only the broker-assigned base offset and leader
 * epoch differ), codec bits still gzip, and decompressing it gives back exactly the records sent. A broker that
 * decompressed and recompressed would serve other bytes and another CRC.
 * Uses only the Kafka protocol (kafkajs to produce, tapped on its socket; a raw Fetch to see the batch a consumer
 * library would hide), so it runs against a real cluster too.
 */
const RECORDS = 40;

const CRC_AT = 17;
const MAGIC_AT = 16;
const ATTRIBUTES_AT = 21;
const CODEC_BITS = 0x07;

export default defineDemo({
  id: 'compression-passthrough',
  title: {
    zh: '压缩批次穿过 broker：codec 不变，消费者自己解压',
    en: 'A compressed batch passes through the broker: codec kept, the consumer decompresses',
  },
  claim: {
    zh: 'compression.type=producer（默认）时，生产者的 gzip 批次被原样存储和返回：Fetch 拿到的仍是 gzip 批次，比未压缩小，解压后与发送的记录完全一致',
    en: "with compression.type=producer (the default) a producer's gzip batch is stored and served as it came: the Fetch returns a gzip batch, smaller than uncompressed, that decompresses to exactly the records sent",
  },
  needs: 'client',
  knobs: {
    codec: {
      default: 'gzip',
      choices: ['gzip', 'none'],
      about: { zh: '生产者使用的压缩（kafkajs 内置的）', en: "the producer's compression (kafkajs's built-in ones)" },
    },
  },
  async run(ctx) {
    const codec = ctx.knobs.codec;
    const codecBits = codec === 'gzip' ? CompressionCodec.gzip : CompressionCodec.none;
    const topic = ctx.topic('compression');
    const admin = await ctx.admin();
    ctx.step({
      zh: `创建 topic ${topic}（不设 compression.type，即默认的 producer）`,
      en: `create topic ${topic} (compression.type left at its default, producer)`,
    });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });

    const messages = Array.from({ length: RECORDS }, (_, i) => ({
      key: `user-${i % 4}`,
      value: JSON.stringify({
        event: 'page_view',
        user: `user-${i % 4}`,
        page: `/products/${i}`,
        seq: i,
        agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      }),
    }));
    const sentBytes = messages.reduce((sum, m) => sum + Buffer.byteLength(m.key) + Buffer.byteLength(m.value), 0);
    ctx.step({
      zh: `kafkajs 以 ${codec} 压缩一次发送 ${RECORDS} 条相似的 JSON 记录（一个批次），并录下它写到 socket 的每个字节`,
      en: `kafkajs sends ${RECORDS} similar JSON records in one send with ${codec} compression (one batch), and every byte it writes to its socket is recorded`,
    });
    const tap = wireTap();
    const producer = ctx.kafka({ socketFactory: tap.socketFactory }).producer();
    ctx.defer(() => producer.disconnect());
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      compression: codec === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      messages,
    });
    ctx.observe('keys + values sent', `${sentBytes} bytes`);

    ctx.step({
      zh: '像消费者一样从 offset 0 Fetch 该分区（Fetch 请求里没有任何字段可以指定 codec）',
      en: 'Fetch the partition from offset 0 as a consumer does (a Fetch request has no field to ask for a codec)',
    });
    const client = await connectToLeader(ctx.bootstrap, topic);
    ctx.defer(() => client.close());
    const response = await client.request(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, 0n));
    const partition = partitionOf(response, topic);
    if (partition.errorCode !== 0) throw new Error(`Fetch of ${topic}-0 failed with error code ${partition.errorCode}`);
    const batches = [...batchesIn(partition.records ?? Buffer.alloc(0))];
    const codecs = batches.map((b) => compressionName(b.compressionCodec) ?? `unknown(${b.compressionCodec})`);
    ctx.observe(
      'batches served',
      batches.map(
        (b) =>
          `offsets ${b.baseOffset}..${b.lastOffset}, ${b.sizeInBytes} B, codec ${compressionName(b.compressionCodec)}`,
      ),
    );

    // Fails if the broker decompressed before storing, recompressed with another codec, or served no batch.
    ctx.check(
      { zh: `返回的批次头 codec 仍是 ${codec}`, en: `the served batch header's codec is still ${codec}` },
      {
        pass: batches.length > 0 && batches.every((b) => b.compressionCodec === codecBits),
        expected: { zh: `每个批次都是 ${codec}`, en: `${codec} for every batch` },
        actual: codecs.join(', ') || { zh: '没有批次', en: 'no batch' },
      },
    );
    // Everything from the magic byte on (CRC, attributes, the compressed records) is the producer's; the broker
    // sets only baseOffset and partitionLeaderEpoch, which the CRC does not cover.
    const sent = tap.sent();
    const asSent = batches.filter((b) => sent.includes(b.buffer.subarray(MAGIC_AT)));
    const crcs = batches.map((b) => b.buffer.readUInt32BE(CRC_AT).toString(16).padStart(8, '0'));
    ctx.observe('served CRC-32C', crcs.join(', '));
    // Fails if the broker rewrote the batch in any way (recompressed, re-encoded records, new CRC).
    ctx.check(
      {
        zh: '返回的批次与生产者发出的字节完全相同（CRC 与压缩数据都没变，只有 broker 分配的 offset 不同）',
        en: 'the served batch is byte for byte what the producer sent (same CRC, same compressed data; only the broker-assigned offset differs)',
      },
      {
        pass: batches.length > 0 && asSent.length === batches.length,
        expected: {
          zh: `${batches.length} 个批次都原样出现在 kafkajs 写出的 ${sent.length} 字节里`,
          en: `${batches.length} batch(es) found verbatim in the ${sent.length} bytes kafkajs wrote`,
        },
        actual: {
          zh: `${batches.length} 个中有 ${asSent.length} 个原样出现`,
          en: `${asSent.length} of ${batches.length} found verbatim`,
        },
      },
    );

    ctx.step({
      zh: '消费者一侧：按批次头用 node:zlib 解压，再解析记录',
      en: 'consumer side: decompress with node:zlib as the batch header says, then parse the records',
    });
    const decompressed = batches.map((b) =>
      b.compressionCodec === CompressionCodec.gzip ? decompressGzipBatch(b) : b,
    );
    const received = decompressed.flatMap((batch) =>
      decodeRecords(batch).map((r) => ({ key: r.key?.toString() ?? null, value: r.value?.toString() ?? null })),
    );
    const same =
      received.length === messages.length &&
      received.every((r, i) => r.key === messages[i]!.key && r.value === messages[i]!.value);
    // Fails if any record was lost, reordered or altered on the way.
    ctx.check(
      {
        zh: '解压后的记录（key 和 value）与生产者发送的完全一致',
        en: 'the decompressed records (keys and values) are exactly what the producer sent',
      },
      {
        pass: same,
        expected: { zh: `${messages.length} 条，与发送的相同`, en: `${messages.length} records, as sent` },
        actual: {
          zh: `${received.length} 条${same ? '，与发送的相同' : '，与发送的不同'}`,
          en: `${received.length} records${same ? ', as sent' : ', differing'}`,
        },
      },
    );

    const servedSize = batches.reduce((sum, b) => sum + b.sizeInBytes, 0);
    const uncompressedSize = decompressed.reduce((sum, b) => sum + b.sizeInBytes, 0);
    ctx.observe(
      'compression ratio',
      `${(uncompressedSize / Math.max(1, servedSize)).toFixed(1)}× (${uncompressedSize} B uncompressed → ${servedSize} B served)`,
    );
    // Fails if the broker served gzip records uncompressed (then served ≥ uncompressed), or inflated plain ones.
    ctx.check(
      codec === 'gzip'
        ? {
            zh: 'broker 发出的是压缩后的字节：比同样记录的未压缩批次小',
            en: 'the broker served compressed bytes: smaller than the same records uncompressed',
          }
        : {
            zh: '未压缩的批次原样返回：大小与未压缩批次相同',
            en: 'an uncompressed batch is served as it is: the size of the uncompressed batch',
          },
      {
        pass: servedSize > 0 && (codec === 'gzip' ? servedSize < uncompressedSize : servedSize === uncompressedSize),
        expected: {
          zh: `${codec === 'gzip' ? '<' : '='} ${uncompressedSize} B（未压缩的批次）`,
          en: `${codec === 'gzip' ? '<' : '='} ${uncompressedSize} B (uncompressed batch)`,
        },
        actual: `${servedSize} B`,
      },
    );
  },
});

/**
 * What a consumer does with a gzip batch: inflate the records section and read it as an uncompressed batch (the
 * header stays, with the codec bits cleared and the length fixed).
 */
function decompressGzipBatch(batch: RecordBatch): RecordBatch {
  const records = gunzipSync(batch.recordsBytes);
  const header = Buffer.from(batch.buffer.subarray(0, RECORD_BATCH_OVERHEAD));
  header.writeInt16BE(batch.attributes & ~CODEC_BITS, ATTRIBUTES_AT);
  header.writeInt32BE(RECORD_BATCH_OVERHEAD - LOG_OVERHEAD + records.length, 8);
  return new RecordBatch(Buffer.concat([header, records]));
}
