import { describe, expect, it } from 'vitest';
import { pickBackend } from '../../src/model/backend';

describe('backend choice', () => {
  it('explains in words a backend that fails, and runs on the next that works', async () => {
    const choice = await pickBackend({
      order: ['webgpu', 'cpu'],
      register: async (name) => {
        if (name === 'webgpu') throw new Error('navigator.gpu is missing (WebGPU is not enabled in this browser)');
        return undefined;
      },
    });
    expect(choice.chosen).toBe('cpu');
    const [gpu, cpu] = choice.probes;
    expect(gpu).toMatchObject({ name: 'webgpu', works: false });
    expect(gpu.reason).toBe('webgpu failed: navigator.gpu is missing (WebGPU is not enabled in this browser)');
    expect(cpu.works).toBe(true);
    expect(cpu.warmupMs).toBeGreaterThan(0);
    expect(cpu.reason).toMatch(/first working backend in order \(warm-up [\d.]+ ms\)/);
  });

  it('prefers a later backend only when its warm-up is clearly faster', async () => {
    // Both names resolve to the cpu kernels here; with an impossible speed-up factor the first in order stays.
    const choice = await pickBackend({ order: ['cpu'], speedup: 1e9 });
    expect(choice.chosen).toBe('cpu');
    await expect(pickBackend({ order: ['webgl'] })).rejects.toThrow(/no TensorFlow.js backend works here: webgl/);
  });
});
