/**
 * eps at the knee of the sorted k-nearest-neighbour distance curve (the usual DBSCAN heuristic of Ester et al.;
 * the paper's Mapper uses min_samples = 5 and eps at this knee).
 *
 * k-distance of a point: the distance to its k-th nearest point of the cloud counting the point itself, as
 * sklearn's NearestNeighbors(n_neighbors=k).kneighbors(X) reports it. That is exactly the smallest eps at which the
 * point is a DBSCAN core point for min_samples = k.
 *
 * Knee: Kneedle (Satopää et al. 2011) without smoothing. Sort the k-distances ascending (y_0 ≤ … ≤ y_{n−1}),
 * normalise x̂_i = i/(n−1) and ŷ_i = (y_i − y_0)/(y_{n−1} − y_0); the curve is convex and increasing, so the knee
 * is the point furthest below the chord from the first to the last point: argmax_i (x̂_i − ŷ_i) (first on ties).
 */
import type { PointCloud } from '../types';
import { kNearest, type KNearest } from './knn';
export { kNearest, type KNearest } from './knn';
import { metricDistance, metricSpace, type Metric, type MetricSpace } from './space';

/** The k-distance of every point (metric units), in point order. */
export function kDistances(space: MetricSpace, knn: KNearest): Float64Array {
  const out = new Float64Array(space.n);
  for (let i = 0; i < space.n; i++) out[i] = metricDistance(knn.d2[i * knn.k + knn.k - 1], space.metric);
  return out;
}

export interface Knee {
  /** Position of the knee in the ascending curve. */
  index: number;
  value: number;
}

/** Knee of an ascending curve (see the file comment). A flat curve's knee is its first point. */
export function kneeOfCurve(sorted: ArrayLike<number>): Knee {
  const n = sorted.length;
  if (n === 0) throw new RangeError('knee of an empty curve');
  const y0 = sorted[0], span = sorted[n - 1] - y0;
  if (n < 3 || !(span > 0)) return { index: 0, value: y0 };
  let best = 0, bestDiff = -Infinity;
  for (let i = 0; i < n; i++) {
    const diff = i / (n - 1) - (sorted[i] - y0) / span;
    if (diff > bestDiff) { bestDiff = diff; best = i; }
  }
  return { index: best, value: sorted[best] };
}

/**
 * eps for DBSCAN from the knee of the k-distance curve. If the knee sits on a zero distance (duplicated points),
 * the smallest positive k-distance is used instead, since DBSCAN needs eps > 0.
 */
export function kneeFromDistances(kdist: Float64Array): number {
  const sorted = Float64Array.from(kdist).sort();
  let eps = kneeOfCurve(sorted).value;
  if (!(eps > 0)) {
    const pos = sorted.find((v) => v > 0);
    if (pos === undefined) throw new RangeError("eps 'knee' is undefined: all points coincide (k-distances are all 0)");
    eps = pos;
  }
  return eps;
}

/** kneeEps(cloud, k, metric): the knee eps of the cloud's k-distance curve (k = DBSCAN's minSamples). */
export function kneeEps(cloud: PointCloud | MetricSpace, k = 5, metric: Metric = 'euclidean'): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k (minSamples) must be an integer ≥ 1 (got ${k})`);
  const space = 'x' in cloud ? cloud : metricSpace(cloud, metric);
  return kneeFromDistances(kDistances(space, kNearest(space, k)));
}
