import { describe, expect, it } from 'vitest';
import { defaultBankLocation } from '../../src/bank/bank-location.js';
import { loadBank } from '../../src/bank/load-bank.js';
import { answerForms, gradeGap, normaliseAnswer } from '../../src/quiz/grading.js';

// Every gap card of the shipped bank, with answers a learner might type that must count and near misses that
// must not. A new gap card needs a row here: the last test fails until it has one.
const bank = loadBank(defaultBankLocation({}));
const gapCards = bank.cards.flatMap((c) => (c.meta.type === 'gap' ? [{ ...c, meta: c.meta }] : []));

const answers: Record<string, { accepted: string[]; rejected: string[] }> = {
  'committed-offset-is-next': { accepted: ['42', '４２', ' 42 ', '`42`'], rejected: ['41', '43', '4'] },
  'consumer-lag-definition': {
    accepted: [
      'log end offset',
      'Log End Offset',
      'LEO',
      'end offset',
      'the latest offset',
      '高水位',
      'HW',
      'high watermark',
      '日志末端位移',
    ],
    rejected: ['committed offset', 'log start offset', 'LSO', 'offset', 'lag', '低水位'],
  },
  'group-coordinator-partition': {
    accepted: [
      '50',
      '５０',
      '默认 50',
      '50（默认值）',
      'offsets.topic.num.partitions',
      '`offsets.topic.num.partitions`',
      '__consumer_offsets 的分区数',
      '__consumer_offsets的分区数',
      '分区数',
      '__consumer_offsets topic 的分区数量',
      'number of partitions of __consumer_offsets',
      'the partition count',
    ],
    rejected: ['3', '100', 'num.partitions', 'offsets.topic.replication.factor', '副本数'],
  },
  'producer-retry-bound': {
    accepted: [
      'delivery.timeout.ms',
      '`delivery.timeout.ms`',
      'DELIVERY.TIMEOUT.MS',
      'ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG',
    ],
    rejected: ['retries', 'request.timeout.ms', 'max.block.ms', 'retry.backoff.ms', '120 s'],
  },
  'zookeeper-removal-version': {
    accepted: [
      '4.0',
      '4',
      '4.0.0',
      '4.0.x',
      'v4.0',
      'Kafka 4.0',
      'kafka4.0',
      'Kafka 4',
      'Apache Kafka 4.0',
      '4.0版本',
      '４．０',
      '从 4.0 版本起',
    ],
    rejected: ['3.9', '3.5', '3.3', '4.1', '2.8', '40', 'Kafka 3'],
  },
};

describe.each(gapCards.map((c) => [c.meta.id, c] as const))('gap card %s', (id, card) => {
  const rows = answers[id];
  it.each(rows?.accepted ?? [])('accepts %j in both languages', (typed) => {
    expect(gradeGap(card, 'zh', typed).correct).toBe(true);
    expect(gradeGap(card, 'en', typed).correct).toBe(true);
  });
  it.each(rows?.rejected ?? [])('rejects %j', (typed) => {
    expect(gradeGap(card, 'zh', typed).correct).toBe(false);
    expect(gradeGap(card, 'en', typed).correct).toBe(false);
  });
});

describe('the gap-answer table', () => {
  it('keeps every accepted answer non-empty after normalising (no answer is all filler)', () => {
    const empty = gapCards.flatMap((c) =>
      [...c.meta.answers.zh, ...c.meta.answers.en].flatMap(answerForms).filter((a) => normaliseAnswer(a) === ''),
    );
    expect(empty).toEqual([]);
  });

  it('has accepted and rejected answers for every gap card in the bank', () => {
    const missing = gapCards
      .map((c) => c.meta.id)
      .filter((id) => !answers[id] || answers[id].accepted.length === 0 || answers[id].rejected.length === 0);
    expect(missing).toEqual([]);
  });
});
