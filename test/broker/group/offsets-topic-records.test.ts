import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  OFFSETS_TOPIC_CODECS,
  type StoredGroup,
} from '../../../src/broker/group/offsets-topic-records.js';

// Golden bytes: what the hand-coded record layouts wrote before the records were generated from message tables
// (captured from that implementation), so the tables are proven to write byte for byte the same records, and a
// data dir written by an earlier kq replays unchanged.
const member = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 256));
const GROUP: StoredGroup = {
  protocolType: 'consumer',
  generationId: 7,
  protocolName: 'range',
  leaderId: 'consumer-1-a1',
  currentStateTimestamp: 1_700_000_000_123,
  members: [
    {
      memberId: 'consumer-1-a1',
      groupInstanceId: null,
      clientId: 'consumer-1',
      clientHost: '/127.0.0.1',
      rebalanceTimeoutMs: 300_000,
      sessionTimeoutMs: 45_000,
      subscription: Buffer.from('00010000000100066f7264657273ffffffff', 'hex'),
      assignment: Buffer.from('00010000000100066f72646572730000000100000000ffffffff', 'hex'),
    },
    {
      memberId: 'm2',
      groupInstanceId: 'static-2',
      clientId: 'c2',
      clientHost: '/10.0.0.2',
      rebalanceTimeoutMs: 60_000,
      sessionTimeoutMs: 10_000,
      subscription: member(0),
      assignment: member(0),
    },
  ],
};
const EMPTY_GROUP: StoredGroup = {
  protocolType: '',
  generationId: 0,
  protocolName: null,
  leaderId: null,
  currentStateTimestamp: 5,
  members: [],
};

describe('__consumer_offsets records generated from message tables', () => {
  test.each([
    ['OffsetCommitKey', encodeOffsetCommitKey('g', 'orders', 7), '000100016700066f726465727300000007'],
    [
      'OffsetCommitKey, UTF-8 names and Int32 max',
      encodeOffsetCommitKey('grüppe', 'tøpic', 2147483647),
      '000100076772c3bc707065000674c3b87069637fffffff',
    ],
    ['GroupMetadataKey', encodeGroupMetadataKey('my-group'), '000200086d792d67726f7570'],
    [
      'OffsetCommitValue v3',
      encodeOffsetCommitValue({
        offset: 123456789012n,
        leaderEpoch: 4,
        metadata: 'm',
        commitTimestamp: 1_700_000_000_456,
      }),
      '00030000001cbe991a140000000400016d0000018bcfe569c8',
    ],
    [
      'OffsetCommitValue v3, no leader epoch',
      encodeOffsetCommitValue({ offset: 0n, leaderEpoch: -1, metadata: '', commitTimestamp: 0 }),
      '00030000000000000000ffffffff00000000000000000000',
    ],
    [
      'GroupMetadataValue v3, two members (one static)',
      encodeGroupMetadataValue(GROUP),
      '00030008636f6e73756d657200000007000572616e6765000d636f6e73756d65722d312d61310000018bcfe5687b00000002' +
        '000d636f6e73756d65722d312d6131ffff000a636f6e73756d65722d31000a2f3132372e302e302e31000493e00000afc8' +
        '0000001200010000000100066f7264657273ffffffff0000001a00010000000100066f72646572730000000100000000ffff' +
        'ffff00026d3200087374617469632d320002633200092f31302e302e302e320000ea60000027100000000000000000',
    ],
    [
      'GroupMetadataValue v3, an emptied group',
      encodeGroupMetadataValue(EMPTY_GROUP),
      '0003000000000000ffffffff000000000000000500000000',
    ],
  ])('%s is written byte for byte as before', (_name, bytes, golden) => {
    expect(bytes.toString('hex')).toBe(golden);
  });

  test('what is written reads back the same', () => {
    expect(decodeOffsetsTopicKey(encodeOffsetCommitKey('g', 'orders', 7))).toEqual({
      kind: 'offset',
      group: 'g',
      topic: 'orders',
      partition: 7,
    });
    expect(decodeOffsetsTopicKey(encodeGroupMetadataKey('g'))).toEqual({ kind: 'group', group: 'g' });
    expect(decodeGroupMetadataValue(encodeGroupMetadataValue(GROUP))).toEqual(GROUP);
    expect(decodeGroupMetadataValue(encodeGroupMetadataValue(EMPTY_GROUP))).toEqual(EMPTY_GROUP);
  });

  test('the legacy offset key type 0 (key version 0 before Kafka 3.7) reads as an offset commit key', () => {
    expect(decodeOffsetsTopicKey(Buffer.from('000000016700017400000003', 'hex'))).toEqual({
      kind: 'offset',
      group: 'g',
      topic: 't',
      partition: 3,
    });
  });

  test('older and flexible value versions from the tables read with their defaults', () => {
    // v1: offset, metadata, commit_timestamp, expire_timestamp; no leader epoch (-1).
    expect(
      decodeOffsetCommitValue(
        Buffer.from('0001' + '0000000000000005' + '00016d' + '00000000000003e8' + 'ffffffffffffffff', 'hex'),
      ),
    ).toEqual({
      offset: 5n,
      leaderEpoch: -1,
      metadata: 'm',
      commitTimestamp: 1000,
    });
    // v4 (flexible, Kafka 3.x+): compact string (length + 1 as an unsigned varint) and an empty tagged-field section.
    expect(
      decodeOffsetCommitValue(
        Buffer.from('0004' + '0000000000000005' + '00000002' + '026d' + '00000000000003e8' + '00', 'hex'),
      ),
    ).toEqual({
      offset: 5n,
      leaderEpoch: 2,
      metadata: 'm',
      commitTimestamp: 1000,
    });
    // GroupMetadataValue v0: no current_state_timestamp (-1), no rebalance timeout (the session timeout stands in).
    const v0 = Buffer.from(
      '0000' +
        '000163' +
        '00000001' +
        '000172' +
        '00016d' +
        '00000001' +
        '00016d' +
        '000163' +
        '000168' +
        '00002710' +
        '00000000' +
        '00000000',
      'hex',
    );
    expect(decodeGroupMetadataValue(v0)).toEqual({
      protocolType: 'c',
      generationId: 1,
      protocolName: 'r',
      leaderId: 'm',
      currentStateTimestamp: -1,
      members: [
        {
          memberId: 'm',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: 'h',
          rebalanceTimeoutMs: 10_000,
          sessionTimeoutMs: 10_000,
          subscription: Buffer.alloc(0),
          assignment: Buffer.alloc(0),
        },
      ],
    });
  });

  test('a version the tables do not have is refused, so replay skips the record', () => {
    expect(() => decodeOffsetCommitValue(Buffer.from('0005', 'hex'))).toThrow(/unknown OffsetCommitValue version 5/);
    expect(() => decodeGroupMetadataValue(Buffer.from('0009', 'hex'))).toThrow(/unknown GroupMetadataValue version 9/);
    expect(() => decodeOffsetsTopicKey(Buffer.from('0003', 'hex'))).toThrow(/unknown __consumer_offsets key type 3/);
  });

  test("the file's header comment is the tables' grammar (Kafka's documentation form), kept in step", () => {
    const source = readFileSync(new URL('../../../src/broker/group/offsets-topic-records.ts', import.meta.url), 'utf8');
    const lines = source.split('\n');
    const start = lines.findIndex((l) => l.startsWith('// OffsetCommitKey (Version'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith('//'));
    const comment = lines
      .slice(start, end)
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n');
    const c = OFFSETS_TOPIC_CODECS;
    expect(comment).toBe(
      [
        c.offsetCommitKey.grammar(0),
        c.offsetCommitValue.grammar(3),
        c.groupMetadataKey.grammar(0),
        c.groupMetadataValue.grammar(3),
      ].join('\n\n'),
    );
  });
});
