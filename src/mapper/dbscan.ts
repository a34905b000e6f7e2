/**
 * DBSCAN with scikit-learn's semantics (sklearn.cluster.DBSCAN): a point is core when at least minSamples points
 * (itself included) lie within distance ≤ eps; clusters are the connected components of core points, numbered in
 * the order of their first core point; a border point (not core, within eps of a core point) joins the lowest-
 * numbered adjacent cluster, exactly as sklearn's breadth-first expansion assigns it; everything else is noise (−1).
 *
 * Less work than materialising every eps-neighbourhood (what sklearn does):
 * - core test: stop counting at minSamples; the k nearest neighbours computed once for the knee already prove most
 *   points core without a single new distance;
 * - connectivity: union–find; edges already seen while testing cores connect most of each cluster, then only the
 *   points outside the largest component need range queries, and candidates already in the querying point's
 *   component are skipped before any distance is computed (an edge between two components always has an endpoint
 *   outside the largest one, so nothing is missed);
 * - range queries go through a ball tree whose balls wholly inside eps are accepted without distances.
 */
import type { PointCloud } from '../types';
import { buildBallTree, rangeSearch, type BallTree } from './balltree';
import type { KNearest } from './knee';
import { metricSpace, squaredRadius, type Metric, type MetricSpace } from './space';

export interface DbscanOptions {
  /** Neighbourhood radius in the metric's units (> 0). */
  eps: number;
  /** Points (self included) within eps that make a point core. Default 5 (the paper's). */
  minSamples?: number;
  /** Default 'euclidean'. Ignored when a MetricSpace is passed (it carries its metric). */
  metric?: Metric;
  /** Cluster only these point indices (ascending, as KeplerMapper passes an interval's rows). Default: all. */
  subset?: Int32Array;
  /** k nearest neighbours of every point of the whole cloud in the same space (reused as free core evidence). */
  knn?: KNearest;
}

export function checkDbscanParams(eps: number, minSamples: number): void {
  if (!(typeof eps === 'number' && Number.isFinite(eps) && eps > 0)) {
    throw new RangeError(`eps must be a finite number > 0 (got ${eps})`);
  }
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`minSamples must be an integer ≥ 1 (got ${minSamples})`);
  }
}

/** Cluster labels (−1 noise), one per point of `subset` (or of the cloud), in that order. */
export function dbscan(cloud: PointCloud | MetricSpace, options: DbscanOptions): Int32Array {
  const minSamples = options.minSamples ?? 5;
  checkDbscanParams(options.eps, minSamples);
  const space = 'x' in cloud ? cloud : metricSpace(cloud, options.metric ?? 'euclidean');
  const n = space.n;
  const S = options.subset ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = S.length;
  const labels = new Int32Array(m).fill(-1);
  if (m === 0) return labels;
  const r2 = squaredRadius(options.eps, space.metric);

  const local = new Int32Array(n).fill(-1);
  for (let p = 0; p < m; p++) local[S[p]] = p;
  let tree: BallTree | null = null;
  const getTree = (): BallTree => (tree ??= buildBallTree(space, S));

  // 1. Core points, remembering up to minSamples − 1 neighbours each as free edges for step 2.
  const core = new Uint8Array(m);
  const hits = new Int32Array(m * minSamples).fill(-1);
  const knn = options.knn;
  for (let p = 0; p < m; p++) {
    const i = S[p];
    let count = 0;
    if (knn) {
      for (let a = 0; a < knn.k; a++) {
        const j = knn.idx[i * knn.k + a];
        if (j >= 0 && local[j] >= 0 && knn.d2[i * knn.k + a] <= r2) hits[p * minSamples + count++] = local[j];
        if (count >= minSamples) break;
      }
    }
    if (count < minSamples) {
      count = 0;
      rangeSearch(getTree(), i, r2, null, (j) => {
        hits[p * minSamples + count++] = local[j];
        return count >= minSamples;
      });
    }
    if (count >= minSamples) core[p] = 1;
  }

  // 2. Connected components of core points.
  const parent = new Int32Array(m);
  for (let p = 0; p < m; p++) parent[p] = p;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let p = 0; p < m; p++) {
    if (!core[p]) continue;
    for (let a = 0; a < minSamples; a++) {
      const q = hits[p * minSamples + a];
      if (q >= 0 && core[q]) union(p, q);
    }
  }
  const size = new Int32Array(m);
  let giant = -1;
  for (let p = 0; p < m; p++) {
    if (!core[p]) continue;
    const r = find(p);
    if (++size[r] > (giant < 0 ? 0 : size[giant])) giant = r;
  }
  const inGiant = new Uint8Array(m);
  for (let p = 0; p < m; p++) if (core[p] && find(p) === giant) inGiant[p] = 1;
  for (let p = 0; p < m; p++) {
    if (!core[p] || inGiant[p]) continue;
    rangeSearch(
      getTree(),
      S[p],
      r2,
      (j) => core[local[j]] === 1 && find(local[j]) !== find(p),
      (j) => {
        union(p, local[j]);
        return false;
      },
    );
  }

  // 3. Number clusters by their first core point, like sklearn's expansion order.
  const rank = new Int32Array(m).fill(-1);
  let nClusters = 0;
  for (let p = 0; p < m; p++) {
    if (!core[p]) continue;
    const r = find(p);
    if (rank[r] < 0) rank[r] = nClusters++;
    labels[p] = rank[r];
  }

  // 4. Border points join the lowest-numbered cluster with a core point within eps.
  for (let p = 0; p < m; p++) {
    if (core[p]) continue;
    let best = nClusters;
    rangeSearch(
      getTree(),
      S[p],
      r2,
      (j) => core[local[j]] === 1 && rank[find(local[j])] < best,
      (j) => {
        best = rank[find(local[j])];
        return best === 0;
      },
    );
    if (best < nClusters) labels[p] = best;
  }
  return labels;
}
