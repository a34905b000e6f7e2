/**
 * The page's persistence job on landmarks (src/tda/jobs.ts `landmarks`): the same diagrams and cycles as the engine
 * run on the greedy-permutation sub-cloud, with the landmarks and ε reported; the exact run when the count is not
 * below n. The landmarks themselves are checked against brute force and Hera in landmarks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { createTdaJobApi } from '../../src/tda/jobs';
import { closeLoop, computePersistence, greedyLandmarks, landmarkInput, packCocycles } from '../../src/tda/index';
import { SEED, activationLikeCloud } from './helpers';

describe(`persistence job with landmarks (seed ${SEED})`, () => {
  const api = createTdaJobApi();

  it('equals the engine on the landmark sub-cloud, and names the landmarks and ε', async () => {
    for (const [n, d, count, t] of [
      [300, 16, 80, 0],
      [500, 32, 120, 1],
    ]) {
      const cloud = activationLikeCloud(SEED + t, n, d, 4, 0.05);
      const r = await api.persistence(cloud, { maxdim: 1, cocycles: true, landmarks: count });
      const lm = greedyLandmarks(cloud, count);
      const ref = computePersistence(landmarkInput(cloud, lm.indices), { maxdim: 1, cocycles: true });
      const msg = `seed ${SEED}, ${n}×${d}, ${count} landmarks`;
      expect(r.landmarks, msg).toBeDefined();
      expect(Array.from(r.landmarks!.indices), msg).toEqual(Array.from(lm.indices));
      expect(r.landmarks!.radius, msg).toBe(lm.radius);
      expect(r.landmarks!.n, msg).toBe(n);
      expect(r.dgms, msg).toEqual(ref.dgms);
      // Cocycles come packed; the loop of a class, closed afterwards from the run's landmarks, is the engine's.
      expect(r.cocycles, msg).toEqual(packCocycles(ref.cocycles!));
      for (let k = 0; k < ref.cocycles!.length; k += 7) {
        const c = ref.cocycles![k];
        const edges = Int32Array.from(c.edges.flat());
        expect(await api.loop(cloud, { birth: r.dgms[1][k].birth, edges }, { landmarks: r.landmarks!.indices }), `${msg}, class ${k}`).toEqual({ cycle: c.cycle, cycleDual: c.cycleDual });
        expect(closeLoop(landmarkInput(cloud, lm.indices), c), `${msg}, class ${k}`).toEqual({ cycle: c.cycle, cycleDual: c.cycleDual });
      }
      expect(r.threshold, msg).toBe(ref.threshold);
    }
  });

  it('runs exactly when the count is not below the points, and refuses a bad count', async () => {
    const cloud = activationLikeCloud(SEED + 2, 120, 8, 3, 0.05);
    const r = await api.persistence(cloud, { maxdim: 1, landmarks: 120 });
    expect(r.landmarks).toBeUndefined();
    expect(r.dgms).toEqual(computePersistence(cloud, { maxdim: 1 }).dgms);
    await expect(api.persistence(cloud, { landmarks: 0 })).rejects.toThrow(/landmarks must be an integer ≥ 1 \(got 0\)/);
    await expect(api.persistence(cloud, { landmarks: 2.5 })).rejects.toThrow(/landmarks must be an integer/);
  });
});
