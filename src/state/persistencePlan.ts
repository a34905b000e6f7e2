/**
 * How the page runs persistence on a cloud set: exactly, or on greedy-permutation landmarks (ripser.py's n_perm).
 * The user's setting (the URL's `landmarks`) is 'ask' (the default), 'exact' or a landmark count. Under 'ask', a set
 * whose costliest layer is estimated over LONG_JOB (30 s or 1 GiB, src/tda/cost.ts) waits for the user's choice
 * instead of starting; a cheaper one runs exactly.
 */
import { estimatePersistenceCost, isLongJob, pointsWithin, type CostEstimate } from '../tda/cost';

export type LandmarkSetting = 'ask' | 'exact' | number;

export const DEFAULT_LANDMARKS: LandmarkSetting = 'ask';

/** The subsample offered by the prompt is estimated at about this many seconds per layer. */
export const SUGGESTED_SECONDS = 10;

export type PersistencePlan =
  | { kind: 'exact' }
  | { kind: 'landmarks'; count: number }
  | { kind: 'ask'; n: number; d: number; maxdim: number; estimate: CostEstimate; layers: number; suggested: number };

/** URL text → setting, or null when it is none of ask, exact or an integer ≥ 2. */
export function parseLandmarks(raw: string): LandmarkSetting | null {
  if (raw === 'ask' || raw === 'exact') return raw;
  if (!/^\d+$/.test(raw)) return null;
  const v = Number(raw);
  return v >= 2 && v <= 1_000_000 ? v : null;
}

/**
 * The plan for clouds of n points in R^d (d = the widest layer, the costliest), `layers` of them, up to H_maxdim.
 * A count at or above n is the exact run.
 */
export function planPersistence(setting: LandmarkSetting, n: number, d: number, maxdim: number, layers = 1): PersistencePlan {
  if (setting === 'exact') return { kind: 'exact' };
  if (typeof setting === 'number') return setting < n ? { kind: 'landmarks', count: setting } : { kind: 'exact' };
  const estimate = estimatePersistenceCost({ n, d, maxdim });
  if (!isLongJob(estimate)) return { kind: 'exact' };
  const suggested = Math.max(2, Math.min(n - 1, roundDown(pointsWithin(SUGGESTED_SECONDS, d, maxdim))));
  return { kind: 'ask', n, d, maxdim, estimate, layers, suggested };
}

/** Landmark count of a plan for a job key and the engine: undefined = the exact run. */
export function planLandmarks(plan: PersistencePlan): number | undefined {
  return plan.kind === 'landmarks' ? plan.count : undefined;
}

/** Two significant digits, so the offered count reads like a choice, not a fit. */
function roundDown(x: number): number {
  const p = 10 ** Math.max(0, Math.floor(Math.log10(x)) - 1);
  return Math.floor(x / p) * p;
}
