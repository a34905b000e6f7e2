/**
 * Greedy-permutation (max–min) landmarks, as ripser.py's `n_perm`: start at point 0, then repeatedly take the point
 * farthest from the landmarks chosen so far. The cover radius ε is the largest distance from any point to its
 * nearest landmark (the Hausdorff distance between the cloud and the landmarks), so the Gromov–Hausdorff distance
 * is ≤ ε and, by the stability of Rips persistence, the bottleneck distance between the exact diagrams and the
 * landmarks' diagrams is ≤ 2ε in every dimension. O(n · count) distances, O(n) memory.
 */
import type { PointCloud } from '../types';
import { isDistanceMatrix, METRICS, type DistanceMatrix, type Metric } from './distances';
import type { PersistenceInput } from './ripser';

export interface Landmarks {
  /** Indices of the chosen points, in the order the greedy permutation picked them. */
  indices: Int32Array;
  /** Cover radius ε: max over all points of the distance to the nearest landmark. */
  radius: number;
  /** insertion[k] = the distance of landmark k to the landmarks before it (ripser.py's lambdas; insertion[0] = ∞). */
  insertion: Float64Array;
}

/** Distances from point i to every point (one row), for a cloud under a metric or a distance matrix. */
function rowDistances(input: PersistenceInput, metric: Metric, i: number, out: Float64Array): void {
  const n = input.n;
  if (isDistanceMatrix(input)) {
    const { distances, layout } = input as DistanceMatrix;
    for (let j = 0; j < n; j++) {
      if (j === i) out[j] = 0;
      else if (layout === 'full') out[j] = distances[Math.max(i, j) * n + Math.min(i, j)];
      else {
        const a = Math.max(i, j), b = Math.min(i, j);
        out[j] = distances[(a * (a - 1)) / 2 + b];
      }
    }
    return;
  }
  const { d, data } = input as PointCloud;
  const o = i * d;
  let ni = 0;
  if (metric === 'cosine') for (let t = 0; t < d; t++) ni += data[o + t] * data[o + t];
  for (let j = 0; j < n; j++) {
    const p = j * d;
    let s = 0;
    if (metric === 'euclidean') {
      for (let t = 0; t < d; t++) {
        const x = data[o + t] - data[p + t];
        s += x * x;
      }
      out[j] = Math.sqrt(s);
    } else if (metric === 'manhattan') {
      for (let t = 0; t < d; t++) s += Math.abs(data[o + t] - data[p + t]);
      out[j] = s;
    } else {
      let nj = 0;
      for (let t = 0; t < d; t++) {
        s += data[o + t] * data[p + t];
        nj += data[p + t] * data[p + t];
      }
      out[j] = j === i ? 0 : Math.max(0, 1 - s / Math.sqrt(ni * nj));
    }
  }
}

/** The first `count` points of the greedy permutation of the input (start at point 0, like ripser.py). */
export function greedyLandmarks(input: PersistenceInput, count: number, metric: Metric = 'euclidean'): Landmarks {
  const n = input.n;
  if (!Number.isInteger(count) || count < 1 || count > n) throw new Error(`landmarks must be an integer in 1…${n} (got ${count})`);
  if (!METRICS.includes(metric)) throw new Error(`metric must be one of ${METRICS.join(', ')} (got ${String(metric)})`);
  const nearest = new Float64Array(n).fill(Infinity);
  const row = new Float64Array(n);
  const indices = new Int32Array(count), insertion = new Float64Array(count);
  let next = 0, gap = Infinity;
  for (let k = 0; k < count; k++) {
    indices[k] = next;
    insertion[k] = gap;
    rowDistances(input, metric, next, row);
    gap = -1;
    let far = 0;
    for (let j = 0; j < n; j++) {
      if (row[j] < nearest[j]) nearest[j] = row[j];
      if (nearest[j] > gap) {
        gap = nearest[j];
        far = j;
      }
    }
    next = far;
  }
  return { indices, radius: gap, insertion };
}

/** The landmarks' own input: the sub-cloud (rows in landmark order) or the sub-matrix. */
export function landmarkInput(input: PersistenceInput, indices: Int32Array): PersistenceInput {
  const m = indices.length;
  if (isDistanceMatrix(input)) {
    const row = new Float64Array(input.n);
    const out = new Float64Array((m * (m - 1)) / 2);
    let p = 0;
    for (let a = 1; a < m; a++) {
      rowDistances(input, 'euclidean', indices[a], row);
      for (let b = 0; b < a; b++) out[p++] = row[indices[b]];
    }
    return { n: m, distances: out, layout: 'lower' };
  }
  const { d, data } = input as PointCloud;
  const out = new Float32Array(m * d);
  for (let k = 0; k < m; k++) out.set(data.subarray(indices[k] * d, (indices[k] + 1) * d), k * d);
  return { data: out, n: m, d };
}
