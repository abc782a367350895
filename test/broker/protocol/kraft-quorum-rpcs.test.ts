import { describe, expect, it } from 'vitest';
import { beginQuorumEpochRequestCodec } from '../../../src/broker/protocol/begin-quorum-epoch/request.js';
import { beginQuorumEpochResponseCodec } from '../../../src/broker/protocol/begin-quorum-epoch/response.js';
import { describeQuorumRequestCodec } from '../../../src/broker/protocol/describe-quorum/request.js';
import { describeQuorumResponseCodec } from '../../../src/broker/protocol/describe-quorum/response.js';
import { endQuorumEpochRequestCodec } from '../../../src/broker/protocol/end-quorum-epoch/request.js';
import { endQuorumEpochResponseCodec } from '../../../src/broker/protocol/end-quorum-epoch/response.js';
import { type MessageCodec, ZERO_UUID } from '../../../src/broker/protocol/schema/message-codec.js';
import { voteRequestCodec } from '../../../src/broker/protocol/vote/request.js';
import { voteResponseCodec } from '../../../src/broker/protocol/vote/response.js';
import { uvarint, i8, i16, i32, i64, wire } from '../support/wire-bytes.js';

// Byte for byte from Kafka's {Vote,BeginQuorumEpoch,EndQuorumEpoch,DescribeQuorum}{Request,Response}.json:
// Vote and DescribeQuorum are flexible from v0 (compact strings/arrays, a tagged-field byte per struct);
// BeginQuorumEpoch v0 and EndQuorumEpoch v0 are not (int16 string lengths, int32 array lengths).
const str = (s: string | null): Buffer =>
  s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const cstr = (s: string | null): Buffer =>
  s === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const carr = (n: number): Buffer => uvarint(n + 1);
const noTags = uvarint(0);
const META = '__cluster_metadata';

const cases: Array<[string, MessageCodec<never>, number, object, Buffer]> = [
  [
    'VoteRequest v0',
    voteRequestCodec as MessageCodec<never>,
    0,
    {
      clusterId: 'kq',
      topics: [
        {
          topicName: META,
          partitions: [
            {
              partitionIndex: 0,
              replicaEpoch: 3,
              replicaId: 2,
              // not on the wire before v1/v2: decoded as their defaults
              replicaDirectoryId: ZERO_UUID,
              voterDirectoryId: ZERO_UUID,
              lastOffsetEpoch: 2,
              lastOffset: 17n,
              preVote: false,
            },
          ],
        },
      ],
      voterId: -1,
    },
    wire(cstr('kq'), carr(1), cstr(META), carr(1), i32(0), i32(3), i32(2), i32(2), i64(17n), noTags, noTags, noTags),
  ],
  [
    // The bytes Kafka 4.4's own VoteRequestData writes at v2 for these values (MessageUtil.toByteBufferAccessor).
    'VoteRequest v2, a pre-vote (KIP-996)',
    voteRequestCodec as MessageCodec<never>,
    2,
    {
      clusterId: 'kq',
      voterId: 1,
      topics: [
        {
          topicName: META,
          partitions: [
            {
              partitionIndex: 0,
              replicaEpoch: 4,
              replicaId: 2,
              replicaDirectoryId: ZERO_UUID,
              voterDirectoryId: ZERO_UUID,
              lastOffsetEpoch: 3,
              lastOffset: 17n,
              preVote: true,
            },
          ],
        },
      ],
    },
    Buffer.from(
      '036b710000000102135f5f636c75737465725f6d6574616461746102000000000000000400000002000000000000000000000000000000' +
        '000000000000000000000000000000000000000003000000000000001101000000',
      'hex',
    ),
  ],
  [
    'VoteResponse v2 (v1 and v2: the leader endpoints are a tagged field, left out when empty)',
    voteResponseCodec as MessageCodec<never>,
    2,
    {
      errorCode: 0,
      topics: [
        {
          topicName: META,
          partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: 3, leaderEpoch: 4, voteGranted: false }],
        },
      ],
      nodeEndpoints: [],
    },
    Buffer.from('000002135f5f636c75737465725f6d6574616461746102000000000000000000030000000400000000', 'hex'),
  ],
  [
    'VoteResponse v0',
    voteResponseCodec as MessageCodec<never>,
    0,
    {
      errorCode: 0,
      topics: [
        {
          topicName: META,
          partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: -1, leaderEpoch: 3, voteGranted: true }],
        },
      ],
      nodeEndpoints: [],
    },
    wire(i16(0), carr(1), cstr(META), carr(1), i32(0), i16(0), i32(-1), i32(3), i8(1), noTags, noTags, noTags),
  ],
  [
    'BeginQuorumEpochRequest v0 (not flexible)',
    beginQuorumEpochRequestCodec as MessageCodec<never>,
    0,
    {
      clusterId: null,
      topics: [{ topicName: META, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 4 }] }],
    },
    wire(str(null), i32(1), str(META), i32(1), i32(0), i32(1), i32(4)),
  ],
  [
    'BeginQuorumEpochResponse v0',
    beginQuorumEpochResponseCodec as MessageCodec<never>,
    0,
    {
      errorCode: 0,
      topics: [{ topicName: META, partitions: [{ partitionIndex: 0, errorCode: 74, leaderId: 2, leaderEpoch: 5 }] }],
    },
    wire(i16(0), i32(1), str(META), i32(1), i32(0), i16(74), i32(2), i32(5)),
  ],
  [
    'EndQuorumEpochRequest v0, preferred successors in order',
    endQuorumEpochRequestCodec as MessageCodec<never>,
    0,
    {
      clusterId: 'kq',
      topics: [
        {
          topicName: META,
          partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 4, preferredSuccessors: [3, 2] }],
        },
      ],
    },
    wire(str('kq'), i32(1), str(META), i32(1), i32(0), i32(1), i32(4), i32(2), i32(3), i32(2)),
  ],
  [
    'EndQuorumEpochResponse v0',
    endQuorumEpochResponseCodec as MessageCodec<never>,
    0,
    {
      errorCode: 0,
      topics: [{ topicName: META, partitions: [{ partitionIndex: 0, errorCode: 0, leaderId: -1, leaderEpoch: 4 }] }],
    },
    wire(i16(0), i32(1), str(META), i32(1), i32(0), i16(0), i32(-1), i32(4)),
  ],
  [
    'DescribeQuorumRequest v1',
    describeQuorumRequestCodec as MessageCodec<never>,
    1,
    { topics: [{ topicName: META, partitions: [{ partitionIndex: 0 }] }] },
    wire(carr(1), cstr(META), carr(1), i32(0), noTags, noTags, noTags),
  ],
];

const voter = (replicaId: number, leo: bigint) => ({
  replicaId,
  logEndOffset: leo,
  lastFetchTimestamp: -1n,
  lastCaughtUpTimestamp: -1n,
});
const describeAnswer = {
  errorCode: 0,
  topics: [
    {
      topicName: META,
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          leaderId: 1,
          leaderEpoch: 2,
          highWatermark: 9n,
          currentVoters: [voter(1, 9n), voter(2, 7n)],
          observers: [],
        },
      ],
    },
  ],
};

describe('KRaft quorum RPCs: golden bytes (KIP-595)', () => {
  it.each(cases)('%s', (_, codec, version, value, bytes) => {
    expect(codec.encode(version, value as never)).toEqual(bytes);
    expect(codec.decode(version, bytes)).toEqual(value);
  });

  it('DescribeQuorumResponse v0 has no timestamps: they decode as -1 (unknown)', () => {
    const v0 = wire(
      i16(0),
      carr(1),
      cstr(META),
      carr(1),
      i32(0),
      i16(0),
      i32(1),
      i32(2),
      i64(9n),
      carr(2),
      i32(1),
      i64(9n),
      noTags,
      i32(2),
      i64(7n),
      noTags,
      carr(0),
      noTags,
      noTags,
      noTags,
    );
    expect(describeQuorumResponseCodec.encode(0, describeAnswer)).toEqual(v0);
    expect(describeQuorumResponseCodec.decode(0, v0)).toEqual(describeAnswer);
  });

  it('DescribeQuorumResponse v1 carries each voter’s last fetch and last caught-up times', () => {
    const answer = structuredClone(describeAnswer);
    answer.topics[0]!.partitions[0]!.currentVoters[1] = {
      replicaId: 2,
      logEndOffset: 7n,
      lastFetchTimestamp: 1000n,
      lastCaughtUpTimestamp: 990n,
    };
    const v1 = wire(
      i16(0),
      carr(1),
      cstr(META),
      carr(1),
      i32(0),
      i16(0),
      i32(1),
      i32(2),
      i64(9n),
      carr(2),
      i32(1),
      i64(9n),
      i64(-1n),
      i64(-1n),
      noTags,
      i32(2),
      i64(7n),
      i64(1000n),
      i64(990n),
      noTags,
      carr(0),
      noTags,
      noTags,
      noTags,
    );
    expect(describeQuorumResponseCodec.encode(1, answer)).toEqual(v1);
    expect(describeQuorumResponseCodec.decode(1, v1)).toEqual(answer);
  });
});
