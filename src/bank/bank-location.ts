import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the bank's files live. Cards, demos and the reference copies of the seed and FACTS travel with the
 * package, so they are found relative to this module (from src/ in tests, from dist/ when bundled).
 * KQ_BANK_ROOT points kq at another tree with the same layout (tests use it for broken banks).
 */
export interface BankLocation {
  root: string;
  questionsDir: string;
  demosDir: string;
  seedFile: string;
  factsFile: string;
}

export function bankLocation(root: string): BankLocation {
  return {
    root,
    questionsDir: join(root, 'questions'),
    demosDir: join(root, 'demos'),
    seedFile: join(root, 'data', 'seed', 'kafka-interview-questions.zh.md'),
    factsFile: join(root, 'data', 'FACTS.md'),
  };
}

let packageRoot: string | undefined;

/** The kq package root: the nearest folder above this module holding package.json and questions/. */
export function findPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'questions'))) return (packageRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kq: cannot find the question bank above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function defaultBankLocation(env: NodeJS.ProcessEnv = process.env): BankLocation {
  return bankLocation(env.KQ_BANK_ROOT ? resolve(env.KQ_BANK_ROOT) : findPackageRoot());
}
