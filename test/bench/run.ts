import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, measureGroup, type BenchModule, type BenchRow } from './harness.js';

// Runs every `*.bench.ts` beside this file (or those named on the command line)
// and prints one table of medians, with ratios against the peers of each group.
const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  console.error(`running ${file} …`);
  const mod = (await import(pathToFileURL(dir + file).href)) as BenchModule;
  if (typeof mod.default === 'function') rows.push(...(await mod.default()));
  else for (const group of mod.default) rows.push(...(await measureGroup(group)));
}
console.log(formatTable(rows));
const missed = rows.filter((r) => r.met === false);
if (missed.length > 0) {
  console.log(`\n${missed.length} goal(s) missed: ${missed.map((r) => `${r.group} / ${r.name}`).join(', ')}`);
}
