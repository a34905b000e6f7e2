/**
 * Vietoris–Rips persistent homology, after Ripser (U. Bauer, "Ripser: efficient computation of Vietoris–Rips
 * persistence barcodes", 2021). Written from the paper's description; the structure follows ripser.cpp so the
 * two can be read side by side:
 *
 *  - a simplex is a single number: its index in the combinatorial number system, Σ C(v_k, k+1) over its vertices
 *    v_0 < … < v_dim. We keep indices as JS doubles (exact below 2^53, checked up front) in Float64Arrays;
 *  - cohomology: columns are the coboundaries of dim-simplices, processed in reverse filtration order
 *    (diameter descending, ties by index ascending); the pivot of a column is its entry of smallest diameter
 *    (ties: largest index). Coboundaries are never stored; they are enumerated on the fly from the vertices;
 *  - clearing: a (dim+1)-simplex that is a pivot in dimension dim is not a column in dimension dim+1;
 *  - apparent pairs (σ, τ) with τ the zero-persistence pivot cofacet of σ and σ the zero-persistence pivot facet
 *    of τ are skipped as columns and handled on the fly, and emergent pairs end a column's reduction before any
 *    heap is built;
 *  - H0 by union–find (Kruskal) over the edges sorted once;
 *  - without a threshold, the enclosing radius min_i max_j d(i, j) is used: beyond it the complex is a cone,
 *    so nothing changes.
 * Coefficients are Z/2 (the paper's setting): an entry that appears twice in a column cancels.
 *
 * The computation is a generator (`persistenceSteps`) that yields a progress record every few thousand
 * columns, so the same code runs synchronously (`computePersistence`) or cooperatively in a worker that gives
 * way to its event loop between steps (see `computePersistenceAsync`).
 */
import type { Diagram, PointCloud } from '../types';
import { cosineNorms, distanceRow, fillFromMatrix, matrixRow, isDistanceMatrix, MAX_POINTS, METRICS, type DistanceMatrix, type Metric } from './distances';
import { canShareMemory, float32, int32, isApparentEdge, shareTask, taskControl, type PhThreads } from './parallel';
import { abortError } from '../abort';
import type { PackedCocycles } from './packedCocycles';

export type PersistenceInput = PointCloud | DistanceMatrix;

export interface PersistenceOptions {
  /** Highest homology dimension computed (default 1, ripser.py's default). */
  maxdim?: number;
  /** Largest diameter of a simplex (default: the enclosing radius, which gives the full diagram). */
  threshold?: number;
  /** Metric for point clouds (default 'euclidean'); ignored for a distance matrix. */
  metric?: Metric;
  /** Coefficient field Z/p; only 2 is implemented. */
  coeff?: number;
  /**
   * Also return representative cocycles of the H1 pairs (default false): `true` as objects (`cocycles`), `'packed'`
   * only as two typed arrays (`packedCocycles`, packedCocycles.ts) — at 10 000 points a diagram's cocycles are
   * millions of edges, and one small array per edge held hundreds of MB in each of the page's TDA workers.
   */
  cocycles?: boolean | 'packed';
  /**
   * With cocycles: also close each one's loop (`cycle`, `cycleDual`; default true). That is a shortest-path search
   * per class, O(n²) each and O(n³) over a diagram (minutes at n = 10 000, more than the reduction); false leaves
   * `cycle` empty, and `closeLoop` closes the one class asked for afterwards, with the same result.
   */
  loops?: boolean;
  /** Refuse to build more columns than this in one dimension (memory guard, ~12 bytes each; default 1e8). */
  maxColumns?: number;
  /**
   * Helper threads that share the distances and the apparent-edge test (nodeThreads.ts in Node). Ignored where
   * memory cannot be shared. The result is the same with or without.
   */
  threads?: PhThreads;
}

/** A representative cocycle of one H1 pair, aligned with `dgms[1]` (same order). */
export interface H1Cocycle {
  birth: number;
  death: number;
  /** Edges of the cocycle (Z/2, so just the support), as vertex pairs [i, j] with i > j, 0-based. */
  edges: [number, number][];
  /** The vertices touched by those edges, ascending. */
  vertices: number[];
  /**
   * A loop born with the class, in cycle order: the birth edge closed by the shortest path (total length)
   * between its ends through edges that entered the filtration earlier. Shown by the app as "the images
   * forming the loop". It is a cycle born at `birth`; for Z/2 the cocycle evaluates to 1 on it whenever
   * `cycleDual` is true.
   */
  cycle: number[];
  /** Whether the cocycle takes the value 1 on `cycle` (true when the loop is the cocycle's dual class). */
  cycleDual: boolean;
}

export interface PersistenceResult {
  /** dgms[k] = the pairs of H_k, k = 0 … maxdim; `death` is Infinity for essential classes. */
  dgms: Diagram[];
  cocycles?: H1Cocycle[];
  /** With `cocycles: 'packed'`: the same cocycles (their edges) in typed arrays, aligned with `dgms[1]`. */
  packedCocycles?: PackedCocycles;
  /** The threshold actually used (the enclosing radius unless a smaller one was given). */
  threshold: number;
}

export interface PersistenceProgress {
  stage: 'distances' | 'H0' | 'reduce';
  dim: number;
  done: number;
  total: number;
  /** Fraction of this stage done, 0…1. */
  fraction: number;
}

export interface RunHooks {
  onProgress?: (p: PersistenceProgress) => void;
  /** Checked between steps (every few thousand columns); returning true aborts with an AbortError. */
  shouldCancel?: () => boolean;
}

/** Columns reduced between two yields of the generator. */
const COLUMNS_PER_STEP = 2048;


/** Compute persistence synchronously. Hooks, if given, run between steps. */
export function computePersistence(input: PersistenceInput, options: PersistenceOptions & RunHooks = {}): PersistenceResult {
  const steps = persistenceSteps(input, options);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    options.onProgress?.(r.value);
    if (options.shouldCancel?.()) {
      steps.return(undefined as never);
      throw abortError();
    }
  }
}

/**
 * Compute persistence, giving way to the event loop (a `setTimeout(0)`) every `yieldEveryMs` of work so a
 * worker can receive a cancel message while busy; `shouldCancel` is checked at every step.
 */
export async function computePersistenceAsync(
  input: PersistenceInput,
  options: PersistenceOptions & RunHooks & { yieldEveryMs?: number } = {},
): Promise<PersistenceResult> {
  const every = options.yieldEveryMs ?? 50;
  const steps = persistenceSteps(input, options);
  let last = performance.now();
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    options.onProgress?.(r.value);
    if (performance.now() - last >= every) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
    if (options.shouldCancel?.()) {
      steps.return(undefined as never);
      throw abortError();
    }
  }
}

/** Validate options; every message names the option and its allowed range. */
function resolveOptions(input: PersistenceInput, o: PersistenceOptions) {
  const maxdim = o.maxdim ?? 1;
  if (!Number.isInteger(maxdim) || maxdim < 0 || maxdim > 8) throw new Error(`maxdim must be an integer in 0…8 (got ${maxdim})`);
  const metric = o.metric ?? 'euclidean';
  if (!METRICS.includes(metric)) throw new Error(`metric must be one of ${METRICS.join(', ')} (got ${String(metric)})`);
  const coeff = o.coeff ?? 2;
  if (coeff !== 2) throw new Error(`coeff must be 2 (only Z/2 coefficients are implemented; got ${coeff})`);
  const threshold = o.threshold ?? Infinity;
  if (Number.isNaN(threshold) || threshold < 0) throw new Error(`threshold must be ≥ 0 (got ${threshold})`);
  const maxColumns = o.maxColumns ?? 1e8;
  const n = input.n;
  if (!Number.isInteger(n) || n < 1) throw new Error(`the input must have at least one point (got n = ${n})`);
  if (n > MAX_POINTS) throw new Error(`n = ${n} points is too many for a dense distance matrix (at most ${MAX_POINTS})`);
  if (!isDistanceMatrix(input)) {
    const c = input as PointCloud;
    if (!Number.isInteger(c.d) || c.d < 1 || c.data.length !== c.n * c.d) {
      throw new Error(`point cloud: data has ${c.data.length} values, expected n × d = ${c.n} × ${c.d}`);
    }
  }
  // Indices of (maxdim+1)-simplices go up to C(n, maxdim+2) − 1 and must be exact doubles.
  const top = binomialExact(n, maxdim + 2);
  if (!(top <= Number.MAX_SAFE_INTEGER)) {
    throw new Error(
      `n = ${n} with maxdim = ${maxdim} needs simplex indices up to C(${n}, ${maxdim + 2}) ≈ ${top.toExponential(2)}, ` +
        `beyond 2^53 where doubles stop being exact; lower maxdim or n`,
    );
  }
  return { maxdim, metric, threshold, maxColumns, cocycles: o.cocycles ?? false, loops: o.loops ?? true };
}

function binomialExact(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * The dense matrix's memory, kept on this thread for the next run. At 10 000 points it is 400 MB, and a fresh
 * one per run left the last one to the garbage collector: a page TDA worker computing layer after layer held two or
 * three at once (issue 15, the 10 000-image page's peak memory swung by 1 GB). Only unshared matrices are kept: a
 * helper thread that stalled may still write its old chunk into a shared one. A run that starts while another holds
 * the buffer (a worker interleaves jobs at their yields) allocates its own; a spare over 4× too big is let go, so a
 * small run after a large one does not keep the large one alive. Every entry is written before it is read
 * (distanceRows / fillFromMatrix fill all n² cells), so the old contents never show.
 */
let spareMatrix: ArrayBuffer | null = null;

function takeMatrix(length: number, shared: boolean): Float32Array {
  const spare = spareMatrix;
  if (shared || !spare) return float32(length, shared);
  spareMatrix = null;
  const bytes = 4 * length;
  return spare.byteLength >= bytes && spare.byteLength <= 4 * bytes ? new Float32Array(spare, 0, length) : float32(length, false);
}

function giveBackMatrix(D: Float32Array): void {
  if (D.buffer instanceof ArrayBuffer && (!spareMatrix || D.buffer.byteLength > spareMatrix.byteLength)) spareMatrix = D.buffer;
}

/** The whole computation as steps; the return value is the result. */
export function* persistenceSteps(input: PersistenceInput, options: PersistenceOptions = {}): Generator<PersistenceProgress, PersistenceResult, undefined> {
  const opt = resolveOptions(input, options);
  const n = input.n;
  const threads = options.threads && options.threads.helpers > 0 && canShareMemory() ? options.threads : undefined;
  const shared = threads !== undefined;
  const D = takeMatrix(n * n, shared);
  try {
    return yield* stepsOn(D, input, opt, threads);
  } finally {
    giveBackMatrix(D);
  }
}

function* stepsOn(D: Float32Array, input: PersistenceInput, opt: ReturnType<typeof resolveOptions>, threads: PhThreads | undefined): Generator<PersistenceProgress, PersistenceResult, undefined> {
  const n = input.n;
  const shared = threads !== undefined;
  if (isDistanceMatrix(input)) fillFromMatrix(input, D);
  else {
    const cloud = input as PointCloud;
    const data = shared ? float32(cloud.data.length, true) : cloud.data;
    if (data !== cloud.data) data.set(cloud.data);
    const task = { kind: 'distances' as const, ...taskControl(n, 32, shared), d: cloud.d, data, metric: opt.metric, norms: cosineNorms(cloud, opt.metric), D };
    for (const done of shareTask(task, threads)) {
      const rows = Math.min(n, done * task.rowsPerChunk);
      yield { stage: 'distances', dim: 0, done: rows, total: n, fraction: rows / n };
    }
  }
  // Enclosing radius: from the point whose farthest neighbour is nearest, everything is within reach.
  let enclosing = n === 1 ? 0 : Infinity;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = i * n, e = j + n; j < e; j++) if (D[j] > m) m = D[j];
    if (n > 1 && m < enclosing) enclosing = m;
  }
  const threshold = Math.min(Math.fround(opt.threshold), enclosing);
  const eng = new RipsEngine(n, D, threshold, opt.maxdim);
  const dgms: Diagram[] = [];
  for (let d = 0; d <= opt.maxdim; d++) dgms.push([]);
  const cocycles: CocycleList | undefined = opt.cocycles ? new CocycleList() : undefined;

  // ---- H0 and the dimension-1 columns ----
  // First the apparent-pair test of every edge (shared by the threads), then Kruskal over the sorted edges.
  let apparent: Int32Array | null = null;
  if (opt.maxdim >= 1) {
    const task = { kind: 'apparent-edges' as const, ...taskControl(n, 8, shared), D, threshold, flags: int32(Math.ceil((n * (n - 1)) / 2 / 32), shared) };
    for (const done of shareTask(task, threads)) {
      yield { stage: 'H0', dim: 0, done, total: task.chunks, fraction: done / task.chunks };
    }
    apparent = task.flags;
  }
  let cols = eng.computeDim0(dgms[0], apparent);
  yield { stage: 'H0', dim: 0, done: 1, total: 1, fraction: 1 };

  for (let dim = 1; dim <= opt.maxdim; dim++) {
    if (dim > 1) {
      cols = eng.assembleColumns(dim, opt.maxColumns);
      yield { stage: 'reduce', dim, done: 0, total: cols.count, fraction: 0 };
    }
    eng.startDimension(dim, cols, opt.cocycles && dim === 1 ? cocycles : undefined, dgms[dim]);
    for (let c = 0; c < cols.count; ) {
      const end = Math.min(cols.count, c + COLUMNS_PER_STEP);
      for (; c < end; c++) eng.reduceColumn(c);
      yield { stage: 'reduce', dim, done: c, total: cols.count, fraction: c / cols.count };
    }
    eng.endDimension();
  }
  if (!cocycles) return { dgms, threshold };
  if (opt.cocycles === 'packed') return { dgms, threshold, packedCocycles: cocycles.packed() };
  const objects = cocycles.objects(dgms[1]);
  if (opt.loops) for (const cc of objects) Object.assign(cc, shortestLoop(cc, n, (u) => D.subarray(u * n, u * n + n)));
  return { dgms, threshold, cocycles: objects };
}

/**
 * The H1 cocycles as the reduction finds them, straight into growable typed arrays (edge i, j pairs and one offset
 * per class, PackedCocycles' layout): no per-edge object is ever made on the packed path.
 */
class CocycleList {
  private edges = new Int32Array(1024);
  private edgeCount = 0;
  private offsets = new Int32Array(64);
  private count = 0;

  /** Start a class; its edges follow. */
  begin(): void {
    if (this.count + 2 > this.offsets.length) this.offsets = grown(this.offsets, this.offsets.length * 2);
    this.offsets[this.count + 1] = this.edgeCount;
    this.count++;
  }

  edge(i: number, j: number): void {
    if (this.edgeCount * 2 + 2 > this.edges.length) this.edges = grown(this.edges, this.edges.length * 2);
    this.edges[2 * this.edgeCount] = i;
    this.edges[2 * this.edgeCount + 1] = j;
    this.edgeCount++;
    this.offsets[this.count] = this.edgeCount;
  }

  /** Drop the class begun last (a column that turned out to be a zero-persistence pair). */
  abandon(): void {
    this.count--;
    this.edgeCount = this.offsets[this.count];
  }

  packed(): PackedCocycles {
    return { offsets: this.offsets.slice(0, this.count + 1), edges: this.edges.slice(0, 2 * this.edgeCount) };
  }

  /** As objects, with the bars of `h1` (aligned) and each class's vertices ascending. */
  objects(h1: Diagram): H1Cocycle[] {
    const out: H1Cocycle[] = [];
    for (let k = 0; k < this.count; k++) {
      const edges: [number, number][] = [];
      const seen = new Set<number>();
      for (let e = this.offsets[k]; e < this.offsets[k + 1]; e++) {
        const i = this.edges[2 * e], j = this.edges[2 * e + 1];
        edges.push([i, j]);
        seen.add(i);
        seen.add(j);
      }
      out.push({ birth: h1[k].birth, death: h1[k].death, edges, vertices: [...seen].sort((a, b) => a - b), cycle: [], cycleDual: false });
    }
    return out;
  }
}

function grown(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

/** Columns of one dimension: simplex indices and diameters in processing order. */
interface Columns {
  idx: Float64Array;
  diam: Float32Array;
  count: number;
}

/**
 * A binary heap of (diameter, index) entries in two parallel typed arrays; the top is the pivot: smallest
 * diameter, ties broken by largest index.
 */
class PivotHeap {
  idx = new Float64Array(1024);
  diam = new Float32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  private grow(): void {
    const idx = new Float64Array(this.idx.length * 2);
    idx.set(this.idx);
    const diam = new Float32Array(this.diam.length * 2);
    diam.set(this.diam);
    this.idx = idx;
    this.diam = diam;
  }

  /** Append without restoring the heap order (follow with `heapify`). */
  append(i: number, d: number): void {
    if (this.size === this.idx.length) this.grow();
    this.idx[this.size] = i;
    this.diam[this.size] = d;
    this.size++;
  }

  heapify(): void {
    for (let p = (this.size >> 1) - 1; p >= 0; p--) this.siftDown(p, this.idx[p], this.diam[p]);
  }

  push(i: number, d: number): void {
    if (this.size === this.idx.length) this.grow();
    const idx = this.idx, diam = this.diam;
    let pos = this.size++;
    while (pos > 0) {
      const p = (pos - 1) >> 1;
      const pd = diam[p];
      if (pd < d || (pd === d && idx[p] >= i)) break;
      idx[pos] = idx[p];
      diam[pos] = pd;
      pos = p;
    }
    idx[pos] = i;
    diam[pos] = d;
  }

  private siftDown(pos: number, i: number, d: number): void {
    const idx = this.idx, diam = this.diam, size = this.size;
    for (;;) {
      let c = 2 * pos + 1;
      if (c >= size) break;
      const r = c + 1;
      if (r < size && (diam[r] < diam[c] || (diam[r] === diam[c] && idx[r] > idx[c]))) c = r;
      const cd = diam[c];
      if (d < cd || (d === cd && i >= idx[c])) break;
      idx[pos] = idx[c];
      diam[pos] = cd;
      pos = c;
    }
    idx[pos] = i;
    diam[pos] = d;
  }

  pop(): void {
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.idx[last], this.diam[last]);
  }

  /**
   * The pivot after Z/2 cancellation, or −1 for an empty column. Equal entries sit on a chain of equal keys
   * from the root, so a duplicate of the top is always one of its children.
   */
  pivot(): number {
    for (;;) {
      const size = this.size;
      if (size === 0) return -1;
      const t = this.idx[0];
      if ((size > 1 && this.idx[1] === t) || (size > 2 && this.idx[2] === t)) {
        this.pop();
        this.pop();
      } else return t;
    }
  }

  /** Remove and return the pivot (−1 when empty), leaving `lastDiam` set to its diameter. */
  lastDiam = 0;
  popPivot(): number {
    const t = this.pivot();
    if (t !== -1) {
      this.lastDiam = this.diam[0];
      this.pop();
    }
    return t;
  }
}

/** Open addressing hash map from a simplex index (a double) to a column number; −1 marks an empty slot. */
class PivotMap {
  keys: Float64Array;
  vals: Int32Array;
  mask: number;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(key: number): number {
    // Mix both 32-bit halves of the (integer-valued) double.
    const lo = key >>> 0;
    const hi = (key / 4294967296) >>> 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.mask;
  }

  get(key: number): number {
    const keys = this.keys, mask = this.mask;
    for (let s = this.slot(key); ; s = (s + 1) & mask) {
      const k = keys[s];
      if (k === key) return this.vals[s];
      if (k === -1) return -1;
    }
  }

  set(key: number, val: number): void {
    const keys = this.keys, mask = this.mask;
    let s = this.slot(key);
    while (keys[s] !== -1 && keys[s] !== key) s = (s + 1) & mask;
    keys[s] = key;
    this.vals[s] = val;
  }
}

/** A growable pair of typed arrays (index, diameter). */
class SimplexList {
  idx: Float64Array;
  diam: Float32Array;
  count = 0;
  constructor(cap = 1024) {
    this.idx = new Float64Array(cap);
    this.diam = new Float32Array(cap);
  }
  push(i: number, d: number): void {
    if (this.count === this.idx.length) {
      const cap = this.idx.length * 2;
      const idx = new Float64Array(cap);
      idx.set(this.idx);
      const diam = new Float32Array(cap);
      diam.set(this.diam);
      this.idx = idx;
      this.diam = diam;
    }
    this.idx[this.count] = i;
    this.diam[this.count] = d;
    this.count++;
  }
}

/**
 * The cofacets of one simplex, enumerated as Ripser does (simplex_coboundary_enumerator): by descending added
 * vertex j, each index computed from the running parts above and below j in the number system, with its diameter
 * max(diam, d(v, j) over the simplex's vertices v). One instance per enumeration that may be active at a time.
 */
class Cofacets {
  /** The current cofacet (valid after next() returned true). */
  idx = 0;
  diam = 0;
  private readonly verts: Int32Array;
  private readonly rows: Int32Array;
  private dim = 0;
  private base = 0;
  private j = -1;
  private k = 0;
  private t = 0;
  private idxBelow = 0;
  private idxAbove = 0;

  constructor(private readonly eng: RipsEngine) {
    this.verts = new Int32Array(eng.maxdim + 3);
    this.rows = new Int32Array(eng.maxdim + 3);
  }

  start(idx: number, diam: number, dim: number): void {
    const n = this.eng.n;
    this.eng.vertices(idx, dim, this.verts);
    for (let s = 0; s <= dim; s++) this.rows[s] = this.verts[s] * n;
    this.dim = dim;
    this.base = diam;
    this.j = n - 1;
    this.k = dim + 1;
    this.t = 0;
    this.idxBelow = idx;
    this.idxAbove = 0;
  }

  /** Move to the next cofacet; false when there is none left. */
  next(): boolean {
    const { B, bs, D } = this.eng;
    const verts = this.verts, rows = this.rows, dim = this.dim;
    for (let j = this.j; j >= 0; j--) {
      if (this.t <= dim && verts[this.t] === j) {
        // j is a vertex of the simplex: it moves from the part below to the part above, one place up.
        this.idxBelow -= B[this.k * bs + j];
        this.idxAbove += B[(this.k + 1) * bs + j];
        this.k--;
        this.t++;
        continue;
      }
      let cd = this.base;
      for (let s = 0; s <= dim; s++) {
        const x = D[rows[s] + j];
        if (x > cd) cd = x;
      }
      this.idx = this.idxAbove + B[(this.k + 1) * bs + j] + this.idxBelow;
      this.diam = cd;
      this.j = j - 1;
      return true;
    }
    this.j = -1;
    return false;
  }
}

class RipsEngine {
  readonly n: number;
  readonly D: Float32Array;
  readonly threshold: number;
  readonly maxdim: number;
  /** C(v, k) at B[k * bs + v], for k = 0 … maxdim + 2 and v = 0 … n. */
  readonly B: Float64Array;
  readonly bs: number;
  // Scratch vertex lists (descending), one per function that may be active at the same time.
  private readonly colVerts: Int32Array;
  private readonly facVerts: Int32Array;
  // Row offsets v·n of those vertices: d(v, j) = D[v·n + j] is read along a row, contiguous in j.
  private readonly colRows: Int32Array;
  /** The column's cofacets, and those of the zero-persistence test nested inside its enumeration. */
  private readonly columnCofacets: Cofacets;
  private readonly zeroCofacets: Cofacets;
  /** Simplices of the current dimension (all of them, ≤ threshold), kept to build the next dimension. */
  private simplices: SimplexList | null = null;

  // State of the dimension being reduced.
  private dim = 0;
  private cols: Columns = { idx: new Float64Array(0), diam: new Float32Array(0), count: 0 };
  private pivots = new PivotMap(0);
  private readonly coboundary = new PivotHeap();
  private readonly reduction = new PivotHeap();
  /** The reduction matrix V: column c holds vIdx/vDiam[vEnd[c−1] … vEnd[c]). */
  private v = new SimplexList();
  private vEnd = new Int32Array(0);
  private out: Diagram = [];
  private cocycles: CocycleList | undefined;
  /** Diameter of the pivot returned by the last pivot-finding call. */
  private pivotDiam = 0;
  /** Whether the last initCoboundary ended at an emergent pair (the column needs no reduction). */
  private emergent = false;

  constructor(n: number, D: Float32Array, threshold: number, maxdim: number) {
    this.n = n;
    this.D = D;
    this.threshold = threshold;
    this.maxdim = maxdim;
    this.bs = n + 1;
    const kMax = maxdim + 2;
    this.B = new Float64Array((kMax + 1) * this.bs);
    for (let v = 0; v <= n; v++) {
      this.B[v] = 1;
      for (let k = 1; k <= kMax; k++) {
        this.B[k * this.bs + v] = v === 0 ? 0 : this.B[(k - 1) * this.bs + v - 1] + this.B[k * this.bs + v - 1];
      }
    }
    this.colVerts = new Int32Array(maxdim + 3);
    this.facVerts = new Int32Array(maxdim + 3);
    this.colRows = new Int32Array(maxdim + 3);
    this.columnCofacets = new Cofacets(this);
    this.zeroCofacets = new Cofacets(this);
  }

  /** Largest vertex v < top with C(v, k) ≤ idx. */
  private maxVertex(idx: number, k: number, top: number): number {
    if (k === 1) return idx; // C(v, 1) = v
    if (k === 2) {
      // C(v, 2) = v(v−1)/2 ≤ idx: invert the quadratic, then fix the rounding.
      let v = Math.floor((1 + Math.sqrt(1 + 8 * idx)) / 2);
      if (v > top - 1) v = top - 1;
      while ((v * (v - 1)) / 2 > idx) v--;
      while (v + 1 < top && ((v + 1) * v) / 2 <= idx) v++;
      return v;
    }
    const B = this.B, base = k * this.bs;
    let lo = k - 1, hi = top - 1;
    if (B[base + hi] <= idx) return hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (B[base + mid] <= idx) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Vertices of simplex `idx` of dimension `dim`, written descending into out[0 … dim]. */
  vertices(idx: number, dim: number, out: Int32Array): void {
    let top = this.n;
    for (let k = dim + 1; k >= 1; k--) {
      const v = this.maxVertex(idx, k, top);
      out[dim + 1 - k] = v;
      idx -= this.B[k * this.bs + v];
      top = v;
    }
  }

  // ---------------------------------------------------------------- zero-persistence (apparent) pairs

  /** The pivot cofacet of (idx, diam) when it has the same diameter (the first such, by descending index), else −1. */
  private zeroPivotCofacet(idx: number, diam: number, dim: number): number {
    const cof = this.zeroCofacets;
    for (cof.start(idx, diam, dim); cof.next(); ) if (cof.diam === diam) return cof.idx;
    return -1;
  }

  /** The pivot facet of (idx, diam) when it has the same diameter (the first such, by ascending index), else −1. */
  private zeroPivotFacet(idx: number, diam: number, dim: number): number {
    const verts = this.facVerts, B = this.B, bs = this.bs, D = this.D, n = this.n;
    this.vertices(idx, dim, verts);
    // Removing verts[t]: vertices above it drop one place in the number system, those below keep theirs.
    let idxAbove = 0, idxBelow = idx;
    for (let t = 0; t <= dim; t++) {
      const vt = verts[t];
      idxBelow -= B[(dim + 1 - t) * bs + vt];
      let fd = 0;
      for (let a = 0; a <= dim; a++) {
        if (a === t) continue;
        const row = verts[a] * n;
        for (let b = a + 1; b <= dim; b++) {
          if (b === t) continue;
          const x = D[row + verts[b]];
          if (x > fd) fd = x;
        }
      }
      if (fd === diam) return idxAbove + idxBelow;
      idxAbove += B[(dim - t) * bs + vt];
    }
    return -1;
  }

  private zeroApparentFacet(idx: number, diam: number, dim: number): number {
    const f = this.zeroPivotFacet(idx, diam, dim);
    return f !== -1 && this.zeroPivotCofacet(f, diam, dim - 1) === idx ? f : -1;
  }

  private zeroApparentCofacet(idx: number, diam: number, dim: number): number {
    const c = this.zeroPivotCofacet(idx, diam, dim);
    return c !== -1 && this.zeroPivotFacet(c, diam, dim + 1) === idx ? c : -1;
  }

  // ---------------------------------------------------------------- dimension 0

  /**
   * H0 by Kruskal over the sorted edges; returns the dimension-1 columns: the non-tree edges not marked in
   * `apparent` (parallel.ts's apparent-edge test; null when maxdim = 0).
   *
   * An apparent edge is paired with a triangle, so it is no tree edge (it never joins two components) and no
   * column: only the other edges are sorted — on the app's clouds a few thousand of two million.
   */
  computeDim0(out: Diagram, apparent: Int32Array | null): Columns {
    const n = this.n, D = this.D, thr = this.threshold;
    // Every edge ≤ threshold, in any order (assembleColumns sorts the triangles it builds from them).
    if (this.maxdim >= 2) {
      const all = (this.simplices = new SimplexList(1024));
      for (let i = 1; i < n; i++) {
        const base = (i * (i - 1)) / 2;
        for (let j = 0; j < i; j++) if (D[i * n + j] <= thr) all.push(base + j, D[i * n + j]);
      }
    }
    const kept = (idx: number, d: number): boolean => d <= thr && !(apparent && isApparentEdge(apparent, idx));
    let E = 0;
    for (let i = 1; i < n; i++) {
      const base = (i * (i - 1)) / 2;
      for (let j = 0; j < i; j++) if (kept(base + j, D[i * n + j])) E++;
    }
    // Sort once, as 64-bit keys: high word = float32 bits of the diameter (monotone for values ≥ 0),
    // low word = ~edge index, so ties come largest index first — Ripser's filtration order.
    const buf = new ArrayBuffer(E * 8);
    const u32 = new Uint32Array(buf);
    const f32 = new Float32Array(buf);
    let m = 0;
    for (let i = 1; i < n; i++) {
      const base = (i * (i - 1)) / 2;
      for (let j = 0; j < i; j++) {
        const d = D[i * n + j];
        if (kept(base + j, d)) {
          u32[2 * m] = 0xffffffff - (base + j);
          f32[2 * m + 1] = d;
          m++;
        }
      }
    }
    new BigUint64Array(buf).sort();
    const parent = new Int32Array(n);
    for (let i = 0; i < n; i++) parent[i] = i;
    const rank = new Uint8Array(n);
    let k = 0;
    for (let e = 0; e < E; e++) {
      const idx = 0xffffffff - u32[2 * e];
      const d = f32[2 * e + 1];
      // Vertices of edge idx = C(i, 2) + j.
      let i = Math.floor((1 + Math.sqrt(1 + 8 * idx)) / 2);
      while ((i * (i - 1)) / 2 > idx) i--;
      while (((i + 1) * i) / 2 <= idx) i++;
      const j = idx - (i * (i - 1)) / 2;
      let ru = i;
      while (parent[ru] !== ru) ru = parent[ru] = parent[parent[ru]];
      let rv = j;
      while (parent[rv] !== rv) rv = parent[rv] = parent[parent[rv]];
      if (ru !== rv) {
        if (d > 0) out.push({ birth: 0, death: d });
        if (rank[ru] < rank[rv]) parent[ru] = rv;
        else if (rank[ru] > rank[rv]) parent[rv] = ru;
        else {
          parent[rv] = ru;
          rank[ru]++;
        }
      } else if (apparent) {
        // Reuse the sorted buffer for the columns: slot k ≤ e has already been read.
        u32[2 * k] = idx;
        f32[2 * k + 1] = d;
        k++;
      }
    }
    for (let i = 0; i < n; i++) if (parent[i] === i) out.push({ birth: 0, death: Infinity });
    // Columns in reverse filtration order: diameter descending, ties index ascending.
    const cols: Columns = { idx: new Float64Array(k), diam: new Float32Array(k), count: k };
    for (let c = 0; c < k; c++) {
      cols.idx[c] = u32[2 * (k - 1 - c)];
      cols.diam[c] = f32[2 * (k - 1 - c) + 1];
    }
    return cols;
  }

  // ---------------------------------------------------------------- dimensions ≥ 1

  /**
   * Columns of dimension `dim`: every dim-simplex ≤ threshold (each built once, from its facet without the top
   * vertex) that is neither a pivot of dimension dim − 1 (clearing) nor in an apparent pair.
   */
  assembleColumns(dim: number, maxColumns: number): Columns {
    const prev = this.simplices!;
    const keepNext = dim < this.maxdim;
    const next = keepNext ? new SimplexList(prev.count) : null;
    const list = new SimplexList(Math.max(1024, prev.count));
    const verts = this.colVerts, rows = this.colRows, B = this.B, bs = this.bs, D = this.D, n = this.n, thr = this.threshold;
    const fdim = dim - 1;
    for (let s = 0; s < prev.count; s++) {
      const idx = prev.idx[s], diam = prev.diam[s];
      this.vertices(idx, fdim, verts);
      for (let t = 0; t <= fdim; t++) rows[t] = verts[t] * n;
      for (let j = n - 1; j > verts[0]; j--) {
        let cd = diam;
        for (let t = 0; t <= fdim; t++) {
          const x = D[rows[t] + j];
          if (x > cd) cd = x;
        }
        if (cd > thr) continue;
        const cidx = B[(dim + 1) * bs + j] + idx;
        if (next) next.push(cidx, cd);
        if (this.pivots.get(cidx) !== -1) continue;
        if (this.zeroApparentCofacet(cidx, cd, dim) !== -1 || this.zeroApparentFacet(cidx, cd, dim) !== -1) continue;
        if (list.count >= maxColumns) {
          throw new Error(
            `more than ${maxColumns} ${dim}-simplices below the threshold ${this.threshold}: too big to reduce; give a smaller threshold or maxdim`,
          );
        }
        list.push(cidx, cd);
      }
    }
    this.simplices = next;
    return sortColumns(list);
  }

  startDimension(dim: number, cols: Columns, cocycles: CocycleList | undefined, out: Diagram): void {
    this.dim = dim;
    this.cols = cols;
    this.pivots = new PivotMap(cols.count);
    this.v = new SimplexList();
    this.vEnd = new Int32Array(cols.count);
    this.out = out;
    this.cocycles = cocycles;
  }

  /** Drop this dimension's reduction matrix; the pivot map stays for clearing in the next dimension. */
  endDimension(): void {
    this.v = new SimplexList(0);
    this.vEnd = new Int32Array(0);
    this.coboundary.clear();
    this.reduction.clear();
  }

  /** Push a simplex into the working reduction column and its coboundary (≤ threshold) into the working coboundary. */
  private addSimplexCoboundary(idx: number, diam: number): void {
    const heap = this.coboundary, cof = this.columnCofacets, thr = this.threshold;
    this.reduction.push(idx, diam);
    for (cof.start(idx, diam, this.dim); cof.next(); ) if (cof.diam <= thr) heap.push(cof.idx, cof.diam);
  }

  /**
   * Enumerate the column's coboundary; if its first zero-persistence cofacet is neither a known pivot nor in
   * an apparent pair, the pair is emergent and we return it at once without building the heap (this is what
   * makes most columns cheap). Returns the pivot (or −1) and sets `pivotDiam`; `emergent` tells which case.
   */
  private initCoboundary(idx: number, diam: number): number {
    const dim = this.dim, heap = this.coboundary, cof = this.columnCofacets, thr = this.threshold;
    heap.clear();
    let checkEmergent = true;
    for (cof.start(idx, diam, dim); cof.next(); ) {
      const cd = cof.diam, cidx = cof.idx;
      if (cd > thr) continue;
      if (checkEmergent && cd === diam) {
        // zeroApparentFacet enumerates with zeroCofacets: this enumeration's state is intact.
        if (this.pivots.get(cidx) === -1 && this.zeroApparentFacet(cidx, cd, dim + 1) === -1) {
          this.emergent = true;
          this.pivotDiam = cd;
          return cidx;
        }
        checkEmergent = false;
      }
      heap.append(cidx, cd);
    }
    heap.heapify();
    this.emergent = false;
    const p = heap.pivot();
    if (p !== -1) this.pivotDiam = heap.diam[0];
    return p;
  }

  /** Reduce column c (the hot loop). */
  reduceColumn(c: number): void {
    const idx = this.cols.idx[c], diam = this.cols.diam[c];
    const heap = this.coboundary;
    this.reduction.clear();
    let pivot = this.initCoboundary(idx, diam);
    if (!this.emergent) {
      while (pivot !== -1) {
        const other = this.pivots.get(pivot);
        if (other !== -1) {
          // Add the reduced column `other`: its own simplex plus the entries stored in V.
          this.addSimplexCoboundary(this.cols.idx[other], this.cols.diam[other]);
          const vIdx = this.v.idx, vDiam = this.v.diam;
          for (let e = other > 0 ? this.vEnd[other - 1] : 0, end = this.vEnd[other]; e < end; e++) {
            this.addSimplexCoboundary(vIdx[e], vDiam[e]);
          }
        } else {
          // A pivot that is the cofacet of an apparent pair: that (skipped) column's coboundary cancels it.
          const f = this.zeroApparentFacet(pivot, heap.diam[0], this.dim + 1);
          if (f === -1) break;
          this.addSimplexCoboundary(f, heap.diam[0]);
        }
        pivot = heap.pivot();
      }
      if (pivot !== -1) this.pivotDiam = heap.diam[0];
    }
    const cocycles = this.cocycles;
    // The cocycle is the column's own simplex plus V's entries; begun at once, dropped if no bar comes of it.
    if (cocycles) {
      cocycles.begin();
      this.cocycleEdge(idx);
    }
    if (pivot !== -1) {
      const death = this.pivotDiam;
      this.pivots.set(pivot, c);
      // Store V's column (after Z/2 cancellation) for later additions.
      const red = this.reduction;
      for (let e = red.popPivot(); e !== -1; e = red.popPivot()) {
        this.v.push(e, red.lastDiam);
        if (cocycles) this.cocycleEdge(e);
      }
      // A zero-persistence pair gives no bar (and no cocycle).
      if (death > diam) this.out.push({ birth: diam, death });
      else cocycles?.abandon();
    } else {
      this.out.push({ birth: diam, death: Infinity });
      if (cocycles) {
        const red = this.reduction;
        for (let e = red.popPivot(); e !== -1; e = red.popPivot()) this.cocycleEdge(e);
      }
    }
    this.vEnd[c] = this.v.count;
  }

  /** Edge `e` (a dimension-1 index) of the cocycle being built, as its two vertices i > j. */
  private cocycleEdge(e: number): void {
    const verts = this.facVerts;
    this.vertices(e, 1, verts);
    this.cocycles!.edge(verts[0], verts[1]);
  }
}

/** Sort columns into processing order: diameter descending, ties by index ascending. */
function sortColumns(list: SimplexList): Columns {
  const count = list.count;
  if (count >= 2 ** 32) throw new Error('too many columns to sort');
  // Key: high word = complement of the float32 bits (descending diameter), low word = position.
  const buf = new ArrayBuffer(count * 8);
  const u32 = new Uint32Array(buf);
  const f32bits = new Uint32Array(list.diam.buffer, 0, count);
  for (let i = 0; i < count; i++) {
    u32[2 * i] = i;
    u32[2 * i + 1] = 0xffffffff - f32bits[i];
  }
  new BigUint64Array(buf).sort();
  const idx = new Float64Array(count);
  const diam = new Float32Array(count);
  for (let c = 0; c < count; c++) {
    const p = u32[2 * c];
    idx[c] = list.idx[p];
    diam[c] = list.diam[p];
  }
  // Within a run of equal diameters, order by index ascending (native numeric sort of the subarray).
  for (let s = 0; s < count; ) {
    let e = s + 1;
    while (e < count && diam[e] === diam[s]) e++;
    if (e - s > 1) idx.subarray(s, e).sort();
    s = e;
  }
  return { idx, diam, count };
}

/** The loop of one H1 class: `cycle` and `cycleDual` as H1Cocycle defines them. */
export type H1Loop = Pick<H1Cocycle, 'cycle' | 'cycleDual'>;

/**
 * Close one cocycle's loop after a run with `loops: false`: the same loop the run gives with loops on, from the
 * same input and metric. Reads only the distance rows the search visits (no n × n matrix): O(n · d) per row.
 */
export function closeLoop(input: PersistenceInput, cocycle: Pick<H1Cocycle, 'birth' | 'edges'>, metric: Metric = 'euclidean'): H1Loop {
  if (!METRICS.includes(metric)) throw new Error(`metric must be one of ${METRICS.join(', ')} (got ${String(metric)})`);
  const n = input.n;
  for (const [i, j] of cocycle.edges) {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i > j && j >= 0 && i < n)) throw new Error(`cocycle edge [${i}, ${j}] is not an edge of ${n} points (i > j ≥ 0)`);
  }
  if (cocycle.edges.length === 0) throw new Error('the cocycle has no edges');
  const row = new Float32Array(n);
  if (isDistanceMatrix(input)) {
    return shortestLoop(cocycle, n, (u) => {
      matrixRow(input, u, row);
      return row;
    });
  }
  const cloud = input as PointCloud;
  const norms = cosineNorms(cloud, metric);
  return shortestLoop(cocycle, n, (u) => {
    distanceRow(cloud, metric, norms, u, row);
    return row;
  });
}

/**
 * Close the cocycle's birth edge into a loop: the shortest path (sum of edge lengths, dense Dijkstra, O(n²) per
 * cocycle) between its two ends through edges earlier in the filtration, then check the cocycle's parity on it.
 * `distances(u)` gives row u of the float32 matrix (valid until the next call).
 */
function shortestLoop(cc: Pick<H1Cocycle, 'birth' | 'edges'>, n: number, distances: (u: number) => ArrayLike<number>): H1Loop {
  const [a, b] = cc.edges[0];
  const birth = cc.birth;
  // Earlier in the filtration = smaller diameter, or equal diameter and larger edge index (Ripser's order).
  const birthEdge = (a * (a - 1)) / 2 + b;
  const dist = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[b] = 0;
  for (;;) {
    let u = -1, best = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < best) { best = dist[i]; u = i; }
    if (u === -1 || u === a) break;
    done[u] = 1;
    const row = distances(u);
    for (let w = 0; w < n; w++) {
      const x = row[w];
      if (done[w] || w === u || x > birth) continue;
      if (x === birth) {
        const hi = u > w ? u : w, lo = u > w ? w : u;
        if ((hi * (hi - 1)) / 2 + lo <= birthEdge) continue;
      }
      if (best + x < dist[w]) {
        dist[w] = best + x;
        prev[w] = u;
      }
    }
  }
  if (dist[a] === Infinity) return { cycle: [], cycleDual: false }; // cannot happen for a positive edge, kept as a guard
  const path: number[] = [];
  for (let v = a; v !== -1; v = prev[v]) path.push(v);
  const support = new Set(cc.edges.map(([i, j]) => i * n + j));
  let parity = 1; // the birth edge itself (a, b) is in the cocycle
  for (let s = 0; s + 1 < path.length; s++) {
    const i = Math.max(path[s], path[s + 1]), j = Math.min(path[s], path[s + 1]);
    if (support.has(i * n + j)) parity ^= 1;
  }
  return { cycle: path, cycleDual: parity === 1 };
}
