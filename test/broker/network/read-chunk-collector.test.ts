import { describe, expect, it } from 'vitest';
import { exposedCollector, ReadChunkCollector } from '../../../src/broker/network/read-chunk-collector.js';

describe('ReadChunkCollector', () => {
  it('asks for one young-generation collection per everyBytes read, counting across reads', () => {
    const asked: unknown[] = [];
    const collector = new ReadChunkCollector(100, (options) => asked.push(options));
    for (let i = 0; i < 9; i++) collector.noteRead(30); // 270 bytes: collections at 120 and 240
    expect(asked).toEqual([
      { type: 'minor', execution: 'sync' },
      { type: 'minor', execution: 'sync' },
    ]);
    expect(collector.count).toBe(2);
  });

  it('collects nothing where the collector cannot be exposed', () => {
    const collector = new ReadChunkCollector(1, null);
    collector.noteRead(10);
    expect(collector.count).toBe(0);
  });

  it('exposes V8’s collector at run time on this Node, and a minor collection runs', () => {
    const gc = exposedCollector();
    expect(typeof gc).toBe('function');
    expect(() => gc!({ type: 'minor', execution: 'sync' })).not.toThrow();
  });
});
