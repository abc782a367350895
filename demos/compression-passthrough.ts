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

/**
 * Proves compression-end-to-end and the predict card compression-codec-kept: with the topic's compression.type at
 * its default (`producer`), a gzip batch from the producer is what a consumer's Fetch receives — codec bits still
 * gzip, still compressed on the wire, and decompressing it gives back exactly the records the producer sent.
 * Uses only the Kafka protocol (kafkajs to produce, a raw Fetch to see the batch a consumer library would hide),
 * so it runs against a real cluster too.
 */
const RECORDS = 40;

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
  async run(ctx) {
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
      zh: `kafkajs 以 CompressionTypes.GZIP 一次发送 ${RECORDS} 条相似的 JSON 记录（一个批次）`,
      en: `kafkajs sends ${RECORDS} similar JSON records in one send with CompressionTypes.GZIP (one batch)`,
    });
    const producer = await ctx.producer();
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
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
      { zh: '返回的批次头 codec 仍是 gzip', en: "the served batch header's codec is still gzip" },
      {
        pass: batches.length > 0 && batches.every((b) => b.compressionCodec === CompressionCodec.gzip),
        expected: 'gzip for every batch',
        actual: codecs.join(', ') || 'no batch',
      },
    );

    ctx.step({
      zh: '消费者一侧：按批次头用 node:zlib 解压，再解析记录',
      en: 'consumer side: decompress with node:zlib as the batch header says, then parse the records',
    });
    const decompressed = batches.map(decompressGzipBatch);
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
        expected: `${messages.length} records, as sent`,
        actual: `${received.length} records${same ? ', as sent' : ', differing'}`,
      },
    );

    const servedSize = batches.reduce((sum, b) => sum + b.sizeInBytes, 0);
    const uncompressedSize = decompressed.reduce((sum, b) => sum + b.sizeInBytes, 0);
    ctx.observe(
      'compression ratio',
      `${(uncompressedSize / Math.max(1, servedSize)).toFixed(1)}× (${uncompressedSize} B uncompressed → ${servedSize} B served)`,
    );
    // Fails if the broker served the records uncompressed (then served ≥ uncompressed).
    ctx.check(
      {
        zh: 'broker 发出的是压缩后的字节：比同样记录的未压缩批次小',
        en: 'the broker served compressed bytes: smaller than the same records uncompressed',
      },
      {
        pass: servedSize > 0 && servedSize < uncompressedSize,
        expected: `< ${uncompressedSize} B (uncompressed batch)`,
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
