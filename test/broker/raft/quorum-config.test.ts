import { describe, expect, it } from 'vitest';
import { formatQuorumVoters, parseQuorumVoters } from '../../../src/broker/raft/quorum-config.js';
import { KafkaConfig } from '../../../src/broker/server/kafka-config.js';

describe('controller.quorum.voters', () => {
  it('reads id@host:port voters as Kafka spells them, and writes them back the same', () => {
    const text = '1@127.0.0.1:9093,2@localhost:9094,3@[::1]:9095';
    expect(parseQuorumVoters(text)).toEqual([
      { id: 1, host: '127.0.0.1', port: 9093 },
      { id: 2, host: 'localhost', port: 9094 },
      { id: 3, host: '[::1]', port: 9095 },
    ]);
    expect(formatQuorumVoters(parseQuorumVoters(text))).toBe(text);
  });

  it.each([
    ['1@127.0.0.1', /id@host:port/],
    ['one@h:1', /id@host:port/],
    ['1@h:70000', /above 65535/],
    ['1@h:1,1@h:2', /voter id 1 appears twice/],
  ])('refuses %s, saying what is wrong', (text, message) => {
    expect(() => parseQuorumVoters(text)).toThrow(message);
    expect(() => KafkaConfig.fromObject({ 'controller.quorum.voters': text })).toThrow(message);
  });

  it('is part of the broker config with the KRaft timeouts at Kafka’s defaults', () => {
    const config = KafkaConfig.fromObject({
      'node.id': 2,
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095',
    });
    expect(config.quorumConfig).toEqual({
      roles: ['broker', 'controller'],
      voters: [
        { id: 1, host: '127.0.0.1', port: 9093 },
        { id: 2, host: '127.0.0.1', port: 9094 },
        { id: 3, host: '127.0.0.1', port: 9095 },
      ],
      electionTimeoutMs: 1000,
      fetchTimeoutMs: 2000,
      requestTimeoutMs: 2000,
      retryBackoffMs: 20,
    });
    expect(KafkaConfig.fromObject({}).quorumConfig.voters).toEqual([]);
  });
});
