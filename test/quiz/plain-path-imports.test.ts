import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The plain path must never load ink or react: they cost startup time, and on a pipe ink would fail on raw
 * mode. This follows the static imports (not `await import(...)`) from `kq quiz` and the plain front end.
 */
const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));
const STATIC_IMPORT = /^\s*import\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function staticImportGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the plain quiz path', () => {
  it.each(['cli/commands/quiz.ts', 'quiz/plain-quiz.ts'])(
    '%s imports neither ink, react nor src/tui statically',
    (entry) => {
      const graph = staticImportGraph(resolve(srcRoot, entry));
      expect(graph.files.size).toBeGreaterThan(3); // the walk really followed imports
      expect([...graph.packages].filter((p) => p === 'ink' || p === 'react' || p.startsWith('react-'))).toEqual([]);
      expect([...graph.files].filter((f) => f.includes('/src/tui/'))).toEqual([]);
    },
  );
});
