/**
 * Hierarchical clustering cut into flat clusters, with SciPy's semantics
 * (scipy.cluster.hierarchy.linkage + fcluster): 'single', 'complete' or 'average' linkage on exact float64
 * distances; cut either at a height t (criterion 'distance': merges of height ≤ t are kept) or into k clusters
 * (criterion 'maxclust': the m − k lowest merges are kept). All three linkages are monotone, so the kept merges
 * are closed under "child of" and can be applied with union–find in any order.
 *
 * single: Prim's minimum spanning tree, O(m²) time and O(m) memory (its edges are the single-linkage merges).
 * complete / average: nearest-neighbour chain (Müllner 2011) on the condensed distance matrix with the Lance–
 * Williams updates, O(m²) time and m(m−1)/2 float64 of memory — hence the size limit below.
 */
import type { PointCloud } from '../types';
import { metricDistance, metricSpace, sqDist, type Metric, type MetricSpace } from './space';
import { checkCount, MAPPER_LIMITS } from './limits';

export type LinkageMethod = 'single' | 'complete' | 'average';

export interface LinkageOptions {
  method?: LinkageMethod;
  /** Cut height in the metric's units (criterion 'distance'). Exactly one of distanceThreshold / nClusters. */
  distanceThreshold?: number;
  /** Number of flat clusters (criterion 'maxclust'), integer ≥ 1. */
  nClusters?: number;
  metric?: Metric;
  subset?: Int32Array;
}

/** Largest interval complete/average linkage accept (the condensed float64 matrix of 12 000 points is 576 MB). */
export const MAX_MATRIX_LINKAGE_POINTS = 12_000;

export function checkLinkageParams(o: LinkageOptions): void {
  const method = o.method ?? 'single';
  if (method !== 'single' && method !== 'complete' && method !== 'average') {
    throw new RangeError(`linkage method must be 'single', 'complete' or 'average' (got ${JSON.stringify(method)})`);
  }
  const hasT = o.distanceThreshold !== undefined, hasK = o.nClusters !== undefined;
  if (hasT === hasK) throw new RangeError('linkage needs exactly one of distanceThreshold (≥ 0) or nClusters (integer ≥ 1)');
  if (hasT && !(Number.isFinite(o.distanceThreshold) && o.distanceThreshold! >= 0)) {
    throw new RangeError(`distanceThreshold must be a finite number ≥ 0 (got ${o.distanceThreshold})`);
  }
  if (hasK) checkCount('nClusters', o.nClusters, MAPPER_LIMITS.nClusters);
}

/** Merges as (a, b, height) triples, a and b being member points of the two merged clusters. */
interface Merges {
  a: Int32Array;
  b: Int32Array;
  h: Float64Array;
}

function singleMerges(space: MetricSpace, S: Int32Array): Merges {
  const m = S.length, { x, d } = space;
  const best = new Float64Array(m).fill(Infinity);
  const from = new Int32Array(m);
  const done = new Uint8Array(m);
  const out: Merges = { a: new Int32Array(m - 1), b: new Int32Array(m - 1), h: new Float64Array(m - 1) };
  let cur = 0;
  done[0] = 1;
  for (let step = 0; step < m - 1; step++) {
    let next = -1, nextD = Infinity;
    const co = S[cur] * d;
    for (let p = 0; p < m; p++) {
      if (done[p]) continue;
      const d2 = sqDist(x, co, S[p] * d, d);
      if (d2 < best[p]) { best[p] = d2; from[p] = cur; }
      if (best[p] < nextD) { nextD = best[p]; next = p; }
    }
    done[next] = 1;
    out.a[step] = from[next];
    out.b[step] = next;
    out.h[step] = metricDistance(nextD, space.metric);
    cur = next;
  }
  return out;
}

function chainMerges(space: MetricSpace, S: Int32Array, method: 'complete' | 'average'): Merges {
  const m = S.length, { x, d } = space;
  if (m > MAX_MATRIX_LINKAGE_POINTS) {
    throw new RangeError(
      `${method} linkage holds an interval's full distance matrix: at most ${MAX_MATRIX_LINKAGE_POINTS} points per interval (got ${m}); use more intervals or single linkage`,
    );
  }
  // Condensed upper triangle: pair (i < j) at i*m − i(i+1)/2 + j − i − 1.
  const D = new Float64Array((m * (m - 1)) / 2);
  const at = (i: number, j: number): number => (i < j ? i * m - (i * (i + 1)) / 2 + j - i - 1 : j * m - (j * (j + 1)) / 2 + i - j - 1);
  for (let i = 0; i < m; i++) {
    for (let j = i + 1; j < m; j++) D[at(i, j)] = metricDistance(sqDist(x, S[i] * d, S[j] * d, d), space.metric);
  }
  const size = new Float64Array(m).fill(1);
  const active = new Uint8Array(m).fill(1);
  const chain = new Int32Array(m);
  let len = 0;
  const out: Merges = { a: new Int32Array(m - 1), b: new Int32Array(m - 1), h: new Float64Array(m - 1) };
  for (let step = 0; step < m - 1; step++) {
    if (len === 0) {
      let first = 0;
      while (!active[first]) first++;
      chain[len++] = first;
    }
    let a: number, b: number, dab: number;
    for (;;) {
      a = chain[len - 1];
      // Prefer the previous chain element on ties, so the chain always ends in a reciprocal pair.
      b = len >= 2 ? chain[len - 2] : -1;
      dab = b >= 0 ? D[at(a, b)] : Infinity;
      for (let c = 0; c < m; c++) {
        if (!active[c] || c === a) continue;
        const v = D[at(a, c)];
        if (v < dab) { dab = v; b = c; }
      }
      if (len >= 2 && b === chain[len - 2]) break;
      chain[len++] = b;
    }
    len -= 2;
    // Merge a into b (b keeps the slot).
    out.a[step] = a;
    out.b[step] = b;
    out.h[step] = dab;
    const na = size[a], nb = size[b];
    for (let c = 0; c < m; c++) {
      if (!active[c] || c === a || c === b) continue;
      const dac = D[at(a, c)], dbc = D[at(b, c)];
      D[at(b, c)] = method === 'complete' ? Math.max(dac, dbc) : (na * dac + nb * dbc) / (na + nb);
    }
    active[a] = 0;
    size[b] = na + nb;
  }
  return out;
}

/** Flat cluster labels 0.. (numbered by first member), one per point of `subset` (or of the cloud). */
export function linkage(cloud: PointCloud | MetricSpace, options: LinkageOptions): Int32Array {
  checkLinkageParams(options);
  const method = options.method ?? 'single';
  const space = 'x' in cloud ? cloud : metricSpace(cloud, options.metric ?? 'euclidean');
  const S = options.subset ?? Int32Array.from({ length: space.n }, (_, i) => i);
  const m = S.length;
  const labels = new Int32Array(m);
  if (m <= 1) return labels;
  const merges = method === 'single' ? singleMerges(space, S) : chainMerges(space, S, method);
  const order = Int32Array.from({ length: m - 1 }, (_, i) => i).sort((p, q) => merges.h[p] - merges.h[q]);
  const keep =
    options.nClusters !== undefined
      ? Math.max(0, m - options.nClusters)
      : order.findIndex((e) => merges.h[e] > options.distanceThreshold!) === -1
        ? m - 1
        : order.findIndex((e) => merges.h[e] > options.distanceThreshold!);
  const parent = Int32Array.from({ length: m }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; }
    return a;
  };
  for (let t = 0; t < keep; t++) {
    const e = order[t];
    const ra = find(merges.a[e]), rb = find(merges.b[e]);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const rank = new Int32Array(m).fill(-1);
  let k = 0;
  for (let p = 0; p < m; p++) {
    const r = find(p);
    if (rank[r] < 0) rank[r] = k++;
    labels[p] = rank[r];
  }
  return labels;
}
