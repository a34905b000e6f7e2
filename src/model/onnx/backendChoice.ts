/**
 * Which onnxruntime-web execution provider runs a model in the page: a short warm-up, like the TF.js backends'.
 * The model is opened on wasm first (so a problem with the file itself is reported once, in its own words), then on
 * WebGPU when the browser has it; each runs the same blank batch twice and the faster second run wins. The reasons
 * are kept for the backend panel.
 */
import type { OnnxExecutionProvider } from './runtime';
import { openOnnxModel, type OnnxModel, type OnnxModelOptions } from './model';

export interface OnnxProbe {
  name: OnnxExecutionProvider;
  works: boolean;
  reason: string;
}

export interface OnnxBackendChoice {
  chosen: OnnxExecutionProvider;
  probes: OnnxProbe[];
}

const WARM_BATCH = 8;

async function warmMs(model: OnnxModel, size: [number, number]): Promise<number> {
  const c = model.inputShape[2];
  const x = new Float32Array(WARM_BATCH * c * size[0] * size[1]);
  const fetch = model.layers.map((l) => l.output);
  await model.forward(x, WARM_BATCH, size, fetch);
  const t0 = performance.now();
  await model.forward(x, WARM_BATCH, size, fetch);
  return performance.now() - t0;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
}

export async function openOnnxWithWarmup(bytes: Uint8Array, options: OnnxModelOptions): Promise<{ model: OnnxModel; choice: OnnxBackendChoice }> {
  const wasm = await openOnnxModel(bytes, { ...options, executionProvider: 'wasm' });
  const size: [number, number] = [wasm.inputShape[0] ?? options.inputSize?.[0] ?? 224, wasm.inputShape[1] ?? options.inputSize?.[1] ?? 224];
  const wasmMs = await warmMs(wasm, size);
  const probes: OnnxProbe[] = [];
  let best: { model: OnnxModel; ms: number; name: OnnxExecutionProvider } = { model: wasm, ms: wasmMs, name: 'wasm' };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  let adapter: unknown = null;
  try {
    adapter = gpu ? await gpu.requestAdapter() : null;
  } catch {
    adapter = null;
  }
  if (!gpu) {
    probes.push({ name: 'webgpu', works: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' });
  } else if (!adapter) {
    probes.push({ name: 'webgpu', works: false, reason: 'WebGPU gives no adapter here' });
  } else {
    try {
      const webgpu = await openOnnxModel(bytes, { ...options, executionProvider: 'webgpu' });
      const ms = await warmMs(webgpu, size);
      probes.push({ name: 'webgpu', works: true, reason: `warm-up ${ms.toFixed(1)} ms per ${WARM_BATCH}-image batch` });
      if (ms < best.ms) {
        best.model.dispose();
        best = { model: webgpu, ms, name: 'webgpu' };
      } else {
        webgpu.dispose();
      }
    } catch (err) {
      probes.push({ name: 'webgpu', works: false, reason: `failed: ${firstLine(err)}` });
    }
  }
  probes.unshift({ name: 'wasm', works: true, reason: `warm-up ${wasmMs.toFixed(1)} ms per ${WARM_BATCH}-image batch` });
  for (const p of probes) if (p.name === best.name) p.reason += ' — fastest, chosen';
  return { model: best.model, choice: { chosen: best.name, probes } };
}
