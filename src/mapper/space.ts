/**
 * The metric space the clusterers work in: rows copied to float64 (exact differences, no float32 rounding in the
 * hot loops) and, for the cosine metric, normalised to unit length so that cosine distance becomes a function of
 * the Euclidean one: 1 − cos(x, y) = |x̂ − ŷ|² / 2. Every clusterer then compares squared Euclidean distances.
 */
import type { PointCloud } from '../types';

export type Metric = 'euclidean' | 'cosine';

export interface MetricSpace {
  /** n × d rows, row-major, float64 (unit rows for cosine). */
  x: Float64Array;
  n: number;
  d: number;
  metric: Metric;
}

export function checkMetric(metric: unknown): asserts metric is Metric {
  if (metric !== 'euclidean' && metric !== 'cosine') {
    throw new RangeError(`metric must be 'euclidean' or 'cosine' (got ${JSON.stringify(metric)})`);
  }
}

export function metricSpace(cloud: PointCloud, metric: Metric = 'euclidean'): MetricSpace {
  checkMetric(metric);
  const { n, d, data } = cloud;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) x[i] = data[i];
  if (metric === 'cosine') {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = i * d; k < (i + 1) * d; k++) s += x[k] * x[k];
      // sklearn would call a zero row "distance 1 from everything"; that breaks the Euclidean equivalence, so refuse.
      if (s === 0) throw new RangeError(`metric 'cosine' needs non-zero points, but point ${i} is the zero vector`);
      const inv = 1 / Math.sqrt(s);
      for (let k = i * d; k < (i + 1) * d; k++) x[k] *= inv;
    }
  }
  return { x, n, d, metric };
}

/** A radius in the metric's units → the squared Euclidean radius the clusterers compare against. */
export function squaredRadius(r: number, metric: Metric): number {
  return metric === 'cosine' ? 2 * r : r * r;
}

/** A squared Euclidean distance in the metric space → a distance in the metric's units. */
export function metricDistance(d2: number, metric: Metric): number {
  return metric === 'cosine' ? d2 / 2 : Math.sqrt(d2);
}

/**
 * Squared distance between rows a and b of x (offsets in elements), summed in coordinate order: exactly the
 * float64 arithmetic of scikit-learn's tree algorithms (euclidean rdist), so that a pair at distance eps (the knee
 * eps is such a pair's distance) falls on the same side of eps² as in sklearn. The clusterers decide every
 * "≤ eps" and report every kNN distance with it.
 */
export function sqDistInOrder(x: Float64Array, ao: number, bo: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const e = x[ao + k] - x[bo + k];
    s += e * e;
  }
  return s;
}

/** Squared distance between rows a and b of x (offsets in elements), 4-way unrolled (lens and linkage values). */
export function sqDist(x: Float64Array, ao: number, bo: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    const e0 = x[ao + k] - x[bo + k];
    const e1 = x[ao + k + 1] - x[bo + k + 1];
    const e2 = x[ao + k + 2] - x[bo + k + 2];
    const e3 = x[ao + k + 3] - x[bo + k + 3];
    s0 += e0 * e0; s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3;
  }
  for (; k < d; k++) {
    const e = x[ao + k] - x[bo + k];
    s0 += e * e;
  }
  return s0 + s1 + s2 + s3;
}
