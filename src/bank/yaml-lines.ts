/**
 * Finds the line of a YAML front matter that a zod issue path points at, so `kq validate` can say
 * `questions/x.md:7: choices.1.correct: …` instead of only naming the field. A best-effort textual walk:
 * each key is searched after the line of its parent, list indices count `- ` items below it.
 */
export function lineOfPath(yaml: string, path: ReadonlyArray<PropertyKey>, firstLine: number): number {
  const lines = yaml.split(/\r?\n/);
  let at = -1;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (at >= 0 && lines[at]!.includes('[')) continue; // flow list on one line
      let seen = -1;
      for (let i = at + 1; i < lines.length; i++) {
        if (/^\s*-\s/.test(lines[i]!) && ++seen === segment) {
          at = i;
          break;
        }
        if (i > at + 1 && /^\S/.test(lines[i]!)) break; // next top-level key
      }
      continue;
    }
    const key = String(segment).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(^|[\\s{,-])${key}\\s*:`);
    for (let i = Math.max(at, 0); i < lines.length; i++) {
      if (pattern.test(lines[i]!)) {
        at = i;
        break;
      }
    }
  }
  return firstLine + Math.max(at, 0);
}
