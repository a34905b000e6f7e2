/**
 * Which runtime runs a model in the page: a short warm-up, like the TF.js backends'. The model is opened on
 * onnxruntime-web's wasm first (so a problem with the file itself is reported once, in its own words), then on
 * WebGPU when the browser has it, then as TF.js ops on the page's TF.js backend (tfjsRuntime.ts) when the graph has
 * only ops that runtime knows; each runs the same blank batch twice (the fetches of the default top-L2 cloud) and
 * the faster second run wins. The reasons are kept for the backend panel.
 */
import { openOnnxModel, type OnnxModel, type OnnxModelOptions, type OnnxRunner } from './model';

export interface OnnxProbe {
  name: OnnxRunner;
  works: boolean;
  reason: string;
}

/** What each runner is, for the backend panel. */
export const ONNX_RUNNER_LABELS: Record<OnnxRunner, string> = {
  wasm: 'onnxruntime-web, WebAssembly',
  webgpu: 'onnxruntime-web, WebGPU',
  tfjs: "the graph as TF.js ops, on TF.js's backend",
};

export interface OnnxBackendChoice {
  chosen: OnnxRunner;
  chosenLabel: string;
  probes: OnnxProbe[];
}

const WARM_BATCH = 16;

async function warmMs(model: OnnxModel, size: [number, number]): Promise<number> {
  const c = model.inputShape[2];
  const x = new Float32Array(WARM_BATCH * c * size[0] * size[1]);
  const fetch = model.layers.every((l) => l.topL2) ? model.layers.flatMap((l) => [l.topL2!.points, l.topL2!.positions]) : model.layers.map((l) => l.output);
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
  let best: { model: OnnxModel; ms: number; name: OnnxRunner } = { model: wasm, ms: wasmMs, name: 'wasm' };
  /** Open and warm up one more runner; the faster of it and the best so far is kept, the other disposed. */
  const tryRunner = async (name: Exclude<OnnxRunner, 'wasm'>, what: string, failed: string) => {
    try {
      const model = await openOnnxModel(bytes, { ...options, executionProvider: name });
      const ms = await warmMs(model, size);
      probes.push({ name, works: true, reason: `${what}, warm-up ${ms.toFixed(1)} ms per ${WARM_BATCH}-image batch` });
      if (ms < best.ms) {
        best.model.dispose();
        best = { model, ms, name };
      } else {
        model.dispose();
      }
    } catch (err) {
      probes.push({ name, works: false, reason: `${failed}: ${firstLine(err)}` });
    }
  };
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
    await tryRunner('webgpu', 'onnxruntime-web WebGPU', 'failed');
  }
  const tf = await import('@tensorflow/tfjs');
  await tryRunner('tfjs', `TF.js ops on TF.js's ${tf.getBackend()} backend`, 'not used');
  probes.unshift({ name: 'wasm', works: true, reason: `onnxruntime-web wasm, warm-up ${wasmMs.toFixed(1)} ms per ${WARM_BATCH}-image batch` });
  for (const p of probes) if (p.name === best.name) p.reason += ' — fastest, chosen';
  return { model: best.model, choice: { chosen: best.name, chosenLabel: ONNX_RUNNER_LABELS[best.name], probes } };
}
