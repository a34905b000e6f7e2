/** Shared helpers for the TDA tests: seeded clouds, running Debian ripser, comparing diagrams as multisets. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagram, PointCloud } from '../../src/types';

/** A fresh seed per run (reproduce with TDA_SEED=…). */
export const SEED = process.env.TDA_SEED ? Number(process.env.TDA_SEED) : Date.now() % 2 ** 31;

import { mulberry32 as rng } from '../../src/random';
export { rng };

export function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function cloudFrom(rows: number[][]): PointCloud {
  const n = rows.length, d = rows[0].length;
  const data = new Float32Array(n * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, n, d };
}

export function gaussianCloud(seed: number, n: number, d: number): PointCloud {
  const r = rng(seed);
  return cloudFrom(Array.from({ length: n }, () => Array.from({ length: d }, () => gaussian(r))));
}

export function circleCloud(seed: number, n: number, noise = 0.05): PointCloud {
  const r = rng(seed);
  return cloudFrom(
    Array.from({ length: n }, () => {
      const t = 2 * Math.PI * r();
      return [Math.cos(t) + noise * gaussian(r), Math.sin(t) + noise * gaussian(r)];
    }),
  );
}

export function torusCloud(seed: number, n: number): PointCloud {
  const r = rng(seed);
  return cloudFrom(
    Array.from({ length: n }, () => {
      const u = 2 * Math.PI * r(), v = 2 * Math.PI * r();
      return [(2 + Math.cos(v)) * Math.cos(u), (2 + Math.cos(v)) * Math.sin(u), Math.sin(v)];
    }),
  );
}

export function blobsCloud(seed: number, n: number, d: number, k = 3): PointCloud {
  const r = rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => 6 * gaussian(r)));
  return cloudFrom(Array.from({ length: n }, (_, i) => centres[i % k].map((c) => c + gaussian(r))));
}

const dir = mkdtempSync(join(tmpdir(), 'convtopo-tda-'));
let fileNo = 0;

/** Write a cloud as text, float32 values printed exactly (9 significant digits). */
export function writeCloud(cloud: PointCloud): string {
  const lines: string[] = [];
  for (let i = 0; i < cloud.n; i++) {
    lines.push(Array.from(cloud.data.subarray(i * cloud.d, (i + 1) * cloud.d), (v) => v.toPrecision(9)).join(' '));
  }
  const file = join(dir, `cloud${fileNo++}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Write a strict lower triangle as ripser's lower-distance format (rows of increasing length). */
export function writeLowerDistance(n: number, dist: (i: number, j: number) => number): string {
  const lines: string[] = [];
  for (let i = 1; i < n; i++) lines.push(Array.from({ length: i }, (_, j) => dist(i, j).toPrecision(9)).join(','));
  const file = join(dir, `dist${fileNo++}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Run Debian ripser and parse its "persistence intervals in dim k:" blocks. */
export function ripser(file: string, format: 'point-cloud' | 'lower-distance', dim: number, threshold?: number): Diagram[] {
  const args = ['--format', format, '--dim', String(dim)];
  if (threshold !== undefined) args.push('--threshold', String(threshold));
  const out = execFileSync('ripser', [...args, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const dgms: Diagram[] = Array.from({ length: dim + 1 }, () => []);
  let cur = -1;
  for (const line of out.split('\n')) {
    const h = /persistence intervals in dim (\d+)/.exec(line);
    if (h) {
      cur = Number(h[1]);
      continue;
    }
    const m = /^\s*\[([^,]+),([^)]*)\)/.exec(line);
    if (m && cur >= 0) dgms[cur].push({ birth: Number(m[1]), death: m[2].trim() === '' ? Infinity : Number(m[2]) });
  }
  return dgms;
}

function close(x: number, y: number, rel: number): boolean {
  if (x === Infinity || y === Infinity) return x === y;
  return Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) + 1e-9;
}

/**
 * Compare two diagrams as multisets, values within `rel` relative error. A pair may go unmatched only if its
 * persistence is itself below the tolerance (it is on the diagonal up to rounding: Ripser computes distances
 * in float, we in double rounded to float, so near-ties can flip). Returns a description of the first
 * difference, or null.
 */
export function diagramDifference(a: Diagram, b: Diagram, rel = 2e-5): string | null {
  const key = (p: { birth: number; death: number }) => (p.death === Infinity ? 1e300 + p.birth : p.death);
  const sa = [...a].sort((p, q) => key(p) - key(q) || p.birth - q.birth);
  const sb = [...b].sort((p, q) => key(p) - key(q) || p.birth - q.birth);
  const used = new Uint8Array(sb.length);
  const tiny = (p: { birth: number; death: number }) => p.death !== Infinity && close(p.birth, p.death, rel);
  let start = 0;
  for (const p of sa) {
    while (start < sb.length && used[start]) start++;
    let found = -1;
    for (let k = start; k < sb.length; k++) {
      if (used[k]) continue;
      const q = sb[k];
      if (q.death !== Infinity && p.death !== Infinity && q.death > p.death * (1 + 2 * rel) + 1e-9) break;
      if (close(p.birth, q.birth, rel) && close(p.death, q.death, rel)) {
        found = k;
        break;
      }
    }
    if (found >= 0) used[found] = 1;
    else if (!tiny(p)) return `pair [${p.birth}, ${p.death}) of the first diagram has no match (sizes ${a.length} vs ${b.length})`;
  }
  for (let k = 0; k < sb.length; k++) {
    if (!used[k] && !tiny(sb[k])) return `pair [${sb[k].birth}, ${sb[k].death}) of the second diagram has no match (sizes ${a.length} vs ${b.length})`;
  }
  return null;
}
