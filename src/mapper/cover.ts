/**
 * KeplerMapper's CubicalCover(n_cubes, perc_overlap), per lens dimension: over the lens range [min, max] put n
 * equally spaced centres c_i = linspace(min + inset, max − inset, n), inset = (range − (n − 1)/n · range) / 2
 * (= range / 2n), and give every interval the half-width r = range / (2 n (1 − overlap)); a point belongs to every
 * interval with c_i − r ≤ lens ≤ c_i + r.
 * A 2-D lens is covered by the products of the two dimensions' intervals (first dimension slowest, as
 * itertools.product orders them). A constant lens dimension gets a single interval holding every point.
 */

import { checkCount, MAPPER_DEFAULTS, MAPPER_LIMITS } from './limits';

export interface CoverOptions {
  /** Intervals per lens dimension (MAPPER_LIMITS.nIntervals). Default 40 (the paper's). */
  nIntervals?: number;
  /** Fraction of overlap between neighbouring intervals (MAPPER_LIMITS.overlap). Default 0.4 (the paper's). */
  overlap?: number;
}

export interface CoverSet {
  /** Flat index in the product cover (row-major over the dimensions). */
  index: number;
  /** Interval index in each lens dimension. */
  cell: number[];
  /** Member point indices, ascending. */
  members: Int32Array;
}

export interface Cover {
  /** Centres per lens dimension. */
  centers: Float64Array[];
  /** Half-width per lens dimension. */
  radius: number[];
  /** Every set of the cover, empty ones included, in flat-index order. */
  sets: CoverSet[];
}

/** Checks the cover's options against MAPPER_LIMITS (message: the option and its allowed range). */
export function checkCoverParams(nIntervals: number, overlap: number, lensDims: 1 | 2 = 1): void {
  checkCount('nIntervals', nIntervals, MAPPER_LIMITS.nIntervals);
  const { min, max } = MAPPER_LIMITS.overlap;
  if (!(typeof overlap === 'number' && overlap >= min && overlap <= max)) {
    throw new RangeError(`overlap must be a number from ${min} to ${max} (got ${overlap})`);
  }
  if (nIntervals ** lensDims > MAPPER_LIMITS.coverSets.max) {
    const most = Math.floor(MAPPER_LIMITS.coverSets.max ** (1 / lensDims));
    throw new RangeError(
      `nIntervals must be an integer from 1 to ${most} with ${lensDims} lenses: the cover has nIntervals^${lensDims} sets, at most ${MAPPER_LIMITS.coverSets.max} (got ${nIntervals})`,
    );
  }
}

/** Centres and half-width of one lens dimension (numpy.linspace arithmetic: start + i·step, last = stop). */
export function intervals1d(lens: ArrayLike<number>, nIntervals: number, overlap: number): { centers: Float64Array; radius: number } {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < lens.length; i++) {
    const v = lens[i];
    if (!Number.isFinite(v)) throw new RangeError(`lens value ${i} is ${v}; the lens must be finite`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  if (!(range > 0)) return { centers: Float64Array.of(lo), radius: 0 };
  const radius = range / (2 * nIntervals * (1 - overlap));
  // KeplerMapper's arithmetic, step for step (not range / 2n), so that the centres are its centres to the bit.
  const innerRange = ((nIntervals - 1) / nIntervals) * range;
  const inset = (range - innerRange) / 2;
  const start = lo + inset, stop = hi - inset;
  const centers = new Float64Array(nIntervals);
  const step = nIntervals > 1 ? (stop - start) / (nIntervals - 1) : 0;
  for (let i = 0; i < nIntervals; i++) centers[i] = start + i * step;
  if (nIntervals > 1) centers[nIntervals - 1] = stop;
  return { centers, radius };
}

function members1d(lens: ArrayLike<number>, centers: Float64Array, radius: number): Int32Array[] {
  const n = lens.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => lens[a] - lens[b]);
  const sortedVals = Float64Array.from(order, (i) => lens[i]);
  const firstAtLeast = (v: number): number => {
    let a = 0, b = n;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (sortedVals[mid] < v) a = mid + 1;
      else b = mid;
    }
    return a;
  };
  return Array.from(centers, (c) => {
    const lower = c - radius, upper = c + radius;
    const a = firstAtLeast(lower);
    let b = a;
    while (b < n && sortedVals[b] <= upper) b++;
    return order.slice(a, b).sort();
  });
}

function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else { out.push(a[i]); i++; j++; }
  }
  return Int32Array.from(out);
}

/** Cover a 1-D lens (one array) or a 2-D lens (two arrays of equal length). */
export function cover(lens: ArrayLike<number> | ArrayLike<number>[], options: CoverOptions = {}): Cover {
  const nIntervals = options.nIntervals ?? MAPPER_DEFAULTS.nIntervals;
  const overlap = options.overlap ?? MAPPER_DEFAULTS.overlap;
  const dims: ArrayLike<number>[] = Array.isArray(lens) ? (lens as ArrayLike<number>[]) : [lens as ArrayLike<number>];
  if (dims.length < 1 || dims.length > 2) throw new RangeError(`lens must have 1 or 2 dimensions (got ${dims.length})`);
  checkCoverParams(nIntervals, overlap, dims.length as 1 | 2);
  if (dims.length === 2 && dims[0].length !== dims[1].length) {
    throw new RangeError(`the two lens dimensions differ in length (${dims[0].length} vs ${dims[1].length})`);
  }
  const parts = dims.map((l) => intervals1d(l, nIntervals, overlap));
  const per = dims.map((l, k) => members1d(l, parts[k].centers, parts[k].radius));
  const sets: CoverSet[] = [];
  if (dims.length === 1) {
    per[0].forEach((members, i) => sets.push({ index: i, cell: [i], members }));
  } else {
    per[0].forEach((a, i) =>
      per[1].forEach((b, j) => sets.push({ index: i * per[1].length + j, cell: [i, j], members: intersectSorted(a, b) })),
    );
  }
  return { centers: parts.map((p) => p.centers), radius: parts.map((p) => p.radius), sets };
}
