/**
 * Choosing the TF.js backend, cheaply (issue 15: the probe once cost 3–20 s of the first diagram). wasm starts first
 * (registered and warmed up) while the GPU candidates are prepared (adapter query, imports, renderer check); its
 * warm-up time is the bar. A GPU candidate is abandoned as soon as one timed warm-up call is slower than wasm × 1.5,
 * or once it is past its budget (1 s: a software adapter compiles shaders for seconds); the first one that survives
 * is used, since it comes first in preference order. cpu is tried only when nothing else works. Every backend gets
 * a sentence saying why it was or was not used, for the page to show.
 */
import * as tf from '@tensorflow/tfjs';
import { recall, recalledProbes, remember, type KeyValueStore } from './backendMemory';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export interface BackendProbe {
  name: BackendName;
  /** The backend initialised and ran (at least part of) the warm-up. */
  works: boolean;
  /** Median timed warm-up call in ms (a batch of 3×3 convs like the bundled model's), when one ran. */
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
  /** Time spent probing (or setting up the remembered backend), ms. */
  probeMs: number;
  /** Set when the decision came from an earlier visit's probe (ISO date of that probe). */
  rememberedFrom?: string;
}

export interface PickOptions {
  /** Backends to try, in order of preference. */
  order?: BackendName[];
  /** A candidate is abandoned once a timed warm-up call is this many times slower than wasm's. */
  speedup?: number;
  /** A candidate other than wasm gets this long (ms) to initialise and warm up. */
  budgetMs?: number;
  /** Registers a backend's implementation (dynamic import) before it is tried; returns a detail string. */
  register?: (name: BackendName) => Promise<string | undefined>;
  /** Why a candidate should not even be tried (e.g. WebGL on a software rasteriser), or undefined to try it. */
  skip?: (name: BackendName) => Promise<string | undefined>;
  /**
   * What the backend, once initialised, says it really runs (e.g. the threads wasm's XNNPACK pool started with),
   * replacing register's detail, which can only say what was asked for.
   */
  describe?: (name: BackendName, registered: string | undefined) => Promise<string | undefined>;
}

export const PROBE_DEFAULTS = { speedup: 1.5, budgetMs: 1000 };

interface Warmup {
  /** Median of the timed calls (undefined when none finished). */
  ms?: number;
  /** Why the warm-up stopped early, if it did. */
  stopped?: string;
}

/**
 * One warm-up: a batch of 3×3 convolutions the size of the bundled model's first stage, read back to sync. The first
 * call compiles shaders / kernels and is not timed; then up to three timed calls. It stops after a timed call of
 * `slowerThanMs` or more, and once `deadline` (performance.now()) passes, even mid-call: the pending call is left
 * to finish, and no further call starts on this backend.
 */
async function warmup(slowerThanMs: number, deadline: number): Promise<Warmup> {
  const times: number[] = [];
  let over = false;
  const x = tf.randomNormal([8, 28, 28, 16]);
  const w = tf.randomNormal([3, 3, 16, 16]);
  const run = async (): Promise<string | undefined> => {
    for (let i = 0; i < 4 && !over; i++) {
      const t0 = performance.now();
      const y = tf.tidy(() => tf.conv2d(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), w as tf.Tensor4D, 1, 'same').sum());
      await y.data();
      y.dispose();
      if (i > 0) times.push(performance.now() - t0);
      if (i > 0 && times[times.length - 1] >= slowerThanMs) return 'slow';
      if (performance.now() > deadline) return 'budget'; // a backend whose calls never yield to the timer
    }
    return undefined;
  };
  const running = run();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<string>((resolve) => {
    if (Number.isFinite(deadline)) timer = setTimeout(() => resolve('budget'), Math.max(0, deadline - performance.now()));
  });
  try {
    const stopped = await Promise.race([running, budget]);
    over = true;
    const steady = [...times].sort((a, b) => a - b);
    return { ms: steady.length ? steady[Math.floor(steady.length / 2)] : undefined, stopped };
  } finally {
    clearTimeout(timer);
    // The tensors go when the last call ends (it may still run on an abandoned backend).
    void running.catch(() => undefined).finally(() => (x.dispose(), w.dispose()));
  }
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 200);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Set up one backend (register, initialise, make it active); a probe when it fails, else its detail. */
async function setUp(name: BackendName, registered: Promise<string | undefined>, describe?: PickOptions['describe']): Promise<{ detail?: string } | BackendProbe> {
  let detail: string | undefined;
  try {
    detail = await registered;
    if (!(await tf.setBackend(name))) return { name, works: false, reason: `${name} did not initialise in this browser`, detail };
    await tf.ready();
    return { detail: describe ? await describe(name, detail) : detail };
  } catch (err) {
    return { name, works: false, reason: `${name} failed: ${message(err)}`, detail };
  }
}

/** Set up a backend and time its whole warm-up (no bar, no budget: wasm, which sets the bar, and cpu, the last resort). */
async function probeFully(name: BackendName, registered: Promise<string | undefined>, describe?: PickOptions['describe']): Promise<BackendProbe> {
  const t0 = performance.now();
  const set = await setUp(name, registered, describe);
  if ('name' in set) return set;
  const w = await warmup(Infinity, Infinity);
  return { name, works: true, warmupMs: w.ms, reason: '', detail: set.detail, probeMs: performance.now() - t0 };
}

/** Probe the backends in `order` as described at the top, then settle on the chosen one (it stays active in tf). */
export async function pickBackend(options: PickOptions = {}): Promise<BackendChoice> {
  const started = performance.now();
  const order = options.order ?? BACKEND_ORDER;
  const speedup = options.speedup ?? PROBE_DEFAULTS.speedup;
  const budgetMs = options.budgetMs ?? PROBE_DEFAULTS.budgetMs;
  const register = (name: BackendName) => Promise.resolve().then(() => options.register?.(name));
  const probes = new Map<BackendName, BackendProbe>();
  const gpus = order.filter((n) => n !== 'wasm' && n !== 'cpu');
  // The GPU candidates are prepared (adapter query, imports, renderer check) while wasm starts and warms up.
  const prepared = new Map(
    gpus.map((name) => {
      const p = Promise.resolve()
        .then(() => options.skip?.(name))
        .then((skipped) => {
          if (skipped) return { skipped };
          const registered = register(name);
          registered.catch(() => undefined); // reported when tried; a candidate never tried must not throw unhandled
          return { registered };
        });
      p.catch(() => undefined);
      return [name, p] as const;
    }),
  );

  let bar = Infinity; // wasm's warm-up × speedup: a GPU candidate slower than this is dropped
  let wasmMs: number | undefined;
  if (order.includes('wasm')) {
    const wasm = await probeFully('wasm', register('wasm'), options.describe);
    probes.set('wasm', wasm);
    if (wasm.works) {
      wasmMs = wasm.warmupMs!;
      bar = wasmMs * speedup;
    }
  }

  let best: BackendProbe | undefined;
  for (const name of gpus) {
    if (best) {
      probes.set(name, { name, works: false, reason: `not tried: ${best.name} comes first and is fast enough` });
      continue;
    }
    const t0 = performance.now();
    let prep: { skipped?: string; registered?: Promise<string | undefined> };
    try {
      prep = await prepared.get(name)!;
    } catch (err) {
      prep = { skipped: `${name} failed: ${message(err)}` };
    }
    if (prep.skipped) {
      probes.set(name, { name, works: false, reason: prep.skipped });
      continue;
    }
    const set = await setUp(name, prep.registered!, options.describe);
    if ('name' in set) {
      probes.set(name, set);
      continue;
    }
    const w = await warmup(bar, t0 + budgetMs);
    const probe: BackendProbe = { name, works: true, warmupMs: w.ms, reason: '', detail: set.detail, probeMs: performance.now() - t0 };
    const vsWasm = wasmMs === undefined ? '' : ` vs wasm ${fmt(wasmMs)} × ${speedup}`;
    if (w.stopped === 'budget') {
      probe.reason = `dropped: warm-up past its ${budgetMs} ms budget${w.ms === undefined ? ' (still compiling)' : ` (timed call ${fmt(w.ms)}${vsWasm})`}`;
    } else if (w.stopped === 'slow') {
      probe.reason = `dropped: warm-up call ${fmt(w.ms!)}, slower than${vsWasm ? vsWasm.slice(3) : ' the bar'}`;
    } else best = probe;
    probes.set(name, probe);
  }

  const wasm = probes.get('wasm');
  if (!best && wasm?.works) best = wasm;
  else if (wasm?.works) wasm.reason = `works (warm-up ${fmt(wasm.warmupMs!)}), but ${best!.name} comes first and is within ${speedup}× of it`;
  if (order.includes('cpu')) {
    if (best) probes.set('cpu', { name: 'cpu', works: false, reason: `not tried: cpu is the last resort, and ${best.name} works` });
    else {
      const cpu = await probeFully('cpu', register('cpu'), options.describe);
      probes.set('cpu', cpu);
      if (cpu.works) best = cpu;
    }
  }
  const list = order.map((n) => probes.get(n)!).filter(Boolean);
  if (!best) throw new Error('no TensorFlow.js backend works here: ' + list.map((p) => p.reason).join('; '));
  best.reason =
    best.name === 'cpu'
      ? `the last resort: nothing faster works (warm-up ${fmt(best.warmupMs!)})`
      : best.name === 'wasm'
        ? `fastest to start, warm-up ${fmt(best.warmupMs!)}${gpus.length ? '; no GPU backend kept up with it' : ''}`
        : `first in order and within ${speedup}× of wasm (warm-up ${fmt(best.warmupMs!)}${wasmMs === undefined ? '' : ` vs ${fmt(wasmMs)}`})`;
  await tf.setBackend(best.name);
  await tf.ready();
  return { chosen: best.name, probes: list, probeMs: performance.now() - started };
}

export interface RememberOptions extends PickOptions {
  store: KeyValueStore;
  /** environmentKey(…) of this visit (a promise: it may query the GPU adapter, meanwhile wasm starts). */
  environment: string | Promise<string>;
}

/**
 * pickBackend, but a decision made earlier in the same environment is reused (only that backend is set up);
 * otherwise, or when the remembered backend no longer initialises, the backends are probed and the result stored.
 */
export async function pickBackendRemembered(options: RememberOptions): Promise<BackendChoice> {
  const started = performance.now();
  // wasm (the usual answer without a real GPU) starts while the environment key queries the adapter.
  const order = options.order ?? BACKEND_ORDER;
  const wasmStarting = order.includes('wasm') ? setUp('wasm', Promise.resolve().then(() => options.register?.('wasm')), options.describe) : null;
  const environment = await options.environment;
  const known = await recall(options.store, environment);
  await wasmStarting; // before any other setBackend: one backend switch at a time
  if (known && order.includes(known.chosen)) {
    try {
      const registered = await options.register?.(known.chosen);
      if (await tf.setBackend(known.chosen)) {
        await tf.ready();
        // The chosen backend's detail is this visit's (threads can differ from the visit that probed).
        const detail = options.describe ? await options.describe(known.chosen, registered) : undefined;
        const probes = recalledProbes(known).map((p) => (p.name === known.chosen && detail !== undefined ? { ...p, detail } : p));
        return { chosen: known.chosen, probes, probeMs: performance.now() - started, rememberedFrom: known.savedAt };
      }
    } catch {
      // fall through to a full probe
    }
  }
  const choice = await pickBackend(options);
  await remember(options.store, environment, choice);
  return { ...choice, probeMs: performance.now() - started };
}
