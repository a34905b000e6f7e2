/**
 * Activation throughput: images per second for every layer of a model reduced to top-L2 clouds (one multi-output
 * forward pass per batch + the backend reducers + reading back [batch, C] per layer), on the current tf backend.
 * No Node imports: the bench calls it in Node and, through the model worker, in the browser on each backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../types';
import { computeLayerClouds, sourceFromLayersModel, type Normalization } from './activations';

export interface ThroughputResult {
  backend: string;
  images: number;
  layers: number;
  batchSize: number;
  seconds: number;
  imagesPerSecond: number;
}

/** Time one full run (after a one-batch warm-up that compiles kernels / shaders) on the current tf backend. */
export async function measureActivationThroughput(
  model: tf.LayersModel,
  dataset: ImageDataset,
  options: { normalization: Normalization; batchSize?: number },
): Promise<ThroughputResult> {
  const batchSize = options.batchSize ?? 128;
  const source = sourceFromLayersModel(model);
  const per = dataset.height * dataset.width * dataset.channels;
  const warm = { ...dataset, n: Math.min(batchSize, dataset.n), pixels: dataset.pixels.subarray(0, Math.min(batchSize, dataset.n) * per) };
  let seconds: number;
  try {
    await computeLayerClouds(source, warm, source.layers, { normalization: options.normalization, batchSize });
    const t0 = performance.now();
    await computeLayerClouds(source, dataset, source.layers, { normalization: options.normalization, batchSize });
    seconds = (performance.now() - t0) / 1000;
  } finally {
    source.dispose?.();
  }
  return { backend: tf.getBackend(), images: dataset.n, layers: source.layers.length, batchSize, seconds, imagesPerSecond: dataset.n / seconds };
}
