/**
 * The Gram-form CKA as src/similarity/cka.ts computed it before the feature form (kept verbatim as the tests'
 * reference: n × n Gram matrices for every layer).
 *
 * Centered kernel alignment (Kornblith et al. 2019) between representations of the same n images, linear kernel.
 * Both forms go through n × n Gram matrices so a whole layer × layer matrix costs one Gram per layer plus O(n²)
 * per pair, whatever the layers' widths:
 * - linear CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) with HSIC(K, L) = ⟨HKH, HLH⟩_F (biased estimator);
 * - debiased CKA uses the unbiased HSIC estimator (Song et al. 2012) on Grams with a zero diagonal:
 *   HSIC_u = [tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)), needs n ≥ 4.
 */
import type { PointCloud } from '../../src/types';

export interface CkaOptions {
  /** Use the debiased estimator (default false: the paper's linear CKA). */
  debiased?: boolean;
}

/** The per-layer summary a pair needs: a Gram matrix (centered, or with zeroed diagonal) and its sums. */
interface PreparedGram {
  n: number;
  gram: Float64Array;
  rowSums: Float64Array;
  total: number;
  /** HSIC of the layer with itself (the normaliser). */
  self: number;
}

function gramOf(cloud: PointCloud): Float64Array {
  const { n, d, data } = cloud;
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = 0; j <= i; j++) {
      const oj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += data[oi + k] * data[oj + k];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function prepare(cloud: PointCloud, debiased: boolean): PreparedGram {
  const n = cloud.n;
  const g = gramOf(cloud);
  const rowSums = new Float64Array(n);
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
    return { n, gram: g, rowSums, total: 0, self: dot(g, g) };
  }
  for (let i = 0; i < n; i++) g[i * n + i] = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += g[i * n + j];
    rowSums[i] = s;
    total += s;
  }
  const prepared = { n, gram: g, rowSums, total, self: 0 };
  prepared.self = hsicUnbiased(prepared, prepared);
  return prepared;
}

function hsicUnbiased(a: PreparedGram, b: PreparedGram): number {
  const n = a.n;
  const trace = dot(a.gram, b.gram);
  return (trace + (a.total * b.total) / ((n - 1) * (n - 2)) - (2 / (n - 2)) * dot(a.rowSums, b.rowSums)) / (n * (n - 3));
}

function ckaOfPrepared(a: PreparedGram, b: PreparedGram, debiased: boolean): number {
  const cross = debiased ? hsicUnbiased(a, b) : dot(a.gram, b.gram);
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
 * (for non-constant layers). `onProgress` gets the fraction of layers prepared.
 */
export function ckaMatrix(clouds: PointCloud[], options: CkaOptions & { onProgress?: (f: number) => void } = {}): Float64Array {
  const debiased = options.debiased ?? false;
  check(clouds, debiased);
  const k = clouds.length;
  const prepared = clouds.map((c, i) => {
    const p = prepare(c, debiased);
    options.onProgress?.((i + 1) / k);
    return p;
  });
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    out[i * k + i] = prepared[i].self > 0 ? 1 : 0;
    for (let j = 0; j < i; j++) {
      const v = ckaOfPrepared(prepared[i], prepared[j], debiased);
      out[i * k + j] = v;
      out[j * k + i] = v;
    }
  }
  return out;
}
