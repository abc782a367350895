import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode, errorInfo } from '../../../src/broker/protocol/error-codes.js';

const require = createRequire(import.meta.url);

describe('error-code table', () => {
  it.each([
    ['NONE', 0],
    ['UNKNOWN_SERVER_ERROR', -1],
    ['OFFSET_OUT_OF_RANGE', 1],
    ['CORRUPT_MESSAGE', 2],
    ['UNKNOWN_TOPIC_OR_PARTITION', 3],
    ['NOT_LEADER_OR_FOLLOWER', 6],
    ['REQUEST_TIMED_OUT', 7],
    ['MESSAGE_TOO_LARGE', 10],
    ['OFFSET_METADATA_TOO_LARGE', 12],
    ['COORDINATOR_LOAD_IN_PROGRESS', 14],
    ['COORDINATOR_NOT_AVAILABLE', 15],
    ['NOT_COORDINATOR', 16],
    ['INVALID_TOPIC_EXCEPTION', 17],
    ['NOT_ENOUGH_REPLICAS', 19],
    ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', 20],
    ['ILLEGAL_GENERATION', 22],
    ['INCONSISTENT_GROUP_PROTOCOL', 23],
    ['INVALID_GROUP_ID', 24],
    ['UNKNOWN_MEMBER_ID', 25],
    ['INVALID_SESSION_TIMEOUT', 26],
    ['REBALANCE_IN_PROGRESS', 27],
    ['INVALID_COMMIT_OFFSET_SIZE', 28],
    ['UNSUPPORTED_VERSION', 35],
    ['TOPIC_ALREADY_EXISTS', 36],
    ['INVALID_PARTITIONS', 37],
    ['INVALID_REPLICATION_FACTOR', 38],
    ['INVALID_REPLICA_ASSIGNMENT', 39],
    ['INVALID_CONFIG', 40],
    ['NOT_CONTROLLER', 41],
    ['INVALID_REQUEST', 42],
    ['POLICY_VIOLATION', 44],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
    ['SASL_AUTHENTICATION_FAILED', 58],
    ['GROUP_ID_NOT_FOUND', 69],
    ['TOPIC_DELETION_DISABLED', 73],
    ['FENCED_LEADER_EPOCH', 74],
    ['UNKNOWN_LEADER_EPOCH', 75],
    ['UNSUPPORTED_COMPRESSION_TYPE', 76],
    ['MEMBER_ID_REQUIRED', 79],
    ['INVALID_RECORD', 87],
  ] as const)('names %s as code %i', (name, code) => {
    expect(ErrorCode[name]).toBe(code);
    expect(errorInfo(code).name).toBe(name);
  });

  it('has unique codes and names, each with a message', () => {
    expect(new Set(ERROR_CODES.map((e) => e.code)).size).toBe(ERROR_CODES.length);
    expect(new Set(ERROR_CODES.map((e) => e.name)).size).toBe(ERROR_CODES.length);
    for (const e of ERROR_CODES) expect(e.message.length, e.name).toBeGreaterThan(5);
  });

  it('agrees with kafkajs on retriability, and on names except where Kafka renamed the error since', () => {
    const renamedByKafka: Record<number, string> = {
      [-1]: 'UNKNOWN',
      6: 'NOT_LEADER_FOR_PARTITION',
      14: 'GROUP_LOAD_IN_PROGRESS',
      15: 'GROUP_COORDINATOR_NOT_AVAILABLE',
      16: 'NOT_COORDINATOR_FOR_GROUP',
    };
    const kafkajs = (
      require('kafkajs/src/protocol/error.js') as { errorCodes: { code: number; type: string; retriable: boolean }[] }
    ).errorCodes;
    for (const theirs of kafkajs) {
      const ours = errorInfo(theirs.code);
      expect(ours.retriable, `${theirs.type} retriable`).toBe(theirs.retriable);
      expect(renamedByKafka[theirs.code] ?? ours.name).toBe(theirs.type);
    }
  });

  it('describes an unknown code instead of failing', () => {
    expect(errorInfo(9999)).toMatchObject({ code: 9999, retriable: false, name: 'UNKNOWN_ERROR_CODE_9999' });
  });
});
