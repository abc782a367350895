import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { defineDemo, type DemoContext } from '../../src/demo/demo-definition.js';
import { ClusterUnreachableError, DemoNeedsInternalsError, runDemo } from '../../src/demo/demo-runner.js';

const demo = (run: (ctx: DemoContext) => Promise<void>, needs: 'client' | 'internals' = 'internals') =>
  defineDemo({
    id: 'test-demo',
    title: { zh: '测试', en: 'test' },
    claim: { zh: '论断', en: 'claim' },
    needs,
    knobs: {},
    run,
  });
const pass = { pass: true, expected: 'x', actual: 'x' };
const fail = { pass: false, expected: 'x', actual: 'y' };
const label = { zh: '检查', en: 'a check' };

/** Resolves true if something accepts TCP connections on the port. */
function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('runDemo', () => {
  it('is proven when every check held, with the events in order', async () => {
    const result = await runDemo(
      demo(async (ctx) => {
        ctx.step({ zh: '一步', en: 'a step' });
        ctx.observe('n', 3);
        ctx.check(label, pass);
      }),
      { lang: 'en' },
    );
    expect(result.proven).toBe(true);
    expect(result.reason).toBe('all 1 checks held');
    expect(result.events.map((e) => e.kind)).toEqual(['step', 'observation', 'check']);
    expect(result.target).toBe('mini-broker');
  });

  it("records a check's bilingual expectation and finding in the run's language", async () => {
    const bilingual = demo(async (ctx) => {
      ctx.check(label, { pass: true, expected: { zh: '3 条', en: '3 records' }, actual: 'p0: 3' });
      ctx.notApplicable(label, { zh: '此处不适用', en: 'not here' });
    });
    for (const [lang, expected, why] of [
      ['zh', '3 条', '此处不适用'],
      ['en', '3 records', 'not here'],
    ] as const) {
      const result = await runDemo(bilingual, { lang });
      expect(result.events).toEqual([
        { kind: 'check', label, pass: true, expected, actual: 'p0: 3' },
        { kind: 'not-applicable', label, why },
      ]);
    }
  });

  it('is not proven when one check failed, naming it', async () => {
    const result = await runDemo(
      demo(async (ctx) => (ctx.check(label, pass), ctx.check({ zh: '坏', en: 'the bad one' }, fail))),
      { lang: 'en' },
    );
    expect(result.proven).toBe(false);
    expect(result.reason).toBe('1 of 2 checks failed: the bad one');
  });

  it('is not proven when the demo made no check', async () => {
    const result = await runDemo(
      demo(async (ctx) => ctx.observe('n', 1)),
      { lang: 'en' },
    );
    expect(result).toMatchObject({ proven: false, reason: 'the demo made no check, so nothing was proven' });
  });

  it('is not proven when the demo throws, and still closes its broker', async () => {
    let port = 0;
    const result = await runDemo(
      demo(async (ctx) => {
        port = ctx.broker!.port;
        ctx.check(label, pass);
        throw new Error('boom');
      }),
      { lang: 'en' },
    );
    expect(result).toMatchObject({ proven: false, error: 'boom' });
    expect(port).toBeGreaterThan(0);
    expect(await accepting(port)).toBe(false);
  });

  it('times out a demo that never finishes', async () => {
    const result = await runDemo(
      demo(() => new Promise(() => undefined)),
      { lang: 'en', timeoutMs: 200 },
    );
    expect(result).toMatchObject({ proven: false, error: 'timed out after 200 ms waiting for the demo to finish' });
  });

  it('refuses to run an internals demo against an external cluster', async () => {
    await expect(
      runDemo(
        demo(async () => undefined),
        { lang: 'en', bootstrapServer: '127.0.0.1:9092' },
      ),
    ).rejects.toThrow(DemoNeedsInternalsError);
  });

  it('reports an unreachable external cluster as such', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(
      runDemo(
        demo(async () => undefined, 'client'),
        { lang: 'en', bootstrapServer: `127.0.0.1:${port}` },
      ),
    ).rejects.toThrow(ClusterUnreachableError);
  });

  it('runs a client demo against an external cluster given its bootstrap address', async () => {
    const { KafkaBroker } = await import('../../src/broker/server/kafka-broker.js');
    const external = await KafkaBroker.start();
    try {
      const result = await runDemo(
        demo(async (ctx) => {
          const admin = await ctx.admin();
          const topic = ctx.topic('ext');
          await admin.createTopics({ topics: [{ topic }] });
          ctx.check(label, {
            pass: ctx.broker === undefined && external.topics().includes(topic),
            expected: 'topic on the external broker',
            actual: external.topics().join(','),
          });
        }, 'client'),
        { lang: 'en', bootstrapServer: external.bootstrap },
      );
      expect(result).toMatchObject({ proven: true, target: 'external', bootstrap: external.bootstrap });
    } finally {
      await external.close();
    }
  });
});
