import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';
import { computePersistence, greedyLandmarks, landmarkInput, type Metric } from '../../src/tda/index';
import { pointDistance } from '../../src/tda/distances';
import type { PointCloud } from '../../src/types';
import { heraOracle } from '../helpers/oracle';
import { SEED, activationLikeCloud, circleCloud, gaussianCloud, writeHera } from './helpers';


const hera = heraOracle();

/** Every distance, in doubles from the float32 coordinates (as the landmarks compute them), cached once. */
function brute(cloud: PointCloud, indices: Int32Array, metric: Metric) {
  const { n, d, data } = cloud;
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = data[i * d + t] - data[j * d + t];
        s += metric === 'manhattan' ? Math.abs(x) : x * x;
      }
      D[i * n + j] = D[j * n + i] = metric === 'manhattan' ? s : Math.sqrt(s);
    }
  }
  const dist = (i: number, j: number) => D[i * n + j];
  let radius = 0;
  for (let i = 0; i < n; i++) {
    let m = Infinity;
    for (const l of indices) m = Math.min(m, dist(i, l));
    radius = Math.max(radius, m);
  }
  return { radius, dist };
}

describe(`greedy-permutation landmarks (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  const cases: [string, PointCloud, number, Metric][] = [
    ['activation-like, 300 points in R^32', activationLikeCloud(SEED + 70, 300, 32, 4, 0.1), 60, 'euclidean'],
    ['noisy circle of 250 points', circleCloud(SEED + 71, 250, 0.1), 40, 'euclidean'],
    ['Gaussian, 200 points in R^6, manhattan', gaussianCloud(SEED + 72, 200, 6), 50, 'manhattan'],
  ];
  for (const [name, cloud, count, metric] of cases) {
    it(`${name}: each landmark is the farthest from those before it, ε is the cover radius`, () => {
      const lm = greedyLandmarks(cloud, count, metric);
      expect(lm.indices[0]).toBe(0);
      expect(new Set(lm.indices).size).toBe(count);
      const { radius, dist } = brute(cloud, lm.indices, metric);
      expect(Math.abs(lm.radius - radius)).toBeLessThanOrEqual(1e-12 * radius);
      const gap = new Float64Array(cloud.n).fill(Infinity);
      for (let k = 1; k < count; k++) {
        for (let i = 0; i < cloud.n; i++) gap[i] = Math.min(gap[i], dist(i, lm.indices[k - 1]));
        const best = Math.max(...gap);
        expect(Math.abs(gap[lm.indices[k]] - best), `landmark ${k}`).toBeLessThanOrEqual(1e-12 * best);
        expect(Math.abs(lm.insertion[k] - best)).toBeLessThanOrEqual(1e-12 * best);
      }
      for (let k = 2; k < count; k++) expect(lm.insertion[k]).toBeLessThanOrEqual(lm.insertion[k - 1] * (1 + 1e-12));
    });
  }

  it.runIf(hera.available)('the guarantee: bottleneck(exact, landmarks) ≤ 2ε in H0 and H1, by hera-bottleneck, for several counts', () => {
    const cloud = activationLikeCloud(SEED + 73, 400, 24, 3, 0.15);
    const exact = computePersistence(cloud, { maxdim: 1 }).dgms;
    for (const count of [20, 60, 150, 400]) {
      const lm = greedyLandmarks(cloud, count);
      const sub = computePersistence(landmarkInput(cloud, lm.indices), { maxdim: 1 }).dgms;
      for (let k = 0; k <= 1; k++) {
        const b = Number(execFileSync('hera-bottleneck', [writeHera(exact[k]), writeHera(sub[k])], { encoding: 'utf8' }).trim());
        expect(b, `H${k}, ${count} landmarks, ε = ${lm.radius} (seed ${SEED})`).toBeLessThanOrEqual(2 * lm.radius * (1 + 1e-6) + 1e-9);
      }
      if (count === 400) expect(lm.radius).toBe(0);
    }
  });

  it('a distance matrix gives the same landmarks as its cloud', () => {
    const cloud = gaussianCloud(SEED + 74, 80, 3);
    const lower = new Float64Array((80 * 79) / 2);
    let p = 0;
    for (let i = 1; i < 80; i++) for (let j = 0; j < i; j++) lower[p++] = pointDistance(cloud, i, j, 'euclidean');
    const a = greedyLandmarks(cloud, 20), b = greedyLandmarks({ n: 80, distances: lower, layout: 'lower' }, 20);
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    const sub = landmarkInput({ n: 80, distances: lower, layout: 'lower' }, b.indices);
    expect(computePersistence(sub, { maxdim: 1 }).dgms[1].length).toBe(computePersistence(landmarkInput(cloud, a.indices), { maxdim: 1 }).dgms[1].length);
    expect(() => greedyLandmarks(cloud, 0)).toThrow(/landmarks/);
    expect(() => greedyLandmarks(cloud, 81)).toThrow(/landmarks/);
  });

  it('convtopo ph --landmarks N prints ε on stderr and the landmarks\' diagrams on stdout', async () => {
    const cloud = circleCloud(SEED + 75, 200, 0.05);
    const file = join(mkdtempSync(join(tmpdir(), 'convtopo-lm-')), 'c.npy');
    writeFileSync(file, writeNpy(cloud.data, [cloud.n, cloud.d]));
    let stdout = '', stderr = '';
    const code = await runCli(['ph', '--input', file, '--landmarks', '50', '--cocycles'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(code, stderr).toBe(0);
    const lm = greedyLandmarks(cloud, 50);
    expect(stderr).toMatch(new RegExp(`cover radius ε = ${String(lm.radius).replace('.', '\\.')}`));
    const json = JSON.parse(stdout) as { dgms: [number, number | null][][]; cocycles: { vertices: number[] }[] };
    const ref = computePersistence(landmarkInput(cloud, lm.indices), { maxdim: 1 }).dgms;
    expect(json.dgms[1]).toEqual(ref[1].map((p) => [p.birth, p.death]));
    const ids = new Set(lm.indices);
    for (const c of json.cocycles) for (const v of c.vertices) expect(ids.has(v)).toBe(true);
    let err = '';
    expect(await runCli(['ph', '--input', file, '--landmarks', '201'], { stdout: () => {}, stderr: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/--landmarks/);
  });
});
