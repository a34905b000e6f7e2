/** Seeded synthetic point clouds for the Mapper tests. */
import type { PointCloud } from '../../src/types';

import { mulberry32 as rng } from '../../src/random';
export { rng };

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand(), v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export function uniformCloud(n: number, d: number, seed: number): PointCloud {
  const r = rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r();
  return { data, n, d };
}

/** k Gaussian blobs with centres spread by `spread`, unit-ish spread `sigma`. */
export function blobs(n: number, d: number, k: number, seed: number, sigma = 0.3, spread = 3): PointCloud {
  const r = rng(seed), g = gaussian(r);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => g() * spread));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % k];
    for (let j = 0; j < d; j++) data[i * d + j] = c[j] + sigma * g();
  }
  return { data, n, d };
}

export function toRows(cloud: PointCloud): number[][] {
  return Array.from({ length: cloud.n }, (_, i) => Array.from(cloud.data.subarray(i * cloud.d, (i + 1) * cloud.d)));
}

/** Clusters as a sorted list of sorted member lists (label −1 = noise, excluded), for set comparison. */
export function clusterSets(labels: ArrayLike<number>, members?: ArrayLike<number>): number[][] {
  const by = new Map<number, number[]>();
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] < 0) continue;
    const list = by.get(labels[p]) ?? [];
    list.push(members ? members[p] : p);
    by.set(labels[p], list);
  }
  return [...by.values()].map((l) => l.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

/**
 * The seed of a randomized oracle test: CONVTOPO_SEED when given (to replay a failure), else a fresh one per run.
 * Tests put it in every failure message.
 */
export function testSeed(): number {
  const fixed = process.env.CONVTOPO_SEED;
  return fixed !== undefined && fixed !== '' ? Number(fixed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}

/**
 * A random Gaussian mixture with uniform noise, the kind of cloud DBSCAN has to get right everywhere: 1–8
 * components with centres N(0, 3²) per coordinate and spreads 0.2–1.2 (some overlapping, some apart), a share of
 * 0–40 % of points uniform over a box around them, sometimes the whole cloud shifted off the origin (ReLU
 * activations are positive). n rows in R^d, float32.
 */
export function noisyMixture(n: number, d: number, rand: () => number): PointCloud {
  const g = gaussian(rand);
  const k = 1 + Math.floor(rand() * 8);
  const shift = rand() < 0.5 ? 0 : 10 * rand();
  const centres = Array.from({ length: k }, () => Float64Array.from({ length: d }, () => shift + 3 * g()));
  const sigma = Array.from({ length: k }, () => 0.2 + rand());
  const noise = 0.4 * rand(), box = 6 + 6 * rand();
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    if (rand() < noise) {
      for (let j = 0; j < d; j++) data[i * d + j] = shift + box * (2 * rand() - 1);
    } else {
      const c = Math.floor(rand() * k);
      for (let j = 0; j < d; j++) data[i * d + j] = centres[c][j] + sigma[c] * g();
    }
  }
  return { data, n, d };
}

/** A float32 cloud as base64 of its little-endian bytes (compact and exact for a Python oracle). */
export function cloudBase64(cloud: PointCloud): string {
  const f = Float32Array.from(cloud.data);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}
