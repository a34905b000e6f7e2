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
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) throw new Error('navigator.gpu is missing (WebGPU is not enabled in this browser)');
    const adapter = (await gpu.requestAdapter()) as { info?: { vendor?: string; architecture?: string; description?: string }; isFallbackAdapter?: boolean } | null;
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
    if (threads > 1) wasm.setThreadsCount(threads);
    return threads > 1
      ? `threaded SIMD, ${threads} threads (the page is cross-origin isolated)`
      : globalThis.crossOriginIsolated
        ? 'single-threaded SIMD (one core)'
        : 'single-threaded SIMD: the page is not cross-origin isolated (served without COOP/COEP headers), so no threads';
  }
  // webgl and cpu ship with @tensorflow/tfjs.
  return undefined;
}

/** Threads for the wasm backend: every core when SharedArrayBuffer is usable (cross-origin isolated), else 1. */
export function wasmThreads(): number {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
}

/** The GPU adapter's description, or null without WebGPU (at most 2 s: a stuck adapter request must not stall). */
async function adapterDescription(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  try {
    const adapter = (await Promise.race([gpu.requestAdapter(), new Promise((r) => setTimeout(() => r(null), 2000))])) as {
      info?: { vendor?: string; architecture?: string; device?: string; description?: string };
      isFallbackAdapter?: boolean;
    } | null;
    if (!adapter) return null;
    const i = adapter.info;
    return [i?.vendor, i?.architecture, i?.device, i?.description, adapter.isFallbackAdapter ? 'fallback' : ''].filter(Boolean).join(' ') || 'unknown adapter';
  } catch {
    return null;
  }
}

/** This browser's environment key for the remembered backend decision (see backendMemory.ts). */
export async function browserEnvironment(): Promise<string> {
  return environmentKey(navigator.userAgent, await adapterDescription(), globalThis.crossOriginIsolated === true);
}
