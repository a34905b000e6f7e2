/**
 * From a layer's activations to a point cloud (method.md §2). A layer gives each image an H×W×C tensor; a cloud
 * method turns the n images' tensors into n points (or, for the channel cloud, C points).
 *
 * Two halves:
 * - pure reference functions on already-downloaded activations (Float32Array n×H×W×C, row-major) — the
 *   definitions, tested by hand, and the oracle for the backend reducers;
 * - tensor reducers (`reduceBatch*`) that activations.ts runs ON THE BACKEND per batch so that only [batch, C]
 *   numbers travel back to JS instead of whole activation tensors.
 *
 * Methods: top-L2 (the paper's), random position (seeded), global average pool, channel cloud, flattened + PCA.
 */
import * as tf from '@tensorflow/tfjs';
import type { PointCloud } from '../types';
import { mulberry32 } from '../random';
import { identity } from '../arrays';
import { CLOUD_METHODS, type CloudMethodId } from './cloudMethods';
import { gram } from '../similarity/gram';

/** A cloud and, for each point, the dataset image it comes from. */
export interface CloudResult {
  cloud: PointCloud;
  /**
   * Image clouds: the dataset image of each point (length n).
   * Channel cloud: the images whose values are the coordinates (length d = n images), since points are channels.
   */
  imageIndices: Int32Array;
  /** top-L2 / random / channel: the chosen spatial position of each image, flattened as h·W + w. */
  positions?: Int32Array;
}

/** Activations of n images at one layer, NHWC, as downloaded from the backend. */
export interface ActivationArray {
  data: Float32Array;
  n: number;
  h: number;
  w: number;
  c: number;
}

/** A cloud method with its parameters; `kind` is an id of the registry (src/model/cloudMethods.ts). */
export type CloudMethod =
  | { kind: 'top-l2' }
  | { kind: 'random'; seed: number }
  | { kind: 'gap' }
  | { kind: 'channel' }
  | { kind: 'pca'; dims: number };

// The variants above and the registry's ids are the same set (a type error otherwise).
type SameIds = [CloudMethod['kind']] extends [CloudMethodId] ? ([CloudMethodId] extends [CloudMethod['kind']] ? true : never) : never;
const _sameIds: SameIds = true;

/** The spellings parseCloudMethod reads, from the registry. */
export const CLOUD_METHOD_NAMES = CLOUD_METHODS.map((m) => m.spelling);

/** Parse the CLI / URL spelling: 'top-l2' | 'random' | 'gap' | 'channel' | 'pca:D' (D ≥ 1). */
export function parseCloudMethod(text: string, seed = 0): CloudMethod {
  const t = text.trim().toLowerCase();
  if (t === 'top-l2' || t === 'topl2') return { kind: 'top-l2' };
  if (t === 'random') return { kind: 'random', seed };
  if (t === 'gap') return { kind: 'gap' };
  if (t === 'channel') return { kind: 'channel' };
  const m = /^pca:(\d+)$/.exec(t);
  if (m) {
    const dims = Number(m[1]);
    if (dims < 1) throw new Error(`cloud: pca dimension must be an integer ≥ 1 (got "${text}")`);
    return { kind: 'pca', dims };
  }
  throw new Error(`cloud must be one of ${CLOUD_METHOD_NAMES.join(', ')} (got "${text}")`);
}

export function cloudMethodLabel(m: CloudMethod): string {
  return m.kind === 'pca' ? `pca:${m.dims}` : m.kind;
}

export { mulberry32 };

/**
 * The random positions of `n` images in a layer with `hw` = H·W positions: uniform, seeded by (seed, layerIndex)
 * so that each layer gets its own draw and the same seed always gives the same positions.
 */
export function randomPositions(n: number, hw: number, seed: number, layerIndex = 0): Int32Array {
  const rand = mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(layerIndex + 1, 0x85ebca6b)) >>> 0);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(hw - 1, Math.floor(rand() * hw));
  return out;
}


/** The vector at position `pos` (h·W + w) of each image. */
export function pointsAtPositions(act: ActivationArray, positions: Int32Array): PointCloud {
  const { n, h, w, c, data } = act;
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const p = positions[i];
    if (p < 0 || p >= h * w) throw new Error(`position ${p} of image ${i} is outside the ${h}×${w} grid`);
    out.set(data.subarray((i * h * w + p) * c, (i * h * w + p + 1) * c), i * c);
  }
  return { data: out, n, d: c };
}

/** Position of the largest channel-vector L2 norm in each image; the first one wins ties (like argMax). */
export function topL2Positions(act: ActivationArray): Int32Array {
  const { n, h, w, c, data } = act;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestNorm = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const off = (i * h * w + p) * c;
      let s = 0;
      for (let k = 0; k < c; k++) s += data[off + k] * data[off + k];
      if (s > bestNorm) {
        bestNorm = s;
        best = p;
      }
    }
    out[i] = best;
  }
  return out;
}

/** top-L2 (the paper's choice): each image's channel vector with the largest L2 norm, in R^C. */
export function topL2Cloud(act: ActivationArray): CloudResult {
  const positions = topL2Positions(act);
  return { cloud: pointsAtPositions(act, positions), imageIndices: identity(act.n), positions };
}

/** Random position: one seeded uniform position per image, in R^C. */
export function randomPositionCloud(act: ActivationArray, seed: number, layerIndex = 0): CloudResult {
  const positions = randomPositions(act.n, act.h * act.w, seed, layerIndex);
  return { cloud: pointsAtPositions(act, positions), imageIndices: identity(act.n), positions };
}

/** Global average pool (ours): the mean over positions of each channel, in R^C. */
export function gapCloud(act: ActivationArray): CloudResult {
  const { n, h, w, c, data } = act;
  const out = new Float32Array(n * c);
  const acc = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    for (let p = 0; p < h * w; p++) {
      const off = (i * h * w + p) * c;
      for (let k = 0; k < c; k++) acc[k] += data[off + k];
    }
    for (let k = 0; k < c; k++) out[i * c + k] = acc[k] / (h * w);
  }
  return { cloud: { data: out, n, d: c }, imageIndices: identity(n) };
}

/** Transpose an n×C top-L2 cloud into the channel cloud: C points in R^n. */
export function channelCloudFromTopL2(top: PointCloud): PointCloud {
  const { n, d: c, data } = top;
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[k * n + i] = data[i * c + k];
  return { data: out, n: c, d: n };
}

/** Channel cloud: each channel is a point whose coordinates are its values at every image's top-L2 position. */
export function channelCloud(act: ActivationArray): CloudResult {
  const top = topL2Cloud(act);
  return { cloud: channelCloudFromTopL2(top.cloud), imageIndices: identity(act.n), positions: top.positions };
}

// ---------------------------------------------------------------------------------------------------------------
// PCA of the flattened activations (ours).
//
// The data matrix is n × p with p = H·W·C, often larger than n (conv01 of the bundled model: p = 12 544). PCA scores
// only need the eigenvectors of the n × n centred Gram matrix K = Xc·Xcᵀ: if K u = λ u then the score of image i on
// that component is √λ · u_i (the "kernel trick"), so we never form the p × p covariance. The Gram matrix is computed
// on the backend (one matMul) and only the top d eigenpairs are needed, found by subspace iteration with a
// Rayleigh–Ritz step (one n × n by n × k product per step, also on the backend), far cheaper than a full n × n
// eigendecomposition (ml-matrix's EVD takes ~7 s for n = 1000).
// ---------------------------------------------------------------------------------------------------------------

/**
 * Centered Gram matrix Xc·Xcᵀ of an n × p row-major matrix, summed in float64. Plain-JS reference of the backend
 * path, and the ONNX path's own: that one keeps the centred copy in float32 (`centred: Float32Array`), half the
 * memory for a large layer, where the reference keeps float64 (its rows then sum to 0 within 1e-9).
 */
export function centeredGram(x: Float32Array, n: number, p: number, centred: Float32ArrayConstructor | Float64ArrayConstructor = Float64Array): Float64Array {
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += x[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  const xc = new centred(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xc[i * p + j] = x[i * p + j] - mean[j];
  return gram(xc, n, p);
}

/** Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi (for the k × k Rayleigh–Ritz step). */
function jacobiEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += A[i * m + j] * A[i * m + j];
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p];
          const akq = A[k * m + q];
          A[k * m + p] = cs * akp - sn * akq;
          A[k * m + q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k];
          const aqk = A[q * m + k];
          A[p * m + k] = cs * apk - sn * aqk;
          A[q * m + k] = sn * apk + cs * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p];
          const vkq = V[k * m + q];
          V[k * m + p] = cs * vkp - sn * vkq;
          V[k * m + q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i];
  return { values, vectors: V };
}

/** Orthonormalise the k columns of an n × k row-major matrix in place (modified Gram–Schmidt, two passes). */
function orthonormalize(q: Float64Array, n: number, k: number): void {
  let restarts = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < k; j++) {
      let before = 0;
      for (let r = 0; r < n; r++) before += q[r * k + j] * q[r * k + j];
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[r * k + i] * q[r * k + j];
        for (let r = 0; r < n; r++) q[r * k + j] -= dot * q[r * k + i];
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += q[r * k + j] * q[r * k + j];
      // A column that vanished (K of low rank) is replaced by a basis direction and orthogonalised again.
      if (!(norm > 1e-20 * before) || norm === 0) {
        if (restarts >= 4 * n) throw new Error('pca: could not build an orthonormal basis');
        for (let r = 0; r < n; r++) q[r * k + j] = r === (j + restarts) % n ? 1 : 0;
        restarts++;
        j--;
        continue;
      }
      norm = Math.sqrt(norm);
      for (let r = 0; r < n; r++) q[r * k + j] /= norm;
    }
  }
}

/** Z = K·Q for the n × k block Q (row-major); injected so activations.ts can run it on the tfjs backend. */
export type GramMultiply = (q: Float64Array, k: number) => Float64Array | Promise<Float64Array>;

/** Plain-JS K·Q. */
export function jsMultiply(K: Float64Array, n: number): GramMultiply {
  return (Q, k) => {
    const Z = new Float64Array(n * k);
    for (let r = 0; r < n; r++) {
      const zr = r * k;
      for (let s = 0; s < n; s++) {
        const krs = K[r * n + s];
        if (krs === 0) continue;
        const qs = s * k;
        for (let j = 0; j < k; j++) Z[zr + j] += krs * Q[qs + j];
      }
    }
    return Z;
  };
}

export interface EigenOptions {
  /** Stop when every wanted Ritz pair has ‖K v − λ v‖ ≤ tol · λ₁. Default 1e-6 (the Gram matrix is float32 data). */
  tol?: number;
  /** Iteration cap (a flat spectrum converges slowly; the subspace is still good). Default 300. */
  maxIter?: number;
  /** K·Q; default plain JS on `K`. */
  multiply?: GramMultiply;
}

/**
 * Top-d eigenpairs of a symmetric positive semi-definite n × n matrix, largest first, by subspace iteration with a
 * Rayleigh–Ritz step on k = min(n, max(2d, d + 10)) vectors. Each eigenvector's sign is fixed so that its
 * largest-magnitude entry is positive (deterministic output). `K` may be null when `multiply` is given.
 */
export async function topEigen(
  K: Float64Array | null,
  n: number,
  d: number,
  options: EigenOptions = {},
): Promise<{ values: Float64Array; vectors: Float64Array; iterations: number }> {
  if (!Number.isInteger(d) || d < 1 || d > n) throw new Error(`topEigen: d must be an integer in [1, ${n}] (got ${d})`);
  const tol = options.tol ?? 1e-6;
  const maxIter = options.maxIter ?? 300;
  if (!options.multiply && !K) throw new Error('topEigen: give K or a multiply function');
  const multiply = options.multiply ?? jsMultiply(K!, n);
  const k = Math.min(n, Math.max(2 * d, d + 10));
  let Q = new Float64Array(n * k);
  const rand = mulberry32(12345);
  for (let i = 0; i < n * k; i++) Q[i] = rand() - 0.5;
  orthonormalize(Q, n, k);
  let values = new Float64Array(k);
  let ritz = new Float64Array(n * k);
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    iterations = iter + 1;
    const Z = await multiply(Q, k); // Z = K·Q
    // Rayleigh–Ritz: T = Qᵀ K Q (k × k); its eigenvectors rotate Q into Ritz vectors.
    const T = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = a; b < k; b++) {
        let s = 0;
        for (let r = 0; r < n; r++) s += Q[r * k + a] * Z[r * k + b];
        T[a * k + b] = s;
        T[b * k + a] = s;
      }
    }
    const eig = jacobiEigen(T, k);
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => eig.values[b] - eig.values[a]);
    values = Float64Array.from(order, (i) => eig.values[i]);
    ritz = new Float64Array(n * k);
    const KV = new Float64Array(n * k); // K·(Ritz vectors) = Z·(T's eigenvectors)
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        let z = 0;
        const col = order[j];
        for (let t = 0; t < k; t++) {
          s += Q[r * k + t] * eig.vectors[t * k + col];
          z += Z[r * k + t] * eig.vectors[t * k + col];
        }
        ritz[r * k + j] = s;
        KV[r * k + j] = z;
      }
    }
    let worst = 0;
    const scale = Math.max(Math.abs(values[0]), 1e-300);
    for (let j = 0; j < d; j++) {
      let res = 0;
      for (let r = 0; r < n; r++) {
        const diff = KV[r * k + j] - values[j] * ritz[r * k + j];
        res += diff * diff;
      }
      worst = Math.max(worst, Math.sqrt(res) / scale);
    }
    if (worst <= tol || iter === maxIter - 1) break;
    Q = KV; // next subspace: K·(Ritz vectors), orthonormalised
    orthonormalize(Q, n, k);
  }
  const vectors = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let big = 0;
    for (let r = 0; r < n; r++) if (Math.abs(ritz[r * k + j]) > Math.abs(big)) big = ritz[r * k + j];
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) vectors[r * d + j] = sign * ritz[r * k + j];
  }
  return { values: values.slice(0, d), vectors, iterations };
}

/** PCA scores (n × d) from the centred Gram matrix: score_ij = √λ_j · u_j[i]. */
export async function pcaScoresFromGram(K: Float64Array | null, n: number, dims: number, options: EigenOptions = {}): Promise<PointCloud> {
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`pca: dims must be an integer ≥ 1 (got ${dims})`);
  if (dims > n) throw new Error(`pca: dims must be at most the number of images (${n}), got ${dims}`);
  const { values, vectors } = await topEigen(K, n, dims, options);
  const out = new Float32Array(n * dims);
  for (let j = 0; j < dims; j++) {
    const s = Math.sqrt(Math.max(0, values[j]));
    for (let i = 0; i < n; i++) out[i * dims + j] = s * vectors[i * dims + j];
  }
  return { data: out, n, d: dims };
}

/** Flattened activations reduced to `dims` principal components (plain-JS reference of the backend path). */
export async function pcaCloud(act: ActivationArray, dims: number): Promise<CloudResult> {
  const p = act.h * act.w * act.c;
  const K = centeredGram(act.data, act.n, p);
  return { cloud: await pcaScoresFromGram(K, act.n, dims), imageIndices: identity(act.n) };
}

/** Dispatch on the method (plain JS, on downloaded activations). */
export async function cloudFromActivations(act: ActivationArray, method: CloudMethod, layerIndex = 0): Promise<CloudResult> {
  switch (method.kind) {
    case 'top-l2':
      return topL2Cloud(act);
    case 'random':
      return randomPositionCloud(act, method.seed, layerIndex);
    case 'gap':
      return gapCloud(act);
    case 'channel':
      return channelCloud(act);
    case 'pca':
      return pcaCloud(act, method.dims);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backend reducers: one batch [b, H, W, C] → [b, C] (+ positions) with ops every tfjs backend has
// (Square, Sum, ArgMax, Range, GatherV2 on axis 0, Mean, Reshape). Call inside tf.tidy; the caller reads the result.
// ---------------------------------------------------------------------------------------------------------------

/** top-L2 on the backend: norms = Σ_c x², position = argMax over H·W, point = the channel vector there. */
export function reduceBatchTopL2(x: tf.Tensor4D): { points: tf.Tensor2D; positions: tf.Tensor1D } {
  const [b, h, w, c] = x.shape;
  const flat = tf.reshape(x, [b, h * w, c]) as tf.Tensor3D;
  const norms = tf.sum(tf.square(flat), -1) as tf.Tensor2D;
  const positions = tf.argMax(norms, 1) as tf.Tensor1D;
  return { points: reduceBatchAtPositions(x, positions), positions };
}

/** The channel vector at given positions (int32 [b], flattened h·W + w) of each image. */
export function reduceBatchAtPositions(x: tf.Tensor4D, positions: tf.Tensor1D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  // Plain row gather on [b·H·W, C] with row i·H·W + position: GatherV2 with batchDims corrupts memory on wasm.
  const rows = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(h * w, 'int32')), tf.cast(positions, 'int32'));
  return tf.gather(tf.reshape(x, [b * h * w, c]), rows, 0) as tf.Tensor2D;
}

/** Global average pool on the backend. */
export function reduceBatchGap(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}

/** Flatten each image's activations to a row, for PCA. */
export function reduceBatchFlatten(x: tf.Tensor4D): tf.Tensor2D {
  const [b, h, w, c] = x.shape;
  return tf.reshape(x, [b, h * w * c]) as tf.Tensor2D;
}
