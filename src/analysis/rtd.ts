/**
 * Representation Topology Divergence (Barannikov et al., ICML 2022): compares two layers *using which image is
 * which*, exactly as method.md §5 defines it.
 *
 * For the same n images in layers A and B, r₁ and r₂ are the Euclidean distance matrices, each divided by its 0.9
 * quantile over all n² entries (NumPy's default linear interpolation, the zero diagonal included). On 2n vertices
 * M = [[0, r₁ᵀ], [r₁, min(r₁, r₂)]]: vertices 0 … n−1 are a copy of the images at distance 0 from each other,
 * vertex i and vertex n + j are r₁(i, j) apart, and vertices n + i, n + j are min(r₁, r₂)(i, j) apart.
 * RTD(A, B) is the sum of the lengths of the H1 bars of the Vietoris–Rips filtration of M (the "R-Cross-Barcode"),
 * with no threshold. The symmetric value is (RTD(A, B) + RTD(B, A)) / 2, estimated over T trials of s sampled images.
 *
 * The PH engine runs on the 2n-vertex matrix as it is. The zero block is cheap there without special code: its
 * C(n, 2) zero-length edges are joined by the first H0 merges, and the edges left over are almost all in apparent
 * pairs with a zero-diameter triangle of the block, so they never become columns (the engine's apparent-pair test).
 */
import { throwIfAborted } from '../abort';
import { mulberry32 } from '../random';
import { computePersistence, type RunHooks } from '../tda/index';
import type { Diagram, PointCloud } from '../types';

export interface RtdOptions {
  /** Images per trial: a count ≤ n, or 'all' (default: min(500, n), the paper's s = 500). */
  sample?: number | 'all';
  /** Trials averaged (default 10, the paper's T; 1 when sample is 'all', since every trial would be the same). */
  trials?: number;
  /** Seed of the image sampling (default 0). */
  seed?: number;
  /** Keep each trial's two cross-barcodes (default false). */
  barcode?: boolean;
}

export interface RtdTrial {
  /** RTD(A, B), RTD(B, A) and their mean, on this trial's images. */
  ab: number;
  ba: number;
  rtd: number;
  /** The images (row indices) of this trial, ascending. */
  images: number[];
  /** The R-Cross-Barcodes (H1 of VR(M)) of both directions, when asked for. */
  barcode?: { ab: Diagram; ba: Diagram };
}

export interface RtdResult {
  /** Means over the trials. */
  ab: number;
  ba: number;
  rtd: number;
  trials: RtdTrial[];
}

export const RTD_DEFAULTS = { sample: 500, trials: 10, seed: 0, quantile: 0.9 } as const;

/**
 * The page's and the reproduction's sampling: one pair at s = 500 costs minutes of CPU (two persistence runs on 1000
 * vertices), at s = 100 about a second, so a row of 16 pairs finishes in seconds. Capped by the images there are.
 */
export const RTD_QUICK = { sample: 100, trials: 1, seed: 0 } as const;

/** Euclidean distances between the rows of a cloud, n × n row-major in doubles (the normalisation needs them). */
export function euclideanDistances(cloud: PointCloud): Float64Array {
  const { n, d, data } = cloud;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = data[i * d + t] - data[j * d + t];
        s += x * x;
      }
      out[i * n + j] = out[j * n + i] = Math.sqrt(s);
    }
  }
  return out;
}

/** NumPy's `np.quantile(values, q)` (method 'linear'): the sorted values at (N − 1)·q, linearly interpolated. */
export function quantileLinear(values: Float64Array, q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h), hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** A distance matrix divided by its 0.9 quantile over all n² entries (the zero diagonal included, as NumPy's). */
export function normalizedDistances(cloud: PointCloud, q: number = RTD_DEFAULTS.quantile): Float64Array {
  const r = euclideanDistances(cloud);
  const scale = quantileLinear(r, q);
  if (!(scale > 0)) throw new Error(`the 0.9 quantile of the distances is ${scale}: most images coincide in this layer, RTD is undefined`);
  for (let i = 0; i < r.length; i++) r[i] /= scale;
  return r;
}

/**
 * The strict lower triangle (Ripser's lower-distance order) of M = [[0, r₁ᵀ], [r₁, min(r₁, r₂)]] on 2n vertices,
 * from two normalised n × n matrices.
 */
export function crossMatrix(r1: Float64Array, r2: Float64Array, n: number): Float64Array {
  const N = 2 * n;
  const out = new Float64Array((N * (N - 1)) / 2);
  let p = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < i; j++) {
      let v: number;
      if (i < n) v = 0; // the zero block
      else if (j < n) v = r1[(i - n) * n + j]; // r₁ block: d(n + a, j) = r₁(a, j)
      else {
        const a = (i - n) * n + (j - n);
        v = Math.min(r1[a], r2[a]);
      }
      out[p++] = v;
    }
  }
  return out;
}

/** The R-Cross-Barcode of (A, B): the H1 diagram of VR(M), no threshold, with r₁ from A and r₂ from B. */
export function crossBarcode(r1: Float64Array, r2: Float64Array, n: number, hooks: RunHooks = {}): Diagram {
  const m = crossMatrix(r1, r2, n);
  return computePersistence({ n: 2 * n, distances: m, layout: 'lower' }, { maxdim: 1, ...hooks }).dgms[1];
}

function barLengths(d: Diagram): number {
  let s = 0;
  for (const p of d) if (p.death !== Infinity) s += p.death - p.birth;
  return s;
}

/** The rows `images` of a cloud. */
function rows(cloud: PointCloud, images: number[]): PointCloud {
  const { d, data } = cloud;
  const out = new Float32Array(images.length * d);
  images.forEach((i, k) => out.set(data.subarray(i * d, (i + 1) * d), k * d));
  return { data: out, n: images.length, d };
}

/** s distinct indices out of n, ascending (a partial Fisher–Yates shuffle driven by the seeded generator). */
export function sampleImages(n: number, s: number, rand: () => number): number[] {
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < s; k++) {
    const j = k + Math.floor(rand() * (n - k));
    [perm[k], perm[j]] = [perm[j], perm[k]];
  }
  return perm.slice(0, s).sort((x, y) => x - y);
}

function resolve(n: number, o: RtdOptions) {
  const sample = o.sample === 'all' ? n : (o.sample ?? Math.min(RTD_DEFAULTS.sample, n));
  if (!Number.isInteger(sample) || sample < 2 || sample > n) throw new Error(`sample must be an integer in 2…${n} or 'all' (got ${o.sample})`);
  const trials = o.trials ?? (sample === n ? 1 : RTD_DEFAULTS.trials);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`trials must be an integer ≥ 1 (got ${o.trials})`);
  const seed = o.seed ?? RTD_DEFAULTS.seed;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer (got ${o.seed})`);
  return { sample, trials, seed };
}

/** RTD between two layers' representations of the same images (rows in the same order). */
export function rtd(a: PointCloud, b: PointCloud, options: RtdOptions & RunHooks = {}): RtdResult {
  if (a.n !== b.n) throw new Error(`RTD needs the same images in both layers: got ${a.n} and ${b.n} rows`);
  const { sample, trials, seed } = resolve(a.n, options);
  const hooks: RunHooks = { shouldCancel: options.shouldCancel };
  const rand = mulberry32(seed);
  const out: RtdTrial[] = [];
  for (let t = 0; t < trials; t++) {
    const images = sample === a.n ? Array.from({ length: a.n }, (_, i) => i) : sampleImages(a.n, sample, rand);
    const r1 = normalizedDistances(rows(a, images)), r2 = normalizedDistances(rows(b, images));
    const bab = crossBarcode(r1, r2, sample, hooks), bba = crossBarcode(r2, r1, sample, hooks);
    const ab = barLengths(bab), ba = barLengths(bba);
    out.push({ ab, ba, rtd: (ab + ba) / 2, images, ...(options.barcode ? { barcode: { ab: bab, ba: bba } } : {}) });
  }
  const mean = (f: (t: RtdTrial) => number) => out.reduce((s, t) => s + f(t), 0) / out.length;
  return { ab: mean((t) => t.ab), ba: mean((t) => t.ba), rtd: mean((t) => t.rtd), trials: out };
}

/**
 * The k × k matrix of symmetric RTD between layers (row-major, zero diagonal), every pair on the same sampled
 * images (the sample depends only on n, s, the seed and the trial). `rows` limits it to those rows (e.g. the
 * selected layer's row on demand); other cells stay NaN. `onProgress` gets (pairs done, pairs in all).
 */
export function rtdMatrix(
  clouds: PointCloud[],
  options: RtdOptions & RunHooks & { rows?: number[]; onPairDone?: (done: number, total: number) => void } = {},
): Float64Array {
  const k = clouds.length;
  const out = emptyMatrix(k);
  const pairs = rtdPairs(k, options.rows);
  pairs.forEach(([i, j], p) => {
    const v = rtd(clouds[i], clouds[j], options).rtd;
    out[i * k + j] = out[j * k + i] = v;
    options.onPairDone?.(p + 1, pairs.length);
  });
  return out;
}

/** k × k, NaN off the diagonal (not computed), 0 on it. */
function emptyMatrix(k: number): Float64Array {
  const out = new Float64Array(k * k).fill(NaN);
  for (let i = 0; i < k; i++) out[i * k + i] = 0;
  return out;
}

/** The layer pairs i < j of a k × k matrix, limited to those touching `rows` when given. */
export function rtdPairs(k: number, rows?: number[]): [number, number][] {
  const rowSet = rows ? new Set(rows) : null;
  const pairs: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) if (!rowSet || rowSet.has(i) || rowSet.has(j)) pairs.push([i, j]);
  return pairs;
}

/**
 * rtdMatrix for a worker: the same values, but it yields to the event loop after each pair (so a cancel message is
 * received) and stops with an AbortError once `signal` is aborted (also inside a persistence run).
 */
export async function rtdMatrixAsync(
  clouds: PointCloud[],
  options: RtdOptions & { rows?: number[]; signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Float64Array> {
  const k = clouds.length;
  const out = emptyMatrix(k);
  const pairs = rtdPairs(k, options.rows);
  const { signal, sample, trials, seed } = options;
  const o = { sample, trials, seed, shouldCancel: () => signal?.aborted ?? false };
  for (let p = 0; p < pairs.length; p++) {
    throwIfAborted(signal);
    const [i, j] = pairs[p];
    out[i * k + j] = out[j * k + i] = rtd(clouds[i], clouds[j], o).rtd;
    options.onProgress?.((p + 1) / pairs.length);
    await new Promise((r) => setTimeout(r, 0));
  }
  throwIfAborted(signal);
  return out;
}
