import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultBankLocation } from '../../src/bank/bank-location.js';
import type { BodyLang } from '../../src/bank/card-body.js';
import { loadBank } from '../../src/bank/load-bank.js';
import { cardTextIn } from './card-text.js';

// The reviewer's corrections of issue 14, each pinned by phrase in both languages, so a later edit cannot quietly
// bring the old claim back. A card's text in one language: its body sections, its choices and its version notes.
const location = defaultBankLocation({});
const bank = loadBank(location);
const byId = new Map(bank.cards.map((c) => [c.meta.id, c]));

function textOf(id: string, lang: BodyLang): string {
  const card = byId.get(id);
  if (!card) throw new Error(`no card ${id} in the bank`);
  return cardTextIn(card, lang);
}

interface Correction {
  what: string;
  cards: string[];
  zh: RegExp[];
  en: RegExp[];
  /** Old claims that must be gone. */
  notZh?: RegExp[];
  notEn?: RegExp[];
}

const corrections: Correction[] = [
  {
    what: '1. since 3.7 the HW does not advance while the ISR is below min.insync.replicas (KAFKA-15583)',
    cards: ['min-insync-replicas-reject', 'isr-ar-osr', 'acks-levels', 'offset-meaning'],
    zh: [/KAFKA-15583/, /3\.7/, /高水位/],
    en: [/KAFKA-15583/, /3\.7/, /high watermark/],
    notZh: [/读不受影响/],
    notEn: [/Reads are unaffected/],
  },
  {
    what: '1b. acks=0/1 writes are acknowledged but unreadable until the ISR recovers',
    cards: ['min-insync-replicas-reject'],
    zh: [/acks=0\/1 的写入.*确认/, /ISR 恢复前/],
    en: [/acks=0\/1 writes are (still )?appended and acknowledged/, /until the ISR recovers/],
  },
  {
    what: '2. BufferExhaustedException / RecordTooLargeException come back in the Future and callback',
    cards: ['producer-buffer-pool', 'producer-retry-bound', 'buffer-pool-oversized-record'],
    zh: [/doSend/, /失败的 Future/, /回调/],
    en: [/doSend/, /failed Future/, /callback/],
    notZh: [/然后抛异常/, /抛出超时异常/],
    notEn: [/and then throws/, /RecordTooLargeException is thrown/],
  },
  {
    what: '3. heartbeats come from a background thread (KIP-62): a blocking fetch would not stop them',
    cards: ['fetch-long-poll-empty-partition'],
    zh: [/KIP-62/, /后台线程/, /request\.timeout\.ms/],
    en: [/KIP-62/, /background thread/, /request\.timeout\.ms/],
    notZh: [/无法及时发送心跳/],
    notEn: [/stop the consumer from\s+heartbeating/],
  },
  {
    what: '4. committed offsets expire too (offsets.retention.minutes, 7 days, from when the group became empty)',
    cards: ['auto-offset-reset', 'auto-offset-reset-after-retention'],
    zh: [/offsets\.retention\.minutes/, /7 天/, /组变空/],
    en: [/offsets\.retention\.minutes/, /7 days/, /group became\s+empty/],
  },
  {
    what: '5. max.poll.interval.ms: a dynamic member leaves; a static member waits for session.timeout.ms',
    cards: ['rebalance-timeouts'],
    zh: [/动态成员/, /静态成员.*不发 LeaveGroup/, /session\.timeout\.ms/],
    en: [/dynamic member/, /static member[^.]*sends no LeaveGroup/, /session\.timeout\.ms/],
  },
  {
    what: '6. the defaults do not promise "no loss" with min.insync.replicas=1',
    cards: ['acks-default-today'],
    zh: [/不保证不丢/, /min\.insync\.replicas 默认 1/],
    en: [/not no loss/, /min\.insync\.replicas defaults to 1/],
    notZh: [/单分区不丢、不重、不乱序/],
    notEn: [/"no loss, no duplicates,\s+no reordering/],
  },
  {
    what: '8. share groups: Early Access 4.0, Preview 4.1, production-ready 4.2',
    cards: ['kafka-vs-traditional-mq', 'consumer-group-basics', 'share-groups-vs-consumer-groups'],
    zh: [/4\.0 早期访问/, /4\.1 预览/, /4\.2 可用于生产/],
    en: [/Early Access in 4\.0/, /Preview in 4\.1/, /production-ready( \(GA\))? in 4\.2/],
    notZh: [/早期预览/],
  },
  {
    what: '9. with ELR a per-broker min.insync.replicas cannot be set',
    cards: ['acks-default-today', 'no-message-loss-end-to-end'],
    zh: [/ELR/, /不能(再)?(在单个 broker 上|按 broker )设置/, /按 topic/],
    en: [/ELR/, /cannot be set per broker/, /per topic/],
  },
  {
    what: '11. follower fetches use sendfile only on a plaintext inter-broker listener',
    cards: ['zero-copy-which-paths', 'zero-copy-where-used'],
    zh: [/broker 间 listener.*明文/],
    en: [/inter-broker listener[^.]*plaintext/],
  },
];

describe.each(corrections)('correction $what', (c) => {
  it.each(c.cards)('%s says it in Chinese and in English', (id) => {
    const zh = textOf(id, 'zh');
    const en = textOf(id, 'en');
    for (const p of c.zh) expect(zh, `${id} (zh) should match ${p}`).toMatch(p);
    for (const p of c.en) expect(en, `${id} (en) should match ${p}`).toMatch(p);
    for (const p of c.notZh ?? []) expect(zh, `${id} (zh) still says ${p}`).not.toMatch(p);
    for (const p of c.notEn ?? []) expect(en, `${id} (en) still says ${p}`).not.toMatch(p);
  });
});

describe('the corrections that are not about one phrase', () => {
  it('7. kafka-elections credits ZooKeeper removal to KIP-500, not KIP-848', () => {
    const card = byId.get('kafka-elections')!;
    const removal = card.meta.versions.filter((v) => /ZooKeeper/.test(v.en));
    expect(removal.map((v) => v.kip)).toEqual(['KIP-500']);
    expect(card.meta.versions.find((v) => v.kip === 'KIP-848')?.en).not.toMatch(/ZooKeeper/);
    expect(card.meta.versions.find((v) => v.kip === 'KIP-848')?.zh).not.toMatch(/ZooKeeper/);
  });

  it('10. the strict gap cards accept the spellings the review found refused (gap-answers.test.ts has the rest)', () => {
    expect(byId.get('group-coordinator-partition')!.meta.type).toBe('gap');
    expect(byId.get('zookeeper-removal-version')!.meta.type).toBe('gap');
  });

  it('the KAFKA-13598 caveat is explained in full once, in acks-default-today, and linked from the others', () => {
    const mentioning = bank.cards.filter((c) =>
      (['zh', 'en'] as const).some((lang) => /KAFKA-13598/.test(textOf(c.meta.id, lang))),
    );
    expect(mentioning.map((c) => c.meta.id)).toEqual(['acks-default-today']);
    const linking = bank.cards.filter(
      (c) => c.meta.id !== 'acks-default-today' && /see acks-default-today/.test(textOf(c.meta.id, 'en')),
    );
    for (const c of linking) expect(textOf(c.meta.id, 'zh')).toMatch(/见 acks-default-today/);
    expect(linking.length).toBeGreaterThanOrEqual(5);
  });

  it('zero-copy-sendfile explains the mechanism and zero-copy-where-used the map: different questions', () => {
    expect(textOf('zero-copy-sendfile', 'en')).toMatch(/see the card zero-copy-where-used/);
    expect(textOf('zero-copy-where-used', 'en')).toMatch(/is the card zero-copy-sendfile/);
    expect(textOf('zero-copy-sendfile', 'en')).not.toMatch(/mmap is only for index files/);
    expect(byId.get('zero-copy-sendfile')!.meta.title.en).not.toEqual(byId.get('zero-copy-where-used')!.meta.title.en);
  });

  it('F9: FACTS says the Java KafkaProducer shipped in 0.8.2, not 0.9', () => {
    const facts = readFileSync(location.factsFile, 'utf8');
    const f9 = facts.split('\n').find((l) => l.startsWith('| F9 |'))!;
    expect(f9).toMatch(/0\.8\.2/);
    expect(f9).not.toMatch(/replaced it \(0\.9\)/);
  });
});
