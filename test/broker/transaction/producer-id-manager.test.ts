import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PRODUCER_ID_BLOCK_FILE,
  PRODUCER_ID_RANGE_PER_BROKER,
  ProducerIdBlockFileError,
  ProducerIdManager,
} from '../../../src/broker/transaction/producer-id-manager.js';
import { useTempDir } from '../../support/temp-dir.js';

describe('ProducerIdManager', () => {
  const dir = useTempDir();

  it('hands out ids 0, 1, 2… and persists the block before the first id of it is issued', () => {
    const manager = ProducerIdManager.open(dir(), 0);
    expect([manager.generateProducerId(), manager.generateProducerId(), manager.generateProducerId()]).toEqual([
      0n,
      1n,
      2n,
    ]);
    expect(JSON.parse(readFileSync(join(dir(), PRODUCER_ID_BLOCK_FILE), 'utf8'))).toEqual({
      version: 1,
      broker: 0,
      block_start: '0',
      block_end: '999',
    });
  });

  it('never reissues an id after a restart: the next run starts past the persisted block', () => {
    const first = ProducerIdManager.open(dir(), 0);
    for (let i = 0; i < 1001; i++) first.generateProducerId(); // crosses into the second block
    const second = ProducerIdManager.open(dir(), 0);
    expect(second.generateProducerId()).toBe(2000n);
  });

  it('knows which ids were issued, also those of a previous run, and no others', () => {
    const first = ProducerIdManager.open(dir(), 0);
    first.generateProducerId();
    expect([first.isIssued(0n), first.isIssued(1n), first.isIssued(-1n)]).toEqual([true, false, false]);
    const second = ProducerIdManager.open(dir(), 0);
    // 1..999 may have been handed out before the restart (the block was taken): treated as issued.
    expect([second.isIssued(0n), second.isIssued(999n), second.isIssued(1000n)]).toEqual([true, true, false]);
  });

  it('gives every broker its own range, so two brokers of a cluster never issue the same id', () => {
    const other = join(dir(), 'other');
    mkdirSync(other);
    const zero = ProducerIdManager.open(dir(), 0);
    const two = ProducerIdManager.open(other, 2);
    expect(zero.generateProducerId()).toBe(0n);
    expect(two.generateProducerId()).toBe(2n * PRODUCER_ID_RANGE_PER_BROKER);
    expect(two.isIssued(0n)).toBe(false);
    expect(ProducerIdManager.open(other, 2).generateProducerId()).toBe(2n * PRODUCER_ID_RANGE_PER_BROKER + 1000n);
  });

  it('refuses to start on a damaged block file rather than risk reissuing ids', () => {
    writeFileSync(join(dir(), PRODUCER_ID_BLOCK_FILE), '{"version":1,"block_start":"x"');
    expect(() => ProducerIdManager.open(dir(), 0)).toThrow(ProducerIdBlockFileError);
  });
});
