import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DemoDefinition } from './demo-definition.js';

/**
 * Where demo modules are found. Demos are written as `demos/<id>.ts`; the build bundles each one to
 * `dist/demos/<id>.js`, which is what the CLI imports (Node 20 cannot run TypeScript). Tests import the
 * sources directly. The ids come from the source folder, the one registry `kq validate` checks.
 */
export function demoIds(demosDir: string): string[] {
  if (!existsSync(demosDir)) return [];
  return readdirSync(demosDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.slice(0, -3))
    .sort();
}

export async function loadBuiltDemo(root: string, id: string): Promise<DemoDefinition> {
  const file = join(root, 'dist', 'demos', `${id}.js`);
  if (!existsSync(file)) throw new Error(`demo '${id}' is not built (${file} is missing): run npm run build`);
  const module = (await import(pathToFileURL(file).href)) as { default?: DemoDefinition };
  if (!module.default || module.default.id !== id)
    throw new Error(`${file} does not export a demo with id '${id}' as default`);
  return module.default;
}
