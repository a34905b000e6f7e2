/**
 * Choosing the TF.js backend: probe webgpu → webgl → wasm → cpu, time a short warm-up on each that initialises,
 * and run on the first in that order unless a later one is clearly faster (a software WebGPU adapter is far slower
 * than wasm). Every backend gets a sentence saying why it was or was not used, for the page to show.
 */
import * as tf from '@tensorflow/tfjs';
import { recall, recalledProbes, remember, type KeyValueStore } from './backendMemory';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendProbe {
  name: BackendName;
  /** The backend initialised and ran the warm-up. */
  works: boolean;
  /** Median warm-up time in ms (a batch of 3×3 convs like the bundled model's), when it works. */
  warmupMs?: number;
  /** Why it was chosen or not, in words. */
  reason: string;
  /** Extra facts worth showing (e.g. the WebGPU adapter). */
  detail?: string;
  /** Time to initialise and warm up, ms. */
  probeMs?: number;
}

export interface BackendChoice {
  chosen: BackendName;
  probes: BackendProbe[];
  /** Time spent probing every backend (or setting up the remembered one), ms. */
  probeMs: number;
  /** Set when the decision came from an earlier visit's probe (ISO date of that probe). */
  rememberedFrom?: string;
}

export interface PickOptions {
  /** Backends to try, in order of preference. */
  order?: BackendName[];
  /** A later backend replaces an earlier one only when its warm-up is at least this many times faster. */
  speedup?: number;
  /** Registers a backend's implementation (dynamic import) before it is tried; returns a detail string. */
  register?: (name: BackendName) => Promise<string | undefined>;
}

/**
 * One warm-up: a batch of 3×3 convolutions the size of the bundled model's first stage, read back to sync.
 * The first call compiles shaders / kernels and is not counted; then up to three timed calls, stopping early once a
 * call is `giveUpMs` or slower (clearly slower than a backend already measured — no need to know by how much).
 */
async function warmup(giveUpMs = Infinity): Promise<number> {
  const times: number[] = [];
  const x = tf.randomNormal([8, 28, 28, 16]);
  const w = tf.randomNormal([3, 3, 16, 16]);
  try {
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      const y = tf.tidy(() => tf.conv2d(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), w as tf.Tensor4D, 1, 'same').sum());
      await y.data();
      y.dispose();
      if (i > 0) times.push(performance.now() - t0);
      if (i > 0 && times[times.length - 1] >= giveUpMs) break;
    }
  } finally {
    x.dispose();
    w.dispose();
  }
  const steady = times.sort((a, b) => a - b);
  return steady[Math.floor(steady.length / 2)];
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 200);
}

/** Probe every backend in `order`, then settle on the chosen one (it stays active in tf). */
export async function pickBackend(options: PickOptions = {}): Promise<BackendChoice> {
  const started = performance.now();
  const order = options.order ?? BACKEND_ORDER;
  const speedup = options.speedup ?? 1.5;
  const probes: BackendProbe[] = [];
  // wasm is measured first when it is a candidate: it is quick to start and gives the bar a slow (software)
  // GPU backend must beat, so that backend's warm-up can stop after one timed call. Results keep `order`.
  const measureOrder = order.includes('wasm') ? ['wasm' as const, ...order.filter((n) => n !== 'wasm')] : order;
  let fastest = Infinity;
  for (const name of measureOrder) {
    let detail: string | undefined;
    const t0 = performance.now();
    try {
      detail = await options.register?.(name);
      const ok = await tf.setBackend(name);
      if (!ok) {
        probes.push({ name, works: false, reason: `${name} did not initialise in this browser`, detail });
        continue;
      }
      await tf.ready();
      const warmupMs = await warmup(fastest * speedup * 4);
      fastest = Math.min(fastest, warmupMs);
      probes.push({ name, works: true, warmupMs, reason: '', detail, probeMs: performance.now() - t0 });
    } catch (err) {
      probes.push({ name, works: false, reason: `${name} failed: ${message(err)}`, detail });
    }
  }
  probes.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const working = probes.filter((p) => p.works);
  if (working.length === 0) throw new Error('no TensorFlow.js backend works here: ' + probes.map((p) => p.reason).join('; '));
  // Preference order wins unless a later backend is clearly faster.
  let best = working[0];
  for (const p of working.slice(1)) {
    if (p.warmupMs! * speedup < best.warmupMs!) best = p;
  }
  for (const p of probes) {
    if (!p.works) continue;
    const ms = `${p.warmupMs!.toFixed(1)} ms`;
    if (p === best) {
      p.reason = p === working[0] ? `first working backend in order (warm-up ${ms})` : `fastest warm-up (${ms})`;
    } else if (order.indexOf(p.name) < order.indexOf(best.name)) {
      p.reason = `works, but slower: warm-up ${ms} vs ${best.name} ${best.warmupMs!.toFixed(1)} ms`;
    } else {
      p.reason = `works (warm-up ${ms}), but ${best.name} comes first`;
    }
  }
  await tf.setBackend(best.name);
  await tf.ready();
  return { chosen: best.name, probes, probeMs: performance.now() - started };
}

export interface RememberOptions extends PickOptions {
  store: KeyValueStore;
  /** environmentKey(…) of this visit. */
  environment: string;
}

/**
 * pickBackend, but a decision made earlier in the same environment is reused (only that backend is set up);
 * otherwise, or when the remembered backend no longer initialises, every backend is probed and the result stored.
 */
export async function pickBackendRemembered(options: RememberOptions): Promise<BackendChoice> {
  const started = performance.now();
  const known = await recall(options.store, options.environment);
  if (known && (options.order ?? BACKEND_ORDER).includes(known.chosen)) {
    try {
      await options.register?.(known.chosen);
      if (await tf.setBackend(known.chosen)) {
        await tf.ready();
        return { chosen: known.chosen, probes: recalledProbes(known), probeMs: performance.now() - started, rememberedFrom: known.savedAt };
      }
    } catch {
      // fall through to a full probe
    }
  }
  const choice = await pickBackend(options);
  await remember(options.store, options.environment, choice);
  return choice;
}
