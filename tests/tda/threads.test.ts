/**
 * One persistence computation on two threads (nodeThreads.ts: the distances and the apparent-edge test shared
 * through SharedArrayBuffers) gives exactly the one-thread result and Debian ripser's diagrams, on fresh
 * activation-like and tie-heavy clouds every run (seed in every message; CONVTOPO_SEED=… replays a run).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { computePersistence } from '../../src/tda/index';
import { computePersistenceInThreads, nodePersistenceThreads } from '../../src/tda/nodeThreads';
import { distanceRows } from '../../src/tda/distances';
import { apparentEdgeRows, float32, int32, taskControl, type PhTask } from '../../src/tda/parallel';
import { Worker } from 'node:worker_threads';
import type { PointCloud } from '../../src/types';
import { ripserOracle } from '../helpers/oracle';
import { SEED, activationLikeCloud, diagramDifference, ripser, rng, writeCloud } from './helpers';

const oracle = ripserOracle();
const tag = `seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce`;

/** Points on a coarse integer grid: many equal distances and repeated points, as quantised ReLU clouds have. */
function gridCloud(seed: number, n: number, d: number, levels: number): PointCloud {
  const r = rng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < data.length; i++) data[i] = r() < 0.4 ? 0 : Math.floor(r() * levels);
  return { n, d, data };
}

describe(`two threads give the one-thread result exactly (${tag})`, () => {
  const pool = nodePersistenceThreads(2);
  afterAll(() => pool.close());
  const r = rng(SEED + 1300);
  const clouds: [string, PointCloud][] = [
    ['activation-like 600 × 32', activationLikeCloud(SEED + 1301, 600, 32, 2 + Math.floor(r() * 6), 0.02 + 0.2 * r())],
    ['integer grid 500 × 3 (ties, repeated points)', gridCloud(SEED + 1302, 500, 3, 3 + Math.floor(r() * 3))],
  ];
  for (const [name, cloud] of clouds) {
    it(name, () => {
      const one = computePersistence(cloud, { maxdim: 1 });
      const two = computePersistence(cloud, { maxdim: 1, threads: pool });
      expect(two.threshold).toBe(one.threshold);
      for (let k = 0; k <= 1; k++) expect(two.dgms[k], `H${k} of ${name} (${tag})`).toEqual(one.dgms[k]);
    }, 60_000);
  }

  it('the helper thread alone finishes a task it is posted (this thread takes no chunk), with the same distances', async () => {
    const cloud = activationLikeCloud(SEED + 1305, 300, 16, 4, 0.1);
    const data = float32(cloud.data.length, true);
    data.set(cloud.data);
    const task = { kind: 'distances' as const, ...taskControl(300, 16, true), d: 16, data, metric: 'euclidean' as const, norms: null, D: float32(300 * 300, true) };
    pool.post(task);
    for (let t = 0; Atomics.load(task.ctrl, 1) < task.chunks && t < 200; t++) await new Promise((r) => setTimeout(r, 50));
    expect(Atomics.load(task.ctrl, 1)).toBe(task.chunks);
    const D = new Float32Array(300 * 300);
    distanceRows(cloud, 'euclidean', null, D, 0, 300);
    expect(task.D).toEqual(D);
  });

  it('a helper that takes a chunk and crashes does not hang the run: the result is still the one-thread result', async () => {
    // A real thread that claims the next chunk of every task it is sent, then dies without finishing it.
    const crasher = new Worker(
      "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (t) => { Atomics.add(t.ctrl, 0, 1); throw new Error('helper crashed'); });",
      { eval: true },
    );
    let crashed = false;
    crasher.on('error', () => (crashed = true));
    try {
      const threads = { helpers: 1, post: (task: PhTask) => crasher.postMessage(task) };
      const cloud = activationLikeCloud(SEED + 1306, 400, 16, 4, 0.1);
      const one = computePersistence(cloud, { maxdim: 1 });
      const two = computePersistence(cloud, { maxdim: 1, threads });
      for (let k = 0; k <= 1; k++) expect(two.dgms[k], `H${k} (${tag})`).toEqual(one.dgms[k]);
      for (let t = 0; !crashed && t < 100; t++) await new Promise((r) => setTimeout(r, 20));
      expect(crashed).toBe(true);
    } finally {
      await crasher.terminate();
    }
  }, 60_000);

  it('a distance matrix and a threshold below the enclosing radius: the same on two threads', () => {
    const cloud = gridCloud(SEED + 1304, 400, 3, 5);
    const one0 = computePersistence(cloud, { maxdim: 1 });
    const distances = new Float64Array(400 * 400);
    for (let i = 0; i < 400; i++) for (let j = 0; j < 400; j++) {
      let s = 0;
      for (let t = 0; t < 3; t++) s += (cloud.data[i * 3 + t] - cloud.data[j * 3 + t]) ** 2;
      distances[i * 400 + j] = Math.sqrt(s);
    }
    const matrix = { n: 400, distances, layout: 'full' as const };
    const threshold = one0.threshold / 2;
    const one = computePersistence(matrix, { maxdim: 1, threshold });
    const two = computePersistence(matrix, { maxdim: 1, threshold, threads: pool });
    for (let k = 0; k <= 1; k++) expect(two.dgms[k], `H${k} (${tag})`).toEqual(one.dgms[k]);
    expect(one.dgms[0].some((p) => p.death === Infinity && one.dgms[0].length > 1)).toBe(true);
  });

  it('the apparent-edge test of two threads, interleaved by chunks of rows, writes the same bits as one pass', () => {
    const cloud = gridCloud(SEED + 1303, 300, 4, 4);
    const D = new Float32Array(300 * 300);
    for (let i = 0; i < 300; i++) for (let j = 0; j < 300; j++) {
      let s = 0;
      for (let t = 0; t < 4; t++) s += (cloud.data[i * 4 + t] - cloud.data[j * 4 + t]) ** 2;
      D[i * 300 + j] = Math.sqrt(s);
    }
    const words = Math.ceil((300 * 299) / 2 / 32);
    const whole = int32(words, false);
    apparentEdgeRows(D, 300, Infinity, whole, 0, 300);
    const parts = int32(words, false);
    for (let c = Math.ceil(300 / 7) - 1; c >= 0; c--) apparentEdgeRows(D, 300, Infinity, parts, 7 * c, Math.min(300, 7 * c + 7));
    expect(parts).toEqual(whole);
    expect(whole.some((w) => w !== 0), 'some edges are apparent').toBe(true);
  });
});

describe.runIf(oracle.available)(`persistence on two threads equals Debian ripser's (${tag})`, () => {
  const r = rng(SEED + 1400);
  const cases = [
    { n: 700 + Math.floor(r() * 300), d: [16, 64, 128][Math.floor(r() * 3)], rank: 2 + Math.floor(r() * 8), noise: 0.02 + 0.3 * r(), seed: SEED + 1401 },
    { n: 400 + Math.floor(r() * 200), d: 3, levels: 3 + Math.floor(r() * 4), seed: SEED + 1402 },
  ];
  for (const c of cases) {
    const name = 'levels' in c ? `integer grid ${c.n} × ${c.d}, ${c.levels} levels` : `ReLU(rank ${c.rank} Gaussian + ${c.noise!.toFixed(3)} noise), ${c.n} × ${c.d}`;
    it(name, async () => {
      const cloud = 'levels' in c ? gridCloud(c.seed, c.n, c.d, c.levels!) : activationLikeCloud(c.seed, c.n, c.d, c.rank!, c.noise!);
      const ours = await computePersistenceInThreads(cloud, { maxdim: 1, threads: 2 });
      const theirs = ripser(writeCloud(cloud), 'point-cloud', 1);
      for (let k = 0; k <= 1; k++) expect(diagramDifference(ours.dgms[k], theirs[k]), `H${k} of ${name} (${tag})`).toBeNull();
    }, 60_000);
  }
});
