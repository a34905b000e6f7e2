/**
 * Activation throughput: images per second for all 17 layers of the bundled model reduced to top-L2 clouds
 * (one multi-output forward pass per batch + the backend reducers + reading back [batch, C] per layer).
 * This is the Node section (wasm and cpu backends); the browser rows come from bench/sections/browser.ts, which runs
 * the same src/model/throughput.ts in the page's model worker.
 */
import { measureActivationThroughput } from '../../src/model/throughput';
import type { BenchSection } from '../table';

export default async function (): Promise<BenchSection> {
  const { existsSync } = await import('node:fs');
  const { loadModelNode, nodeReadFile, useNodeBackend } = await import('../../src/model/loadModelNode');
  const { loadBundledDataset } = await import('../../src/data/bundled');
  const modelDir = 'public/models/resnet18q-final';
  if (!existsSync(`${modelDir}/model.json`)) throw new Error(`${modelDir}/model.json is missing (train and export the bundled model first)`);
  const full = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
  const rows: (string | number)[][] = [];
  // cpu is the pure-JS fallback and ~10× slower: time it on the first 200 images to keep the bench short.
  for (const [backend, n] of [['wasm', 1000], ['cpu', 200]] as const) {
    await useNodeBackend(backend);
    const { model, card } = await loadModelNode(modelDir);
    const per = full.height * full.width * full.channels;
    const ds = { ...full, n, pixels: full.pixels.subarray(0, n * per), labels: full.labels.subarray(0, n) };
    const r = await measureActivationThroughput(model, ds, { normalization: card.normalization });
    model.dispose();
    rows.push([`Node ${backend}`, r.images, r.layers, r.batchSize, r.seconds, r.imagesPerSecond]);
  }
  return {
    title: 'Activations: all 17 layers → top-L2 clouds (bundled resnet18q-final, Fashion-MNIST)',
    columns: ['backend', 'images', 'layers', 'batch', 'seconds', 'images/s'],
    rows,
    notes: [
      'one forward pass per batch, the layers model run as a plan of TF.js ops (src/model/layersPlan.ts); reduction (norms, argMax, gather) on the backend; only [batch, C] read back',
      'Node wasm runs single-threaded (no SharedArrayBuffer threads); browser rows come from the page via measureActivationThroughput',
    ],
  };
}
