import { describe, expect, it } from 'vitest';
import { fetchRequestCodec } from '../../../src/broker/protocol/fetch/request.js';
import { metadataRequestCodec, requestsAllTopics } from '../../../src/broker/protocol/metadata/request.js';
import { joinGroupRequestCodec } from '../../../src/broker/protocol/join-group/request.js';
import { leavingMembers } from '../../../src/broker/protocol/leave-group/request.js';
import { produceRequestCodec } from '../../../src/broker/protocol/produce/request.js';
import { ProtocolEncodeError, UnsupportedApiVersionError } from '../../../src/broker/protocol/protocol-errors.js';

describe('message codec behaviour', () => {
  it('fills fields absent from the wire version with their spec defaults, so broker code sees one shape', () => {
    const v0 = joinGroupRequestCodec.encode(0, {
      groupId: 'g',
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 99999, // not in v0: dropped on the wire
      memberId: '',
      groupInstanceId: 'ignored',
      protocolType: 'consumer',
      protocols: [],
    });
    expect(joinGroupRequestCodec.decode(0, v0)).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: -1,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [],
      reason: null,
    });
  });

  it('writes the spec default when a caller leaves a field undefined', () => {
    const bytes = metadataRequestCodec.encode(4, { topics: null } as never);
    expect(metadataRequestCodec.decode(4, bytes).allowAutoTopicCreation).toBe(true);
  });

  it.each([
    [0, [], true],
    [1, [], false],
    [1, null, true],
    [8, [{ name: 't' }], false],
  ] as const)('Metadata v%i with topics %j asks for all topics: %s', (version, topics, all) => {
    expect(
      requestsAllTopics(version, {
        topics: topics as never,
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      }),
    ).toBe(all);
  });

  it('gives LeaveGroup members one shape for v0-2 and v3', () => {
    expect(leavingMembers({ groupId: 'g', memberId: 'm', members: [] })).toEqual([
      { memberId: 'm', groupInstanceId: null },
    ]);
    expect(leavingMembers({ groupId: 'g', memberId: '', members: [{ memberId: 'a', groupInstanceId: 'i' }] })).toEqual([
      { memberId: 'a', groupInstanceId: 'i' },
    ]);
  });

  it.each([
    [
      'a number where int64 needs a bigint',
      () =>
        fetchRequestCodec.encode(11, {
          topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 5 }] }],
        } as never),
      /FetchRequest v11\.topics\[\]\.partitions\[\]\.fetchOffset: expected a bigint/,
    ],
    [
      'an int16 out of range',
      () => produceRequestCodec.encode(3, { transactionalId: null, acks: 40000, timeoutMs: 0, topics: [] }),
      /ProduceRequest v3\.acks: expected an int16/,
    ],
    [
      'null for a non-nullable string',
      () =>
        produceRequestCodec.encode(3, {
          transactionalId: null,
          acks: 1,
          timeoutMs: 0,
          topics: [{ name: null, partitions: [] }],
        } as never),
      /topics\[\]\.name: expected a string/,
    ],
    [
      'a non-array for an array',
      () => produceRequestCodec.encode(3, { transactionalId: null, acks: 1, timeoutMs: 0, topics: 'x' } as never),
      /topics: expected an array/,
    ],
  ])('refuses %s with a ProtocolEncodeError naming the field', (_, encode, message) => {
    expect(encode).toThrow(ProtocolEncodeError);
    expect(encode).toThrow(message);
  });

  it('refuses a version outside its range with UnsupportedApiVersionError', () => {
    expect(() => produceRequestCodec.decode(14, Buffer.alloc(0))).toThrow(UnsupportedApiVersionError);
    expect(() => fetchRequestCodec.encode(3, {} as never)).toThrow(
      /FetchRequest version 3 is not supported; this codec handles versions 4-18/,
    );
  });
});
