import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoRunner } from '../../src/quiz/demo-runner.js';
import { useTempDir } from '../support/temp-dir.js';

describe('createDemoRunner', () => {
  const tempDir = useTempDir();

  /** A stand-in for bin/kq.js: prints its arguments, fails for the demo named "broken". */
  function setup() {
    const dir = tempDir();
    const demosDir = join(dir, 'demos');
    mkdirSync(demosDir);
    for (const id of ['works', 'broken']) writeFileSync(join(demosDir, `${id}.ts`), '');
    const fakeKq = join(dir, 'fake-kq.mjs');
    writeFileSync(
      fakeKq,
      "console.log('ran ' + process.argv.slice(2).join(' ')); process.exit(process.argv[3] === 'broken' ? 1 : 0);\n",
    );
    return createDemoRunner({ demosDir, kqCommand: [process.execPath, fakeKq] });
  }

  it('says a demo whose file does not exist is not written yet', async () => {
    expect(await setup().run('later', 'capture')).toEqual({
      status: 'missing',
      message: 'demo later is not written yet',
      output: '',
    });
  });

  it('runs `kq demo <id>` as a child process and captures what it printed', async () => {
    expect(await setup().run('works', 'capture')).toEqual({
      status: 'passed',
      message: 'demo works finished',
      output: 'ran demo works\n',
    });
  });

  it('reports a failing demo with how to run it alone, and its exit code', async () => {
    const run = await setup().run('broken', 'capture');
    expect(run.status).toBe('failed');
    expect(run.exitCode).toBe(1);
    expect(run.message).toBe('demo broken failed (exit 1); run `kq demo broken` to see it alone');
  });

  it("narrates the demo in the quiz's language when one is given", async () => {
    expect((await setup().run('works', 'capture', 'zh')).output).toBe('ran demo works --lang zh\n');
  });
});
