/** Shared helpers for the TDA tests: seeded clouds, running Debian ripser, comparing diagrams as multisets. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagram, PointCloud } from '../../src/types';

/** A fresh seed per run; reproduce a failure with CONVTOPO_SEED=… (TDA_SEED=… still works). */
export const SEED = process.env.CONVTOPO_SEED
  ? Number(process.env.CONVTOPO_SEED)
  : process.env.TDA_SEED
    ? Number(process.env.TDA_SEED)
    : Date.now() % 2 ** 31;

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
 * Compare two diagrams as multisets by a bottleneck-style matching: every pair of one diagram must be matched to a
 * pair of the other with birth and death within `rel` relative error, except pairs whose persistence is itself
 * below the tolerance (on the diagonal up to rounding: Ripser computes distances in float and prints 6 significant
 * digits, so near-ties can flip and pairs whose births tie in print can sort apart). A maximum matching, not a
 * greedy one, so such reorderings never cause a false failure. Returns a description of an unmatched pair, or null.
 */
export function diagramDifference(a: Diagram, b: Diagram, rel = 2e-5): string | null {
  const tiny = (p: { birth: number; death: number }) => p.death !== Infinity && close(p.birth, p.death, rel);
  // Candidates: b's pairs sorted by death (essential ones last), searched in a window around each death of a.
  const order = b.map((_, k) => k).sort((p, q) => b[p].death - b[q].death || b[p].birth - b[q].birth);
  const deaths = order.map((k) => b[k].death);
  const lowerBound = (x: number) => {
    let lo = 0, hi = deaths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (deaths[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const adjA: number[][] = a.map((p) => {
    const out: number[] = [];
    const lo = p.death === Infinity ? lowerBound(Infinity) : lowerBound(p.death - rel * Math.abs(p.death) * 2 - 1e-9);
    for (let t = lo; t < order.length; t++) {
      const q = b[order[t]];
      if (p.death !== Infinity && q.death > p.death + rel * Math.abs(p.death) * 2 + 1e-9) break;
      if (close(p.birth, q.birth, rel) && close(p.death, q.death, rel)) out.push(order[t]);
    }
    return out;
  });
  const adjB: number[][] = b.map(() => []);
  adjA.forEach((js, i) => js.forEach((j) => adjB[j].push(i)));
  const mateA = new Int32Array(a.length).fill(-1), mateB = new Int32Array(b.length).fill(-1);
  let seen = new Uint8Array(b.length);
  // Kuhn's augmenting paths from a's non-tiny pairs: afterwards every one of them is matched if any matching can.
  const fromA = (i: number): boolean => {
    for (const j of adjA[i]) {
      if (seen[j]) continue;
      seen[j] = 1;
      if (mateB[j] === -1 || fromA(mateB[j])) {
        mateA[i] = j;
        mateB[j] = i;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < a.length; i++) {
    if (tiny(a[i])) continue;
    seen.fill(0);
    if (!fromA(i)) return `pair [${a[i].birth}, ${a[i].death}) of the first diagram has no match (sizes ${a.length} vs ${b.length})`;
  }
  // Then cover b's non-tiny pairs by alternating paths that keep a's pairs matched: a path may end at a free pair of
  // a or free a tiny pair of b (Mendelsohn–Dulmage), so this finds a cover of both sides whenever one exists.
  seen = new Uint8Array(a.length);
  const fromB = (j: number): boolean => {
    for (const i of adjB[j]) {
      if (seen[i]) continue;
      seen[i] = 1;
      const other = mateA[i];
      if (other !== -1 && tiny(b[other])) mateB[other] = -1; // a tiny pair may go back to the diagonal
      else if (other !== -1 && !fromB(other)) continue;
      mateA[i] = j;
      mateB[j] = i;
      return true;
    }
    return false;
  };
  for (let j = 0; j < b.length; j++) {
    if (tiny(b[j]) || mateB[j] !== -1) continue;
    seen.fill(0);
    if (!fromB(j)) return `pair [${b[j].birth}, ${b[j].death}) of the second diagram has no match (sizes ${a.length} vs ${b.length})`;
  }
  return null;
}

/**
 * An activation-like cloud: ReLU of a rank-r Gaussian (n × r codes times an r × d mixing) plus Gaussian noise of
 * standard deviation `noise` — low intrinsic dimension, many exact zeros, like a CNN layer's top-L2 vectors.
 */
export function activationLikeCloud(seed: number, n: number, d: number, rank: number, noise: number): PointCloud {
  const r = rng(seed);
  const mix = Array.from({ length: rank * d }, () => gaussian(r) / Math.sqrt(rank));
  const data = new Float32Array(n * d);
  const code = new Float64Array(rank);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < rank; k++) code[k] = gaussian(r);
    for (let t = 0; t < d; t++) {
      let v = noise * gaussian(r);
      for (let k = 0; k < rank; k++) v += code[k] * mix[k * d + t];
      data[i * d + t] = v > 0 ? v : 0;
    }
  }
  return { data, n, d };
}

/**
 * A random finite diagram of `size` pairs (exponential lifetimes), plus `essential` infinite ones. `ties` puts values
 * on a coarse grid: repeated points, and many equal candidates for the bottleneck and the sliced projections.
 */
export function randomDiagram(seed: number, size: number, essential = 0, ties = false): Diagram {
  const r = rng(seed);
  const out: Diagram = [];
  for (let i = 0; i < size; i++) {
    const b = ties ? Math.round(r() * 8) / 4 : r() * 2;
    const l = ties ? Math.round(r() * 6) / 4 : -Math.log(1 - r()) * 0.5;
    out.push({ birth: b, death: b + l });
  }
  for (let i = 0; i < essential; i++) out.push({ birth: r(), death: Infinity });
  return out;
}

/** A diagram as a file hera reads: fixed decimals (%.15f; hera misreads exponent forms), essential classes as "inf". */
export function writeHera(d: Diagram): string {
  const file = join(mkdtempSync(join(tmpdir(), 'convtopo-hera-')), 'd.txt');
  writeFileSync(file, d.map((p) => `${p.birth.toFixed(15)} ${p.death === Infinity ? 'inf' : p.death.toFixed(15)}`).join('\n') + '\n');
  return file;
}
