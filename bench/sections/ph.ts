/**
 * `npm run bench -- ph`: convtopo's Vietoris–Rips engine beside Debian's ripser on the same clouds, in one run.
 *
 * What is measured: both programs run as fresh child processes under `/usr/bin/time -f %e,%M` on the same text
 * file (Gaussian points, float32 values), so wall time and peak RSS are process totals measured the same way —
 * reading and parsing the file, the distances, the reduction and printing. convtopo's child is the engine bundled
 * with esbuild and run by plain `node` (no tsx in the measured process); it also reports its own compute time
 * (distances + reduction, without start-up and parsing) in a separate column. Nothing is subtracted: Node's own
 * start-up footprint (~40 MiB RSS) is inside convtopo's peak memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseMatrixFile } from '../../src/io/pointCloudFile';
import type { BenchSection } from '../table';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const CHILD = `
import { readFileSync } from 'node:fs';
import { parseTextMatrix } from './src/io/pointCloudFile';
import { computePersistence } from './src/tda/index';
const [file, maxdim] = [process.argv[2], Number(process.argv[3])];
const cloud = parseTextMatrix(readFileSync(file, 'utf8'), 'point');
const t = performance.now();
const r = computePersistence(cloud, { maxdim });
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, bars: r.dgms.map((d) => d.length) }));
`;

function seededCloudText(seed: number, n: number, d: number): string {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < d; j++) {
      const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      row.push(Math.fround(g).toPrecision(9));
    }
    lines.push(row.join(' '));
  }
  return lines.join('\n') + '\n';
}

/** Run under GNU time; returns wall seconds, peak MiB and stdout. */
function timed(cmd: string, args: string[]): { wall: number; mib: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e,%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-300)}`);
  const last = r.stderr.trim().split('\n').pop()!;
  const [wall, kb] = last.split(',').map(Number);
  return { wall, mib: kb / 1024, stdout: r.stdout };
}

/** The layers and image counts of issue 15's rows: the bundled model's top-L2 clouds, as the app makes them. */
const APP_LAYERS = [1, 9, 12, 17];
const APP_IMAGES = [1000, 2000];

/**
 * The app's own clouds (low-dimensional ReLU activations, many near-equal distances) rather than Gaussian ones:
 * `convtopo activations` on the first N test images, then `convtopo ph` on each .npy and ripser on the same values
 * as text (9 significant digits give back the float32 values exactly), every one a whole process through the
 * documented command line (`npm run --silent cli`), start-up and parsing included.
 */
export function appCloudRows(dir: string): { rows: (string | number)[][]; notes: string[] } {
  const npm = (args: string[]) => timed('npm', ['run', '--silent', 'cli', '--', ...args]);
  // The bundle is built (or found fresh) once before any timing.
  npm(['--version']);
  const rows: (string | number)[][] = [];
  for (const images of APP_IMAGES) {
    const stem = join(dir, `app-${images}`);
    npm(['activations', '--model', 'public/models/resnet18q-final', '--dataset', 'public/datasets/fashion-mnist-10000', '--per-class', 'all', '--limit', String(images), '--layer', APP_LAYERS.join(','), '--out', `${stem}.npy`]);
    let rip = 0, ours = 0;
    for (const layer of APP_LAYERS) {
      const npy = `${stem}-${String(layer).padStart(2, '0')}.npy`;
      const cloud = parseMatrixFile(readFileSync(npy), 'point');
      const txt = npy.replace(/\.npy$/, '.txt');
      const lines: string[] = [];
      for (let i = 0; i < cloud.n; i++) lines.push(Array.from(cloud.data.subarray(i * cloud.d, (i + 1) * cloud.d), (v) => v.toPrecision(9)).join(' '));
      writeFileSync(txt, lines.join('\n') + '\n');
      const r = timed('ripser', ['--format', 'point-cloud', '--dim', '1', txt]);
      const o = npm(['ph', '--input', npy]);
      const bars = (JSON.parse(o.stdout) as { dgms: unknown[][] }).dgms[1].length;
      const ripBars = (r.stdout.split('persistence intervals in dim 1:')[1] ?? '').split('\n').filter((l) => l.trim().startsWith('[')).length;
      rip += r.wall;
      ours += o.wall;
      rows.push([`${images} images, layer ${layer} (${cloud.n}×${cloud.d})`, r.wall, o.wall, o.wall / r.wall, r.mib, o.mib, `${bars} / ${ripBars}`]);
    }
    rows.push([`${images} images, layers ${APP_LAYERS.join(', ')} in all`, rip, ours, ours / rip, '', '', '']);
  }
  return {
    rows,
    notes: [
      'Clouds: `convtopo activations --cloud top-l2` of the bundled resnet18q-final on the first N Fashion-MNIST test images; H0 and H1, enclosing-radius threshold.',
      '`convtopo ph` runs with its default threads (the cores, at most 2) through `npm run --silent cli` (npm\'s own start-up included); ripser is single-threaded.',
      'Wall time and peak RSS (the npm process tree\'s largest) from /usr/bin/time; the load of the machine at the time changes both columns alike.',
    ],
  };
}

export default async function phBench(): Promise<BenchSection[]> {
  execFileSync('sh', ['-c', 'command -v ripser'], { stdio: 'ignore' }); // throws (section fails) without ripser
  const dir = mkdtempSync(join(tmpdir(), 'convtopo-bench-ph-'));
  const child = join(dir, 'ph-child.mjs');
  await build({ stdin: { contents: CHILD, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent' });
  const cases: [number, number, number][] = [
    [1000, 64, 1],
    [2000, 128, 1],
    [2000, 512, 1],
    [500, 16, 2],
  ];
  // What an empty Node process already holds, so the engine's own memory can be read off too.
  const nodeBaseline = timed(process.execPath, ['-e', '0']).mib;
  const rows: (string | number)[][] = [];
  for (const [n, d, maxdim] of cases) {
    const file = join(dir, `cloud-${n}x${d}.txt`);
    writeFileSync(file, seededCloudText(n * 1000 + d, n, d));
    const rip = timed('ripser', ['--format', 'point-cloud', '--dim', String(maxdim), file]);
    const ours = timed(process.execPath, [child, file, String(maxdim)]);
    const info = JSON.parse(ours.stdout) as { ms: number; bars: number[] };
    const ripBars = Array.from({ length: maxdim + 1 }, (_, k) => {
      const block = rip.stdout.split(`persistence intervals in dim ${k}:`)[1] ?? '';
      return block.split('persistence intervals')[0].split('\n').filter((l) => l.trim().startsWith('[')).length;
    });
    rows.push([
      `${n}×${d}`,
      `H${maxdim}`,
      rip.wall,
      ours.wall,
      info.ms / 1000,
      ours.wall / rip.wall,
      rip.mib,
      ours.mib,
      ours.mib / rip.mib,
      (ours.mib - nodeBaseline) / rip.mib,
      `${info.bars[maxdim]} / ${ripBars[maxdim]}`,
    ]);
  }
  const app = appCloudRows(dir);
  return [{
    title: 'Persistent homology: convtopo vs Debian ripser (same file, fresh processes)',
    columns: ['cloud', 'dims', 'ripser s', 'convtopo s', 'convtopo compute s', 'time ratio', 'ripser MiB', 'convtopo MiB', 'memory ratio', 'memory ratio above Node baseline', `top-dim bars (ours / ripser)`],
    rows,
    notes: [
      'Gaussian points, float32; enclosing-radius threshold (the default of both); Z/2 coefficients.',
      'Wall time and peak RSS from /usr/bin/time -f %e,%M for both processes, nothing subtracted; "compute" is convtopo\'s own timer around computePersistence (distances + reduction).',
      `convtopo runs as an esbuild bundle under plain node; its peak includes Node's own baseline (an empty \`node -e 0\` peaks at ${nodeBaseline.toFixed(1)} MiB here); the last memory column subtracts it.`,
      'The machine is shared: timings vary by ±30 % between runs; both programs run back to back per row.',
    ],
  }, {
    title: "Persistent homology on the app's own clouds: `convtopo ph` vs Debian ripser (whole processes)",
    columns: ['cloud', 'ripser s', 'convtopo s', 'time ratio', 'ripser MiB', 'convtopo MiB', 'H1 bars (ours / ripser)'],
    rows: app.rows,
    notes: app.notes,
  }];
}
