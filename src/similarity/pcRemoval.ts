/**
 * The sensitivity test of method.md §5 (after Ding, Denain & Steinhardt 2021): remove a layer's top-k principal
 * components and see how far a similarity measure moves. Principal directions come from ml-pca (covariance SVD).
 */
import { PCA } from 'ml-pca';
import type { PointCloud } from '../types';

/** Principal directions of a cloud, as rows of a (d × d) row-major array, strongest first. */
export function principalDirections(cloud: PointCloud): { directions: Float64Array; count: number; mean: Float64Array } {
  const { n, d, data } = cloud;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const pca = new PCA(rows, { center: true, scale: false, method: n > d ? 'covarianceMatrix' : 'SVD' });
  const vectors = pca.getEigenvectors(); // d × m, columns are directions
  const count = vectors.columns;
  const directions = new Float64Array(count * d);
  for (let j = 0; j < count; j++) for (let k = 0; k < d; k++) directions[j * d + k] = vectors.get(k, j);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k] / n;
  return { directions, count, mean };
}

/** The cloud with its projections on the first k principal directions removed (the mean stays). */
export function removeTopComponents(cloud: PointCloud, k: number, pcs = principalDirections(cloud)): PointCloud {
  const { n, d, data } = cloud;
  if (!Number.isInteger(k) || k < 0 || k > pcs.count) throw new Error(`k must be an integer in 0…${pcs.count} (got ${k})`);
  const out = new Float32Array(data.length);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) row[c] = data[i * d + c] - pcs.mean[c];
    for (let j = 0; j < k; j++) {
      let p = 0;
      for (let c = 0; c < d; c++) p += row[c] * pcs.directions[j * d + c];
      for (let c = 0; c < d; c++) row[c] -= p * pcs.directions[j * d + c];
    }
    for (let c = 0; c < d; c++) out[i * d + c] = row[c] + pcs.mean[c];
  }
  return { data: out, n, d };
}
