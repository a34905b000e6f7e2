/**
 * Centered kernel alignment (Kornblith et al. 2019) between representations of the same n images, linear kernel:
 * - linear CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) with HSIC(K, L) = ⟨HKH, HLH⟩_F (biased estimator);
 * - debiased CKA uses the unbiased HSIC estimator (Song et al. 2012) on Grams with a zero diagonal:
 *   HSIC_u = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)), needs n ≥ 4.
 *
 * Two forms of the same numbers, chosen by shape (the page compares 17 layers of 10 000 images: n × n Grams
 * would take 13.6 GB):
 * - **feature form** when d < n, O(n·d + d²) memory. Both estimators are invariant under translating the features
 *   (the U-statistic's kernel only sees differences), so the features are centered first, X = X₀ − mean, and with
 *   K = XXᵀ: ⟨HKH, HLH⟩ = ‖XᵀY‖²_F; for the debiased form K̃ = K − diag(k), k_i = ‖x_i‖², Xᵀ1 = 0 gives
 *   tr(K̃L̃) = ‖XᵀY‖²_F − Σ k_i l_i, 1ᵀK̃1 = −Σ k_i and K̃1 = −k, so 1ᵀK̃L̃1 = Σ k_i l_i. A pair costs n·d_x·d_y.
 * - **Gram form** when n ≤ d for both layers: n × n Grams (then no larger than the features), O(n²) per pair.
 */
import type { PointCloud } from '../types';
import { gram } from './gram';

export interface CkaOptions {
  /** Use the debiased estimator (default false: the paper's linear CKA). */
  debiased?: boolean;
}

/** The per-layer summary a pair needs. */
interface Prepared {
  n: number;
  d: number;
  /** Centered features, n × d row-major (always kept: pairs with a narrow layer use them). */
  features: Float64Array;
  /** ‖x_i‖² of the centered rows (debiased form). */
  sqNorms: Float64Array;
  /** Gram form, only when n ≤ d: the doubly centered Gram (biased) or the Gram with a zero diagonal (debiased). */
  gram: Float64Array | null;
  rowSums: Float64Array | null;
  total: number;
  /** HSIC of the layer with itself (the normaliser). */
  self: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function centered(cloud: PointCloud): Float64Array {
  const { n, d, data } = cloud;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k] = data[i * d + k] - mean[k];
  return x;
}

/** ‖XᵀY‖²_F for row-major n × dx and n × dy, through the dx × dy cross-covariance (n·dx·dy multiply-adds). */
function crossNormSq(x: Float64Array, dx: number, y: Float64Array, dy: number, n: number): number {
  const c = new Float64Array(dx * dy);
  for (let i = 0; i < n; i++) {
    const xi = i * dx, yi = i * dy;
    for (let a = 0; a < dx; a++) {
      const v = x[xi + a];
      if (v === 0) continue;
      const row = a * dy;
      for (let b = 0; b < dy; b++) c[row + b] += v * y[yi + b];
    }
  }
  return dot(c, c);
}

/** ‖XᵀX‖²_F, using the symmetry of XᵀX (half the work of crossNormSq). */
function selfNormSq(x: Float64Array, d: number, n: number): number {
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    for (let a = 0; a < d; a++) {
      const v = x[xi + a];
      if (v === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) c[row + b] += v * x[xi + b];
    }
  }
  let s = 0;
  for (let a = 0; a < d; a++) {
    s += c[a * d + a] * c[a * d + a];
    for (let b = a + 1; b < d; b++) s += 2 * c[a * d + b] * c[a * d + b];
  }
  return s;
}

/** The Gram-form summary (n ≤ d): the doubly centered Gram, or the zero-diagonal Gram with its row sums. */
function prepareGram(cloud: PointCloud, debiased: boolean): Pick<Prepared, 'gram' | 'rowSums' | 'total'> {
  const n = cloud.n;
  const g = gram(cloud.data, cloud.n, cloud.d);
  if (!debiased) {
    // Double centering: HKH = K − row means − column means + grand mean.
    const means = new Float64Array(n);
    let grand = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += g[i * n + j];
      means[i] = s / n;
      grand += s;
    }
    grand /= n * n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] += grand - means[i] - means[j];
    return { gram: g, rowSums: null, total: 0 };
  }
  for (let i = 0; i < n; i++) g[i * n + i] = 0;
  const rowSums = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += g[i * n + j];
    rowSums[i] = s;
    total += s;
  }
  return { gram: g, rowSums, total };
}

function prepare(cloud: PointCloud, debiased: boolean): Prepared {
  const { n, d } = cloud;
  const features = centered(cloud);
  const sqNorms = new Float64Array(n);
  for (let i = 0; i < n; i++) sqNorms[i] = dot(features.subarray(i * d, (i + 1) * d), features.subarray(i * d, (i + 1) * d));
  const p: Prepared = { n, d, features, sqNorms, gram: null, rowSums: null, total: 0, self: 0 };
  if (n <= d) Object.assign(p, prepareGram(cloud, debiased));
  p.self = hsic(p, p, debiased);
  return p;
}

/** HSIC of a pair (biased or unbiased), in the Gram form when both layers have one, else in the feature form. */
function hsic(a: Prepared, b: Prepared, debiased: boolean): number {
  const n = a.n;
  if (a.gram && b.gram) {
    if (!debiased) return dot(a.gram, b.gram);
    const trace = dot(a.gram, b.gram);
    return (trace + (a.total * b.total) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * dot(a.rowSums!, b.rowSums!)) / (n * (n - 3));
  }
  const cross = a === b ? selfNormSq(a.features, a.d, n) : crossNormSq(a.features, a.d, b.features, b.d, n);
  if (!debiased) return cross;
  const kl = dot(a.sqNorms, b.sqNorms);
  let ta = 0, tb = 0;
  for (let i = 0; i < n; i++) {
    ta += a.sqNorms[i];
    tb += b.sqNorms[i];
  }
  // tr(K̃L̃) = cross − Σkl, 1ᵀK̃1 = −Σk, 1ᵀK̃L̃1 = Σkl (see the module comment).
  return (cross - kl + (ta * tb) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * kl) / (n * (n - 3));
}

function ckaOfPrepared(a: Prepared, b: Prepared, debiased: boolean): number {
  const cross = hsic(a, b, debiased);
  const denom = Math.sqrt(a.self * b.self);
  // A constant representation has no variance to align: CKA is undefined there; report 0 rather than NaN.
  return denom > 0 ? cross / denom : 0;
}

function check(clouds: PointCloud[], debiased: boolean): void {
  const n = clouds[0]?.n ?? 0;
  for (const c of clouds) {
    if (c.n !== n) throw new Error(`CKA needs the same images in every representation: got ${c.n} and ${n} rows`);
  }
  if (debiased && n < 4) throw new Error(`debiased CKA needs at least 4 images (got ${n})`);
  if (n < 2) throw new Error(`CKA needs at least 2 images (got ${n})`);
}

/** Linear CKA (or its debiased form) between two representations of the same images. */
export function linearCka(x: PointCloud, y: PointCloud, options: CkaOptions = {}): number {
  const debiased = options.debiased ?? false;
  check([x, y], debiased);
  return ckaOfPrepared(prepare(x, debiased), prepare(y, debiased), debiased);
}

/**
 * The k × k CKA matrix of k representations (row-major Float64Array), symmetric with ones on the diagonal
 * (for non-constant layers). `onProgress` gets the fraction done (layers prepared, then pairs, by their cost).
 */
export function ckaMatrix(clouds: PointCloud[], options: CkaOptions & { onProgress?: (f: number) => void } = {}): Float64Array {
  const debiased = options.debiased ?? false;
  check(clouds, debiased);
  const k = clouds.length;
  const n = clouds[0].n;
  // Work units: n·d² per layer prepared, n·d_i·d_j per feature-form pair (Gram pairs are cheap beside them).
  const cost = (i: number, j: number) => n * clouds[i].d * clouds[j].d;
  let work = 0, done = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) work += cost(i, j);
  const step = (w: number) => {
    done += w;
    options.onProgress?.(work > 0 ? Math.min(1, done / work) : 1);
  };
  const prepared = clouds.map((c, i) => {
    const p = prepare(c, debiased);
    step(cost(i, i));
    return p;
  });
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    out[i * k + i] = prepared[i].self > 0 ? 1 : 0;
    for (let j = 0; j < i; j++) {
      const v = ckaOfPrepared(prepared[i], prepared[j], debiased);
      out[i * k + j] = v;
      out[j * k + i] = v;
      step(cost(i, j));
    }
  }
  return out;
}
