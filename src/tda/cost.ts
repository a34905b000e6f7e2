/**
 * A small cost model of one Vietoris–Rips computation (computePersistence with the enclosing-radius threshold), so
 * the CLI and the page can say before a long job how long and how much memory it will take. Pure and coarse: the
 * constants are fitted to `npm run bench` on a 2-core machine (Gaussian clouds, 1000–2000 points) and to a
 * 20 000 × 16 run (7.5 min, 3.2 GB); expect the right order of magnitude, within a factor of about 2.
 */

export interface PersistenceCostInput {
  /** Points (or the size of a distance matrix). */
  n: number;
  /** Coordinates per point (0 for a distance matrix given as input). */
  d: number;
  maxdim: number;
}

export interface CostEstimate {
  seconds: number;
  bytes: number;
}

/** A Node process before any data (the bench's `node -e 0` peak). */
export const BASE_BYTES = 40 * 2 ** 20;

/** Seconds per n²·d of the distance pass (both triangles counted). */
const DISTANCE_SECONDS = 0.94e-9;
/** The H1 reduction grows like n^2.5 on these clouds: 1.1 s at n = 2000. */
const H1_SECONDS = 1.1 / 2000 ** 2.5;
/**
 * Each dimension above 1 multiplies the simplices by about n: 12 s for H2 at n = 600 on the bundled model's top-L2
 * clouds (layers 3 and 17 took 14.5 and 20.3 s at load 2 on 2026-12-02; 3.8 s at n = 500 on a Gaussian cloud before).
 */
const HK_SECONDS = 12 / 600 ** 3.5;

export function estimatePersistenceCost({ n, d, maxdim }: PersistenceCostInput): CostEstimate {
  // The dense float32 distance matrix and the reduction's columns (about as many again at the enclosing radius).
  const bytes = BASE_BYTES + 8 * n * n + 4 * n * d;
  let seconds = DISTANCE_SECONDS * n * n * d;
  if (maxdim >= 1) seconds += H1_SECONDS * n ** 2.5;
  for (let k = 2; k <= maxdim; k++) seconds += HK_SECONDS * n ** (k + 1.5);
  return { seconds, bytes };
}

/** Above either, a job is announced first (CLI) or asked about first (the page): the bar issue 15 sets. */
export const LONG_JOB = { seconds: 30, bytes: 2 ** 30 } as const;

export function isLongJob(e: CostEstimate): boolean {
  return e.seconds > LONG_JOB.seconds || e.bytes > LONG_JOB.bytes;
}

/** The largest point count whose estimate stays within `seconds` and LONG_JOB's bytes (at least 2). */
export function pointsWithin(seconds: number, d: number, maxdim: number): number {
  let lo = 2, hi = 2;
  const fits = (n: number) => {
    const e = estimatePersistenceCost({ n, d, maxdim });
    return e.seconds <= seconds && e.bytes <= LONG_JOB.bytes;
  };
  while (fits(hi * 2) && hi < 1e7) hi *= 2;
  hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** An estimate's figures in words ("about 4 min and 1.2 GB" reads them). */
export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GB`;
  if (b >= 2 ** 20) return `${Math.round(b / 2 ** 20)} MB`;
  return `${Math.max(1, Math.round(b / 2 ** 10))} kB`;
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
