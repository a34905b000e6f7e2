/**
 * Exact k nearest neighbours of every point (self included), the expensive half of eps = 'knee'.
 *
 * Why not one tree query per point: at the k-NN scale even activation-like data looks high-dimensional, so a
 * tree prunes little and each query streams the whole cloud through the cache. Instead the cloud is cut into
 * spatially coherent blocks (blocks.ts) and every pair of blocks is handled once: a block pair whose balls are
 * farther apart than both blocks' current k-th distances is skipped; otherwise only the rows of each block that can
 * still gain from the other (ball and slab bounds, see pairBlocks) meet in one distance tile (distanceTiles.ts,
 * WebAssembly SIMD: a float32 estimate lists the pairs that may enter a list, refined to float64) and update both
 * points' lists. Blocks next to each other in leaf order are done first so the k-th distances are tight before the
 * sweep. The final k squared distances are recomputed exactly from coordinate differences.
 */
import { leafBlocks, type LeafBlocks } from './blocks';
import type { DistanceTiles } from './distanceTiles';
import type { MetricSpace } from './space';

export interface KNearest {
  k: number;
  /** n × k neighbour indices, nearest first (the point itself is usually first). */
  idx: Int32Array;
  /** n × k squared distances in the metric space (see space.ts), ascending per row. */
  d2: Float64Array;
}

export interface KnnJob {
  /** Number of steps; call step(s) for s = 0 … nSteps − 1 in order, then result(). */
  nSteps: number;
  step(s: number): void;
  result(): KNearest;
}

/**
 * Everything the blocked sweep works on, as plain typed arrays (so a Node caller can hand a copy to a worker
 * thread: see nodeThreads.ts). Points are numbered by position (leaf order); tile rows n … n + nb − 1 are the
 * blocks' centres (see blocks.ts).
 */
export interface KnnState {
  n: number;
  d: number;
  kk: number;
  nb: number;
  bStart: Int32Array;
  bEnd: Int32Array;
  bRadius: Float64Array;
  /** The blocks' largest squared norms (float64 rows and float32 copies), for the tiles' error bands. */
  sqMax: number;
  sq32Max: number;
  /**
   * Best lists by position, ascending (n × kk); tau = current k-th squared distance (kept in the tiles' perRow
   * memory, where the WebAssembly row filter reads it), blockTau = max over a block.
   */
  bi: Int32Array;
  bd: Float64Array;
  tau: Float64Array;
  blockTau: Float64Array;
}

/** Blocks over the whole cloud (made here from a MetricSpace), best lists empty. */
export function knnPrepare(cloud: MetricSpace | LeafBlocks, k: number): { state: KnnState; blocks: LeafBlocks } {
  const blocks = 'tiles' in cloud ? cloud : leafBlocks(cloud);
  const { n, nb } = blocks;
  if (n !== blocks.space.n) throw new RangeError('kNN needs blocks over every point of the cloud, not a subset');
  const kk = Math.max(1, Math.min(k, n));
  const state: KnnState = {
    n, d: blocks.space.d, kk, nb,
    bStart: blocks.bStart, bEnd: blocks.bEnd, bRadius: blocks.bRadius, sqMax: blocks.sqMax, sq32Max: blocks.sq32Max,
    bi: new Int32Array(n * kk).fill(-1),
    bd: new Float64Array(n * kk).fill(Infinity),
    tau: blocks.tiles.perRow.fill(Infinity),
    blockTau: new Float64Array(nb).fill(Infinity),
  };
  return { state, blocks };
}

/**
 * The sweep over S: warm() pairs every block with itself and its successor (tight k-th distances early);
 * row(A) pairs block A with every block B ≥ A + 2 that the ball bounds cannot rule out. Together they visit
 * every block pair once. Worker threads run it too (mapperThread.worker.ts), on a copy of the state.
 */
export function knnRunner(S: KnnState, T: DistanceTiles): { warm(): void; row(A: number): void } {
  const { n, kk, nb, bStart, bEnd, bRadius, bi, bd, blockTau, sqMax, sq32Max } = S;
  // The k-th distances live in the tiles' memory, where the WebAssembly row filter reads them (a worker thread gets
  // a copy of the state and moves them into its own tiles).
  const tau = T.perRow;
  if (S.tau !== tau) tau.set(S.tau);
  const { ia, ib, out, sq, sq32, errorScale, errorScale32, thrA, thrB, list } = T;
  const offer = (p: number, q: number, d2: number): void => {
    if (d2 >= tau[p] && !(d2 === tau[p] && bi[p * kk + kk - 1] < 0)) return;
    const o = p * kk;
    let a = kk - 1;
    while (a > 0 && bd[o + a - 1] > d2) {
      bd[o + a] = bd[o + a - 1];
      bi[o + a] = bi[o + a - 1];
      a--;
    }
    bd[o + a] = d2;
    bi[o + a] = q;
    tau[p] = bd[o + kk - 1];
  };
  const refreshBlockTau = (b: number): void => {
    let m = 0;
    for (let p = bStart[b]; p < bEnd[b]; p++) if (tau[p] > m) m = tau[p];
    blockTau[b] = m;
  };
  // Lower bound on the distance from tile row i to any point of the ball (centre row c, radius r), given the tile
  // value v ≈ |x_i − x_c|²: the tile's rounding band is taken off first, so the bound never overshoots.
  const gapToBall = (v: number, i: number, c: number, r: number): number => {
    const lo = v - errorScale * (sq[i] + sq[c]);
    return (lo > 0 ? Math.sqrt(lo) : 0) - r;
  };
  // Worth comparing when the gap's square may beat `bound`, with a relative margin for the rounding of the square.
  const mayBeat = (gap: number, bound: number): boolean => gap <= 0 || gap * gap * (1 - 1e-9) < bound;
  const centreD2 = new Float64Array(nb);

  // Squared distance between two blocks' centres (one small tile).
  const centreDistance = (A: number, B: number): number => {
    ia[0] = n + A;
    ib[0] = n + B;
    T.tile(1, 1);
    return out[0];
  };

  /** All useful pairs between blocks A and B (A === B: each unordered pair once, plus the self pairs); cd2: their centres' squared distance. */
  const pairBlocks = (A: number, B: number, cd2: number): void => {
    const same = A === B;
    const la = bEnd[A] - bStart[A], lb = bEnd[B] - bStart[B];
    let ma = 0, mb = 0;
    if (same) {
      for (let p = bStart[A]; p < bEnd[A]; p++) { ia[ma++] = p; ib[mb++] = p; }
    } else {
      // Row p of one block matters only if the other block may hold a point closer than max(tau[p], that block's
      // largest tau); otherwise every pair through p is too long for both ends' lists. Two lower bounds on the
      // distance from p to the other block: the ball bound, and the slab bound along the axis from A's centre to
      // B's (positions t along it come from the distances to both centres: t = (dA − dB + D) / 2√D, and
      // |p − q| ≥ t_q − t_p), much the tighter of the two in high dimension. One tile gives every row's squared
      // distance to both centres (column 0: B's centre, column 1: A's); the filter itself runs in WebAssembly too
      // (nearRows) and leaves the kept rows in ia / ib.
      for (let p = bStart[A]; p < bEnd[A]; p++) ia[ma++] = p;
      for (let p = bStart[B]; p < bEnd[B]; p++) ia[ma++] = p;
      ib[0] = n + B;
      ib[1] = n + A;
      T.tile(la + lb, 2);
      // w = 1 / 2√D; the rounding of t (three Gram values' bands, times w) is within `slack`.
      const D = cd2 > 0 ? cd2 : 0, w = D > 0 ? 0.5 / Math.sqrt(D) : 0;
      const slack = D > 0 ? 8 * errorScale * (sq[n + A] + sq[n + B] + sqMax) * w + 1e-9 * Math.sqrt(D) : Infinity;
      const kept = T.nearRows(la, lb, bStart[A], bStart[B], D, w, slack, bRadius[A], bRadius[B], blockTau[A], blockTau[B], n + A, n + B);
      ma = kept >>> 16;
      mb = kept & 0xffff;
      if (ma === 0 || mb === 0) return;
    }
    // Only pairs shorter than one end's current k-th distance can enter a list: the float32 estimate lists those
    // (thresholds widened by its error bound), refined to float64. While lists are still filling (the warm start)
    // nearly every pair qualifies, and the float64 tile is cheaper than estimate + refine.
    if (same) for (let a = 0; a < ma; a++) offer(ia[a], ia[a], 0);
    let count: number;
    if (blockTau[A] === Infinity || blockTau[B] === Infinity) {
      for (let a = 0; a < ma; a++) thrA[a] = tau[ia[a]];
      for (let b = 0; b < mb; b++) thrB[b] = tau[ib[b]];
      T.tile(ma, mb);
      count = T.select(ma, mb);
    } else {
      for (let a = 0; a < ma; a++) thrA[a] = tau[ia[a]] + errorScale32 * (sq32[ia[a]] + sq32Max);
      for (let b = 0; b < mb; b++) thrB[b] = tau[ib[b]] + errorScale32 * (sq32[ib[b]] + sq32Max);
      count = T.tile32select(ma, mb);
      T.refine(count, mb);
    }
    for (let c = count, t = 0; t < c; t++) {
      const o = list[t], a = (o / mb) | 0, b = o - a * mb;
      if (same && b <= a) continue;
      const p = ia[a], q = ib[b];
      const v = out[o] > 0 ? out[o] : 0;
      if (v <= tau[p]) offer(p, q, v);
      if (v <= tau[q]) offer(q, p, v);
    }
  };

  return {
    warm(): void {
      for (let b = 0; b < nb; b++) {
        pairBlocks(b, b, 0);
        if (b + 1 < nb) pairBlocks(b, b + 1, centreDistance(b, b + 1));
      }
      for (let b = 0; b < nb; b++) refreshBlockTau(b);
    },
    row(A: number): void {
      // Centre distances A → B for every B ≥ A + 2, in chunks of the tile's A side (B's centres there, A's alone
      // on side B), kept before pairBlocks reuses the tile.
      ib[0] = n + A;
      for (let B0 = A + 2; B0 < nb; B0 += ia.length) {
        const m = Math.min(ia.length, nb - B0);
        for (let t = 0; t < m; t++) ia[t] = n + B0 + t;
        T.tile(m, 1);
        for (let t = 0; t < m; t++) centreD2[B0 + t] = out[t];
      }
      for (let B = A + 2; B < nb; B++) {
        const gap = gapToBall(centreD2[B], n + A, n + B, bRadius[A] + bRadius[B]);
        if (!mayBeat(gap, blockTau[A]) && !mayBeat(gap, blockTau[B])) continue;
        pairBlocks(A, B, centreD2[B]);
        refreshBlockTau(B);
      }
      refreshBlockTau(A);
    },
  };
}

/**
 * Fold another copy's best lists (bi2, bd2, by position) into S's: each position keeps the kk smallest of the
 * union, a neighbour found by both copies counted once.
 */
export function mergeKnnLists(S: KnnState, bi2: Int32Array, bd2: Float64Array): void {
  const { n, kk, bi, bd } = S;
  const mi = new Int32Array(kk), md = new Float64Array(kk);
  for (let p = 0; p < n; p++) {
    const o = p * kk;
    let a = 0, b = 0, m = 0;
    while (m < kk && (a < kk || b < kk)) {
      const da = a < kk && bi[o + a] >= 0 ? bd[o + a] : Infinity;
      const db = b < kk && bi2[o + b] >= 0 ? bd2[o + b] : Infinity;
      if (da === Infinity && db === Infinity) break;
      let q: number, v: number;
      if (da <= db) { q = bi[o + a]; v = da; a++; } else { q = bi2[o + b]; v = db; b++; }
      let dup = false;
      for (let t = 0; t < m; t++) if (mi[t] === q) { dup = true; break; }
      if (!dup) { mi[m] = q; md[m] = v; m++; }
    }
    for (let t = 0; t < kk; t++) {
      bi[o + t] = t < m ? mi[t] : -1;
      bd[o + t] = t < m ? md[t] : Infinity;
    }
  }
}

/**
 * Exact squared distances from coordinate differences (the Gram values can be off by rounding), re-sorted. Each is
 * summed in coordinate order (sqDistInOrder's arithmetic, which is sklearn's), the k of a point side by side so
 * that the k sums overlap instead of waiting on each other.
 */
export function knnFinish(space: MetricSpace, S: KnnState, perm: Int32Array): KNearest {
  const { n, d, kk, bi } = S;
  const { x } = space;
  const idx = new Int32Array(n * kk);
  const d2 = new Float64Array(n * kk);
  const at = new Int32Array(kk), sums = new Float64Array(kk);
  for (let p = 0; p < n; p++) {
    const i = perm[p], o = i * kk, io = i * d;
    for (let a = 0; a < kk; a++) { at[a] = perm[bi[p * kk + a]] * d; sums[a] = 0; }
    for (let c = 0; c < d; c++) {
      const xi = x[io + c];
      for (let a = 0; a < kk; a++) {
        const e = xi - x[at[a] + c];
        sums[a] += e * e;
      }
    }
    // Insertion sort by (distance, index): k is small.
    for (let a = 0; a < kk; a++) {
      const j = at[a] / d, v = sums[a];
      let t = a;
      while (t > 0 && (d2[o + t - 1] > v || (d2[o + t - 1] === v && idx[o + t - 1] > j))) {
        d2[o + t] = d2[o + t - 1];
        idx[o + t] = idx[o + t - 1];
        t--;
      }
      d2[o + t] = v;
      idx[o + t] = j;
    }
  }
  return { k: kk, idx, d2 };
}

/** The blocked all-pairs kNN as resumable steps (so an async caller can yield between them). */
export function knnJob(cloud: MetricSpace | LeafBlocks, k: number): KnnJob {
  const { state, blocks } = knnPrepare(cloud, k);
  const runner = knnRunner(state, blocks.tiles);
  runner.warm();
  return {
    nSteps: state.nb,
    step: runner.row,
    result: () => knnFinish(blocks.space, state, blocks.perm),
  };
}

/** Exact k nearest neighbours of every point, self included (sklearn's kneighbors on its own training set). */
export function kNearest(cloud: MetricSpace | LeafBlocks, k: number): KNearest {
  const job = knnJob(cloud, k);
  for (let s = 0; s < job.nSteps; s++) job.step(s);
  return job.result();
}
