import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import {
  ApiKey,
  buildRecordBatch,
  decodeRecords,
  decodeResponseFrame,
  encodeRequestFrame,
  RecordBatch,
} from '../src/broker/index.js';
import { defineDemo } from '../src/demo/demo-definition.js';
import { FETCH_VERSION, fetchRequest, partitionOf } from '../src/demo/raw-fetch.js';

/**
 * Proves the premise of zero-copy serving (zero-copy-sendfile, zero-copy-which-paths, zero-copy-where-used): the
 * broker stores a producer's batch in the wire format and a Fetch returns those stored bytes unchanged, so Kafka
 * can hand the file region to the socket (sendfile) without reading it into the JVM. The only bytes the broker
 * writes are baseOffset and partitionLeaderEpoch, which sit in front of the CRC-covered range.
 *
 * The demo follows one batch through three copies: the Produce request frame it sent, the .log file (read from
 * disk at the batch's position), and the Fetch response frame. On Apache Kafka (--kafka, which opens a TLS
 * listener beside the plaintext one) strace on the JVM then shows where zero-copy holds and where it does not:
 * the plaintext Fetch is a sendfile(2) from the .log to the socket; the same records read over TLS cause no
 * sendfile but pread64 of the .log, because the SSLEngine encrypts in the JVM. kq's broker has neither (Node's
 * sockets have no sendfile; no TLS listener): those checks are what they are there, or not applicable.
 */
const PRODUCE_VERSION = 8;
const run = promisify(execFile);

/** Header fields by byte range (RecordBatch v2); the CRC covers bytes 21..end. */
const HEADER_FIELDS: ReadonlyArray<readonly [name: string, from: number, to: number]> = [
  ['baseOffset', 0, 8],
  ['batchLength', 8, 12],
  ['partitionLeaderEpoch', 12, 16],
  ['magic', 16, 17],
  ['crc', 17, 21],
];

export default defineDemo({
  id: 'zero-copy-serve',
  title: {
    zh: '零拷贝的前提：磁盘格式就是网络格式',
    en: 'The premise of zero-copy: the disk format is the wire format',
  },
  claim: {
    zh: 'broker 原样存储生产者的批次、原样在 Fetch 中返回：CRC 覆盖的字节在请求、.log 文件和 Fetch 响应中完全相同，broker 只写了 baseOffset 和 partitionLeaderEpoch；Apache Kafka 对明文 Fetch 用 sendfile(2)，对 TLS 则不用，而是把 .log 读进 JVM 加密',
    en: "the broker stores a producer's batch as sent and serves it as stored: the CRC-covered bytes are identical in the request, the .log file and the Fetch response; the broker wrote only baseOffset and partitionLeaderEpoch; Apache Kafka serves a plaintext Fetch with sendfile(2), and a TLS one without it, reading the .log into the JVM to encrypt it",
  },
  needs: 'internals', // the data directory and the broker process: kq's, or Apache Kafka's with --kafka
  knobs: {
    'batches.before': {
      default: 3,
      min: 0,
      max: 50,
      about: {
        zh: '被追踪的批次之前先写入的批次数（决定它在文件中的位置）',
        en: 'batches written before the traced one (where it sits in the file)',
      },
    },
  },
  async run(ctx) {
    const WARM_UP_BATCHES = ctx.knobs['batches.before'];
    const host = ctx.host;
    if (!host) throw new Error("this demo reads the broker's data directory: run it on kq's broker or with --kafka");
    const topic = ctx.topic('zero-copy');
    await ctx.createTopics([{ topic }]);
    const client = await ctx.reader().leaderConnection(topic, 0);

    ctx.step({
      zh: `先写入 ${WARM_UP_BATCHES} 个批次，让要跟踪的批次拿到非 0 的 offset`,
      en: `produce ${WARM_UP_BATCHES} batches first, so the batch we follow gets a non-zero offset`,
    });
    for (let i = 0; i < WARM_UP_BATCHES; i++) {
      await client.request(
        ApiKey.Produce,
        PRODUCE_VERSION,
        produceRequest(topic, buildRecordBatch({ records: [{ value: `warm-up ${i}` }] })),
      );
    }

    ctx.step({
      zh: '构造一个 5 条记录（带 key 和 header）的批次，用 Produce v8 发送，保留请求帧的原始字节',
      en: 'build a batch of 5 records (keys, headers) and send it in a Produce v8 frame, keeping the frame bytes',
    });
    const sent = buildRecordBatch({
      records: Array.from({ length: 5 }, (_, i) => ({
        key: `order-${i}`,
        value: `{"order":${i},"amount":${(i + 1) * 10}}`,
        headers: [{ key: 'trace', value: Buffer.from(`t-${i}`) }],
      })),
    });
    const produceFrame = encodeRequestFrame(
      ApiKey.Produce,
      { apiVersion: PRODUCE_VERSION, correlationId: 1000, clientId: 'kq-zero-copy' },
      produceRequest(topic, sent),
    );
    const inRequestAt = produceFrame.indexOf(sent);
    if (inRequestAt < 0) throw new Error('the encoded Produce frame does not contain the batch verbatim');
    const inRequest = produceFrame.subarray(inRequestAt, inRequestAt + sent.length);
    client.sendRaw(produceFrame);
    const produced = decodeResponseFrame(
      ApiKey.Produce,
      PRODUCE_VERSION,
      await client.nextFrame(5000, 'the Produce response'),
    );
    const answer = produced.response.responses[0]?.partitions[0];
    if (!answer || answer.errorCode !== 0)
      throw new Error(`Produce failed with error ${answer?.errorCode ?? 'missing'}`);
    const offset = answer.baseOffset;
    ctx.observe('assigned base offset', offset.toString());
    ctx.observe(
      'batch in the Produce frame',
      `${sent.length} bytes at byte ${inRequestAt} of a ${produceFrame.length}-byte frame`,
    );

    ctx.step({
      zh: '从 .log 文件中按批次位置直接读出磁盘上的字节',
      en: 'read the bytes on disk straight from the .log file at the batch position',
    });
    const partition = ctx.partitionOnDisk(topic, 0);
    const segment = partition.segments.find((s) => s.batches.some((b) => b.baseOffset === offset));
    const batchOnDisk = segment?.batches.find((b) => b.baseOffset === offset);
    if (!segment || !batchOnDisk) throw new Error(`no batch at offset ${offset} in ${partition.dir}`);
    const logPath = join(partition.dir, segment.fileName);
    const lookup = { segment: { logFile: segment.fileName }, batch: batchOnDisk };
    const onDisk = readFileRange(logPath, lookup.batch.position, lookup.batch.sizeInBytes);
    const fileTail = readFileRange(logPath, lookup.batch.position, statSync(logPath).size - lookup.batch.position);
    ctx.observe(
      'batch on disk',
      `${onDisk.length} bytes at byte ${lookup.batch.position} of ${lookup.segment.logFile}`,
    );
    // What serves the Fetch: sendfile(2) from the .log file to the socket (Kafka's FileChannel.transferTo on a
    // plaintext listener), or reads into memory and writes (kq: Node's sockets have no sendfile).
    const trace = await ctx.traceSyscalls(['sendfile', 'sendfile64', 'pread64']);

    ctx.step({
      zh: `从 offset ${offset} Fetch（v${FETCH_VERSION}），保留响应帧的原始字节`,
      en: `Fetch from offset ${offset} (v${FETCH_VERSION}), keeping the response frame bytes`,
    });
    const correlationId = client.send(ApiKey.Fetch, FETCH_VERSION, fetchRequest(topic, offset));
    const fetchFrame = await client.nextFrame(5000, 'the Fetch response');
    const fetched = decodeResponseFrame(ApiKey.Fetch, FETCH_VERSION, fetchFrame);
    if (fetched.correlationId !== correlationId)
      throw new Error(`Fetch answered correlation id ${fetched.correlationId}, sent ${correlationId}`);
    const served = partitionOf(fetched.response, topic).records ?? Buffer.alloc(0);
    const inResponse = served.subarray(0, Math.min(served.length, onDisk.length));
    ctx.observe(
      'batch in the Fetch frame',
      `${served.length} record bytes at byte ${fetchFrame.indexOf(onDisk)} of a ${fetchFrame.length}-byte frame`,
    );

    // Fails if the broker re-encoded anything the CRC covers (attributes, timestamps, records) or the CRC itself.
    const fromMagic = HEADER_FIELDS.find(([name]) => name === 'magic')![1];
    ctx.check(
      {
        zh: '磁盘上的 magic、CRC 以及 CRC 覆盖的全部字节与请求中完全相同',
        en: 'on disk, magic, CRC and every CRC-covered byte equal the request',
      },
      {
        pass: onDisk.length === inRequest.length && onDisk.subarray(fromMagic).equals(inRequest.subarray(fromMagic)),
        expected: {
          zh: `字节 ${fromMagic}..${inRequest.length} 完全相同（${inRequest.length - fromMagic} 字节）`,
          en: `bytes ${fromMagic}..${inRequest.length} identical (${inRequest.length - fromMagic} bytes)`,
        },
        actual: {
          zh: `${inRequest.length - fromMagic} 字节中 ${differingBytes(inRequest.subarray(fromMagic), onDisk.subarray(fromMagic))} 个不同（磁盘上 ${onDisk.length} B，发送 ${inRequest.length} B）`,
          en: `${differingBytes(inRequest.subarray(fromMagic), onDisk.subarray(fromMagic))} of ${inRequest.length - fromMagic} bytes differ (${onDisk.length} B on disk vs ${inRequest.length} B sent)`,
        },
      },
    );

    // Fails if any other header field changed, or the offset written is not the one the Produce response gave.
    const changed = HEADER_FIELDS.filter(
      ([, from, to]) => !inRequest.subarray(from, to).equals(onDisk.subarray(from, to)),
    ).map(([name]) => name);
    const stored = new RecordBatch(onDisk);
    const request = new RecordBatch(inRequest);
    ctx.check(
      {
        zh: 'broker 只改写了 CRC 之外的 baseOffset 和 partitionLeaderEpoch',
        en: 'the broker rewrote only baseOffset and partitionLeaderEpoch, outside the CRC',
      },
      {
        pass:
          changed.every((name) => name === 'baseOffset' || name === 'partitionLeaderEpoch') &&
          stored.baseOffset === offset,
        expected: {
          zh: `改动的字段 ⊆ {baseOffset, partitionLeaderEpoch}；baseOffset ${offset}`,
          en: `changed ⊆ {baseOffset, partitionLeaderEpoch}; baseOffset ${offset}`,
        },
        actual: {
          zh: `改动的字段 {${changed.join(', ')}}：baseOffset ${request.baseOffset} → ${stored.baseOffset}，partitionLeaderEpoch ${request.partitionLeaderEpoch} → ${stored.partitionLeaderEpoch}`,
          en: `changed {${changed.join(', ')}}: baseOffset ${request.baseOffset} → ${stored.baseOffset}, partitionLeaderEpoch ${request.partitionLeaderEpoch} → ${stored.partitionLeaderEpoch}`,
        },
      },
    );

    // Fails if the read path decoded and re-encoded the batch, or served anything but the file's bytes.
    ctx.check(
      {
        zh: 'Fetch 响应中的记录字节就是 .log 文件中从该批次起的字节，逐字节相同',
        en: "the Fetch response's record bytes are the .log file's bytes from that batch on, byte for byte",
      },
      {
        pass: served.length > 0 && served.equals(fileTail),
        expected: {
          zh: `${fileTail.length} 字节，与 ${lookup.segment.logFile}[${lookup.batch.position}..] 相同`,
          en: `${fileTail.length} bytes equal to ${lookup.segment.logFile}[${lookup.batch.position}..]`,
        },
        actual: {
          zh: `发送 ${served.length} 字节，与文件不同的有 ${differingBytes(served, fileTail)} 个`,
          en: `${served.length} bytes served, ${differingBytes(served, fileTail)} differ from the file`,
        },
      },
    );

    // Fails if the CRC-covered bytes changed anywhere between producer and consumer.
    const fetchedBatch = new RecordBatch(inResponse);
    const values = decodeRecords(fetchedBatch).map((r) => r.value?.toString() ?? '');
    const sentValues = decodeRecords(new RecordBatch(sent)).map((r) => r.value?.toString() ?? '');
    ctx.check(
      {
        zh: '消费者收到的批次仍带着生产者计算的 CRC，且校验通过，记录与发送的一致',
        en: "the consumer's batch still carries the producer's CRC, it verifies, and the records match",
      },
      {
        pass:
          fetchedBatch.crc === request.crc &&
          fetchedBatch.computeChecksum() === fetchedBatch.crc &&
          values.join('|') === sentValues.join('|'),
        expected: {
          zh: `crc 0x${hex(request.crc)}，有效，${sentValues.length} 条与发送的相同`,
          en: `crc 0x${hex(request.crc)}, valid, ${sentValues.length} records as sent`,
        },
        actual: {
          zh: `crc 0x${hex(fetchedBatch.crc)}（重新计算 0x${hex(fetchedBatch.computeChecksum())}），${values.length} 条${values.join('|') === sentValues.join('|') ? '与发送的相同' : '与发送的不同'}`,
          en: `crc 0x${hex(fetchedBatch.crc)} (recomputed 0x${hex(fetchedBatch.computeChecksum())}), ${values.length} records${values.join('|') === sentValues.join('|') ? ' as sent' : ' differ'}`,
        },
      },
    );
    await trace.barrier(host.host, host.port);
    const sendfiles = trace.calls({ names: ['sendfile', 'sendfile64'] }).filter((c) => c.args.includes(`/${topic}-0/`));
    ctx.observe(
      'sendfile calls on the partition',
      sendfiles.map((c) => `${c.name}(${c.args}) = ${c.result}`),
    );
    const onKafka = ctx.target === 'apache-kafka';
    // Fails on Kafka if the plaintext Fetch was served by copying through the JVM; on kq if it claimed a sendfile.
    ctx.check(
      onKafka
        ? {
            zh: 'Apache Kafka 用 sendfile(2) 把 .log 文件的字节直接交给消费者的 socket（strace 可见）',
            en: "Apache Kafka hands the .log file's bytes to the consumer's socket with sendfile(2) (seen with strace)",
          }
        : {
            zh: 'kq 的 broker 不用 sendfile（Node 的 socket 没有）：它读出同样的字节后原样写出',
            en: "kq's broker makes no sendfile (Node's sockets have none): it reads the same bytes and writes them unchanged",
          },
      {
        pass: onKafka
          ? sendfiles.some((c) => c.args.includes('.log>') && Number(c.result) > 0)
          : sendfiles.length === 0,
        expected: onKafka
          ? { zh: '≥ 1 次从 .log 到 TCP socket 的 sendfile', en: '≥ 1 sendfile from the .log to a TCP socket' }
          : { zh: '0 次 sendfile', en: '0 sendfile calls' },
        actual: { zh: `${sendfiles.length} 次 sendfile`, en: `${sendfiles.length} sendfile calls` },
      },
    );

    // ---------------------------------------------------------------- TLS: no sendfile
    const tlsLabel = {
      zh: '经 TLS listener 读同样的记录：Kafka 不用 sendfile，而是把 .log 读进 JVM（pread64）在用户态加密后再写出',
      en: 'read over a TLS listener, Kafka serves the same records without sendfile: it reads the .log into the JVM (pread64) to encrypt them in user space',
    };
    const tlsAddress = ctx.apacheKafka?.node(1).tlsAddress;
    if (!onKafka) {
      ctx.notApplicable(tlsLabel, { zh: 'kq 的 broker 没有 TLS listener', en: "kq's broker has no TLS listener" });
      return;
    }
    if (tlsAddress === undefined) {
      ctx.notApplicable(tlsLabel, {
        zh: '这个 Apache Kafka 启动时没有 TLS listener',
        en: 'this Apache Kafka was started without a TLS listener',
      });
      return;
    }
    const expectedRecords = WARM_UP_BATCHES + 5;
    ctx.step({
      zh: `用 kcat 经 TLS listener ${tlsAddress}（自签名证书）从头读这个分区，同时 strace 这个 JVM`,
      en: `read the partition from the beginning with kcat over the TLS listener ${tlsAddress} (self-signed certificate), strace still attached to the JVM`,
    });
    const before = trace.calls().length;
    const overTls = await consumeOverTls(tlsAddress, topic);
    await trace.barrier(host.host, host.port);
    const duringTls = trace.calls().slice(before);
    const tlsSendfiles = duringTls.filter(
      (c) => (c.name === 'sendfile' || c.name === 'sendfile64') && c.args.includes(`/${topic}-0/`),
    );
    const tlsReads = duringTls.filter(
      (c) => c.name === 'pread64' && c.args.includes(`/${topic}-0/`) && c.args.includes('.log>'),
    );
    ctx.observe('records read over TLS', overTls);
    ctx.observe('during the TLS read', `${tlsSendfiles.length} sendfile, ${tlsReads.length} pread64 of the .log`);
    // Fails if Kafka used sendfile on the TLS listener (then encryption would not be in the JVM), or served the
    // records without reading the file into memory, or the TLS read got nothing (nothing was served).
    ctx.check(tlsLabel, {
      pass: overTls === expectedRecords && tlsSendfiles.length === 0 && tlsReads.length >= 1,
      expected: {
        zh: `${expectedRecords} 条，0 次 sendfile，≥ 1 次对 .log 的 pread64`,
        en: `${expectedRecords} records, 0 sendfile, ≥ 1 pread64 of the .log`,
      },
      actual: {
        zh: `${overTls} 条，${tlsSendfiles.length} 次 sendfile，${tlsReads.length} 次 pread64`,
        en: `${overTls} records, ${tlsSendfiles.length} sendfile, ${tlsReads.length} pread64`,
      },
    });
  },
});

/** Records of partition 0 that kcat reads over TLS (certificate checks off: the certificate is self-signed). */
async function consumeOverTls(address: string, topic: string): Promise<number> {
  const { stdout } = await run(
    'kcat',
    [
      '-b',
      address,
      '-X',
      'security.protocol=ssl',
      '-X',
      'enable.ssl.certificate.verification=false',
      '-C',
      '-t',
      topic,
      '-p',
      '0',
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%o\\n',
    ],
    { timeout: 30_000 },
  );
  return stdout.split('\n').filter((line) => line.trim() !== '').length;
}

function produceRequest(topic: string, batch: Buffer) {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topics: [{ name: topic, partitions: [{ partitionIndex: 0, records: batch }] }],
  };
}

function readFileRange(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, bytes, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

function differingBytes(a: Buffer, b: Buffer): number {
  let count = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) count++;
  return count;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
