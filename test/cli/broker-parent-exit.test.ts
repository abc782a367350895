import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kqBin } from './run-kq.js';

/**
 * `kq broker` under a wrapper that does not pass SIGTERM on (npx, npm exec, `sh -c`): the wrapper is killed, the
 * broker is re-parented, and it must notice and close instead of holding its port forever. The wrapper here is a
 * `sh -c` that runs the broker as a child (not exec'd), the same shape as `npx kq broker`.
 */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const portRefuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

describe('kq broker when its parent goes away', () => {
  let wrapper: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(() => {
    // the wrapper's process group holds the broker too: nothing is left holding a port if the test failed
    if (wrapper?.pid) {
      try {
        process.kill(-wrapper.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('closes and frees its port when the wrapper that started it is killed with SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kq-parent-exit-'));
    const command = `'${process.execPath}' '${kqBin}' broker --port 0 --data-dir '${join(dir, 'data')}'; true`;
    wrapper = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    wrapper.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    wrapper.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await waitUntil('the broker saying where it listens', () => /pid \d+/.test(out), 30_000);
    const [, port, pid] = /listening on 127\.0\.0\.1:(\d+) pid (\d+)/.exec(out)!.map(Number);
    expect(alive(pid!)).toBe(true);

    process.kill(wrapper.pid!, 'SIGTERM'); // the wrapper only: sh does not pass it on to its child
    await waitUntil(`broker pid ${pid} exiting after its parent did (stderr: ${err})`, () => !alive(pid!), 15_000);
    expect(await portRefuses(port!)).toBe(true);
    expect(err).toMatch(/parent process \d+ exited: closing/);
    expect(err).toContain('closed');
  }, 60_000);
});
