// Run by isolated-run.test.ts through scripts/run-ts.mjs with --experimental-websocket (Node 20 has its WebSocket
// client behind that flag): a child that spins on microtasks forever, after starting a detached grandchild as a
// chaos run starts its nodes, goes through runIsolated with a short deadline. Prints what came back as JSON.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIsolated } from '../../../src/chaos/isolated-run.js';

const dir = mkdtempSync(join(tmpdir(), 'kq-hang-probe-'));
const spin = join(dir, 'spin.mjs');
writeFileSync(
  spin,
  `import { spawn } from 'node:child_process';
const node = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
process.stdout.write('grandchild ' + node.pid + '\\n');
async function spinOnMicrotasks() { for (;;) await null; }
setTimeout(spinOnMicrotasks, 100);
`,
);
const quick = join(dir, 'quick.mjs');
writeFileSync(quick, `process.stdout.write('{"ok":true}\\n');`);
try {
  const hung = await runIsolated(process.execPath, ['--inspect-port=0', spin], 3000);
  const grandchild = Number(/grandchild (\d+)/.exec(hung.stdout)?.[1]);
  // A killed process stays a zombie until it is reaped; what counts is that it no longer runs.
  const alive = (pid: number) => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  const done = await runIsolated(process.execPath, [quick], 30_000);
  process.stdout.write(
    `${JSON.stringify({
      hung: {
        kind: hung.kind,
        stack: hung.kind === 'hung' ? hung.stack : [],
        grandchild,
        grandchildAlive: alive(grandchild),
      },
      done: { kind: done.kind, stdout: done.stdout, code: done.kind === 'exited' ? done.code : undefined },
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
