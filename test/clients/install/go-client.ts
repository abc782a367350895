import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram } from '../run-program.js';
import { cachedInstall, CLIENTS_DIR, hashOf } from './client-cache.js';

const SOURCE = join(CLIENTS_DIR, 'go');
let building: Promise<string> | undefined;

/**
 * The franz-go harness binary, built once per source and Go version from clients/go (go.mod and go.sum pin
 * every module; -mod=readonly so a build never changes them). Go's module and build caches are its own
 * (~/go/pkg/mod, ~/.cache/go-build): reused on this machine, filled from the module proxy on a clean one.
 */
export function franzGo(): Promise<string> {
  building ??= build();
  return building;
}

async function build(): Promise<string> {
  const go = await step(['version'], 'finding Go (Debian: apt-get install golang-go)');
  const inputs = ['go.mod', 'go.sum', 'main.go'].map((file) => readFileSync(join(SOURCE, file), 'utf8'));
  const dir = await cachedInstall('franz-go', hashOf(go, ...inputs), async (out) => {
    await step(['build', '-mod=readonly', '-o', join(out, 'kq-franz'), '.'], 'go build in clients/go');
  });
  return join(dir, 'kq-franz');
}

async function step(args: string[], what: string): Promise<string> {
  const timeoutMs = 300_000;
  const run = await runProgram('go', args, { timeoutMs, cwd: SOURCE }).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`);
  });
  if (run.code !== 0) {
    throw new Error(
      `${what} ${run.timedOut ? `took over ${timeoutMs} ms` : `failed (exit ${run.code})`}:\n${run.stderr.trim().slice(-1500)}`,
    );
  }
  return run.stdout.trim();
}
