/**
 * Exact k nearest neighbours of every point (self included), the expensive half of eps = 'knee'.
 *
 * Why not one tree query per point: at the k-NN scale even activation-like data looks high-dimensional, so a
 * tree prunes little and each query streams the whole cloud through the cache. Instead the cloud is cut into
 * spatially coherent blocks (the leaves of a ball tree) and every pair of blocks is handled once: a block pair
 * whose balls are farther apart than both blocks' current k-th distances is skipped, otherwise all its pairs go
 * through a 4×2 register-blocked Gram kernel (d² = |a|² + |b|² − 2 a·b, float64) and update both points' lists.
 * Blocks next to each other in leaf order are done first so the k-th distances are tight before the sweep.
 * The final k squared distances are recomputed exactly from coordinate differences.
 */
import { buildBallTree } from './balltree';
import { sqDist, type MetricSpace } from './space';

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

const LEAF = 32;

/**
 * Everything the blocked sweep works on, as plain typed arrays (so a Node caller can hand a copy to a worker
 * thread: see knnThreads.ts). Rows are in leaf order ("positions").
 */
export interface KnnState {
  n: number;
  d: number;
  kk: number;
  nb: number;
  /** Rows by position, n × d float64, and their squared norms. */
  xp: Float64Array;
  sq: Float64Array;
  /** Block b = positions [bStart[b], bEnd[b]), its ball (centre, radius). */
  bStart: Int32Array;
  bEnd: Int32Array;
  bCenter: Float64Array;
  bRadius: Float64Array;
  /** Best lists by position, ascending (n × kk); tau = current k-th squared distance, blockTau = max over a block. */
  bi: Int32Array;
  bd: Float64Array;
  tau: Float64Array;
  blockTau: Float64Array;
}

/** Tree and leaf-ordered copy of the rows, best lists empty. */
export function knnPrepare(space: MetricSpace, k: number): { state: KnnState; perm: Int32Array } {
  const { n, d } = space;
  const kk = Math.max(1, Math.min(k, n));
  const tree = buildBallTree(space, undefined, LEAF);
  // Leaves in tree order = blocks; copy the rows into that order so a block is contiguous in memory.
  const leaves: number[] = [];
  for (let t = 0; t < tree.nNodes; t++) if (tree.left[t] < 0) leaves.push(t);
  leaves.sort((a, b) => tree.start[a] - tree.start[b]);
  const nb = leaves.length;
  const bStart = Int32Array.from(leaves, (t) => tree.start[t]);
  const bEnd = Int32Array.from(leaves, (t) => tree.end[t]);
  const bCenter = new Float64Array(nb * d);
  const bRadius = new Float64Array(nb);
  leaves.forEach((t, b) => {
    bCenter.set(tree.center.subarray(t * d, (t + 1) * d), b * d);
    bRadius[b] = tree.radius[t];
  });
  const perm = tree.idx; // position → point
  const xp = new Float64Array(n * d);
  const sq = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    xp.set(space.x.subarray(perm[p] * d, (perm[p] + 1) * d), p * d);
    let s = 0;
    for (let c = p * d; c < (p + 1) * d; c++) s += xp[c] * xp[c];
    sq[p] = s;
  }
  const state: KnnState = {
    n, d, kk, nb, xp, sq, bStart, bEnd, bCenter, bRadius,
    bi: new Int32Array(n * kk).fill(-1),
    bd: new Float64Array(n * kk).fill(Infinity),
    tau: new Float64Array(n).fill(Infinity),
    blockTau: new Float64Array(nb).fill(Infinity),
  };
  return { state, perm };
}

/**
 * The sweep over S: warm() pairs every block with itself and its successor (tight k-th distances early);
 * row(A) pairs block A with every block B ≥ A + 2 that the ball bounds cannot rule out. Together they visit
 * every block pair once. Self-contained on purpose (no outside references): knnThreads.ts ships its source
 * text to a worker thread.
 */
export function knnRunner(S: KnnState): { warm(): void; row(A: number): void } {
  const { d, kk, nb, xp, sq, bStart, bEnd, bCenter, bRadius, bi, bd, tau, blockTau } = S;
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
  let maxLeaf = 0;
  for (let b = 0; b < nb; b++) maxLeaf = Math.max(maxLeaf, bEnd[b] - bStart[b]);
  // Scratch: the rows of each block that can still gain from the other block (see pairBlocks).
  const rowsA = new Int32Array(maxLeaf + 1), rowsB = new Int32Array(maxLeaf + 1);
  const active = (X: number, Y: number, rows: Int32Array): number => {
    // Row p of block X matters only if the ball of Y may hold a point closer than max(tau[p], any tau of Y):
    // otherwise every pair (p, q ∈ Y) is too long for both p's and q's lists.
    let m = 0;
    const yo = Y * d, ry = bRadius[Y], ty = blockTau[Y];
    for (let p = bStart[X]; p < bEnd[X]; p++) {
      let s2 = 0;
      for (let c = 0; c < d; c++) { const e = xp[p * d + c] - bCenter[yo + c]; s2 += e * e; }
      const lb = Math.sqrt(s2) - ry;
      if (lb <= 0 || lb * lb * (1 - 1e-9) < Math.max(tau[p], ty)) rows[m++] = p;
    }
    return m;
  };
  const pair = (p: number, q: number, d2: number, same: boolean): void => {
    if (same && q < p) return; // within a block each unordered pair once
    const v = d2 > 0 ? d2 : 0;
    if (p === q) { offer(p, p, 0); return; }
    if (v <= tau[p]) offer(p, q, v);
    if (v <= tau[q]) offer(q, p, v);
  };

  /** All useful pairs between blocks A and B (A === B: each unordered pair once, plus the self pairs). */
  const pairBlocks = (A: number, B: number): void => {
    const same = A === B;
    let ma: number, mb: number;
    if (same) {
      ma = mb = 0;
      for (let p = bStart[A]; p < bEnd[A]; p++) { rowsA[ma++] = p; rowsB[mb++] = p; }
    } else {
      ma = active(A, B, rowsA);
      if (ma === 0) return;
      mb = active(B, A, rowsB);
      if (mb === 0) return;
    }
    // 4×2 register blocking: per coordinate 6 loads feed 8 multiply–adds. Short groups repeat their last row
    // (the repeats are skipped when results are handed out).
    for (let u = 0; u < ma; u += 4) {
      const n4 = Math.min(4, ma - u);
      const i0 = rowsA[u], i1 = rowsA[u + (n4 > 1 ? 1 : 0)], i2 = rowsA[u + (n4 > 2 ? 2 : 0)], i3 = rowsA[u + (n4 > 3 ? 3 : 0)];
      const o0 = i0 * d, o1 = i1 * d, o2 = i2 * d, o3 = i3 * d;
      for (let v = same ? u : 0; v < mb; v += 2) {
        const j0 = rowsB[v], j1 = v + 1 < mb ? rowsB[v + 1] : j0;
        const p0 = j0 * d, p1 = j1 * d;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (let c = 0; c < d; c++) {
          const y0 = xp[p0 + c], y1 = xp[p1 + c];
          let a = xp[o0 + c];
          s00 += a * y0; s01 += a * y1;
          a = xp[o1 + c];
          s10 += a * y0; s11 += a * y1;
          a = xp[o2 + c];
          s20 += a * y0; s21 += a * y1;
          a = xp[o3 + c];
          s30 += a * y0; s31 += a * y1;
        }
        const two = j1 !== j0;
        pair(i0, j0, sq[i0] + sq[j0] - 2 * s00, same);
        if (two) pair(i0, j1, sq[i0] + sq[j1] - 2 * s01, same);
        if (n4 > 1) {
          pair(i1, j0, sq[i1] + sq[j0] - 2 * s10, same);
          if (two) pair(i1, j1, sq[i1] + sq[j1] - 2 * s11, same);
        }
        if (n4 > 2) {
          pair(i2, j0, sq[i2] + sq[j0] - 2 * s20, same);
          if (two) pair(i2, j1, sq[i2] + sq[j1] - 2 * s21, same);
        }
        if (n4 > 3) {
          pair(i3, j0, sq[i3] + sq[j0] - 2 * s30, same);
          if (two) pair(i3, j1, sq[i3] + sq[j1] - 2 * s31, same);
        }
      }
    }
  };

  return {
    warm(): void {
      for (let b = 0; b < nb; b++) {
        pairBlocks(b, b);
        if (b + 1 < nb) pairBlocks(b, b + 1);
      }
      for (let b = 0; b < nb; b++) refreshBlockTau(b);
    },
    row(A: number): void {
      const ao = A * d;
      for (let B = A + 2; B < nb; B++) {
        let c2 = 0;
        for (let c = 0; c < d; c++) { const e = bCenter[ao + c] - bCenter[B * d + c]; c2 += e * e; }
        const gap = Math.sqrt(c2) - bRadius[A] - bRadius[B];
        if (gap > 0) {
          const g2 = gap * gap * (1 - 1e-9);
          if (g2 > blockTau[A] && g2 > blockTau[B]) continue;
        }
        pairBlocks(A, B);
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

/** Exact squared distances from coordinate differences (the Gram values can be off by rounding), re-sorted. */
export function knnFinish(space: MetricSpace, S: KnnState, perm: Int32Array): KNearest {
  const { n, d, kk, bi } = S;
  const idx = new Int32Array(n * kk);
  const d2 = new Float64Array(n * kk);
  for (let p = 0; p < n; p++) {
    const i = perm[p];
    const row: [number, number][] = [];
    for (let a = 0; a < kk; a++) {
      const q = bi[p * kk + a];
      row.push([perm[q], sqDist(space.x, i * d, perm[q] * d, d)]);
    }
    row.sort((u, v) => u[1] - v[1] || u[0] - v[0]);
    row.forEach(([j, v], a) => { idx[i * kk + a] = j; d2[i * kk + a] = v; });
  }
  return { k: kk, idx, d2 };
}

/** The blocked all-pairs kNN as resumable steps (so an async caller can yield between them). */
export function knnJob(space: MetricSpace, k: number): KnnJob {
  const { state, perm } = knnPrepare(space, k);
  const runner = knnRunner(state);
  runner.warm();
  return {
    nSteps: state.nb,
    step: runner.row,
    result: () => knnFinish(space, state, perm),
  };
}

/** Exact k nearest neighbours of every point, self included (sklearn's kneighbors on its own training set). */
export function kNearest(space: MetricSpace, k: number): KNearest {
  const job = knnJob(space, k);
  for (let s = 0; s < job.nSteps; s++) job.step(s);
  return job.result();
}
