/**
 * The leaves of a ball tree: a partition of the rows into groups of at most leafSize close-together points, in tree
 * order (neighbouring leaves are near each other too). Only the leaves are used (blocks.ts), so inner nodes keep
 * no balls.
 *
 * Split rule: among up to 64 sample rows of the node, a row far from an arbitrary row and the row farthest from
 * that one (a, b); then the median of the projection on the line ab, which orders rows as |x − a|² − |x − b|²
 * does. So each node costs one pass over its rows: a float32 distance tile (WebAssembly SIMD) of two columns. The
 * split only has to be good, not exact, so their rounding is harmless here; the balls that prune are bounded
 * rigorously, per leaf.
 */
import type { DistanceTiles } from './distanceTiles';

export interface Leaves {
  /** Rows in tree order; leaf t = idx[start[t], end[t]), in ascending start. */
  idx: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

/** Leaves over the tile rows 0 … m − 1 (committed). Leaves hold at most leafSize (≥ 1) rows. */
export function ballTreeLeaves(tiles: DistanceTiles, m: number, leafSize: number): Leaves {
  const { ia, ib, out } = tiles;
  const idx = Int32Array.from({ length: m }, (_, i) => i);
  const proj = new Float64Array(m);
  // Far pair (a, b) of a node: a = the sample row farthest from the node's first row, b = the sample row farthest
  // from a, the sample being up to 64 rows spread over the node (a far pair only has to be good, not the farthest).
  const sample = (s: number, e: number, from: number): number => {
    const step = Math.max(1, Math.floor((e - s) / 64));
    let k = 0;
    for (let p = s; p < e && k < ia.length; p += step) ia[k++] = idx[p];
    ib[0] = from;
    tiles.tile32(k, 1);
    let best = 0;
    for (let t = 1; t < k; t++) if (out[t] > out[best]) best = t;
    return ia[best];
  };
  // proj[p] = |x − a|² − |x − b|² for p in [s, e): increases along the line from a to b. One tile of two columns.
  const project = (s: number, e: number, a: number, b: number): void => {
    ib[0] = a;
    ib[1] = b;
    for (let c0 = s; c0 < e; c0 += ia.length) {
      const mc = Math.min(ia.length, e - c0);
      for (let t = 0; t < mc; t++) ia[t] = idx[c0 + t];
      tiles.tile32(mc, 2);
      for (let t = 0; t < mc; t++) proj[c0 + t] = out[2 * t] - out[2 * t + 1];
    }
  };
  const starts: number[] = [], ends: number[] = [];
  const todo: number[] = m > 0 ? [0, m] : [];
  while (todo.length > 0) {
    const e = todo.pop()!, s = todo.pop()!;
    if (e - s <= leafSize) { starts.push(s); ends.push(e); continue; }
    const a = sample(s, e, idx[s]);
    const b = sample(s, e, a);
    project(s, e, a, b);
    // Duplicated rows give equal projections; the median split still halves the node, so leaves stay ≤ leafSize.
    const mid = s + ((e - s) >> 1);
    selectMedian(idx, proj, s, e, mid);
    todo.push(mid, e, s, mid);
  }
  const order = Int32Array.from(starts.keys()).sort((u, v) => starts[u] - starts[v]);
  return { idx, start: Int32Array.from(order, (t) => starts[t]), end: Int32Array.from(order, (t) => ends[t]) };
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
