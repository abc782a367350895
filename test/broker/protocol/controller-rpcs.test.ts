import { describe, expect, it } from 'vitest';
import { alterPartitionRequestCodec } from '../../../src/broker/protocol/alter-partition/request.js';
import { alterPartitionResponseCodec } from '../../../src/broker/protocol/alter-partition/response.js';
import { brokerHeartbeatRequestCodec } from '../../../src/broker/protocol/broker-heartbeat/request.js';
import { brokerHeartbeatResponseCodec } from '../../../src/broker/protocol/broker-heartbeat/response.js';
import { brokerRegistrationRequestCodec } from '../../../src/broker/protocol/broker-registration/request.js';
import { brokerRegistrationResponseCodec } from '../../../src/broker/protocol/broker-registration/response.js';
import type { MessageCodec } from '../../../src/broker/protocol/schema/message-codec.js';
import { bool, i16, i32, i64, i8, uvarint, wire } from '../support/wire-bytes.js';
import { allocateProducerIdsRequestCodec } from '../../../src/broker/protocol/allocate-producer-ids/request.js';
import { allocateProducerIdsResponseCodec } from '../../../src/broker/protocol/allocate-producer-ids/response.js';

// Byte for byte from Kafka's BrokerRegistration{Request,Response}.json (flexible from v0; v1 adds
// is_migrating_zk_broker, v2 log_dirs, v3 previous_broker_epoch), BrokerHeartbeat{Request,Response}.json (v1 adds a
// tagged offline_log_dirs) and AlterPartition{Request,Response}.json (v2 names topics by id, v3 sends the ISR
// with broker epochs) and AllocateProducerIds{Request,Response}.json (v0 only, flexible).
const cstr = (s: string): Buffer => Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const carr = (n: number): Buffer => uvarint(n + 1);
const noTags = uvarint(0);
const TOPIC_ID = 'vPeOCWypqUOSepEvx0cbog';
const INCARNATION = 'AAAAAAAAAAAAAAAAAAAAAQ';
const uuid = (id: string): Buffer => Buffer.from(id, 'base64url');

const cases: Array<[string, MessageCodec<never>, number, object, Buffer]> = [
  [
    'BrokerRegistrationRequest v3',
    brokerRegistrationRequestCodec as MessageCodec<never>,
    3,
    {
      brokerId: 2,
      clusterId: 'kq',
      incarnationId: INCARNATION,
      listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9093, securityProtocol: 0 }],
      features: [],
      rack: null,
      isMigratingZkBroker: false,
      logDirs: [],
      previousBrokerEpoch: -1n,
    },
    wire(
      i32(2),
      cstr('kq'),
      uuid(INCARNATION),
      carr(1),
      cstr('PLAINTEXT'),
      cstr('127.0.0.1'),
      Buffer.from([0x23, 0x85]),
      i16(0),
      noTags,
      carr(0),
      uvarint(0),
      bool(false),
      carr(0),
      i64(-1n),
      noTags,
    ),
  ],
  [
    'BrokerRegistrationResponse v3',
    brokerRegistrationResponseCodec as MessageCodec<never>,
    3,
    { throttleTimeMs: 0, errorCode: 0, brokerEpoch: 42n },
    wire(i32(0), i16(0), i64(42n), noTags),
  ],
  [
    'BrokerHeartbeatRequest v1',
    brokerHeartbeatRequestCodec as MessageCodec<never>,
    1,
    {
      brokerId: 2,
      brokerEpoch: 42n,
      currentMetadataOffset: 57n,
      wantFence: false,
      wantShutDown: true,
      offlineLogDirs: [],
    },
    wire(i32(2), i64(42n), i64(57n), bool(false), bool(true), noTags),
  ],
  [
    'BrokerHeartbeatResponse v1',
    brokerHeartbeatResponseCodec as MessageCodec<never>,
    1,
    { throttleTimeMs: 0, errorCode: 0, isCaughtUp: true, isFenced: false, shouldShutDown: false },
    wire(i32(0), i16(0), bool(true), bool(false), bool(false), noTags),
  ],
  [
    'AllocateProducerIdsRequest v0',
    allocateProducerIdsRequestCodec as MessageCodec<never>,
    0,
    { brokerId: 3, brokerEpoch: 42n },
    wire(i32(3), i64(42n), noTags),
  ],
  [
    'AllocateProducerIdsResponse v0',
    allocateProducerIdsResponseCodec as MessageCodec<never>,
    0,
    { throttleTimeMs: 0, errorCode: 0, producerIdStart: 2000n, producerIdLen: 1000 },
    wire(i32(0), i16(0), i64(2000n), i32(1000), noTags),
  ],
  [
    'AlterPartitionRequest v3',
    alterPartitionRequestCodec as MessageCodec<never>,
    3,
    {
      brokerId: 1,
      brokerEpoch: 5n,
      topics: [
        {
          topicName: '', // v0-1 only: decoded as its default
          topicId: TOPIC_ID,
          partitions: [
            {
              partitionIndex: 0,
              leaderEpoch: 2,
              newIsr: [], // v0-2 only
              newIsrWithEpochs: [
                { brokerId: 1, brokerEpoch: 5n },
                { brokerId: 2, brokerEpoch: 9n },
              ],
              leaderRecoveryState: 0,
              partitionEpoch: 7,
            },
          ],
        },
      ],
    },
    wire(
      i32(1),
      i64(5n),
      carr(1),
      uuid(TOPIC_ID),
      carr(1),
      i32(0),
      i32(2),
      carr(2),
      i32(1),
      i64(5n),
      noTags,
      i32(2),
      i64(9n),
      noTags,
      i8(0),
      i32(7),
      noTags,
      noTags,
      noTags,
    ),
  ],
  [
    'AlterPartitionResponse v3',
    alterPartitionResponseCodec as MessageCodec<never>,
    3,
    {
      throttleTimeMs: 0,
      errorCode: 0,
      topics: [
        {
          topicName: '',
          topicId: TOPIC_ID,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              leaderId: 1,
              leaderEpoch: 2,
              isr: [1, 2],
              leaderRecoveryState: 0,
              partitionEpoch: 8,
            },
          ],
        },
      ],
    },
    wire(
      i32(0),
      i16(0),
      carr(1),
      uuid(TOPIC_ID),
      carr(1),
      i32(0),
      i16(0),
      i32(1),
      i32(2),
      carr(2),
      i32(1),
      i32(2),
      i8(0),
      i32(8),
      noTags,
      noTags,
      noTags,
    ),
  ],
];

describe('KRaft controller RPCs: golden bytes (KIP-631, KIP-497)', () => {
  it.each(cases)('%s', (_, codec, version, value, bytes) => {
    expect(codec.encode(version, value as never)).toEqual(bytes);
    expect(codec.decode(version, bytes)).toEqual(value);
  });

  it('AlterPartitionRequest v1 names the topic and sends the ISR as plain ids', () => {
    const value = {
      brokerId: 1,
      brokerEpoch: -1n,
      topics: [
        {
          topicName: 'orders',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA', // v2+ only
          partitions: [
            {
              partitionIndex: 0,
              leaderEpoch: 2,
              newIsr: [1],
              newIsrWithEpochs: [], // v3+ only
              leaderRecoveryState: 0,
              partitionEpoch: 3,
            },
          ],
        },
      ],
    };
    const bytes = wire(
      i32(1),
      i64(-1n),
      carr(1),
      cstr('orders'),
      carr(1),
      i32(0),
      i32(2),
      carr(1),
      i32(1),
      i8(0),
      i32(3),
      noTags,
      noTags,
      noTags,
    );
    expect(alterPartitionRequestCodec.encode(1, value)).toEqual(bytes);
    expect(alterPartitionRequestCodec.decode(1, bytes)).toEqual(value);
  });
});
