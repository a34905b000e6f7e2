/**
 * Activations of the bundled model through ONNX beside TF.js, on the same images in the same run: all 17 studied
 * layers → top-L2 clouds, TF.js wasm (resnet18q-final/) against onnxruntime-web's wasm build
 * (resnet18q-final.onnx), each after a one-batch warm-up, alternating, median of REPS runs.
 * - Node: both single-threaded (TF.js wasm has no threads in Node; onnxruntime numThreads = 1). Wall-clock and
 *   process CPU seconds: on a shared machine the CPU time is the steadier of the two.
 * - Chromium: the production build in the page's model worker, both through the worker's bench methods (batch
 *   100); the page served plain (not cross-origin isolated: both single-threaded) and with COOP/COEP (both
 *   threaded, the same thread count).
 * BENCH_ONNX_IMAGES sets the image count (default 1000); BENCH_ONNX_BROWSER=0 skips the Chromium rows.
 */
import type { BenchSection } from '../table';

const REPS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function nodeRows(n: number): Promise<{ rows: (string | number)[][]; notes: string[] }> {
  const { readFileSync } = await import('node:fs');
  const { loadModelNode, nodeReadFile, useNodeBackend } = await import('../../src/model/loadModelNode');
  const { loadBundledDataset } = await import('../../src/data/bundled');
  const { computeLayerClouds, sourceFromLayersModel } = await import('../../src/model/activations');
  const { openOnnxModel } = await import('../../src/model/onnx/model');
  const { sourceFromOnnxModel } = await import('../../src/model/onnx/clouds');
  const batchSize = 128;
  const full = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
  const per = full.height * full.width * full.channels;
  const ds = { ...full, n, pixels: full.pixels.subarray(0, n * per), labels: full.labels.subarray(0, n) };
  const warm = { ...ds, n: Math.min(batchSize, n), pixels: ds.pixels.subarray(0, Math.min(batchSize, n) * per) };

  await useNodeBackend('wasm');
  const { model, card } = await loadModelNode('public/models/resnet18q-final');
  const bytes = new Uint8Array(readFileSync('public/models/resnet18q-final.onnx'));
  const onnx = await openOnnxModel(bytes, { label: 'resnet18q-final.onnx' });
  const onnxTf = await openOnnxModel(bytes, { label: 'resnet18q-final.onnx', executionProvider: 'tfjs' });
  const sources = { 'TF.js wasm': sourceFromLayersModel(model), 'ONNX wasm': sourceFromOnnxModel(onnx), 'ONNX as TF.js ops, wasm': sourceFromOnnxModel(onnxTf) };
  const opts = { normalization: card.normalization, batchSize };
  const wall: Record<string, number[]> = Object.fromEntries(Object.keys(sources).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(sources).map((k) => [k, []]));
  for (const s of Object.values(sources)) await computeLayerClouds(s, warm, s.layers, opts);
  for (let r = 0; r < REPS; r++) {
    for (const [name, s] of Object.entries(sources)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await computeLayerClouds(s, ds, s.layers, opts);
      wall[name].push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1e6);
    }
  }
  model.dispose();
  onnx.dispose();
  onnxTf.dispose();
  const tfWall = median(wall['TF.js wasm']);
  const tfCpu = median(cpu['TF.js wasm']);
  const rows = Object.keys(wall).map((name) => {
    const s = median(wall[name]);
    const c = median(cpu[name]);
    return [`Node ${name}`, 1, n, batchSize, s, n / s, tfWall / s, c, tfCpu / c];
  });
  const fmt = (xs: number[]) => xs.map((t) => t.toFixed(2)).join(', ');
  return {
    rows,
    notes: [
      `Node runs (wall s): ${Object.keys(wall).map((k) => `${k} ${fmt(wall[k])}`).join('; ')}`,
      `Node runs (CPU s): ${Object.keys(cpu).map((k) => `${k} ${fmt(cpu[k])}`).join('; ')}`,
    ],
  };
}

async function chromiumRows(n: number): Promise<{ rows: (string | number)[][]; notes: string[] }> {
  const { spawnSync } = await import('node:child_process');
  const { launchChromium, serveDist } = await import('../../tests/e2e/harness');
  const { loadBundledDataset } = await import('../../src/data/bundled');
  const { nodeReadFile } = await import('../../src/model/loadModelNode');
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const ds = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
  const pixels = Array.from(ds.pixels.subarray(0, n * 784));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const browser = await launchChromium();
  try {
    for (const isolated of [false, true]) {
      const server = await serveDist(undefined, { isolated });
      try {
        const page = await (await browser.newContext()).newPage();
        await page.goto(server.url);
        await page.getByTestId('backend-name').waitFor({ timeout: 300_000 });
        const times: Record<string, number[]> = { 'TF.js wasm': [], 'ONNX wasm': [], 'ONNX as TF.js ops, wasm': [] };
        let threads = 1;
        for (let r = 0; r < REPS; r++) {
          for (const which of Object.keys(times)) {
            const res = await page.evaluate(
              async ({ which, n, pixels }) => {
                type R = { seconds: number; threads?: number };
                const w = (window as unknown as { __convtopo: { modelWorker: { benchmarkActivations(u: string, d: unknown, b: string): Promise<R>; benchmarkOnnxActivations(u: string, d: unknown, r: string): Promise<R> } } }).__convtopo.modelWorker;
                const data = { n, height: 28, width: 28, channels: 1, pixels: new Uint8Array(pixels) };
                return which === 'TF.js wasm'
                  ? w.benchmarkActivations(new URL('models/resnet18q-final/', document.baseURI).href, data, 'wasm')
                  : w.benchmarkOnnxActivations(new URL('models/resnet18q-final.onnx', document.baseURI).href, data, which === 'ONNX wasm' ? 'wasm' : 'tfjs');
              },
              { which, n, pixels },
            );
            times[which].push(res.seconds);
            if (res.threads) threads = res.threads;
          }
        }
        const tf = median(times['TF.js wasm']);
        for (const [name, ts] of Object.entries(times)) {
          const s = median(ts);
          rows.push([`Chromium ${name}${isolated ? ', isolated' : ''}`, threads, n, 100, s, n / s, tf / s, '', '']);
        }
        notes.push(`Chromium ${isolated ? 'isolated (COOP/COEP)' : 'plain'} runs (s): ${Object.keys(times).map((k) => `${k} ${times[k].map((t) => t.toFixed(2)).join(', ')}`).join('; ')}; ${threads} thread${threads > 1 ? 's' : ''} each`);
        await page.context().close();
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  return { rows, notes };
}

export default async function (): Promise<BenchSection> {
  const n = Number(process.env.BENCH_ONNX_IMAGES ?? 1000);
  const node = await nodeRows(n);
  const chromium = process.env.BENCH_ONNX_BROWSER === '0' ? { rows: [], notes: [] } : await chromiumRows(n);
  return {
    title: 'Activations through ONNX beside TF.js: all 17 layers → top-L2 clouds (bundled resnet18q-final)',
    columns: ['runtime', 'threads', 'images', 'batch', 'seconds', 'images/s', 'speed vs TF.js', 'CPU s', 'CPU speed vs TF.js'],
    rows: [...node.rows, ...chromium.rows],
    notes: [
      `median of ${REPS} alternating runs each, after a one-batch warm-up`,
      ...node.notes,
      ...chromium.notes,
      'TF.js: one multi-output model, reductions on the backend; ONNX wasm: one onnxruntime session whose graph outputs are the 17 Conv outputs (pre-BN) and their top-L2 reduction made in the graph, only [batch, C] read back',
      "ONNX as TF.js ops: the same .onnx graph executed with TF.js ops on TF.js wasm (src/model/onnx/tfjsRuntime.ts: BatchNorm as a 1×1 depthwise conv with a fused ReLU, strided slices as strided 1×1 depthwise convs); what the page's warm-up and the CLI's --onnx-runtime auto pick when it is faster / supported",
      'the threads column is the count of each runtime in that row pair (TF.js wasm and onnxruntime take the same number)',
    ],
  };
}
