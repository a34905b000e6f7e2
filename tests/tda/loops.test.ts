/**
 * Loops closed afterwards (`loops: false`, then `closeLoop` one class at a time, as the page does) against the loops
 * the run closes itself (the default): on randomized clouds under every metric and on distance matrices in both
 * layouts, every H1 class's loop must be the same cycle with the same parity, and the rest of the result unchanged.
 * Each loop is also checked to be what it claims: a closed walk through the birth edge over edges present at birth.
 */
import { describe, expect, it } from 'vitest';
import { createTdaJobApi } from '../../src/tda/jobs';
import { closeLoop, computePersistence, packCocycles, unpackCocycle, type DistanceMatrix, type Metric, type PersistenceInput } from '../../src/tda/index';
import { pointDistance } from '../../src/tda/distances';
import type { PointCloud } from '../../src/types';
import { SEED, activationLikeCloud, blobsCloud, circleCloud, gaussianCloud, rng, torusCloud } from './helpers';

/** d(i, j) as the engine sees it (float32), for checking a loop's edges. */
function distanceOf(input: PersistenceInput, metric: Metric): (i: number, j: number) => number {
  if ('distances' in input) {
    const m = input as DistanceMatrix;
    return (i, j) => {
      const hi = Math.max(i, j), lo = Math.min(i, j);
      return Math.fround(m.distances[m.layout === 'full' ? hi * m.n + lo : (hi * (hi - 1)) / 2 + lo]);
    };
  }
  return (i, j) => pointDistance(input as PointCloud, Math.max(i, j), Math.min(i, j), metric);
}

function check(input: PersistenceInput, metric: Metric, what: string): number {
  const msg = `seed ${SEED}, ${what}`;
  const ref = computePersistence(input, { maxdim: 1, metric, cocycles: true });
  const lazy = computePersistence(input, { maxdim: 1, metric, cocycles: true, loops: false });
  expect(lazy.dgms, msg).toEqual(ref.dgms);
  expect(lazy.threshold, msg).toBe(ref.threshold);
  expect(lazy.cocycles!.map(({ birth, death, edges, vertices }) => ({ birth, death, edges, vertices })), msg).toEqual(
    ref.cocycles!.map(({ birth, death, edges, vertices }) => ({ birth, death, edges, vertices })),
  );
  const packed = packCocycles(lazy.cocycles!);
  const d = distanceOf(input, metric);
  ref.cocycles!.forEach((c, k) => {
    expect(lazy.cocycles![k].cycle, `${msg}, class ${k}: no loop closed with loops off`).toEqual([]);
    // Through the packed form, as the page reads it.
    const loop = closeLoop(input, unpackCocycle(packed, lazy.dgms[1], k), metric);
    expect(loop, `${msg}, class ${k} (born ${c.birth})`).toEqual({ cycle: c.cycle, cycleDual: c.cycleDual });
    const [a, b] = c.edges[0];
    expect([loop.cycle[0], loop.cycle[loop.cycle.length - 1]], `${msg}, class ${k}: ends at the birth edge`).toEqual([a, b]);
    for (let s = 0; s + 1 < loop.cycle.length; s++) expect(d(loop.cycle[s], loop.cycle[s + 1]), `${msg}, class ${k}: edge ${s} present at birth`).toBeLessThanOrEqual(c.birth);
    expect(new Set(loop.cycle).size, `${msg}, class ${k}: a simple path`).toBe(loop.cycle.length);
  });
  return ref.cocycles!.length;
}

describe(`loops closed afterwards (seed ${SEED})`, () => {
  it('equal the run’s own loops on point clouds under every metric', () => {
    const rand = rng(SEED);
    let classes = 0;
    const clouds: [string, PointCloud][] = [
      ['circle 120', circleCloud(SEED, 120, 0.1)],
      ['torus 150', torusCloud(SEED + 1, 150)],
      ['gaussian 100×4', gaussianCloud(SEED + 2, 100, 4)],
      ['blobs 140×3', blobsCloud(SEED + 3, 140, 3)],
      [`activation-like 200×${8 + Math.floor(rand() * 24)}`, activationLikeCloud(SEED + 4, 200, 8 + Math.floor(rand() * 24), 4, 0.05)],
    ];
    for (const [name, cloud] of clouds) {
      for (const metric of ['euclidean', 'cosine', 'manhattan'] as const) classes += check(cloud, metric, `${name}, ${metric}`);
    }
    expect(classes, `seed ${SEED}: the clouds have H1 classes to close`).toBeGreaterThan(20);
  });

  it('equal the run’s own loops on distance matrices (both layouts, with ties)', () => {
    const rand = rng(SEED + 10);
    for (const [n, levels] of [
      [60, 0],
      [80, 7],
    ]) {
      // Random symmetric distances; with levels, rounded to a few values so many edges tie.
      const lower = new Float64Array((n * (n - 1)) / 2).map(() => (levels ? 1 + Math.floor(rand() * levels) : rand()));
      const full = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) full[i * n + j] = lower[(i * (i - 1)) / 2 + j];
      check({ n, distances: lower, layout: 'lower' }, 'euclidean', `lower ${n}, ${levels} levels`);
      check({ n, distances: full, layout: 'full' }, 'euclidean', `full ${n}, ${levels} levels`);
    }
  });

  it('through the job API: packed cocycles, and a loop job per class', async () => {
    const api = createTdaJobApi();
    const cloud = activationLikeCloud(SEED + 20, 250, 16, 4, 0.05);
    const ref = computePersistence(cloud, { maxdim: 1, cocycles: true });
    const r = await api.persistence(cloud, { maxdim: 1, cocycles: true, loops: false });
    expect(r.dgms, `seed ${SEED}`).toEqual(ref.dgms);
    expect(r.cocycles, `seed ${SEED}`).toEqual(packCocycles(ref.cocycles!));
    for (const [k, c] of ref.cocycles!.entries()) {
      const edges = Int32Array.from(c.edges.flat());
      expect(await api.loop(cloud, { birth: r.dgms[1][k].birth, edges }), `seed ${SEED}, class ${k}`).toEqual({ cycle: c.cycle, cycleDual: c.cycleDual });
    }
  });

  it('refuses a cocycle that is not one of the input’s', () => {
    const cloud = circleCloud(SEED, 30);
    expect(() => closeLoop(cloud, { birth: 1, edges: [] })).toThrow(/no edges/);
    expect(() => closeLoop(cloud, { birth: 1, edges: [[3, 5]] })).toThrow(/not an edge of 30 points/);
    expect(() => closeLoop(cloud, { birth: 1, edges: [[30, 1]] })).toThrow(/not an edge of 30 points/);
    expect(() => closeLoop(cloud, { birth: 1, edges: [[3, 1]] }, 'chebyshev' as Metric)).toThrow(/metric must be one of/);
  });
});
