/**
 * DBSCAN with scikit-learn's semantics (sklearn.cluster.DBSCAN): a point is core when at least minSamples points
 * (itself included) lie within distance ≤ eps; clusters are the connected components of core points, numbered in
 * the order of their first core point; a border point (not core, within eps of a core point) joins the lowest-
 * numbered adjacent cluster, exactly as sklearn's breadth-first expansion assigns it; everything else is noise (−1).
 *
 * Less work than materialising every eps-neighbourhood (what sklearn does). The points sit in spatially coherent
 * blocks (blocks.ts; in a Mapper run the blocks of the whole cloud, shared by every cover set); only block pairs
 * whose balls come within eps are looked at, a block against many of its near blocks in one distance tile
 * (distanceTiles.ts), of which only the entries that may be within eps are visited. Then:
 * - core test: the k nearest neighbours computed once for the knee decide some points at once (proven core, or not
 *   core with every point of the cloud within eps listed); block pairs of decided points only are skipped, and
 *   counting stops at minSamples;
 * - connectivity: union–find over core points; a block pair whose core points already share one component is
 *   skipped;
 * - borders: a non-core point has fewer than minSamples neighbours, all of them recorded on the way or listed.
 * Exactness: a tile value within its rounding band of eps² is re-decided with the difference-form distance
 * sqDistInOrder (the same arithmetic that gives the kNN's distances, and sklearn's tree algorithms'), so every
 * "≤ eps" decision is that float64 one, ties at eps included.
 */
import type { PointCloud } from '../types';
import { leafBlocks, nearBlocks, type LeafBlocks, type NearBlocks } from './blocks';
import type { DistanceTiles } from './distanceTiles';
import type { KNearest } from './knee';
import { checkCount, MAPPER_LIMITS } from './limits';
import { metricSpace, sqDistInOrder, squaredRadius, type Metric, type MetricSpace } from './space';

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
  /** Blocks over (at least) the subset's points in the same space, e.g. shared across a Mapper run's cover sets. */
  blocks?: LeafBlocks;
}

export function checkDbscanParams(eps: number, minSamples: number): void {
  if (!(typeof eps === 'number' && Number.isFinite(eps) && eps > 0)) {
    throw new RangeError(`eps must be a finite number > 0 (got ${eps})`);
  }
  checkCount('minSamples', minSamples, MAPPER_LIMITS.minSamples);
}

/** Cluster labels (−1 noise), one per point of `subset` (or of the cloud), in that order. */
export function dbscan(cloud: PointCloud | MetricSpace, options: DbscanOptions): Int32Array {
  const minSamples = options.minSamples ?? 5;
  checkDbscanParams(options.eps, minSamples);
  const space = options.blocks?.space ?? ('x' in cloud ? cloud : metricSpace(cloud, options.metric ?? 'euclidean'));
  const subset = options.subset ?? Int32Array.from({ length: space.n }, (_, i) => i);
  if (subset.length === 0) return new Int32Array(0);
  const r2 = squaredRadius(options.eps, space.metric);
  const blocks = options.blocks ?? leafBlocks(space, subset);
  return dbscanCore({
    subset, minSamples, r2, x: space.x, d: space.d, blocks, tiles: blocks.tiles,
    near: nearBlocks(blocks, Math.sqrt(r2)), knn: options.knn,
  });
}

/** What dbscanCore works on, as plain data (a Node worker thread runs it too: see mapperThread.worker.ts). */
export interface DbscanInput {
  /** Point indices to cluster, ascending, all covered by the blocks. */
  subset: Int32Array;
  minSamples: number;
  /** eps² in the metric space (see squaredRadius). */
  r2: number;
  /** The metric space's rows (pairs at the eps boundary are re-decided on them). */
  x: Float64Array;
  d: number;
  blocks: Pick<LeafBlocks, 'n' | 'nb' | 'perm' | 'pos' | 'blockOf' | 'sqMax' | 'sq32Max'>;
  tiles: DistanceTiles;
  /** The blocks' near lists at radius eps. */
  near: NearBlocks;
  knn?: KNearest;
}

/** DBSCAN labels of `subset` on blocks (see the file comment). */
export function dbscanCore(input: DbscanInput): Int32Array {
  const { subset: S, minSamples, r2, x, d, blocks, tiles, near: leafNear, knn } = input;
  const m = S.length;
  const labels = new Int32Array(m).fill(-1);
  const { perm, pos } = blocks;
  const { ia, ib, out, sq, errorScale, list } = tiles;

  // The subset's positions in block order, and position → local index (the index into S).
  const P = new Int32Array(m);
  const localOf = new Int32Array(blocks.n).fill(-1);
  for (let p = 0; p < m; p++) {
    const u = pos[S[p]];
    if (u < 0) throw new RangeError(`dbscan: point ${S[p]} of the subset is not in the blocks given`);
    P[p] = u;
    localOf[u] = p;
  }
  P.sort();
  const localOfPoint = (i: number): number => (pos[i] >= 0 ? localOf[pos[i]] : -1);
  // Present blocks: block k = P[rs[k], re[k]), this set's members of leaf bl[k] (a cover set holds part of most
  // leaves; the whole leaf's ball still bounds them).
  const bl: number[] = [], rs: number[] = [], re: number[] = [];
  for (let t = 0; t < m; t++) {
    const b = blocks.blockOf[P[t]];
    if (bl.length === 0 || bl[bl.length - 1] !== b) { bl.push(b); rs.push(t); re.push(t); }
    re[re.length - 1] = t + 1;
  }
  const nk = bl.length;
  const blockOfLocal = new Int32Array(m);
  for (let k = 0; k < nk; k++) for (let t = rs[k]; t < re[k]; t++) blockOfLocal[localOf[P[t]]] = k;

  // Near blocks of each present block k: present l ≥ k whose leaves' balls come within eps (the leaves' near lists,
  // computed once for every cover set, filtered to this set's blocks): near[nearStart[k], nearStart[k + 1]).
  const presentOf = new Int32Array(blocks.nb).fill(-1);
  for (let k = 0; k < nk; k++) presentOf[bl[k]] = k;
  const nearStart = new Int32Array(nk + 1);
  const nearList: number[] = [];
  for (let k = 0; k < nk; k++) {
    for (let e = leafNear.start[bl[k]]; e < leafNear.start[bl[k] + 1]; e++) {
      const l = presentOf[leafNear.list[e]];
      if (l >= 0) nearList.push(l);
    }
    nearStart[k + 1] = nearList.length;
  }
  const near = Int32Array.from(nearList);

  // Float32 estimates list the entries that may be within eps (eps² plus their largest error), refined to float64;
  // `within` decides each.
  const listUpTo = r2 + 2 * tiles.errorScale32 * blocks.sq32Max;
  tiles.thrA.fill(listUpTo);
  tiles.thrB.fill(listUpTo);
  const candidates = (na: number, nb: number): number => {
    const count = tiles.tile32select(na, nb);
    tiles.refine(count, nb);
    return count;
  };
  // "Is the pair at tile entry o within eps?": the tile decides unless it lies within its rounding band of eps².
  const within = (o: number, u: number, v: number): boolean => {
    const band = errorScale * (sq[u] + sq[v]);
    const t = out[o];
    if (t < r2 - band) return true;
    if (t > r2 + band) return false;
    return sqDistInOrder(x, perm[u] * d, perm[v] * d, d) <= r2;
  };
  // Rows are filtered by a flag array: keep row p when flags[p] === value (flags null: keep all).
  // Block k's rows on tile side B; returns how many.
  const own = (k: number, flags: Uint8Array | null, value: number): number => {
    let nb = 0;
    for (let t = rs[k]; t < re[k]; t++) if (!flags || flags[localOf[P[t]]] === value) ib[nb++] = P[t];
    return nb;
  };
  // Side A gathers the rows of block k's near blocks from near[e] on that `wanted` accepts, as many as fit, so
  // that one tile serves many block pairs. Returns the next e; `gathered` says how many rows.
  let gathered = 0;
  const gather = (k: number, e: number, wanted: (l: number) => boolean, flags: Uint8Array | null, value: number): number => {
    gathered = 0;
    for (; e < nearStart[k + 1]; e++) {
      const l = near[e];
      if (!wanted(l)) continue;
      if (gathered + re[l] - rs[l] > ia.length) break;
      for (let t = rs[l]; t < re[l]; t++) if (!flags || flags[localOf[P[t]]] === value) ia[gathered++] = P[t];
    }
    return e;
  };

  // 1. Core points. count starts at 1 (the point itself); done = decided (proven core, or listed non-core).
  const count = new Int32Array(m).fill(1);
  const done = new Uint8Array(m);
  const listed = new Uint8Array(m); // non-core, every neighbour within eps in its kNN list
  const hits = new Int32Array(m * minSamples); // neighbours seen while counting: all of them for a non-core point
  const nHits = new Int32Array(m);
  if (knn) {
    for (let p = 0; p < m; p++) {
      const i = S[p];
      let c = 0;
      for (let a = 0; a < knn.k; a++) if (localOfPoint(knn.idx[i * knn.k + a]) >= 0 && knn.d2[i * knn.k + a] <= r2) c++;
      if (c >= minSamples) done[p] = 1;
      // The k-th neighbour lies beyond eps, so the list holds every point of the cloud within eps: too few of them
      // are in this set, so p is not core, and its neighbours here are known (`listed`). The margin covers a
      // neighbour the kNN's tiles could have ranked just past the k-th by rounding.
      else if (knn.d2[i * knn.k + knn.k - 1] > r2 + 4 * errorScale * (sq[pos[i]] + blocks.sqMax)) {
        listed[p] = 1;
        done[p] = 1;
      }
    }
  }
  if (minSamples <= 1) done.fill(1);
  const open = new Int32Array(nk); // undecided points per present block
  for (let p = 0; p < m; p++) if (!done[p]) open[blockOfLocal[p]]++;
  const bump = (p: number, q: number): void => {
    if (done[p]) return;
    hits[p * minSamples + nHits[p]++] = q;
    if (++count[p] >= minSamples) { done[p] = 1; open[blockOfLocal[p]]--; }
  };
  // Pairs inside each block first: with eps at the knee most points find minSamples neighbours among their own
  // leaf's points, and a decided point needs no wider sweep (a block of decided points is then only compared with
  // the undecided points of its near blocks). Each unordered pair once: inside block k as (u, v) with u < v.
  for (const inside of [true, false]) {
    for (let k = 0; k < nk; k++) {
      if (inside && open[k] === 0) continue;
      const nb = own(k, null, 0);
      const onlyOpen = !inside && open[k] === 0;
      const wanted = inside ? (l: number): boolean => l === k : (l: number): boolean => l !== k && (open[k] > 0 || open[l] > 0);
      for (let e = nearStart[k]; e < nearStart[k + 1]; ) {
        e = gather(k, e, wanted, onlyOpen ? done : null, 0);
        if (gathered === 0) continue;
        for (let c = candidates(gathered, nb), t = 0; t < c; t++) {
          const o = list[t], a = (o / nb) | 0, u = ia[a], v = ib[o - a * nb];
          if (inside && v <= u) continue;
          const p = localOf[u], q = localOf[v];
          if ((!done[p] || !done[q]) && within(o, u, v)) { bump(p, q); bump(q, p); }
        }
      }
    }
  }
  const core = new Uint8Array(m);
  for (let p = 0; p < m; p++) core[p] = done[p] && !listed[p] ? 1 : 0;

  // 2. Connected components of core points.
  const parent = Int32Array.from({ length: m }, (_, p) => p);
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
  // Edges already known: neighbours met while counting, and core points' listed neighbours within eps.
  for (let p = 0; p < m; p++) {
    if (!core[p]) continue;
    for (let a = 0; a < nHits[p]; a++) if (core[hits[p * minSamples + a]]) union(p, hits[p * minSamples + a]);
    if (!knn) continue;
    for (let a = 0, o = S[p] * knn.k; a < knn.k; a++) {
      const q = localOfPoint(knn.idx[o + a]);
      if (q >= 0 && core[q] && knn.d2[o + a] <= r2) union(p, q);
    }
  }
  for (let k = 0; k < nk; k++) {
    const nb = own(k, core, 1);
    if (nb < 2) continue;
    ia.set(ib.subarray(0, nb));
    for (let c = candidates(nb, nb), t = 0; t < c; t++) {
      const o = list[t], a = (o / nb) | 0, u = ia[a], v = ib[o - a * nb];
      if (v <= u) continue;
      const p = localOf[u], q = localOf[v];
      if (find(p) !== find(q) && within(o, u, v)) union(p, q);
    }
  }
  // Then block pairs (k < l) whose core points may still be apart: rep = a core point of the block, mixed = its
  // core points were not one component after the pass above. Both only ever err towards comparing.
  const rep = new Int32Array(nk).fill(-1), mixed = new Uint8Array(nk);
  for (let k = 0; k < nk; k++) {
    for (let t = rs[k]; t < re[k]; t++) {
      const p = localOf[P[t]];
      if (!core[p]) continue;
      if (rep[k] < 0) rep[k] = p;
      else if (find(p) !== find(rep[k])) mixed[k] = 1;
    }
  }
  for (let k = 0; k < nk; k++) {
    if (rep[k] < 0) continue;
    const nb = own(k, core, 1);
    const apart = (l: number): boolean => l !== k && rep[l] >= 0 && (mixed[k] === 1 || mixed[l] === 1 || find(rep[k]) !== find(rep[l]));
    for (let e = nearStart[k]; e < nearStart[k + 1]; ) {
      e = gather(k, e, apart, core, 1);
      if (gathered === 0) continue;
      for (let c = candidates(gathered, nb), t = 0; t < c; t++) {
        const o = list[t], a = (o / nb) | 0, u = ia[a], v = ib[o - a * nb];
        const p = localOf[u], q = localOf[v];
        if (find(p) !== find(q) && within(o, u, v)) union(p, q);
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

  // 4. Border points join the lowest-numbered cluster with a core point within eps.
  for (let p = 0; p < m; p++) {
    if (core[p]) continue;
    let best = nClusters;
    if (listed[p]) {
      const i = S[p];
      for (let a = 0; a < knn!.k; a++) {
        const q = localOfPoint(knn!.idx[i * knn!.k + a]);
        if (q >= 0 && core[q] && knn!.d2[i * knn!.k + a] <= r2 && labels[q] < best) best = labels[q];
      }
    } else {
      for (let a = 0; a < nHits[p]; a++) {
        const q = hits[p * minSamples + a];
        if (core[q] && labels[q] < best) best = labels[q];
      }
    }
    if (best < nClusters) labels[p] = best;
  }
  return labels;
}
