/**
 * Lenses (filter functions) R^d → R for Mapper. The paper's is the L2 norm of each point (Mapper Interactive's
 * 'l2norm'). Distances inside lenses are Euclidean.
 */
import { PCA } from 'ml-pca';
import type { PointCloud } from '../types';
import { metricSpace, sqDist } from './space';

/** Row sums of a cloud's values (or of their squares), the basis of the norm, sum and mean lenses. */
function rowSums(cloud: PointCloud, square: boolean): Float64Array {
  const { n, d, data } = cloud;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * d; k < (i + 1) * d; k++) s += square ? data[k] * data[k] : data[k];
    out[i] = s;
  }
  return out;
}

/**
 * The named lenses, declared once: the URL state, the Mapper panel, the CLI help and computeLens read this list.
 * Adding a lens is adding an entry here (docs/architecture.md, "Add a lens").
 */
export const LENSES = [
  { id: 'l2norm', label: 'L2 norm (the paper’s)', compute: (c: PointCloud) => rowSums(c, true).map(Math.sqrt) },
  { id: 'sum', label: 'sum of coordinates', compute: (c: PointCloud) => rowSums(c, false) },
  { id: 'mean', label: 'mean of coordinates', compute: (c: PointCloud) => rowSums(c, false).map((s) => s / c.d) },
  { id: 'pca1', label: 'first principal component', compute: (c: PointCloud) => pcaLens(c, 0) },
  { id: 'pca2', label: 'second principal component', compute: (c: PointCloud) => pcaLens(c, 1) },
  { id: 'density', label: 'Gaussian density (Scott bandwidth)', compute: (c: PointCloud) => densityLens(c) },
  { id: 'eccentricity', label: 'eccentricity', compute: (c: PointCloud) => eccentricityLens(c) },
] as const;

export type LensName = (typeof LENSES)[number]['id'];

export type LensSpec =
  | LensName
  /** Coordinate `index` (0-based) of each point. */
  | { kind: 'coordinate'; index: number }
  /** Gaussian KDE; bandwidth defaults to Scott's rule (see densityLens). */
  | { kind: 'density'; bandwidth?: number }
  /** Values supplied by the caller, one per point. */
  | { kind: 'precomputed'; values: ArrayLike<number> };

export const LENS_NAMES = LENSES.map((l) => l.id) as LensName[];

/** Parse a lens from text: a lens name, 'coordinate:K', or 'density:BANDWIDTH'. */
export function parseLens(text: string): LensSpec {
  if ((LENS_NAMES as string[]).includes(text)) return text as LensName;
  const m = /^(coordinate|density):(.+)$/.exec(text);
  if (m) {
    const v = Number(m[2]);
    if (m[1] === 'coordinate' && Number.isInteger(v) && v >= 0) return { kind: 'coordinate', index: v };
    if (m[1] === 'density' && Number.isFinite(v) && v > 0) return { kind: 'density', bandwidth: v };
  }
  throw new RangeError(
    `lens must be one of ${LENS_NAMES.join(', ')}, coordinate:K (K ≥ 0) or density:BANDWIDTH (> 0) (got "${text}")`,
  );
}

export function lensLabel(spec: LensSpec): string {
  if (typeof spec === 'string') return spec;
  if (spec.kind === 'coordinate') return `coordinate:${spec.index}`;
  if (spec.kind === 'density') return spec.bandwidth === undefined ? 'density' : `density:${spec.bandwidth}`;
  return 'precomputed';
}

/** The lens value of every point. */
export function computeLens(cloud: PointCloud, spec: LensSpec): Float64Array {
  const { n, d, data } = cloud;
  const out = new Float64Array(n);
  if (typeof spec === 'string') {
    const lens = LENSES.find((l) => l.id === spec);
    if (!lens) throw new RangeError(`lens must be one of ${LENS_NAMES.join(', ')} (got "${String(spec)}")`);
    return lens.compute(cloud);
  }
  if (spec.kind === 'coordinate') {
    if (!Number.isInteger(spec.index) || spec.index < 0 || spec.index >= d) {
      throw new RangeError(`lens coordinate must be an integer in [0, ${d - 1}] (got ${spec.index})`);
    }
    for (let i = 0; i < n; i++) out[i] = data[i * d + spec.index];
    return out;
  }
  if (spec.kind === 'density') return densityLens(cloud, spec.bandwidth);
  if (spec.kind === 'precomputed') {
    if (spec.values.length !== n) throw new RangeError(`precomputed lens has ${spec.values.length} values for ${n} points`);
    for (let i = 0; i < n; i++) {
      out[i] = spec.values[i];
      if (!Number.isFinite(out[i])) throw new RangeError(`precomputed lens value ${i} is ${out[i]} (must be finite)`);
    }
    return out;
  }
  throw new RangeError(`unknown lens ${JSON.stringify(spec)}`);
}

/**
 * Projection on principal component `component` (0 or 1) via ml-pca's covariance-matrix method. The component's
 * sign is fixed so that its largest-magnitude loading is positive (sklearn's svd_flip convention, up to that rule).
 */
export function pcaLens(cloud: PointCloud, component: number): Float64Array {
  const { n, d, data } = cloud;
  if (component >= d) throw new RangeError(`lens pca${component + 1} needs at least ${component + 1} dimensions (cloud has ${d})`);
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
  const pca = new PCA(rows, { method: 'covarianceMatrix', center: true, scale: false });
  const vectors = pca.getEigenvectors();
  const v = vectors.getColumn(component);
  let big = 0;
  for (const c of v) if (Math.abs(c) > Math.abs(big)) big = c;
  const sign = big < 0 ? -1 : 1;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k] / n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += (data[i * d + k] - mean[k]) * v[k];
    out[i] = sign * s;
  }
  return out;
}

/** Scott's rule for an isotropic Gaussian kernel: h = σ̄ · n^(−1/(d+4)), σ̄² the mean per-coordinate variance. */
export function scottBandwidth(cloud: PointCloud): number {
  const { n, d, data } = cloud;
  let varSum = 0;
  for (let k = 0; k < d; k++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const v = data[i * d + k]; s += v; s2 += v * v; }
    varSum += n > 1 ? Math.max(0, (s2 - (s * s) / n) / (n - 1)) : 0;
  }
  const sigma = Math.sqrt(varSum / d);
  return sigma > 0 ? sigma * Math.pow(n, -1 / (d + 4)) : 1;
}

/**
 * Gaussian kernel density at each point, (1/n) Σ_j exp(−|x_i − x_j|² / (2h²)), without the (2πh²)^(−d/2) factor
 * (it would underflow in high dimension and a constant factor does not change the cover). O(n² d), symmetric pass.
 */
export function densityLens(cloud: PointCloud, bandwidth?: number): Float64Array {
  const h = bandwidth ?? scottBandwidth(cloud);
  if (!(h > 0 && Number.isFinite(h))) throw new RangeError(`density bandwidth must be a finite number > 0 (got ${h})`);
  const inv = -1 / (2 * h * h);
  return pairwiseSum(cloud, (d2) => Math.exp(d2 * inv));
}

/** Eccentricity with p = 1: the mean Euclidean distance from each point to all points. O(n² d). */
export function eccentricityLens(cloud: PointCloud): Float64Array {
  return pairwiseSum(cloud, Math.sqrt);
}

/** (1/n) Σ_j f(|x_i − x_j|²) for every i, visiting each pair once, in cache-sized blocks of rows. */
function pairwiseSum(cloud: PointCloud, f: (d2: number) => number): Float64Array {
  const { x, n, d } = metricSpace(cloud, 'euclidean');
  const out = new Float64Array(n);
  const B = 64;
  for (let bi = 0; bi < n; bi += B) {
    const ei = Math.min(n, bi + B);
    for (let bj = bi; bj < n; bj += B) {
      const ej = Math.min(n, bj + B);
      for (let i = bi; i < ei; i++) {
        for (let j = bj === bi ? i : bj; j < ej; j++) {
          const v = f(sqDist(x, i * d, j * d, d));
          out[i] += v;
          if (j !== i) out[j] += v;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) out[i] /= n;
  return out;
}
