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
/** Each dimension above 1 multiplies the simplices by about n: 3.8 s for H2 at n = 500. */
const HK_SECONDS = 3.8 / 500 ** 3.5;

export function estimatePersistenceCost({ n, d, maxdim }: PersistenceCostInput): CostEstimate {
  // The dense float32 distance matrix and the reduction's columns (about as many again at the enclosing radius).
  const bytes = BASE_BYTES + 8 * n * n + 4 * n * d;
  let seconds = DISTANCE_SECONDS * n * n * d;
  if (maxdim >= 1) seconds += H1_SECONDS * n ** 2.5;
  for (let k = 2; k <= maxdim; k++) seconds += HK_SECONDS * n ** (k + 1.5);
  return { seconds, bytes };
}
