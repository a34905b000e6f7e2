/**
 * Pairwise distances for the Rips filtration, stored as a dense symmetric n × n Float32Array.
 *
 * Why dense and why float32: the coboundary enumeration reads, for a fixed simplex vertex v, the distances
 * d(v, j) for j = n−1 … 0 — one contiguous row of a dense matrix, which is cache friendly (a condensed lower
 * triangle would stride through memory for half of them). float32 halves the memory and is what Ripser
 * (`value_t = float`) uses, so ties and printed values agree with the oracle.
 */
import type { PointCloud } from '../types';

export type Metric = 'euclidean' | 'cosine' | 'manhattan';
export const METRICS: readonly Metric[] = ['euclidean', 'cosine', 'manhattan'];

/** A distance matrix given by the caller: `full` is n × n row-major (only the lower triangle is read),
 * `lower` is the strict lower triangle row by row (d(1,0), d(2,0), d(2,1), …), Ripser's lower-distance order. */
export interface DistanceMatrix {
  n: number;
  distances: Float32Array | Float64Array | number[];
  layout: 'full' | 'lower';
}

/** Largest n for which the dense float32 matrix still fits a typed array (n² < 2^31). */
export const MAX_POINTS = 46340;

export function isDistanceMatrix(x: unknown): x is DistanceMatrix {
  return typeof x === 'object' && x !== null && 'distances' in x && 'layout' in x;
}

/**
 * Fill the dense matrix from a point cloud, yielding the number of rows done every `rowsPerYield` rows
 * so a caller can report progress or give way to its event loop.
 */
export function* cloudDistanceSteps(cloud: PointCloud, metric: Metric, out: Float32Array, rowsPerYield = 64): Generator<number, void, undefined> {
  const norms = cosineNorms(cloud, metric);
  for (let i = 0; i < cloud.n; i += rowsPerYield) {
    const end = Math.min(cloud.n, i + rowsPerYield);
    distanceRows(cloud, metric, norms, out, i, end);
    yield end;
  }
}

/** The norms the cosine distance divides by (null for the other metrics); a zero vector is refused by its row. */
export function cosineNorms(cloud: PointCloud, metric: Metric): Float64Array | null {
  if (metric !== 'cosine') return null;
  const { n, d, data } = cloud;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = i * d, e = t + d; t < e; t++) s += data[t] * data[t];
    if (s === 0) throw new Error(`point ${i + 1} is the zero vector: its cosine distance is undefined (use --metric euclidean)`);
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/**
 * Rows from … to − 1 of the dense matrix: d(i, j) for j < i, written at (i, j) and (j, i). Rows touch disjoint
 * cells, so threads may fill different rows of one shared matrix at the same time.
 */
export function distanceRows(cloud: PointCloud, metric: Metric, norms: Float64Array | null, out: Float32Array, from: number, to: number): void {
  const n = cloud.n;
  for (let i = from; i < to; i++) {
    out[i * n + i] = 0;
    for (let j = 0; j < i; j++) {
      const v = pairDistance(cloud, metric, norms, i, j);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
}

/**
 * Row u of the dense matrix on its own (out[w] = d(u, w), n values), bit for bit what distanceRows writes there:
 * the same kernel with the larger index first, rounded to float32 by the store. For reading a few rows without
 * the n × n matrix.
 */
export function distanceRow(cloud: PointCloud, metric: Metric, norms: Float64Array | null, u: number, out: Float32Array): void {
  for (let w = 0; w < cloud.n; w++) out[w] = w === u ? 0 : w < u ? pairDistance(cloud, metric, norms, u, w) : pairDistance(cloud, metric, norms, w, u);
}

/** d(i, j) of two rows of the cloud (one kernel for the whole matrix and for single rows, so both agree). */
function pairDistance(cloud: PointCloud, metric: Metric, norms: Float64Array | null, i: number, j: number): number {
  const { d, data } = cloud;
  const a = i * d, b = j * d;
  if (metric === 'euclidean') {
    // Four accumulators let V8 overlap the multiply-adds (≈1.6× faster than one chain for d ≥ 64).
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let t = 0;
    for (; t + 3 < d; t += 4) {
      const x0 = data[a + t] - data[b + t];
      const x1 = data[a + t + 1] - data[b + t + 1];
      const x2 = data[a + t + 2] - data[b + t + 2];
      const x3 = data[a + t + 3] - data[b + t + 3];
      s0 += x0 * x0;
      s1 += x1 * x1;
      s2 += x2 * x2;
      s3 += x3 * x3;
    }
    for (; t < d; t++) {
      const x = data[a + t] - data[b + t];
      s0 += x * x;
    }
    return Math.sqrt(s0 + s1 + s2 + s3);
  }
  if (metric === 'manhattan') {
    let s = 0;
    for (let t = 0; t < d; t++) s += Math.abs(data[a + t] - data[b + t]);
    return s;
  }
  let s = 0;
  for (let t = 0; t < d; t++) s += data[a + t] * data[b + t];
  const v = 1 - s / (norms![i] * norms![j]);
  return v < 0 ? 0 : v; // rounding can push parallel vectors slightly below 0
}

/** Where row i's entries d(i, 0 … i − 1) start in a caller's matrix (its strict lower triangle). */
function lowerRowOffset(m: DistanceMatrix, i: number): number {
  return m.layout === 'full' ? i * m.n : (i * (i - 1)) / 2;
}

/**
 * Row u of a caller's matrix (out[w] = d(u, w), n values) exactly as fillFromMatrix stores it: the lower triangle
 * read, rounded to float32 by the store, −0 as +0. For reading a few rows without the n × n copy (entries unchecked:
 * the run that made the matrix checked them).
 */
export function matrixRow(m: DistanceMatrix, u: number, out: Float32Array): void {
  const { n, distances } = m;
  for (let w = 0; w < n; w++) out[w] = u === w ? 0 : u > w ? distances[lowerRowOffset(m, u) + w] + 0 : distances[lowerRowOffset(m, w) + u] + 0;
}

/** Copy a user distance matrix into the dense float32 layout, checking every entry. */
export function fillFromMatrix(m: DistanceMatrix, out: Float32Array): void {
  const { n, distances, layout } = m;
  const expected = layout === 'full' ? n * n : (n * (n - 1)) / 2;
  if (distances.length !== expected) {
    throw new Error(`distance matrix: ${layout} layout with n = ${n} needs ${expected} values, got ${distances.length}`);
  }
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 0;
    const rowOffset = lowerRowOffset(m, i);
    for (let j = 0; j < i; j++) {
      const v = distances[rowOffset + j];
      if (!Number.isFinite(v) || v < 0) {
        throw new Error(`distance matrix: entry (${i + 1}, ${j + 1}) is ${v}; distances must be finite and ≥ 0`);
      }
      out[i * n + j] = v + 0; // + 0 turns −0 into +0 so float bit patterns sort like values
      out[j * n + i] = v + 0;
    }
  }
}

/** Straightforward distance of two rows (used by tests and small helpers; the engine uses the filled matrix). */
export function pointDistance(cloud: PointCloud, i: number, j: number, metric: Metric): number {
  const m = new Float32Array(4);
  const sub: PointCloud = { n: 2, d: cloud.d, data: new Float32Array(2 * cloud.d) };
  sub.data.set(cloud.data.subarray(i * cloud.d, (i + 1) * cloud.d), 0);
  sub.data.set(cloud.data.subarray(j * cloud.d, (j + 1) * cloud.d), cloud.d);
  for (const _ of cloudDistanceSteps(sub, metric, m)) void _;
  return m[2];
}
