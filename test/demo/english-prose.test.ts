import { describe, expect, it } from 'vitest';
import { englishProse } from './support/english-prose.js';

describe('englishProse (the zh demo runs are held to it)', () => {
  it.each([
    "generation 3，p1 → member-4，'stuck' 由 member-4 消费",
    'orders-service → 17; billing → 9; polygenelubricants → 0',
    '改动的字段 {baseOffset, partitionLeaderEpoch}：baseOffset 0 → 3',
    'p0：end offset 10 − 已提交 10 = 0',
    'kq 的 broker 没有 TLS listener',
    'INVALID_PRODUCER_EPOCH，没有 zombie；a 存了 2 份',
  ])('lets Chinese with data, code names and Kafka terms through: %s', (text) => {
    expect(englishProse(text)).toEqual([]);
  });

  it.each([
    ['CreateTopics not tried', ['not', 'tried']],
    ['arrival − due ≥ 0 ms for all', ['for']],
    ['back in both ISRs', ['back', 'in', 'both']],
    ['INVALID_PARTITIONS Number of partitions is invalid', ['Number', 'of', 'is', 'invalid']],
  ])('finds English phrases and function words: %s', (text, words) => {
    expect(englishProse(text)).toEqual(expect.arrayContaining(words));
  });
});
