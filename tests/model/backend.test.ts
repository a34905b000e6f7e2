import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { pickBackend, type BackendName } from '../../src/model/backend';

/**
 * The probe's decisions with real backends in Node: wasm (tfjs-backend-wasm) and cpu. A slow GPU stands in as the
 * real cpu kernels registered under the name 'webgpu' (not otherwise registered in Node): its warm-up calls are
 * tens of times slower than wasm's, as a software WebGPU adapter is in headless Chromium.
 */
let slowGpuRegistered = false;
function registerCpuAsWebgpu(): void {
  if (slowGpuRegistered) return;
  tf.registerBackend('webgpu', () => new MathBackendCPU());
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'webgpu' });
  slowGpuRegistered = true;
}

const register = (log: BackendName[] = []) => async (name: BackendName) => {
  log.push(name);
  if (name === 'webgpu') registerCpuAsWebgpu();
  return undefined;
};

describe('backend choice', () => {
  it('explains in words a backend that fails, and runs on the next that works; cpu is not even tried', async () => {
    const tried: BackendName[] = [];
    const choice = await pickBackend({
      order: ['webgpu', 'wasm', 'cpu'],
      register: async (name) => {
        tried.push(name);
        if (name === 'webgpu') throw new Error('navigator.gpu is missing (WebGPU is not enabled in this browser)');
        return undefined;
      },
    });
    expect(choice.chosen).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tried.sort()).toEqual(['wasm', 'webgpu']);
    const [gpu, wasm, cpu] = choice.probes;
    expect(gpu).toMatchObject({ name: 'webgpu', works: false, reason: 'webgpu failed: navigator.gpu is missing (WebGPU is not enabled in this browser)' });
    expect(wasm).toMatchObject({ name: 'wasm', works: true });
    expect(wasm.warmupMs).toBeGreaterThan(0);
    expect(wasm.reason).toMatch(/^fastest to start, warm-up [\d.]+ ms; no GPU backend kept up with it$/);
    expect(cpu).toMatchObject({ name: 'cpu', works: false, reason: 'not tried: cpu is the last resort, and wasm works' });
  });

  it("an initialised backend's own account replaces what registering it asked for", async () => {
    const asked: (string | undefined)[] = [];
    const choice = await pickBackend({
      order: ['wasm', 'cpu'],
      register: async (name) => `${name}: asked for 2 threads`,
      describe: async (name, registered) => {
        asked.push(registered);
        // Called once the backend is active, so it can ask the backend itself.
        return `${registered}; ${tf.getBackend()} runs 1`;
      },
    });
    expect(asked).toEqual(['wasm: asked for 2 threads']);
    expect(choice.probes[0]).toMatchObject({ name: 'wasm', works: true, detail: 'wasm: asked for 2 threads; wasm runs 1' });
  });

  it('drops a GPU candidate after one warm-up call slower than wasm × 1.5, and says so', async () => {
    const choice = await pickBackend({ order: ['webgpu', 'wasm', 'cpu'], register: register() });
    expect(choice.chosen).toBe('wasm');
    const gpu = choice.probes[0];
    const wasm = choice.probes[1];
    expect(gpu.works).toBe(true);
    // Stopped at the first timed call: its time is the one reported, at least the bar.
    expect(gpu.warmupMs!).toBeGreaterThanOrEqual(wasm.warmupMs! * 1.5);
    expect(gpu.reason).toBe(`dropped: warm-up call ${gpu.warmupMs!.toFixed(1)} ms, slower than wasm ${wasm.warmupMs!.toFixed(1)} ms × 1.5`);
  });

  it('drops a GPU candidate past its budget, keeps one within the bar, and skips one judged by name', async () => {
    const overBudget = await pickBackend({ order: ['webgpu', 'wasm'], register: register(), speedup: 1e9, budgetMs: 1 });
    expect(overBudget.chosen).toBe('wasm');
    expect(overBudget.probes[0].reason).toMatch(/^dropped: warm-up past its 1 ms budget/);

    const kept = await pickBackend({ order: ['webgpu', 'webgl', 'wasm', 'cpu'], register: register(), speedup: 1e9, budgetMs: 60_000 });
    expect(kept.chosen).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(kept.probes.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^first in order and within 1000000000× of wasm \(warm-up [\d.]+ ms vs [\d.]+ ms\)$/),
      'not tried: webgpu comes first and is fast enough',
      expect.stringMatching(/^works \(warm-up [\d.]+ ms\), but webgpu comes first and is within 1000000000× of it$/),
      'not tried: cpu is the last resort, and webgpu works',
    ]);

    const skipped: BackendName[] = [];
    const judged = await pickBackend({
      order: ['webgl', 'wasm'],
      register: register(skipped),
      skip: async (name) => (name === 'webgl' ? 'not tried: its renderer is a software rasteriser (SwiftShader)' : undefined),
    });
    expect(judged.chosen).toBe('wasm');
    expect(skipped).toEqual(['wasm']); // webgl was never registered nor initialised
    expect(judged.probes[0]).toMatchObject({ name: 'webgl', works: false, reason: 'not tried: its renderer is a software rasteriser (SwiftShader)' });
  });

  it('uses cpu as the last resort, and fails in words when nothing works', async () => {
    const choice = await pickBackend({
      order: ['webgl', 'wasm', 'cpu'],
      register: async (name) => {
        if (name === 'wasm') throw new Error('no WebAssembly here');
        return undefined;
      },
    });
    expect(choice.chosen).toBe('cpu');
    expect(choice.probes.map((p) => [p.name, p.works])).toEqual([['webgl', false], ['wasm', false], ['cpu', true]]);
    expect(choice.probes[1].reason).toBe('wasm failed: no WebAssembly here');
    expect(choice.probes[2].reason).toMatch(/^the last resort: nothing faster works \(warm-up [\d.]+ ms\)$/);
    await expect(pickBackend({ order: ['webgl'] })).rejects.toThrow(/no TensorFlow.js backend works here: webgl/);
  });
});
