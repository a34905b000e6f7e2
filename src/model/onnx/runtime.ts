/**
 * onnxruntime-web, loaded only when an ONNX model is used (a dynamic import, so the default page never fetches it
 * or its WebAssembly). In Node the same package resolves to its Node-compatible build (dist/ort.node.min.mjs, the
 * same wasm runtime; not onnxruntime-node, whose install downloads a native binary).
 */
import type * as Ort from 'onnxruntime-web';

export type OrtModule = typeof Ort;
export type OnnxExecutionProvider = 'wasm' | 'webgpu';

let ort: Promise<OrtModule> | null = null;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' && typeof self === 'undefined';

/** The runtime module, configured once: single-threaded in Node (like TF.js wasm there), errors only in the log. */
export function loadOrt(): Promise<OrtModule> {
  ort ??= import('onnxruntime-web').then((m) => {
    const mod = ((m as unknown as { default?: OrtModule }).default?.InferenceSession ? (m as unknown as { default: OrtModule }).default : m) as OrtModule;
    mod.env.logLevel = 'error';
    // Threads need SharedArrayBuffer (cross-origin isolation in the page); without it one thread, and in Node one
    // thread so the CLI's figures are comparable with TF.js wasm, which is single-threaded there.
    // In an isolated page as many threads as TF.js wasm takes (every core, at most 8; onnxruntime's own default is
    // half the cores), so the two runtimes are compared like with like.
    const isolated = !isNode && typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
    mod.env.wasm.numThreads = isolated ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8)) : 1;
    return mod;
  });
  return ort;
}

function firstLine(err: unknown): string {
  // onnxruntime prefixes "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: "; the rest is the reason.
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].replace(/^.*ERROR_MESSAGE:\s*/, '').slice(0, 300);
}

/** Turn onnxruntime's session-creation error into one sentence that names the problem. */
export function explainSessionError(err: unknown, label: string): Error {
  const msg = firstLine(err);
  const op = /(?:No Op registered for|implementation for|not a registered function\/op|Unsupported op(?:erator)?)[^A-Za-z0-9]*([A-Za-z0-9_.:]+)/i.exec(msg);
  if (op) return new Error(`${label} uses the operator ${op[1]}, which onnxruntime-web cannot run (${msg})`);
  if (/external|\.bin|data file|location/i.test(msg)) return new Error(`${label}: its external weight data could not be read (${msg})`);
  if (/protobuf|parse|invalid model|load model/i.test(msg)) return new Error(`${label} is not a valid ONNX model for onnxruntime-web (${msg})`);
  return new Error(`${label} could not be opened by onnxruntime-web: ${msg}`);
}

export interface SessionOptions {
  executionProvider?: OnnxExecutionProvider;
  /** Files named by the model's external initializers: path (as written in the model) → bytes. */
  externalData?: { path: string; data: Uint8Array }[];
}

export async function createSession(bytes: Uint8Array, label: string, options: SessionOptions = {}): Promise<Ort.InferenceSession> {
  const mod = await loadOrt();
  try {
    return await mod.InferenceSession.create(bytes, {
      executionProviders: [options.executionProvider ?? 'wasm'],
      graphOptimizationLevel: 'all',
      // Errors only: warnings (e.g. shape ops placed on the CPU beside WebGPU) would land in the page's console.
      logSeverityLevel: 3,
      externalData: options.externalData,
    });
  } catch (err) {
    throw explainSessionError(err, label);
  }
}
