/**
 * The Mapper's option defaults and the allowed range of every count option, declared once: buildMapper checks them
 * up front (before any allocation, so `nIntervals: 1e9` is one clear error, not an exhausted heap), and the CLI's
 * help and the page's parameter panel read them from here.
 *
 * Core limits bound what any caller may ask for; MAPPER_PAGE_LIMITS bound what the interactive page allows, where
 * a graph must compute in seconds and draw without freezing the tab (see mapperWork).
 */

/** Every default of buildMapper (the paper's recipe). */
export const MAPPER_DEFAULTS = {
  lens: 'l2norm',
  lens2: null,
  nIntervals: 40,
  overlap: 0.4,
  clusterer: 'dbscan',
  eps: 'knee',
  minSamples: 5,
  metric: 'euclidean',
  minIntersection: 1,
} as const;

export interface CountLimit {
  min: number;
  max: number;
}

export const MAPPER_LIMITS = {
  /** Intervals per lens dimension. */
  nIntervals: { min: 1, max: 10_000 },
  /** Sets of the whole cover: nIntervals, or nIntervals² with two lenses. */
  coverSets: { min: 1, max: 100_000 },
  /** Overlap of neighbouring intervals: a point lies in about 1 / (1 − overlap) intervals per lens dimension. */
  overlap: { min: 0, max: 0.99 },
  /** DBSCAN min_samples (also the knee's k: every point keeps k neighbours). */
  minSamples: { min: 1, max: 1_000 },
  /** Linkage clusters per cover set. */
  nClusters: { min: 1, max: 10_000 },
  /** Shared points for an edge. */
  minIntersection: { min: 1, max: 1_000_000 },
} as const satisfies Record<string, CountLimit>;

/**
 * What the page allows (its panel and URL): a graph of a few thousand nodes at most, computed in seconds. The core's
 * ranges with a lower maximum, so the page never allows what the core refuses.
 */
export const MAPPER_PAGE_LIMITS = {
  nIntervals: { ...MAPPER_LIMITS.nIntervals, max: 200 },
  coverSets: { ...MAPPER_LIMITS.coverSets, max: 2_500 },
  overlap: { ...MAPPER_LIMITS.overlap, max: 0.9 },
  minSamples: { ...MAPPER_LIMITS.minSamples, max: 100 },
  /** Cover memberships (mapperWork) per point of the cloud. */
  membershipsPerPoint: { min: 0, max: 12 },
} as const satisfies Record<string, CountLimit>;

/**
 * The size of a Mapper run before it starts: cover sets, and memberships = the expected sum of the cover sets'
 * sizes (n · min(nIntervals, 1 / (1 − overlap)) per lens dimension), which the clustering's work and the graph's
 * drawn members and edges grow with (a node meets at most the nodes of the ~2 / (1 − overlap) intervals that
 * overlap its own).
 */
export function mapperWork(n: number, nIntervals: number, overlap: number, lensDims: 1 | 2): { coverSets: number; memberships: number } {
  const perDim = Math.min(nIntervals, 1 / (1 - Math.min(overlap, 0.999999)));
  return { coverSets: nIntervals ** lensDims, memberships: n * perDim ** lensDims };
}

/** Throws a RangeError naming the option and its allowed range unless value is an integer in it. */
export function checkCount(name: string, value: unknown, limit: CountLimit): asserts value is number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= limit.min && value <= limit.max)) {
    throw new RangeError(`${name} must be an integer from ${limit.min} to ${limit.max} (got ${String(value)})`);
  }
}
