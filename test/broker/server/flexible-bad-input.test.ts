import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { createTopics } from '../../../src/broker/client/request-builders.js';

// A malformed flexible request closes its own connection, as Kafka's SocketServer does, and every
// other client keeps being served. Frames are written by hand: header fields, then the body.

const hex = (...parts: string[]): Buffer => Buffer.from(parts.join(''), 'hex');
const sized = (body: Buffer): Buffer => {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
};
/** ApiVersions v3 (flexible from v3): api key 18, version 3, correlation 5, client id "c". */
const AV3 = '0012' + '0003' + '00000005' + '0001' + '63';
const AV2 = '0012' + '0002' + '00000005' + '0001' + '63';
const SOFTWARE = '026b' + '0231'; // compact "k", compact "1"

const frames: [string, Buffer][] = [
  ['a header tagged-field count written as a 6-byte varint', hex(AV3, 'ffffffffff01', SOFTWARE, '00')],
  ['a header tagged-field count above 32 bits', hex(AV3, 'ffffffff7f', SOFTWARE, '00')],
  ['a compact string length beyond the frame', hex(AV3, '00', '7f6b', '0231', '00')],
  ['a tagged field claiming 2 GiB', hex(AV3, '00', SOFTWARE, '01', '00', 'ffffffff07', '00')],
  ['a tagged-field count that cannot fit in the frame', hex(AV3, '00', SOFTWARE, 'a08d06')],
  ['a duplicate tag in the header', hex(AV3, '02', '0500', '0500', SOFTWARE, '00')],
  ['a flexible request sent with a non-flexible header (no header tags)', hex(AV3, SOFTWARE, '00')],
  ['a non-flexible request sent with a flexible header', hex(AV2, '00')],
];

describe('malformed flexible requests', () => {
  let broker: KafkaBroker;
  let bystander: RawKafkaClient;

  beforeAll(async () => {
    broker = await KafkaBroker.start();
    bystander = await RawKafkaClient.connect(broker.port);
  });

  afterAll(async () => {
    bystander.close();
    await broker.close();
  });

  it('answers a well-formed one, so the frames below fail only for what they break', async () => {
    const client = await RawKafkaClient.connect(broker.port);
    try {
      client.sendRaw(sized(hex(AV3, '00', SOFTWARE, '00')));
      const response = await client.nextFrame();
      expect(response.readInt32BE(0)).toBe(5);
      expect(response.readInt16BE(4)).toBe(ErrorCode.NONE);
    } finally {
      client.close();
    }
  });

  it.each(frames)('%s: its connection is closed, others are still served', async (_, body) => {
    const client = await RawKafkaClient.connect(broker.port);
    try {
      client.sendRaw(sized(body));
      await client.expectClosed();
      expect(client.pendingFrames).toBe(0);
      const answer = await bystander.request(ApiKey.ApiVersions, 3, {
        clientSoftwareName: 'bystander',
        clientSoftwareVersion: '1',
      });
      expect(answer.errorCode).toBe(ErrorCode.NONE);
    } finally {
      client.close();
    }
  });
});

describe('bytes after a complete flexible request', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    broker = await KafkaBroker.start();
    const admin = await RawKafkaClient.connect(broker.port);
    await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'listed' }]));
    admin.close();
  });
  afterAll(async () => {
    await broker.close();
  });

  it("are ignored, as Kafka does: librdkafka 2.16's all-topics Metadata v13 (three extra bytes) is answered", async () => {
    // captured from confluent-kafka 2.16.1 (librdkafka 2.16.0) AdminClient.list_topics(): client id "rdkafka",
    // body: topics null (00), allow auto-creation 00, topic authorized operations 00, no tags (00), then 010000
    const frame = hex('0003' + '000d' + '00000003' + '0007' + '72646b61666b61' + '00', '00000000', '010000');
    const client = await RawKafkaClient.connect(broker.port);
    try {
      client.sendRaw(sized(frame));
      const response = await client.nextFrame();
      expect(response.readInt32BE(0)).toBe(3); // correlation id: answered, not closed
      expect(response.includes(Buffer.from('listed'))).toBe(true);
    } finally {
      client.close();
    }
  });

  it('after a non-flexible request still close the connection (they reveal a mismatched header)', async () => {
    const client = await RawKafkaClient.connect(broker.port);
    try {
      client.sendRaw(sized(hex(AV2, '00')));
      await client.expectClosed();
    } finally {
      client.close();
    }
  });
});
