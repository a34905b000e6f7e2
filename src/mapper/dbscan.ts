/**
 * DBSCAN with scikit-learn's semantics (sklearn.cluster.DBSCAN): a point is core when at least minSamples points
 * (itself included) lie within distance ≤ eps; clusters are the connected components of core points, numbered in
 * the order of their first core point; a border point (not core, within eps of a core point) joins the lowest-
 * numbered adjacent cluster, exactly as sklearn's breadth-first expansion assigns it; everything else is noise (−1).
 *
 * Less work than materialising every eps-neighbourhood (what sklearn does). The interval's points are cut into
 * spatially coherent blocks (ball-tree leaves); only block pairs whose balls come within eps are ever looked at,
 * and a block pair lying wholly within eps needs no distances at all. Then:
 * - core test: counting stops at minSamples; the k nearest neighbours computed once for the knee already prove
 *   most points core without a single new distance; pairs of two proven points are skipped;
 * - connectivity: union–find over core points; a block pair whose core points already share one component is
 *   skipped, and so is every pair already in one component, before any distance is computed;
 * - borders: a non-core point only looks at core points of lower-numbered clusters than the best found so far.
 * Distances are exact float64 (coordinate differences, abandoned once past eps²), so pairs at the eps boundary
 * fall on the same side as in sklearn's float64 computation.
 */
import type { PointCloud } from '../types';
import { buildBallTree } from './balltree';
import type { KNearest } from './knee';
import { metricSpace, sqDistBounded, sqDistTo, squaredRadius, type Metric, type MetricSpace } from './space';

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
  const { n, d, x } = space;
  const S = options.subset ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = S.length;
  const labels = new Int32Array(m).fill(-1);
  if (m === 0) return labels;
  const r2 = squaredRadius(options.eps, space.metric);
  const r = Math.sqrt(r2);

  // Blocks: ball-tree leaves. pos → local index p (position in S); rows referenced through S[p] * d.
  const tree = buildBallTree(space, S, 32);
  const local = new Int32Array(n).fill(-1);
  for (let p = 0; p < m; p++) local[S[p]] = p;
  const leaves: number[] = [];
  for (let t = 0; t < tree.nNodes; t++) if (tree.left[t] < 0) leaves.push(t);
  const nb = leaves.length;
  const bs = Int32Array.from(leaves, (t) => tree.start[t]);
  const be = Int32Array.from(leaves, (t) => tree.end[t]);
  const order = Int32Array.from(tree.idx, (i) => local[i]); // position → local index
  const off = Int32Array.from(tree.idx, (i) => i * d); // position → row offset in x

  // Near block pairs (A ≤ B, balls within eps), nearest first; `full` when every pair is within eps.
  const pa: number[] = [], pb: number[] = [], gaps: number[] = [], full: boolean[] = [];
  for (let A = 0; A < nb; A++) {
    const ca = leaves[A] * d, ra = tree.radius[leaves[A]];
    for (let B = A; B < nb; B++) {
      const cb = leaves[B] * d, rb = tree.radius[leaves[B]];
      let s2 = 0;
      for (let k = 0; k < d; k++) { const e = tree.center[ca + k] - tree.center[cb + k]; s2 += e * e; }
      const dc = Math.sqrt(s2), slack = 1e-9 * (dc + ra + rb + r);
      if (dc - ra - rb > r + slack) continue;
      pa.push(A); pb.push(B); gaps.push(dc - ra - rb); full.push(dc + ra + rb < r - slack);
    }
  }
  const np = pa.length;
  const pairOrder = Int32Array.from({ length: np }, (_, t) => t).sort((u, v) => gaps[u] - gaps[v]);

  // 1. Core points. count starts at 1 (the point itself); done = proven core.
  const count = new Int32Array(m).fill(1);
  const done = new Uint8Array(m);
  const never = new Uint8Array(m); // proven non-core
  const hits = new Int32Array(m * minSamples).fill(-1); // a few neighbours within eps, as free edges for step 2
  const nHits = new Int32Array(m);
  const knn = options.knn;
  if (knn) {
    for (let p = 0; p < m; p++) {
      const i = S[p];
      let c = 0;
      for (let a = 0; a < knn.k; a++) {
        const j = knn.idx[i * knn.k + a];
        if (j >= 0 && local[j] >= 0 && knn.d2[i * knn.k + a] <= r2) {
          c++;
          if (j !== i && nHits[p] < minSamples) hits[p * minSamples + nHits[p]++] = local[j];
        }
      }
      if (c >= minSamples) done[p] = 1;
      // Fewer than minSamples points of the whole cloud within eps → none of any subset either: never core.
      // (The margin keeps a pair rounded differently by the bounded distance below on the counting side.)
      else if (knn.k >= minSamples && knn.d2[i * knn.k + minSamples - 1] > r2 * (1 + 1e-12)) never[p] = 1;
    }
  }
  if (minSamples <= 1) done.fill(1);
  // open[b]: points of block b still undecided (neither proven core nor proven non-core).
  const open = new Int32Array(nb);
  const blockOf = new Int32Array(m);
  for (let b = 0; b < nb; b++) {
    for (let u = bs[b]; u < be[b]; u++) {
      blockOf[order[u]] = b;
      if (!done[order[u]] && !never[order[u]]) open[b]++;
    }
  }
  for (let p = 0; p < m; p++) if (never[p]) done[p] = 1; // decided; cleared again below
  // Positions of block X that lie within eps of block Y's ball (a pair within eps needs both ends so).
  let maxLeaf = 0;
  for (let b = 0; b < nb; b++) maxLeaf = Math.max(maxLeaf, be[b] - bs[b]);
  const rowsA = new Int32Array(maxLeaf), rowsB = new Int32Array(maxLeaf);
  const nearRows = (X: number, Y: number, rows: Int32Array): number => {
    const cy = leaves[Y] * d, ry = tree.radius[leaves[Y]];
    let k = 0;
    for (let u = bs[X]; u < be[X]; u++) {
      const dc = Math.sqrt(sqDistTo(x, off[u], tree.center, cy, d));
      if (dc - ry <= r + 1e-9 * (dc + ry + r)) rows[k++] = u;
    }
    return k;
  };
  const bump = (p: number, q: number): void => {
    if (done[p]) return;
    if (nHits[p] < minSamples) hits[p * minSamples + nHits[p]++] = q;
    if (++count[p] >= minSamples) { done[p] = 1; open[blockOf[p]]--; }
  };
  for (let t = 0; t < np; t++) {
    const e = pairOrder[t], A = pa[e], B = pb[e], same = A === B;
    if (open[A] === 0 && open[B] === 0) continue;
    if (full[e]) {
      for (let u = bs[A]; u < be[A]; u++) {
        const p = order[u];
        for (let v = same ? u + 1 : bs[B]; v < be[B]; v++) {
          const q = order[v];
          bump(p, q);
          bump(q, p);
        }
      }
      continue;
    }
    if (same) {
      for (let u = bs[A]; u < be[A]; u++) {
        const p = order[u], uo = off[u];
        for (let v = u + 1; v < be[A]; v++) {
          const q = order[v];
          if (done[p] && done[q]) continue;
          if (sqDistBounded(x, uo, off[v], d, r2) <= r2) { bump(p, q); bump(q, p); }
        }
      }
      continue;
    }
    const na = nearRows(A, B, rowsA), nbr = na > 0 ? nearRows(B, A, rowsB) : 0;
    for (let a = 0; a < na; a++) {
      const u = rowsA[a], p = order[u], uo = off[u];
      for (let b = 0; b < nbr; b++) {
        const v = rowsB[b], q = order[v];
        if (done[p] && done[q]) continue;
        if (sqDistBounded(x, uo, off[v], d, r2) <= r2) { bump(p, q); bump(q, p); }
      }
    }
  }
  for (let p = 0; p < m; p++) if (never[p]) done[p] = 0;
  const core = done;

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
    for (let a = 0; a < nHits[p]; a++) if (core[hits[p * minSamples + a]]) union(p, hits[p * minSamples + a]);
  }
  const oneComponent = (A: number, B: number): boolean => {
    let root = -1;
    for (const [s0, e0] of [[bs[A], be[A]], [bs[B], be[B]]]) {
      for (let u = s0; u < e0; u++) {
        const p = order[u];
        if (!core[p]) continue;
        const rp = find(p);
        if (root < 0) root = rp;
        else if (rp !== root) return false;
      }
    }
    return true;
  };
  for (let t = 0; t < np; t++) {
    const e = pairOrder[t], A = pa[e], B = pb[e], same = A === B;
    if (oneComponent(A, B)) continue;
    if (same || full[e]) {
      for (let u = bs[A]; u < be[A]; u++) {
        const p = order[u];
        if (!core[p]) continue;
        const uo = off[u];
        for (let v = same ? u + 1 : bs[B]; v < be[B]; v++) {
          const q = order[v];
          if (!core[q] || find(p) === find(q)) continue;
          if (full[e] || sqDistBounded(x, uo, off[v], d, r2) <= r2) union(p, q);
        }
      }
      continue;
    }
    const na = nearRows(A, B, rowsA), nbr = na > 0 ? nearRows(B, A, rowsB) : 0;
    for (let a = 0; a < na; a++) {
      const u = rowsA[a], p = order[u];
      if (!core[p]) continue;
      for (let b = 0; b < nbr; b++) {
        const v = rowsB[b], q = order[v];
        if (!core[q] || find(p) === find(q)) continue;
        if (sqDistBounded(x, off[u], off[v], d, r2) <= r2) union(p, q);
      }
    }
  }

  // 3. Number clusters by their first core point, like sklearn's expansion order.
  const rank = new Int32Array(m).fill(-1);
  let nClusters = 0;
  for (let p = 0; p < m; p++) {
    if (!core[p]) continue;
    const root = find(p);
    if (rank[root] < 0) rank[root] = nClusters++;
    labels[p] = rank[root];
  }

  // 4. Border points join the lowest-numbered cluster with a core point within eps. A non-core point p only
  // scans a block holding a core point of a lower-numbered cluster than its best so far, and only if p's distance
  // to the block's ball leaves room for eps (most noise points are outliers far from every ball).
  const best = new Int32Array(m).fill(nClusters);
  const nCore = new Int32Array(nb), minLabel = new Int32Array(nb).fill(nClusters);
  for (let b = 0; b < nb; b++) {
    for (let u = bs[b]; u < be[b]; u++) {
      const p = order[u];
      if (core[p]) { nCore[b]++; if (labels[p] < minLabel[b]) minLabel[b] = labels[p]; }
    }
  }
  const borderScan = (X: number, Y: number, isFull: boolean): void => {
    const cy = leaves[Y] * d, ry = tree.radius[leaves[Y]], my = minLabel[Y];
    for (let u = bs[X]; u < be[X]; u++) {
      const p = order[u];
      if (core[p] || my >= best[p]) continue;
      const po = off[u];
      if (!isFull) {
        const dc = Math.sqrt(sqDistTo(x, po, tree.center, cy, d));
        if (dc - ry > r + 1e-9 * (dc + ry + r)) continue;
      }
      for (let v = bs[Y]; v < be[Y]; v++) {
        const q = order[v];
        if (!core[q]) continue;
        const rq = labels[q];
        if (rq < best[p] && (isFull || sqDistBounded(x, po, off[v], d, r2) <= r2)) best[p] = rq;
      }
    }
  };
  for (let t = 0; t < np; t++) {
    const e = pairOrder[t], A = pa[e], B = pb[e];
    if (nCore[B] > 0 && nCore[A] < be[A] - bs[A]) borderScan(A, B, full[e]);
    if (A !== B && nCore[A] > 0 && nCore[B] < be[B] - bs[B]) borderScan(B, A, full[e]);
  }
  for (let p = 0; p < m; p++) if (!core[p] && best[p] < nClusters) labels[p] = best[p];
  return labels;
}
