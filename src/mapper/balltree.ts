/**
 * A ball tree over (a subset of) the rows of a MetricSpace. Mapper uses its leaves as spatially coherent blocks:
 * the blocked kNN (knn.ts) and blocked DBSCAN (dbscan.ts) compare blocks by their balls (centre, radius) and skip
 * block pairs that are provably too far apart.
 */
import { sqDist, sqDistTo, type MetricSpace } from './space';

export interface BallTree {
  space: MetricSpace;
  /** Point indices; node t owns idx[start[t], end[t]). */
  idx: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Children, -1 for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** nNodes × d centroids and the max distance of a member to its centroid. */
  center: Float64Array;
  radius: Float64Array;
  nNodes: number;
}

/** Build a tree over `subset` (default: all rows). Leaves hold at most `leafSize` points. */
export function buildBallTree(space: MetricSpace, subset?: Int32Array, leafSize = 24): BallTree {
  const { x, d } = space;
  const idx = subset ? Int32Array.from(subset) : Int32Array.from({ length: space.n }, (_, i) => i);
  const m = idx.length;
  const maxNodes = Math.max(1, Math.ceil((4 * m) / Math.max(1, leafSize)) + 4);
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const center = new Float64Array(maxNodes * d);
  const radius = new Float64Array(maxNodes);
  let nNodes = 0;
  const proj = new Float64Array(m);
  const order: number[] = [];

  const todo: number[] = [];
  const newNode = (s: number, e: number): number => {
    const t = nNodes++;
    start[t] = s;
    end[t] = e;
    todo.push(t);
    return t;
  };
  if (m > 0) newNode(0, m);
  while (todo.length > 0) {
    const t = todo.pop()!;
    const s = start[t], e = end[t], co = t * d;
    for (let p = s; p < e; p++) {
      const ro = idx[p] * d;
      for (let k = 0; k < d; k++) center[co + k] += x[ro + k];
    }
    for (let k = 0; k < d; k++) center[co + k] /= e - s;
    let r2 = 0, far = idx[s];
    for (let p = s; p < e; p++) {
      const q2 = sqDistTo(x, idx[p] * d, center, co, d);
      if (q2 > r2) { r2 = q2; far = idx[p]; }
    }
    radius[t] = Math.sqrt(r2);
    if (e - s <= leafSize || r2 === 0) continue;
    // Split along the line through two far-apart members, at the median projection.
    let far2 = far, best = -1;
    for (let p = s; p < e; p++) {
      const q2 = sqDist(x, idx[p] * d, far * d, d);
      if (q2 > best) { best = q2; far2 = idx[p]; }
    }
    const ao = far * d, bo = far2 * d;
    for (let p = s; p < e; p++) {
      const ro = idx[p] * d;
      let dot = 0;
      for (let k = 0; k < d; k++) dot += (x[ro + k] - x[ao + k]) * (x[bo + k] - x[ao + k]);
      proj[p] = dot;
    }
    order.length = 0;
    for (let p = s; p < e; p++) order.push(p);
    order.sort((a, b) => proj[a] - proj[b]);
    const tmp = order.map((p) => idx[p]);
    for (let p = s; p < e; p++) idx[p] = tmp[p - s];
    const mid = s + ((e - s) >> 1);
    left[t] = newNode(s, mid);
    right[t] = newNode(mid, e);
  }
  return {
    space, idx, start, end, left, right, center, radius, nNodes,
  };
}
