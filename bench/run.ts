/**
 * `npm run bench`: every section in bench/sections/, in one run, printed as Markdown tables
 * (copy them into README.md). `npm run bench -- ph mapper` runs only the named sections.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import os from 'node:os';
import { formatTable, type BenchSection } from './table';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(join(here, 'sections'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

console.log(`convtopo bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
let failed = 0;
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, 'sections', f)).href)) as { default: () => Promise<BenchSection | BenchSection[]> };
  try {
    const result = await mod.default();
    for (const s of Array.isArray(result) ? result : [result]) console.log(formatTable(s) + '\n');
  } catch (err) {
    failed++;
    console.log(`### ${f}: failed — ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
