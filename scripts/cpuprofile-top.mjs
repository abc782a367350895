// `node scripts/cpuprofile-top.mjs FILE.cpuprofile [N]`: the top N functions of a V8 CPU profile (`node --cpu-prof`)
// by self time, with their share of the sampled time, and the same by total (inclusive) time. Shares, not
// milliseconds, are what to compare on a shared machine: other processes slow every function alike.
import { readFileSync } from 'node:fs';

const [file, n = '15'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/cpuprofile-top.mjs FILE.cpuprofile [N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const deltas = profile.timeDeltas;
const selfTime = new Map(); // node id -> microseconds
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (deltas[i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map();
const inclusive = new Map();
for (const [id, us] of selfTime) {
  const node = byId.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at));
    if (seen.has(name)) continue; // recursion counts once
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}
const print = (title, map) => {
  console.log(`${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
};
print('self time', self);
print('total time', new Map([...inclusive].filter(([name]) => !/^\(root\)|^\(program\)$/.test(name))));
