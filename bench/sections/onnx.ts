/**
 * Activations of the bundled model through ONNX beside TF.js, in Node, on the same images in the same run: all 17
 * studied layers → top-L2 clouds, TF.js wasm (resnet18q-final/) against onnxruntime-web's wasm build
 * (resnet18q-final.onnx), both single-threaded, each after a one-batch warm-up, alternating, median of REPS runs.
 * BENCH_ONNX_IMAGES sets the image count (default 1000).
 */
import type { BenchSection } from '../table';

const REPS = 3;

export default async function (): Promise<BenchSection> {
  const { readFileSync } = await import('node:fs');
  const { loadModelNode, nodeReadFile, useNodeBackend } = await import('../../src/model/loadModelNode');
  const { loadBundledDataset } = await import('../../src/data/bundled');
  const { computeLayerClouds, sourceFromLayersModel } = await import('../../src/model/activations');
  const { openOnnxModel } = await import('../../src/model/onnx/model');
  const { sourceFromOnnxModel } = await import('../../src/model/onnx/clouds');
  const n = Number(process.env.BENCH_ONNX_IMAGES ?? 1000);
  const batchSize = 128;
  const full = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
  const per = full.height * full.width * full.channels;
  const ds = { ...full, n, pixels: full.pixels.subarray(0, n * per), labels: full.labels.subarray(0, n) };
  const warm = { ...ds, n: Math.min(batchSize, n), pixels: ds.pixels.subarray(0, Math.min(batchSize, n) * per) };

  await useNodeBackend('wasm');
  const { model, card } = await loadModelNode('public/models/resnet18q-final');
  const onnx = await openOnnxModel(new Uint8Array(readFileSync('public/models/resnet18q-final.onnx')), { label: 'resnet18q-final.onnx' });
  const sources = { 'TF.js wasm': sourceFromLayersModel(model), 'ONNX wasm': sourceFromOnnxModel(onnx) };
  const opts = { normalization: card.normalization, batchSize };
  const times: Record<string, number[]> = { 'TF.js wasm': [], 'ONNX wasm': [] };
  for (const s of Object.values(sources)) await computeLayerClouds(s, warm, s.layers, opts);
  for (let r = 0; r < REPS; r++) {
    for (const [name, s] of Object.entries(sources)) {
      const t0 = performance.now();
      await computeLayerClouds(s, ds, s.layers, opts);
      times[name].push((performance.now() - t0) / 1000);
    }
  }
  model.dispose();
  onnx.dispose();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const tfjs = median(times['TF.js wasm']);
  const rows = Object.entries(times).map(([name, ts]) => {
    const s = median(ts);
    return [`Node ${name}`, n, 17, batchSize, s, n / s, tfjs / s];
  });
  return {
    title: 'Activations through ONNX beside TF.js: all 17 layers → top-L2 clouds (bundled resnet18q-final, Node)',
    columns: ['runtime', 'images', 'layers', 'batch', 'seconds', 'images/s', 'speed vs TF.js'],
    rows,
    notes: [
      `median of ${REPS} alternating runs each, after a one-batch warm-up; runs: TF.js ${times['TF.js wasm'].map((t) => t.toFixed(2)).join(', ')} s, ONNX ${times['ONNX wasm'].map((t) => t.toFixed(2)).join(', ')} s`,
      'TF.js: one multi-output model, reductions on the backend; ONNX: one session whose graph outputs are the 17 Conv outputs (pre-BN), NCHW read back and reduced in JS',
      'both single-threaded wasm (onnxruntime-web numThreads = 1 in Node, like TF.js wasm there)',
    ],
  };
}
