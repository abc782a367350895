import { describe, expect, it } from 'vitest';
import { defineDemo } from '../../src/demo/demo-definition.js';
import { KnobError, resolveKnobs } from '../../src/demo/demo-knobs.js';

const demo = defineDemo({
  id: 'knobbed',
  title: { zh: '旋钮', en: 'knobs' },
  claim: { zh: '论断', en: 'claim' },
  needs: 'client',
  knobs: {
    acks: { default: -1, choices: [-1, 0, 1], about: { zh: 'acks', en: 'acks' } },
    'min.insync.replicas': { default: 1, min: 1, max: 3, about: { zh: 'min ISR', en: 'min ISR' } },
    'enable.idempotence': { default: true, about: { zh: '幂等', en: 'idempotence' } },
    codec: { default: 'gzip', choices: ['gzip', 'none'], about: { zh: '压缩', en: 'codec' } },
  },
  run: async () => {},
});

describe('resolveKnobs', () => {
  it('gives the defaults when nothing is set', () => {
    expect(resolveKnobs(demo, [])).toEqual({
      acks: -1,
      'min.insync.replicas': 1,
      'enable.idempotence': true,
      codec: 'gzip',
    });
  });

  it('parses each value by the type of its default', () => {
    expect(resolveKnobs(demo, ['acks=1', 'min.insync.replicas=2', 'enable.idempotence=false', 'codec=none'])).toEqual({
      acks: 1,
      'min.insync.replicas': 2,
      'enable.idempotence': false,
      codec: 'none',
    });
  });

  it.each([
    ['acks=2', /one of -1, 0, 1/],
    ['min.insync.replicas=4', /1\.\.3/],
    ['min.insync.replicas=two', /takes a number/],
    ['enable.idempotence=yes', /true or false/],
    ['codec=zstd', /one of gzip, none/],
    ['ack=1', /no knob 'ack'; did you mean acks/],
    ['acks', /name=value/],
  ])('refuses %s, naming what is valid', (assignment, message) => {
    expect(() => resolveKnobs(demo, [assignment])).toThrow(KnobError);
    expect(() => resolveKnobs(demo, [assignment])).toThrow(message);
  });
});
