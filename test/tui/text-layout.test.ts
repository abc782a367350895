import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { joinSoftBreaks } from '../../src/tui/soft-breaks.js';
import { wrapLines } from '../../src/tui/wrap-lines.js';

describe('wrapLines', () => {
  it.each([
    [
      'breaks Latin text at spaces',
      'the quick brown fox jumps over the lazy dog',
      15,
      ['the quick brown', 'fox jumps over', 'the lazy dog'],
    ],
    [
      'breaks CJK text between characters, counting each as two columns',
      '分区是只追加的日志不是队列',
      10,
      ['分区是只追', '加的日志不', '是队列'],
    ],
    ['cuts a word longer than the line', 'abcdefghijklmnopqrstuvwxyz', 10, ['abcdefghij', 'klmnopqrst', 'uvwxyz']],
    ['keeps short lines and empty lines as they are', 'a\n\nb', 10, ['a', '', 'b']],
  ])('%s', (_what, text, width, expected) => {
    expect(wrapLines(text, width)).toEqual(expected);
  });

  it('never exceeds the width, ANSI colour codes aside', () => {
    const text =
      '\u001b[33mKafka 是一个分布式、分区、多副本的提交日志（commit log），在此之上做成了流处理平台\u001b[39m';
    for (const line of wrapLines(text, 20)) expect(stringWidth(line)).toBeLessThanOrEqual(20);
  });
});

describe('joinSoftBreaks', () => {
  it.each([
    ['joins Latin paragraph lines with a space', 'one line\nand the next', 'one line and the next'],
    ['joins CJK paragraph lines without a space', '追加到\ntopic 的分区', '追加到topic 的分区'],
    ['keeps paragraphs apart', 'a\n\nb', 'a\n\nb'],
    ['keeps list items on their lines', '- one\n- two', '- one\n- two'],
    ['keeps fenced code as written', '```\na\nb\n```', '```\na\nb\n```'],
    ['keeps table rows', '| a |\n| b |', '| a |\n| b |'],
  ])('%s', (_what, markdown, expected) => {
    expect(joinSoftBreaks(markdown)).toBe(expected);
  });
});
