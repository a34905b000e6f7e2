import { describe, expect, it } from 'vitest';
import { pickBackendRemembered } from '../../src/model/backend';
import { BACKEND_MEMORY_KEY, environmentKey, type KeyValueStore } from '../../src/model/backendMemory';

function mapStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: async (k) => map.get(k) ?? null, set: async (k, v) => void map.set(k, v) };
}

describe('remembered backend decision', () => {
  const envA = environmentKey('Chromium/140', 'google swiftshader', false);
  const envB = environmentKey('Chromium/140', 'nvidia ampere', false);

  it('probes on the first visit, reuses the decision in the same environment, probes again when it changes', async () => {
    const store = mapStore();
    const tried: string[] = [];
    const register = async (name: string) => void tried.push(name);
    const first = await pickBackendRemembered({ order: ['webgpu', 'cpu'], register: async (n) => { tried.push(n); if (n === 'webgpu') throw new Error('no adapter'); return undefined; }, store, environment: envA });
    expect(first.chosen).toBe('cpu');
    expect(first.rememberedFrom).toBeUndefined();
    expect(JSON.parse(store.map.get(BACKEND_MEMORY_KEY)!)).toMatchObject({ environment: envA, chosen: 'cpu' });

    tried.length = 0;
    const second = await pickBackendRemembered({ order: ['webgpu', 'cpu'], register, store, environment: envA });
    expect(second.chosen).toBe('cpu');
    expect(tried).toEqual(['cpu']); // only the remembered backend is set up
    expect(second.rememberedFrom).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(second.probes.find((p) => p.name === 'cpu')!.reason).toMatch(/remembered from the probe of \d{4}-\d\d-\d\d/);
    expect(second.probes.find((p) => p.name === 'webgpu')!.reason).toMatch(/^webgpu failed: no adapter \(probe of /);

    tried.length = 0;
    const moved = await pickBackendRemembered({ order: ['webgpu', 'cpu'], register, store, environment: envB });
    expect(moved.rememberedFrom).toBeUndefined();
    expect(tried.sort()).toEqual(['cpu', 'webgpu']); // a full probe
    expect(JSON.parse(store.map.get(BACKEND_MEMORY_KEY)!).environment).toBe(envB);
  });

  it('a corrupt entry, or a storage that throws, means a probe, never an error', async () => {
    const store = mapStore();
    store.map.set(BACKEND_MEMORY_KEY, '{not json');
    expect((await pickBackendRemembered({ order: ['cpu'], store, environment: envA })).rememberedFrom).toBeUndefined();
    const broken: KeyValueStore = { get: async () => { throw new Error('denied'); }, set: async () => { throw new Error('denied'); } };
    expect((await pickBackendRemembered({ order: ['cpu'], store: broken, environment: envA })).chosen).toBe('cpu');
  });
});
