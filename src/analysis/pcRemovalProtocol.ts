/**
 * PC removal as the paper's code release does it (method.md §3 and §5): remove a layer's top k principal
 * components for k = 4, 8, … up to the channel count, and plot each similarity measure between the original cloud
 * and the reduced one against the *fraction of channels removed*, k / C. Beside today's k = 0 … 10 sensitivity
 * (src/similarity/pcRemoval.ts does the projection for both), this one sweeps the whole spectrum in steps of 4 and
 * adds RTD, which compares the two clouds image by image.
 *
 * Measures, all between the original cloud and the reduced one (the same images in the same order):
 * - `sw`: persim's sliced Wasserstein (M directions) between their H1 diagrams;
 * - `oneMinusCka`: 1 − linear (or debiased) CKA;
 * - `rtd`: the symmetric RTD (src/analysis/rtd.ts), with its own sampling options.
 * Once k reaches the cloud's rank the reduced cloud is its mean alone: SW compares with an empty diagram, CKA is 0
 * (1 − CKA = 1), and RTD is undefined (no distances to normalise): NaN.
 */
import { linearCka } from '../similarity/cka';
import { principalDirections, removeTopComponents } from '../similarity/pcRemoval';
import { computePersistence, slicedWasserstein, type RunHooks } from '../tda/index';
import type { Diagram, PointCloud } from '../types';
import { rtd, type RtdOptions } from './rtd';
import { SW_DIRECTIONS } from '../tda/diagramDistance';

export const PC_REMOVAL_MEASURES = ['sw', 'cka', 'rtd'] as const;
export type PcRemovalMeasure = (typeof PC_REMOVAL_MEASURES)[number];

export const PC_REMOVAL_DEFAULTS = { step: 4, M: SW_DIRECTIONS, measures: PC_REMOVAL_MEASURES } as const;

export interface PcRemovalProtocolOptions {
  /** Components removed per step (default 4, the paper's). */
  step?: number;
  /** Largest k (default: the channel count C = the cloud's dimension, capped by the number of components). */
  maxRemoved?: number;
  /** Which measures to compute (default all three; RTD is by far the most expensive). */
  measures?: readonly PcRemovalMeasure[];
  /** Sliced Wasserstein directions (default 50, persim's). */
  M?: number;
  /** Debiased CKA instead of linear (default false). */
  debiased?: boolean;
  /** RTD's sampling (default: RTD's own, s = min(500, n) images, T = 10 trials, seed 0). */
  rtd?: RtdOptions;
  /** The original cloud's H1 diagram, if already computed (saves one persistence run). */
  baseH1?: Diagram;
  /** Called after each k with (steps done, steps in all). */
  onProgress?: (done: number, total: number) => void;
  shouldCancel?: RunHooks['shouldCancel'];
}

export interface PcRemovalCurves {
  /** The channel count C (the cloud's dimension). */
  channels: number;
  /** k, the number of top components removed: step, 2·step, … */
  removed: number[];
  /** k / C, the x-axis of the paper's figure. */
  fraction: number[];
  /** One value per k for each measure asked for, else null. */
  sw: number[] | null;
  oneMinusCka: number[] | null;
  rtd: number[] | null;
}

/** The ks of the protocol: step, 2·step, … ≤ max. */
export function removalSteps(max: number, step: number = PC_REMOVAL_DEFAULTS.step): number[] {
  if (!Number.isInteger(step) || step < 1) throw new Error(`step must be an integer ≥ 1 (got ${step})`);
  const out: number[] = [];
  for (let k = step; k <= max; k += step) out.push(k);
  return out;
}

export function pcRemovalProtocol(cloud: PointCloud, options: PcRemovalProtocolOptions = {}): PcRemovalCurves {
  const measures = new Set(options.measures ?? PC_REMOVAL_DEFAULTS.measures);
  for (const m of measures) {
    if (!PC_REMOVAL_MEASURES.includes(m)) throw new Error(`measures must be among ${PC_REMOVAL_MEASURES.join(', ')} (got ${String(m)})`);
  }
  const M = options.M ?? PC_REMOVAL_DEFAULTS.M;
  const pcs = principalDirections(cloud);
  const channels = cloud.d;
  const cap = Math.min(channels, pcs.count);
  const max = options.maxRemoved ?? cap;
  if (!Number.isInteger(max) || max < 0 || max > cap) throw new Error(`maxRemoved must be an integer in 0…${cap} (got ${options.maxRemoved})`);
  const ks = removalSteps(max, options.step);
  const hooks: RunHooks = { shouldCancel: options.shouldCancel };
  const base = measures.has('sw') ? (options.baseH1 ?? computePersistence(cloud, { maxdim: 1, ...hooks }).dgms[1]) : [];
  const out: PcRemovalCurves = {
    channels,
    removed: ks,
    fraction: ks.map((k) => k / channels),
    sw: measures.has('sw') ? [] : null,
    oneMinusCka: measures.has('cka') ? [] : null,
    rtd: measures.has('rtd') ? [] : null,
  };
  ks.forEach((k, step) => {
    const reduced = removeTopComponents(cloud, k, pcs);
    // At the cloud's rank only its mean is left, stored as float32: a row whose float64 residual tips one rounding
    // the other way differs by an ulp, and CKA, blind to scale, would read that rounding as structure (any value
    // in 0…1, moving with the last bits of the activations). Collapsed, CKA is 0 as the header says.
    const flat = collapsed(reduced);
    if (out.sw) out.sw.push(slicedWasserstein(base, computePersistence(reduced, { maxdim: 1, ...hooks }).dgms[1], M));
    if (out.oneMinusCka) out.oneMinusCka.push(flat ? 1 : 1 - linearCka(cloud, reduced, { debiased: options.debiased ?? false }));
    if (out.rtd) out.rtd.push(flat ? NaN : rtd(cloud, reduced, { ...options.rtd, ...hooks }).rtd);
    options.onProgress?.(step + 1, ks.length);
  });
  return out;
}

/** Whether every row of the cloud is (up to float rounding) the same point: nothing left to compare by RTD. */
function collapsed(c: PointCloud): boolean {
  const { n, d, data } = c;
  let spread = 0, scale = 0;
  for (let t = 0; t < d; t++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + t];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    spread = Math.max(spread, hi - lo);
    scale = Math.max(scale, Math.abs(lo), Math.abs(hi));
  }
  return spread <= 1e-5 * scale;
}
