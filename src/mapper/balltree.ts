/**
 * A ball tree over (a subset of) the rows of a MetricSpace, for the exact neighbour queries Mapper needs: the
 * k-nearest-neighbour distances behind the knee eps, and DBSCAN's eps-range queries inside each interval.
 *
 * Why a tree and not blocked brute force: activations have a low intrinsic dimension even in R^128, so balls prune
 * most of the cloud, and a ball lying wholly inside the query radius is accepted without a single distance. Distances
 * are computed exactly in float64 from coordinate differences, so a pair at distance ≤ eps is never lost to
 * Gram-matrix cancellation; the pruning tests carry a small relative slack for the same reason.
 */
import { sqDist, sqDistBounded, sqDistTo, type MetricSpace } from './space';

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
  /** Scratch stack for the searches (one search at a time per tree). */
  stack: Int32Array;
  stackLb: Float64Array;
}

/** Relative slack on pruning tests so rounding in centroid distances never drops a point on the boundary. */
const SLACK = 1e-9;

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
    stack: new Int32Array(Math.max(1, nNodes)),
    stackLb: new Float64Array(Math.max(1, nNodes)),
  };
}

/**
 * Visit every point j of the tree with |q − j|² ≤ r2 (squared Euclidean in the space) for which `accept(j)` holds.
 * `accept` runs before any distance is computed (cheap filters first); `visit` returns true to stop the search.
 */
export function rangeSearch(
  tree: BallTree,
  q: number,
  r2: number,
  accept: ((j: number) => boolean) | null,
  visit: (j: number) => boolean,
): void {
  if (tree.nNodes === 0) return;
  const { idx, start, end, left, right, center, radius, stack } = tree;
  const { x, d } = tree.space;
  const qo = q * d;
  const r = Math.sqrt(r2);
  const { stackLb } = tree;
  let top = 0;
  stack[top] = 0;
  stackLb[top++] = Math.sqrt(sqDistTo(x, qo, center, 0, d));
  while (top > 0) {
    top--;
    const t = stack[top];
    const dc = stackLb[top]; // distance from q to the node's centre
    const slack = SLACK * (dc + radius[t] + r);
    if (dc - radius[t] > r + slack) continue;
    const s = start[t], e = end[t];
    if (dc + radius[t] < r - slack) {
      // The whole ball lies inside the query ball: no distances needed.
      for (let p = s; p < e; p++) {
        const j = idx[p];
        if ((accept === null || accept(j)) && visit(j)) return;
      }
      continue;
    }
    if (left[t] >= 0) {
      // Nearer child on top of the stack: searches that stop early (counting to minSamples) stop sooner.
      const l = left[t], rr = right[t];
      const dl = Math.sqrt(sqDistTo(x, qo, center, l * d, d)), dr = Math.sqrt(sqDistTo(x, qo, center, rr * d, d));
      if (dl - radius[l] <= dr - radius[rr]) {
        stack[top] = rr; stackLb[top++] = dr;
        stack[top] = l; stackLb[top++] = dl;
      } else {
        stack[top] = l; stackLb[top++] = dl;
        stack[top] = rr; stackLb[top++] = dr;
      }
      continue;
    }
    for (let p = s; p < e; p++) {
      const j = idx[p];
      if (accept !== null && !accept(j)) continue;
      if (sqDistBounded(x, qo, j * d, d, r2) <= r2 && visit(j)) return;
    }
  }
}

/**
 * The k nearest tree points of row q, the point itself included when it is in the tree (sklearn's kneighbors on
 * the training set does the same). Writes ascending squared distances and indices at outIdx/outD2[off .. off+k).
 */
export function knnSearch(tree: BallTree, q: number, k: number, outIdx: Int32Array, outD2: Float64Array, off: number): void {
  const { idx, start, end, left, right, center, radius, stack, stackLb } = tree;
  const { x, d } = tree.space;
  const qo = q * d;
  for (let a = 0; a < k; a++) { outIdx[off + a] = -1; outD2[off + a] = Infinity; }
  if (tree.nNodes === 0) return;
  let tau2 = Infinity;
  let top = 0;
  stack[top] = 0;
  stackLb[top++] = 0;
  while (top > 0) {
    top--;
    const t = stack[top];
    const lb = stackLb[top];
    if (lb * lb > tau2 * (1 + SLACK)) continue;
    if (left[t] < 0) {
      for (let p = start[t]; p < end[t]; p++) {
        const j = idx[p];
        const d2 = sqDistBounded(x, qo, j * d, d, tau2);
        if (d2 < tau2 || (d2 === tau2 && outIdx[off + k - 1] < 0)) {
          // Insert into the sorted best-k list.
          let a = k - 1;
          while (a > 0 && outD2[off + a - 1] > d2) {
            outD2[off + a] = outD2[off + a - 1];
            outIdx[off + a] = outIdx[off + a - 1];
            a--;
          }
          outD2[off + a] = d2;
          outIdx[off + a] = j;
          tau2 = outD2[off + k - 1];
        }
      }
      continue;
    }
    const l = left[t], r = right[t];
    const lbL = Math.max(0, Math.sqrt(sqDistTo(x, qo, center, l * d, d)) - radius[l]);
    const lbR = Math.max(0, Math.sqrt(sqDistTo(x, qo, center, r * d, d)) - radius[r]);
    // Push the farther child first so the nearer one is searched first and tightens tau early.
    if (lbL <= lbR) {
      stack[top] = r; stackLb[top++] = lbR;
      stack[top] = l; stackLb[top++] = lbL;
    } else {
      stack[top] = l; stackLb[top++] = lbL;
      stack[top] = r; stackLb[top++] = lbR;
    }
  }
}
