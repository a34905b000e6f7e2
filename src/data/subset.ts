/**
 * Choosing N images of a dataset: all of them, or a seeded random subset in dataset order, so that the same
 * (N, seed) always picks the same images and a shared link restores the same point clouds.
 */
import type { ImageDataset } from '../types';
import { seededPermutation } from './loaders/imageOps';


/** Indices of the chosen images, increasing. `n` = 0 or ≥ total means all. */
export function subsetIndices(total: number, n: number, seed: number): Int32Array {
  if (n <= 0 || n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  // The first n of a seeded uniform permutation are a uniform sample.
  return seededPermutation(total, seed).slice(0, n).sort();
}

/** The dataset restricted to `indices` (pixels and labels copied). */
export function datasetSubset(ds: ImageDataset, indices: Int32Array): ImageDataset {
  if (indices.length === ds.n) return ds;
  const per = ds.height * ds.width * ds.channels;
  const pixels = new Uint8Array(indices.length * per);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, i) => {
    pixels.set(ds.pixels.subarray(src * per, (src + 1) * per), i * per);
    labels[i] = ds.labels[src];
  });
  return { ...ds, n: indices.length, pixels, labels };
}
