import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { joinSoftBreaks } from '../../src/text/soft-breaks.js';
import { wrapText } from '../../src/text/wrap-text.js';

/** Punctuation that closes: no row may start with it (CJK line-breaking rules, UAX #14 class CL/CP/IS/EX). */
const STARTS_WITH_CLOSING = /^\s*[，。、；：？！）」』】》〉,.;:!?)\]]/u;

describe('wrapText', () => {
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
    [
      'never starts a row with a closing mark: 。 moves down with the character before it',
      '一二三四五。六七',
      10,
      ['一二三四', '五。六七'],
    ],
    ['never splits a Latin word inside Chinese text', '副本同步 leader 的日志', 12, ['副本同步', 'leader 的日', '志']],
    [
      'indents continuation rows under the text of a list item or choice',
      '  * acks=0 the send counts as done once it leaves',
      24,
      ['  * acks=0 the send', '    counts as done once', '    it leaves'],
    ],
    [
      'indents under a choice letter',
      '❯ [ ] b) one two three four five',
      20,
      ['❯ [ ] b) one two', '         three four', '         five'],
    ],
  ])('%s', (_what, text, width, expected) => {
    expect(wrapText(text, width)).toEqual(expected);
  });

  it.each([10, 13, 17, 20, 31, 40, 60])('never starts a Chinese row with closing punctuation at width %i', (width) => {
    const text =
      'Kafka 是一个分布式、分区、多副本的提交日志（commit log），在此之上做成了流处理平台。生产者把记录追加到 topic 的分区末尾，记录按 offset 顺序持久化在磁盘上；消费者按自己的进度拉取，可以重复读取！';
    const rows = wrapText(text, width);
    for (const row of rows) {
      expect(stringWidth(row), row).toBeLessThanOrEqual(width);
      expect(row, `row starts with closing punctuation at ${width}: ${rows.join(' | ')}`).not.toMatch(
        STARTS_WITH_CLOSING,
      );
    }
    expect(rows.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('never exceeds the width, ANSI colour codes aside, and reopens a colour cut at a row end', () => {
    const text =
      '\u001b[33mKafka 是一个分布式、分区、多副本的提交日志（commit log），在此之上做成了流处理平台\u001b[39m';
    const rows = wrapText(text, 20);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(20);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(1)) expect(row.startsWith('\u001b[33m'), row).toBe(true);
    for (const row of rows.slice(0, -1)) expect(row.endsWith('\u001b[0m'), row).toBe(true);
  });
});

describe('joinSoftBreaks', () => {
  it.each([
    ['joins Latin paragraph lines with a space', 'one line\nand the next', 'one line and the next'],
    ['joins CJK paragraph lines without a space', '追加到\ntopic 的分区', '追加到topic 的分区'],
    ['keeps paragraphs apart', 'a\n\nb', 'a\n\nb'],
    ['keeps list items on their lines', '- one\n- two', '- one\n- two'],
    ['joins a list item with its indented continuation', '- one\n  more\n- two', '- one more\n- two'],
    ['keeps fenced code as written', '```\na\nb\n```', '```\na\nb\n```'],
    ['keeps table rows', '| a |\n| b |', '| a |\n| b |'],
  ])('%s', (_what, markdown, expected) => {
    expect(joinSoftBreaks(markdown)).toBe(expected);
  });
});
