/**
 * Registering the optional TF.js backends in a browser or worker. The wasm binaries are bundled by Vite (`?url`).
 * When the page is cross-origin isolated (COOP/COEP headers, see vite.config.ts), wasm runs the threaded SIMD
 * binary on every core; otherwise single-threaded SIMD, and the backend's detail says so.
 */
import type { BackendName } from './backend';
import { environmentKey } from './backendMemory';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export async function registerBrowserBackend(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    if (!gpuApi()) throw new Error('navigator.gpu is missing (WebGPU is not enabled in this browser)');
    const adapter = await requestAdapterOnce();
    if (!adapter) throw new Error('no WebGPU adapter is available');
    await import('@tensorflow/tfjs-backend-webgpu');
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
    return `${name}${adapter.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
    });
    const threads = wasmThreads();
    if (threads > 1) {
      wasm.setThreadsCount(threads);
      reportCoresForPool(threads);
    }
    return threads > 1
      ? `threaded SIMD, ${threads} threads (the page is cross-origin isolated)`
      : globalThis.crossOriginIsolated
        ? 'single-threaded SIMD (one core)'
        : 'single-threaded SIMD: the page is not cross-origin isolated (served without COOP/COEP headers), so no threads';
  }
  // webgl and cpu ship with @tensorflow/tfjs.
  return undefined;
}

/**
 * The initialised backend's own account: for wasm, the threads its XNNPACK pool really has (getThreadsCount). The
 * threaded binary can load with a pool that never started; the page then says so instead of the count it asked for.
 */
export async function describeBrowserBackend(name: BackendName, registered: string | undefined): Promise<string | undefined> {
  if (name === 'wasm') restoreCores();
  const asked = wasmThreads();
  if (name !== 'wasm' || asked <= 1) return registered;
  const used = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  return used >= asked
    ? registered
    : `threaded SIMD binary (the page is cross-origin isolated), but its thread pool runs ${used} thread${used === 1 ? '' : 's'} of the ${asked} asked for`;
}

/**
 * tfjs-backend-wasm 4.22 sizes XNNPACK's pool from navigator.hardwareConcurrency halved ("2 threads per core", its
 * backend.cc, read once as the module starts) and caps the count asked for at that: on this 2-core machine the pool
 * ran 1 thread, and the page's activations one core (549 images/s isolated against 528 not). While the threaded
 * binary starts, this worker's navigator reports twice the threads wanted; describeBrowserBackend, called once the
 * backend is up, puts the real value back. With it: 800 images/s, the pool at 2 threads (getThreadsCount).
 */
function reportCoresForPool(threads: number): void {
  Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
}

function restoreCores(): void {
  // The override is an own property; deleting it shows the real getter again.
  delete (globalThis.navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
}

/** Threads for the wasm backend: every core when SharedArrayBuffer is usable (cross-origin isolated), else 1. */
export function wasmThreads(): number {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
}

interface Adapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}

const gpuApi = () => (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;

let adapterRequest: Promise<Adapter | null> | null = null;

/** One adapter request per worker, shared by the environment key and the WebGPU candidate (it can cost a second). */
function requestAdapterOnce(): Promise<Adapter | null> {
  return (adapterRequest ??= Promise.resolve(gpuApi()?.requestAdapter() ?? null).then((a) => (a as Adapter | null) ?? null));
}

/** The GPU adapter's description, or null without WebGPU (at most 2 s: a stuck adapter request must not stall). */
async function adapterDescription(): Promise<string | null> {
  if (!gpuApi()) return null;
  try {
    const adapter = await Promise.race([requestAdapterOnce(), new Promise<null>((r) => setTimeout(() => r(null), 2000))]);
    if (!adapter) return null;
    const i = adapter.info;
    return [i?.vendor, i?.architecture, i?.device, i?.description, adapter.isFallbackAdapter ? 'fallback' : ''].filter(Boolean).join(' ') || 'unknown adapter';
  } catch {
    return null;
  }
}

/** Renderers that draw on the CPU: WebGL on them is far slower than wasm, and its shader compiles block the worker. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * Why a candidate is not worth trying here, before it costs anything: WebGL whose renderer (WEBGL_debug_renderer_info)
 * is a software rasteriser, or a WebGPU adapter that is one (a GPU candidate that is merely slow is dropped by its
 * warm-up instead, see backend.ts). A synchronous shader compile there once blocked the model worker for 76 s, where no
 * timer can cut it short, so it is judged by name, not by a warm-up.
 */
export async function skipBrowserBackend(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    // The same for a software WebGPU adapter: its compiles go on in the GPU process after the budget drops it,
    // taking a core from the first diagram for seconds.
    const adapter = gpuApi() ? await requestAdapterOnce().catch(() => null) : null;
    const what = adapter ? [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') : '';
    if (adapter?.isFallbackAdapter || SOFTWARE_RENDERER.test(what)) return `not tried: its adapter is a software rasteriser (${what || 'fallback adapter'}), far slower than wasm`;
    return undefined;
  }
  if (name !== 'webgl') return undefined;
  if (typeof OffscreenCanvas === 'undefined') return 'not tried: no OffscreenCanvas in this worker, so no WebGL';
  const gl = (new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl')) as WebGLRenderingContext | null;
  if (!gl) return 'not tried: this browser gives no WebGL context';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_RENDERER.test(renderer) ? `not tried: its renderer is a software rasteriser (${renderer.slice(0, 120)}), far slower than wasm` : undefined;
}

/** This browser's environment key for the remembered backend decision (see backendMemory.ts). */
export async function browserEnvironment(): Promise<string> {
  return environmentKey(navigator.userAgent, await adapterDescription(), globalThis.crossOriginIsolated === true);
}
