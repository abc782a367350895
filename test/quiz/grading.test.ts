import { describe, expect, it } from 'vitest';
import { PickError, answerForms, gradeGap, gradePicks, normaliseAnswer, parsePicks } from '../../src/quiz/grading.js';
import { cardById } from './quiz-fixtures.js';

describe('normaliseAnswer', () => {
  it.each([
    ['ISR', 'isr', 'folds case'],
    ['ＩＳＲ', 'isr', 'folds full-width letters'],
    ['  in   sync\treplicas ', 'in sync replicas', 'collapses and trims spaces'],
    ['ISR 列表', 'isr列表', 'drops spaces next to CJK characters'],
    ['同步 副本 集合', '同步副本集合', 'drops spaces between CJK characters'],
    ['acks＝all', 'acks=all', 'folds full-width punctuation'],
    ['`delivery.timeout.ms`', 'delivery.timeout.ms', 'drops surrounding backticks'],
    ['"ISR"。', 'isr', 'drops surrounding quotes and a full stop'],
    ['the ISR', 'isr', 'drops a leading filler word'],
    ['isr', 'isr', 'keeps a word that merely starts like a filler ("is")'],
    ['4.0版本', '4.0.0', 'drops a trailing 版本 and spells the version one way'],
    ['kafka4.0', '4.0.0', 'drops a glued-on Kafka'],
    ['Kafka 4', '4.0.0', 'reads a bare major version as x.0.0'],
    ['4.0.x', '4.0.0', 'reads an x as 0'],
    ['v4.0', '4.0.0', 'drops a v prefix'],
    ['ＫＡＦＫＡ　４．０', '4.0.0', 'folds full-width version spellings'],
    ['从 4.0 版本起', '4.0.0', 'drops what the sentence says around the version'],
    ['4.1', '4.1.0', 'keeps the minor version'],
    ['kafka.server', 'kafka.server', 'keeps a filler word that is part of a name'],
  ])('%s → %s (%s)', (typed, expected) => {
    expect(normaliseAnswer(typed)).toBe(expected);
  });
});

describe('answerForms', () => {
  it('expands square-bracketed optional words, nested too', () => {
    expect(answerForms('[__consumer_offsets [topic ]的]分区数').sort()).toEqual(
      ['分区数', '__consumer_offsets 的分区数', '__consumer_offsets topic 的分区数'].sort(),
    );
  });
  it('leaves an answer without brackets alone', () => {
    expect(answerForms('delivery.timeout.ms')).toEqual(['delivery.timeout.ms']);
  });
  it('refuses an unbalanced bracket', () => {
    expect(() => answerForms('[oops')).toThrow(/unbalanced/);
  });
});

describe('gradeGap', () => {
  const card = cardById('gap-isr');
  it.each([
    ['ISR', 'en', true],
    ['  in-sync   REPLICAS ', 'en', true],
    ['同步副本集合', 'en', true], // an answer of the other language counts too
    ['ｉｓｒ', 'zh', true],
    ['leader', 'en', false],
    ['', 'en', false],
  ] as const)('%j in %s is %s', (typed, lang, correct) => {
    expect(gradeGap(card, lang, typed)).toEqual({ correct, suggested: correct ? 3 : 1 });
  });
});

describe('parsePicks and gradePicks', () => {
  const choice = cardById('pick-acks');
  const multi = cardById('multi-durability');

  it.each([
    ['c', [2]],
    ['C', [2]],
  ])('a choice card takes one letter: %s', (typed, picks) => {
    expect(parsePicks(choice, typed)).toEqual(picks);
  });

  it.each([
    ['ca', [0, 2]],
    ['a, c', [0, 2]],
    ['aa', [0]],
  ])('a multi card takes a set of letters: %s', (typed, picks) => {
    expect(parsePicks(multi, typed)).toEqual(picks);
  });

  it.each([
    [choice, 'ab', /one right answer/],
    [choice, 'd', /'d' is not a choice; pick a letter a–c/],
    [multi, '', /pick a letter a–c/],
  ])('refuses %# with a message naming the valid letters', (card, typed, message) => {
    expect(() => parsePicks(card, typed)).toThrow(PickError);
    expect(() => parsePicks(card, typed)).toThrow(message);
  });

  it.each([
    [choice, [2], true],
    [choice, [0], false],
    [multi, [0, 2], true],
    [multi, [0], false], // half right is wrong
    [multi, [0, 1, 2], false], // one too many is wrong
  ])('grades %# as correct=%s and suggests Good or Again', (card, picks, correct) => {
    expect(gradePicks(card, picks)).toEqual({ correct, suggested: correct ? 3 : 1 });
  });
});
