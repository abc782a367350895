import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram } from '../run-program.js';
import { cachedInstall, CLIENTS_DIR, hashOf } from './client-cache.js';

const REQUIREMENTS = join(CLIENTS_DIR, 'python', 'requirements.txt');
let installing: Promise<string> | undefined;

/**
 * A venv with the pinned Python clients (clients/python/requirements.txt, exact versions from PyPI) and the
 * path of its interpreter. Built once per requirements file and Python; `npm run clients:install` does it ahead
 * of the tests in CI.
 */
export function pythonClients(): Promise<string> {
  installing ??= install();
  return installing;
}

async function install(): Promise<string> {
  const python = process.env.KQ_PYTHON ?? 'python3';
  const interpreter = await step(python, ['-c', 'import sys; print(sys.version)'], 'finding Python');
  const dir = await cachedInstall('python', hashOf(readFileSync(REQUIREMENTS, 'utf8'), interpreter), async (venv) => {
    await step(python, ['-m', 'venv', venv], 'creating the venv (Debian: apt-get install python3-venv)');
    await step(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', '--only-binary', ':all:', '-r', REQUIREMENTS],
      'pip install -r clients/python/requirements.txt',
    );
  });
  return join(dir, 'bin', 'python');
}

async function step(command: string, args: string[], what: string): Promise<string> {
  const timeoutMs = 300_000;
  const run = await runProgram(command, args, { timeoutMs }).catch((error: Error) => {
    throw new Error(`${what}: ${error.message}`);
  });
  if (run.code !== 0) {
    throw new Error(
      `${what} ${run.timedOut ? `took over ${timeoutMs} ms` : `failed (exit ${run.code})`}:\n${run.stderr.trim().slice(-1500)}`,
    );
  }
  return run.stdout.trim();
}
