/**
 * `npm run bench -- loops`: what closing H1 loops costs, and what crossing a thread costs for cocycles, on the app's
 * own clouds (the bundled model's top-L2 clouds of the first N test images, from `convtopo activations`). Per layer:
 * the engine with cocycles and every loop closed (`loops: true`, the CLI's `--cocycles`) against cocycles only
 * (`loops: false`, the page), one class's loop closed afterwards (`closeLoop`, the longest bar: what a click costs),
 * and a structured clone of the cocycles as nested edge lists against the packed typed arrays the page's TDA worker
 * sends (packedCocycles.ts; transferred there, cloned here, so the packed figure is an upper bound).
 * `CONVTOPO_LOOPS_N` sets N (default 2000; the loops-on run grows as n³).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMatrixFile } from '../../src/io/pointCloudFile';
import { closeLoop, computePersistence, packCocycles, unpackCocycle } from '../../src/tda/index';
import type { BenchSection } from '../table';

const LAYERS = [1, 9, 17];

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

export default async function loopsBench(): Promise<BenchSection> {
  const images = Number(process.env.CONVTOPO_LOOPS_N ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'convtopo-bench-loops-'));
  const stem = join(dir, 'app');
  execFileSync('npm', ['run', '--silent', 'cli', '--', 'activations', '--model', 'public/models/resnet18q-final', '--dataset', 'public/datasets/fashion-mnist-10000', '--per-class', 'all', '--limit', String(images), '--layer', LAYERS.join(','), '--out', `${stem}.npy`], { stdio: 'ignore' });
  const rows: (string | number)[][] = [];
  for (const layer of LAYERS) {
    const cloud = parseMatrixFile(readFileSync(`${stem}-${String(layer).padStart(2, '0')}.npy`), 'point');
    const [off, tOff] = time(() => computePersistence(cloud, { maxdim: 1, cocycles: true, loops: false }));
    const [on, tOn] = time(() => computePersistence(cloud, { maxdim: 1, cocycles: true }));
    const h1 = off.dgms[1];
    let k = 0;
    for (let i = 1; i < h1.length; i++) if (h1[i].death - h1[i].birth > h1[k].death - h1[k].birth) k = i;
    const packed = packCocycles(off.cocycles!);
    const [loop, tLoop] = time(() => closeLoop(cloud, unpackCocycle(packed, h1, k)));
    if (loop.cycle.join() !== on.cocycles![k].cycle.join()) throw new Error(`layer ${layer}: the loop closed afterwards differs from the run's`);
    const [, tNested] = time(() => structuredClone(off.cocycles));
    const [, tPacked] = time(() => structuredClone(packed));
    rows.push([`layer ${layer} (${cloud.n}×${cloud.d})`, h1.length, packed.edges.length / 2, tOn, tOff, tLoop, tNested * 1000, tPacked * 1000]);
  }
  return {
    title: `Closing H1 loops and moving cocycles, on the app's clouds of ${images} test images`,
    columns: ['cloud', 'H1 bars', 'cocycle edges', 'loops on (s)', 'loops off (s)', 'one loop afterwards (s)', 'clone nested (ms)', 'clone packed (ms)'],
    rows,
    notes: ['One process, one thread; the loop afterwards is checked equal to the run\'s own. Load of the machine: print `uptime` beside these figures.'],
  };
}
