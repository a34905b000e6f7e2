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
    // Only the median split matters, so partition around it (quickselect, O(size)) instead of sorting.
    selectMedian(idx, proj, s, e, s + ((e - s) >> 1));
    const mid = s + ((e - s) >> 1);
    left[t] = newNode(s, mid);
    right[t] = newNode(mid, e);
  }
  return {
    space, idx, start, end, left, right, center, radius, nNodes,
  };
}

/**
 * Reorder idx[s, e) and proj[s, e) together so that position `mid` holds the element of rank mid − s by proj,
 * smaller-or-equal ones before it and larger-or-equal ones after (Hoare quickselect, median-of-three pivot).
 */
function selectMedian(idx: Int32Array, proj: Float64Array, s: number, e: number, mid: number): void {
  let lo = s, hi = e - 1;
  while (hi > lo) {
    const a = proj[lo], b = proj[(lo + hi) >> 1], c = proj[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (proj[i] < pivot) i++;
      while (proj[j] > pivot) j--;
      if (i <= j) {
        const tp = proj[i]; proj[i] = proj[j]; proj[j] = tp;
        const ti = idx[i]; idx[i] = idx[j]; idx[j] = ti;
        i++; j--;
      }
    }
    if (mid <= j) hi = j;
    else if (mid >= i) lo = i;
    else return;
  }
}
