/**
 * ONNX activation throughput, the counterpart of ../throughput.ts: images per second for every Conv layer of an ONNX
 * model reduced to top-L2 clouds (one session run per batch, the reduction inside the graph), after a one-batch
 * warm-up. No Node imports: the bench calls it in Node and, through the model worker, in the page.
 */
import type { ImageDataset } from '../../types';
import type { Normalization } from '../activations';
import type { ThroughputResult } from '../throughput';
import { computeOnnxClouds } from './clouds';
import { parsePreprocessJson, sidecarName } from './input';
import { openOnnxModel, type OnnxModel, type OnnxRunner } from './model';
import { loadOrt } from './runtime';

export async function measureOnnxThroughput(model: OnnxModel, dataset: ImageDataset, options: { normalization?: Normalization; batchSize?: number }): Promise<ThroughputResult & { threads: number }> {
  const batchSize = options.batchSize ?? 128;
  const per = dataset.height * dataset.width * dataset.channels;
  const m = Math.min(batchSize, dataset.n);
  const opts = { normalization: options.normalization, batchSize };
  await computeOnnxClouds(model, { ...dataset, n: m, pixels: dataset.pixels.subarray(0, m * per) }, model.layers, opts);
  const t0 = performance.now();
  await computeOnnxClouds(model, dataset, model.layers, opts);
  const seconds = (performance.now() - t0) / 1000;
  // The TF.js-op runtime runs on TF.js wasm, whose thread count is the page's (the same as onnxruntime's).
  const threads = (await loadOrt()).env.wasm.numThreads ?? 1;
  return { backend: `onnx ${model.executionProvider}`, threads, images: dataset.n, layers: model.layers.length, batchSize, seconds, imagesPerSecond: dataset.n / seconds };
}

/** The page's bench: fetch an .onnx (and its NAME.preprocess.json, if any), open it on `runner` and time it. */
export async function benchmarkOnnxUrl(url: string, dataset: ImageDataset, batchSize: number, runner: OnnxRunner = 'wasm'): Promise<ThroughputResult & { threads: number }> {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const side = await fetch(sidecarName(url));
  const pre = side.ok ? parsePreprocessJson(new Uint8Array(await side.arrayBuffer()), sidecarName(url)) : null;
  const model = await openOnnxModel(bytes, { label: url, executionProvider: runner });
  try {
    return await measureOnnxThroughput(model, dataset, { normalization: pre ? { mean: pre.mean, std: pre.std } : undefined, batchSize });
  } finally {
    model.dispose();
  }
}
