/**
 * How a cloud run is split into passes over the images, shared by both runtimes (tfjs: activations.ts, ONNX:
 * onnx/clouds.ts). Every method but PCA needs one pass for all layers. PCA keeps each layer's flattened rows
 * (4·n·H·W·C bytes) until its Gram matrix is formed, so the layers go in groups under a memory budget, one pass each.
 */
import type { ImageDataset } from '../types';
import type { ActivationOptions, LayerCloud } from './activations';
import type { CloudMethod } from './pointClouds';

/** Defaults of a cloud run (ActivationOptions). */
export const CLOUD_RUN_DEFAULTS = { batchSize: 64, maxBatchSize: 4096, pcaMemoryBytes: 256 * 2 ** 20 } as const;

export function checkPositiveInt(name: string, v: number, max = Infinity): void {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new Error(`${name} must be an integer in [1, ${max === Infinity ? '∞' : max}] (got ${v})`);
  }
}

/** Consecutive groups of `layers` whose flattened rows of `n` images stay under `budget` bytes (at least one layer each). */
export function memoryGroups<L extends { shape: number[] }>(layers: L[], n: number, budget: number): L[][] {
  const groups: L[][] = [];
  let used = Infinity;
  for (const l of layers) {
    const bytes = 4 * n * l.shape[0] * l.shape[1] * l.shape[2];
    if (used + bytes > budget) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1].push(l);
    used += bytes;
  }
  return groups;
}

/** One runtime's pass over every image for `layers`; `progress(done)` after each batch. */
export type CloudPass<L> = (layers: L[], method: CloudMethod, batchSize: number, progress: (done: number) => void) => Promise<LayerCloud[]>;

/** Checks the run's options, then runs `pass` once (PCA: once per memory group), reporting progress over all passes. */
export async function runCloudPasses<L extends { shape: number[] }>(
  dataset: Pick<ImageDataset, 'n'>,
  layers: L[],
  options: ActivationOptions,
  pass: CloudPass<L>,
): Promise<LayerCloud[]> {
  const method = options.cloud ?? { kind: 'top-l2' };
  const batchSize = options.batchSize ?? CLOUD_RUN_DEFAULTS.batchSize;
  checkPositiveInt('batchSize', batchSize, CLOUD_RUN_DEFAULTS.maxBatchSize);
  if (layers.length === 0) throw new Error('layers: choose at least one layer');
  if (dataset.n < 1) throw new Error('the dataset has no images');
  if (method.kind !== 'pca') return pass(layers, method, batchSize, (done) => options.onProgress?.(done, dataset.n));
  checkPositiveInt('pca dims', method.dims, dataset.n);
  const groups = memoryGroups(layers, dataset.n, options.pcaMemoryBytes ?? CLOUD_RUN_DEFAULTS.pcaMemoryBytes);
  const total = dataset.n * groups.length;
  const results: LayerCloud[] = [];
  for (let g = 0; g < groups.length; g++) {
    results.push(...(await pass(groups[g], method, batchSize, (done) => options.onProgress?.(g * dataset.n + done, total))));
  }
  return results;
}
