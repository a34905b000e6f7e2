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
