import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Runs hang-probe.ts (see there) in its own process group; kills the group whatever happens. */
async function probe(): Promise<{
  hung: { kind: string; stack: string[]; grandchild: number; grandchildAlive: boolean };
  done: { kind: string; stdout: string; code?: number };
}> {
  const child = spawn(
    process.execPath,
    ['--experimental-websocket', 'scripts/run-ts.mjs', 'test/chaos/support/hang-probe.ts'],
    { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const last = stdout.trim().split('\n').pop() ?? '';
    if (code !== 0 || !last.startsWith('{')) throw new Error(`hang-probe ended with ${code}:\n${stdout}\n${stderr}`);
    return JSON.parse(last) as Awaited<ReturnType<typeof probe>>;
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

describe('a chaos run in its own process, with a deadline', () => {
  it('a run spinning on microtasks past its deadline is stopped with its stack taken, and its detached children are killed; a run that ends gives its output', async () => {
    const { hung, done } = await probe();
    expect(hung.kind).toBe('hung');
    // The innermost frame is the function that spins (no timer or signal handler of its own could have said so).
    expect(hung.stack[0]).toMatch(/^at spinOnMicrotasks /);
    expect(hung.grandchild).toBeGreaterThan(0);
    expect(hung.grandchildAlive).toBe(false);
    expect(done).toEqual({ kind: 'exited', stdout: '{"ok":true}\n', code: 0 });
  }, 120_000);
});
