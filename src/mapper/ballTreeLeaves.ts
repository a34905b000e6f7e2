/**
 * The leaves of a ball tree: a partition of the rows into groups of at most leafSize close-together points, in tree
 * order (neighbouring leaves are near each other too). Only the leaves are used (blocks.ts), so inner nodes keep
 * no balls.
 *
 * Split rule: a row far from an arbitrary row, the row farthest from that one (a, b), then the median of the
 * projection on the line ab, which orders rows as |x − a|² − |x − b|² does. Every distance of the three passes per
 * node comes from float32 distance tiles (WebAssembly SIMD), the hot loop of the build. The split only has to be
 * good, not exact, so their rounding is harmless here; the balls that prune are bounded rigorously, per leaf.
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
  const toA = new Float64Array(m), proj = new Float64Array(m);
  // dst[p] = squared distance from row idx[p] to row j, for p in [s, e).
  const distancesTo = (s: number, e: number, j: number, dst: Float64Array): void => {
    ib[0] = j;
    for (let c0 = s; c0 < e; c0 += ia.length) {
      const mc = Math.min(ia.length, e - c0);
      for (let a = 0; a < mc; a++) ia[a] = idx[c0 + a];
      tiles.tile32(mc, 1);
      for (let a = 0; a < mc; a++) dst[c0 + a] = out[a];
    }
  };
  const argmax = (s: number, e: number, v: Float64Array): number => {
    let best = s;
    for (let p = s + 1; p < e; p++) if (v[p] > v[best]) best = p;
    return idx[best];
  };
  const starts: number[] = [], ends: number[] = [];
  const todo: number[] = m > 0 ? [0, m] : [];
  while (todo.length > 0) {
    const e = todo.pop()!, s = todo.pop()!;
    if (e - s <= leafSize) { starts.push(s); ends.push(e); continue; }
    distancesTo(s, e, idx[s], proj);
    const a = argmax(s, e, proj);
    distancesTo(s, e, a, toA);
    const b = argmax(s, e, toA);
    distancesTo(s, e, b, proj);
    for (let p = s; p < e; p++) proj[p] = toA[p] - proj[p];
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
