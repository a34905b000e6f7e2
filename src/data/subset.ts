/**
 * Choosing N images of a dataset: all of them, or a seeded random subset in dataset order, so that the same
 * (N, seed) always picks the same images and a shared link restores the same point clouds.
 */
import type { ImageDataset } from '../types';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indices of the chosen images, increasing. `n` = 0 or ≥ total means all. */
export function subsetIndices(total: number, n: number, seed: number): Int32Array {
  if (n <= 0 || n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const idx = Int32Array.from({ length: total }, (_, i) => i);
  const rand = mulberry32(seed);
  // Partial Fisher–Yates: the first n slots are a uniform sample.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (total - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.slice(0, n).sort();
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
