import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../cli/run-kq.js';

/**
 * Start-up hygiene, read from the bundler's metafile (dist/meta.json, written by `npm run build`): the modules
 * a command loads before it runs are the static-import closure of the entry plus that command's chunk. Heavy
 * libraries belong behind a dynamic import in the commands that need them, or `kq list` gets slow again.
 */
interface Metafile {
  outputs: Record<
    string,
    {
      imports: Array<{ path: string; kind: string }>;
      inputs: Record<string, { bytesInOutput: number }>;
      entryPoint?: string;
    }
  >;
}
const meta = JSON.parse(readFileSync(`${repoRoot}dist/meta.json`, 'utf8')) as Metafile;

function outputHolding(input: string): string {
  const found = Object.entries(meta.outputs).find(([file, out]) => file.endsWith('.js') && input in out.inputs);
  if (!found) throw new Error(`no output chunk holds ${input}`);
  return found[0];
}

/** Every input module loaded, without dynamic imports, by loading these outputs. */
function staticallyLoaded(starts: string[]): { modules: string[]; bytes: number } {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of meta.outputs[file]?.imports ?? [])
      if (imp.kind === 'import-statement' && imp.path.startsWith('dist/')) queue.push(imp.path);
  }
  const modules = [...seen].flatMap((file) => Object.keys(meta.outputs[file]!.inputs));
  const bytes = [...seen].reduce(
    (sum, file) => sum + Object.values(meta.outputs[file]!.inputs).reduce((s, i) => s + i.bytesInOutput, 0),
    0,
  );
  return { modules, bytes };
}

const HEAVY =
  /node_modules\/(zod|ink|react|marked|marked-terminal|cli-highlight|highlight\.js|kafkajs|ts-fsrs|gray-matter|js-yaml)\//;

describe('start-up imports', () => {
  it.each([
    ['kq list', 'src/cli/commands/list.ts', 200_000],
    ['kq show', 'src/cli/commands/show.ts', 200_000],
    // the live view (--watch) brings ink in only when asked for, on a terminal
    ['kq broker', 'src/cli/commands/broker.ts', 200_000],
  ])('%s loads no heavy library before it runs, and under %i bytes in all', (_name, command, limit) => {
    const loaded = staticallyLoaded(['dist/kq.js', outputHolding(command)]);
    expect(loaded.modules.filter((m) => HEAVY.test(m))).toEqual([]);
    expect(loaded.bytes).toBeLessThan(limit);
  });

  it('draws the first quiz card with production React and without highlight.js, parse5 or emojilib', () => {
    const loaded = staticallyLoaded([
      'dist/kq.js',
      outputHolding('src/cli/commands/quiz.ts'),
      outputHolding('src/tui/run-ink-quiz.tsx'),
    ]);
    expect(
      loaded.modules.filter((m) => /node_modules\/(highlight\.js|parse5|emojilib)\/|\.development\.js$/.test(m)),
    ).toEqual([]);
    expect(loaded.modules.some((m) => m.includes('node_modules/ink/'))).toBe(true);
    expect(loaded.bytes).toBeLessThan(2_000_000);
  });

  it('keeps the entry itself to the command table and commander', () => {
    const loaded = staticallyLoaded(['dist/kq.js']);
    expect(loaded.modules.filter((m) => m.startsWith('src/cli/commands/') && !m.endsWith('index.ts'))).toEqual([]);
  });
});
