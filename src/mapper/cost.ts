/**
 * A small cost model of one Mapper graph (lens, cover, clustering per cube, nerve), so the CLI and the page can say
 * before a long job how long and how much memory it will take. Pure and coarse: the clustering inside the cubes
 * dominates, about (points per cube)² · d per cube; the constants are fitted to `npm run bench` (50 000 × 128,
 * 40 intervals, 40 % overlap: 1.6 s) and to a 1 000 000 × 16 run (1.6 GB); the right order of magnitude, no more.
 */
import type { CostEstimate } from '../tda/cost';
import { BASE_BYTES } from '../tda/cost';

export interface MapperCostInput {
  n: number;
  d: number;
  nIntervals: number;
  overlap: number;
  /** Two lenses: a grid of nIntervals² cubes. */
  twoLenses: boolean;
}

/** Seconds per (points per cube)² · d summed over the cubes. */
const CLUSTER_SECONDS = 7.2e-11;
/** Bytes per point besides its coordinates (lens values, neighbour lists, memberships, per-thread copies). */
const BYTES_PER_POINT = 1400;

export function estimateMapperCost({ n, d, nIntervals, overlap, twoLenses }: MapperCostInput): CostEstimate {
  // With overlap o each cube is 1/(1 − o) of an interval wide along each lens; points spread evenly (a guess).
  const widen = 1 / (1 - Math.min(overlap, 0.99));
  const cubes = twoLenses ? nIntervals * nIntervals : nIntervals;
  const perCube = Math.min(n, (n / cubes) * (twoLenses ? widen * widen : widen));
  const seconds = CLUSTER_SECONDS * cubes * perCube * perCube * d;
  const bytes = BASE_BYTES + n * (12 * d + BYTES_PER_POINT) + 64 * cubes;
  return { seconds, bytes };
}
