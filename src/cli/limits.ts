/**
 * Upper bounds of the CLI's count options, checked before any work so that a typo (`--intervals 1000000000`) is one
 * line and exit 2 instead of minutes of work ending out of memory. They bound what this tool is meant for, far above
 * the paper's sizes; the memory a job needs within them is estimated separately (src/tda/cost.ts, src/mapper/cost.ts).
 * The Mapper's come from the engine (src/mapper/limits.ts), which checks them too.
 */
import { MAPPER_LIMITS } from '../mapper/limits';

export const LIMITS = {
  /** Images in a dataset run (activations, evaluate, reproduce). */
  images: 1_000_000,
  /** Intervals per lens dimension of a Mapper cover (the cover has intervals^2 cubes with two lenses). */
  intervals: MAPPER_LIMITS.nIntervals.max,
  /** DBSCAN min_samples, linkage clusters per interval, shared points per edge. */
  minSamples: MAPPER_LIMITS.minSamples.max,
  clustersPerInterval: MAPPER_LIMITS.nClusters.max,
  minIntersection: MAPPER_LIMITS.minIntersection.max,
  /** Directions of the sliced Wasserstein distance. */
  directions: 100_000,
  /** Threads of one persistence computation (`ph --threads`). */
  threads: 64,
} as const;
