/**
 * Distances between persistence diagrams.
 *
 * Points off the diagram may be matched to the diagonal; the ground metric is L∞, so a point (b, d) is
 * (d − b)/2 from the diagonal and max(|b − b'|, |d − d'|) from another point.
 *
 * Essential classes (death = Infinity) — our convention, stated once for all the distances here:
 *  - the finite parts are compared as usual;
 *  - the essential classes are compared by their births, matched in sorted order (optimal on a line for every
 *    p ≥ 1 and for the bottleneck);
 *  - when the two diagrams have different numbers of essential classes the distance is Infinity
 *    (an essential class cannot be matched to the diagonal at finite cost).
 * The sliced Wasserstein distance follows persim and uses the finite points only.
 */
import type { Diagram } from '../types';

interface Split {
  birth: Float64Array;
  death: Float64Array;
  essential: Float64Array; // births of the essential classes, sorted
}

function split(dgm: Diagram, name: string): Split {
  let nf = 0, ne = 0;
  for (const p of dgm) {
    if (Number.isNaN(p.birth) || Number.isNaN(p.death) || !Number.isFinite(p.birth)) {
      throw new Error(`diagram ${name}: pair [${p.birth}, ${p.death}) is not a valid bar (finite birth, death ≥ birth or Infinity)`);
    }
    if (p.death === Infinity) ne++;
    else nf++;
  }
  const s: Split = { birth: new Float64Array(nf), death: new Float64Array(nf), essential: new Float64Array(ne) };
  let f = 0, e = 0;
  for (const p of dgm) {
    if (p.death === Infinity) s.essential[e++] = p.birth;
    else {
      s.birth[f] = p.birth;
      s.death[f] = p.death;
      f++;
    }
  }
  s.essential.sort();
  return s;
}

/** Sum over finite bars of (death − birth)^p (default p = 1). */
export function totalPersistence(dgm: Diagram, p = 1): number {
  checkP(p);
  let s = 0;
  for (const q of dgm) if (q.death !== Infinity) s += Math.pow(q.death - q.birth, p);
  return s;
}

function checkP(p: number): void {
  if (!(p >= 1) || Number.isNaN(p)) throw new Error(`p must be a number ≥ 1 (got ${p})`);
}

// ------------------------------------------------------------------------------------------- bottleneck

/** Exact bottleneck distance (L∞ ground metric); see the module comment for essential classes. */
export function bottleneck(a: Diagram, b: Diagram): number {
  const A = split(a, 'a'), B = split(b, 'b');
  if (A.essential.length !== B.essential.length) return Infinity;
  let ess = 0;
  for (let i = 0; i < A.essential.length; i++) ess = Math.max(ess, Math.abs(A.essential[i] - B.essential[i]));
  return Math.max(ess, bottleneckFinite(A, B));
}

function bottleneckFinite(A: Split, B: Split): number {
  const n = A.birth.length, m = B.birth.length;
  if (n === 0 && m === 0) return 0;
  const cross = new Float64Array(n * m);
  const halfA = new Float64Array(n), halfB = new Float64Array(m);
  for (let i = 0; i < n; i++) halfA[i] = (A.death[i] - A.birth[i]) / 2;
  for (let j = 0; j < m; j++) halfB[j] = (B.death[j] - B.birth[j]) / 2;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      cross[i * m + j] = Math.max(Math.abs(A.birth[i] - B.birth[j]), Math.abs(A.death[i] - B.death[j]));
    }
  }
  // The answer is one of the candidate edge lengths: binary search the smallest with a perfect matching.
  const cand = new Float64Array(n * m + n + m + 1);
  cand.set(cross, 0);
  cand.set(halfA, n * m);
  cand.set(halfB, n * m + n);
  cand.sort();
  const matcher = new DiagramMatcher(n, m, cross, halfA, halfB);
  let lo = 0, hi = cand.length - 1; // cand[hi] always works (every edge present)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (matcher.perfect(cand[mid])) hi = mid;
    else lo = mid + 1;
  }
  return cand[lo];
}

/**
 * Hopcroft–Karp on the usual bipartite graph of a diagram matching: left = A ∪ diag(B), right = B ∪ diag(A);
 * A_i–B_j when their distance ≤ r, A_i–diag(A_i) and diag(B_j)–B_j when half the persistence ≤ r, and every
 * diagonal copy with every other (cost 0). Edges are implicit.
 */
class DiagramMatcher {
  private readonly N: number;
  private readonly matchL: Int32Array;
  private readonly matchR: Int32Array;
  private readonly layer: Int32Array;
  private readonly queue: Int32Array;
  private readonly it: Int32Array;
  private r = 0;
  constructor(
    private readonly n: number,
    private readonly m: number,
    private readonly cross: Float64Array,
    private readonly halfA: Float64Array,
    private readonly halfB: Float64Array,
  ) {
    this.N = n + m;
    this.matchL = new Int32Array(this.N);
    this.matchR = new Int32Array(this.N);
    this.layer = new Int32Array(this.N);
    this.queue = new Int32Array(this.N);
    this.it = new Int32Array(this.N);
  }

  /** The k-th neighbour (right vertex) of left vertex u, or −1 past the end. Right: B_j = j, diag(A_i) = m + i. */
  private neighbour(u: number, k: number): number {
    const n = this.n, m = this.m;
    if (u < n) {
      // A_u: B_j (j < m) within r, then its own diagonal copy.
      for (; k < m; k++) if (this.cross[u * m + k] <= this.r) return k;
      if (k === m && this.halfA[u] <= this.r) return m + u;
      return -1;
    }
    const j = u - n;
    // diag(B_j): every diag(A_i), then B_j itself.
    if (k < n) return m + k;
    if (k === n && this.halfB[j] <= this.r) return j;
    return -1;
  }

  perfect(r: number): boolean {
    this.r = r;
    const N = this.N, matchL = this.matchL, matchR = this.matchR;
    matchL.fill(-1);
    matchR.fill(-1);
    let size = 0;
    for (;;) {
      if (!this.bfs()) break;
      this.it.fill(0);
      for (let u = 0; u < N; u++) if (matchL[u] === -1 && this.dfs(u)) size++;
    }
    return size === N;
  }

  private bfs(): boolean {
    const N = this.N, layer = this.layer, q = this.queue, matchL = this.matchL, matchR = this.matchR;
    let head = 0, tail = 0;
    for (let u = 0; u < N; u++) {
      if (matchL[u] === -1) {
        layer[u] = 0;
        q[tail++] = u;
      } else layer[u] = -1;
    }
    let found = false;
    while (head < tail) {
      const u = q[head++];
      for (let k = 0; ; k++) {
        const v = this.neighbour(u, k);
        if (v === -1) break;
        k = v < this.m && u < this.n ? v : k; // neighbour() may skip ahead among the B_j
        const w = matchR[v];
        if (w === -1) found = true;
        else if (layer[w] === -1) {
          layer[w] = layer[u] + 1;
          q[tail++] = w;
        }
      }
    }
    return found;
  }

  private dfs(u: number): boolean {
    const matchL = this.matchL, matchR = this.matchR, layer = this.layer;
    for (let k = this.it[u]; ; k++) {
      const v = this.neighbour(u, k);
      if (v === -1) {
        this.it[u] = k;
        break;
      }
      k = v < this.m && u < this.n ? v : k;
      this.it[u] = k;
      const w = matchR[v];
      if (w === -1 || (layer[w] === layer[u] + 1 && this.dfs(w))) {
        matchL[u] = v;
        matchR[v] = u;
        this.it[u] = k + 1;
        return true;
      }
    }
    layer[u] = -1; // dead end for this phase
    return false;
  }
}

// ------------------------------------------------------------------------------------------- Wasserstein

/**
 * Exact p-Wasserstein distance with L∞ ground metric: (min over matchings of Σ cost^p)^(1/p), by the Hungarian
 * algorithm on the (n + m)-square cost matrix (O((n + m)³)). See the module comment for essential classes.
 */
export function wasserstein(a: Diagram, b: Diagram, p = 1): number {
  checkP(p);
  if (p === Infinity) return bottleneck(a, b);
  const A = split(a, 'a'), B = split(b, 'b');
  if (A.essential.length !== B.essential.length) return Infinity;
  let total = 0;
  for (let i = 0; i < A.essential.length; i++) total += Math.pow(Math.abs(A.essential[i] - B.essential[i]), p);
  total += wassersteinFinite(A, B, p);
  return Math.pow(total, 1 / p);
}

function wassersteinFinite(A: Split, B: Split, p: number): number {
  const n = A.birth.length, m = B.birth.length, N = n + m;
  if (N === 0) return 0;
  // Rows: A_0…A_{n−1}, diag(B_0)…; columns: B_0…B_{m−1}, diag(A_0)….
  const cost = new Float64Array(N * N).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const c = Math.max(Math.abs(A.birth[i] - B.birth[j]), Math.abs(A.death[i] - B.death[j]));
      cost[i * N + j] = Math.pow(c, p);
    }
    cost[i * N + m + i] = Math.pow((A.death[i] - A.birth[i]) / 2, p);
  }
  for (let j = 0; j < m; j++) {
    cost[(n + j) * N + j] = Math.pow((B.death[j] - B.birth[j]) / 2, p);
    for (let i = 0; i < n; i++) cost[(n + j) * N + m + i] = 0;
  }
  return hungarian(cost, N);
}

/** Minimum-cost perfect assignment (shortest augmenting paths with potentials), returns the total cost. */
function hungarian(cost: Float64Array, N: number): number {
  const u = new Float64Array(N + 1), v = new Float64Array(N + 1);
  const match = new Int32Array(N + 1); // match[j] = row assigned to column j (1-based, 0 = none)
  const way = new Int32Array(N + 1);
  const minv = new Float64Array(N + 1);
  const used = new Uint8Array(N + 1);
  for (let i = 1; i <= N; i++) {
    match[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = match[j0];
      let delta = Infinity, j1 = 0;
      const row = (i0 - 1) * N;
      for (let j = 1; j <= N; j++) {
        if (used[j]) continue;
        const cur = cost[row + j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= N; j++) {
        if (used[j]) {
          u[match[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do {
      const j1 = way[j0];
      match[j0] = match[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= N; j++) total += cost[(match[j] - 1) * N + j - 1];
  return total;
}

// ------------------------------------------------------------------------------------------- sliced

/** persim's default direction count M, the paper's setting (method.md §4); every caller's default. */
export const SW_DIRECTIONS = 50;

/**
 * persim's `sliced_wasserstein(PD1, PD2, M)` as defined in method.md §4 (finite points only):
 * SW = Σ_i (1/M) Σ_k |sort(V1)_k − sort(V2)_k| over the directions θ_i = π(1/2 + i/M), where V1 holds the
 * projections of a's points and of the diagonal projections of b's points, V2 the other way round.
 */
export function slicedWasserstein(a: Diagram, b: Diagram, M = SW_DIRECTIONS): number {
  if (!Number.isInteger(M) || M < 1) throw new Error(`M must be an integer ≥ 1 (got ${M})`);
  const A = split(a, 'a'), B = split(b, 'b');
  const n = A.birth.length, m = B.birth.length, L = n + m;
  const mA = new Float64Array(n), mB = new Float64Array(m);
  for (let i = 0; i < n; i++) mA[i] = Math.abs(A.birth[i] + A.death[i]) / 2;
  for (let j = 0; j < m; j++) mB[j] = Math.abs(B.birth[j] + B.death[j]) / 2;
  const V1 = new Float64Array(L), V2 = new Float64Array(L);
  let sw = 0;
  for (let i = 0; i < M; i++) {
    const theta = Math.PI * (0.5 + i / M);
    const c = Math.cos(theta), s = Math.sin(theta);
    for (let k = 0; k < n; k++) {
      V1[k] = c * A.birth[k] + s * A.death[k];
      V2[m + k] = (c + s) * mA[k];
    }
    for (let k = 0; k < m; k++) {
      V2[k] = c * B.birth[k] + s * B.death[k];
      V1[n + k] = (c + s) * mB[k];
    }
    V1.sort();
    V2.sort();
    let l1 = 0;
    for (let k = 0; k < L; k++) l1 += Math.abs(V1[k] - V2[k]);
    sw += l1 / M;
  }
  return sw;
}
