/**
 * Randomized oracle test: DBSCAN labels equal sklearn.cluster.DBSCAN's, point for point (cluster numbering and
 * border assignment included), on fresh random clouds every run. CONVTOPO_SEED=<seed> replays a failing run; every
 * failure message names the seed and the cloud.
 *
 * Clouds: Gaussian mixtures with uniform noise, n in [100, 1500], d in [2, 128] (log-uniform), min_samples 5.
 * - eps strictly between two 5-NN distances (a percentile in [30, 90] with interpolation, as a user picks it):
 *   sklearn with its defaults (kd-tree below 16 dimensions, brute force above);
 * - eps exactly equal to a point's 5-NN distance (what the knee eps always is): a pair at distance eps, decided
 *   the same way only by the same arithmetic, so sklearn's tree algorithm (algorithm='ball_tree': the distance
 *   summed in coordinate order) is the oracle there; its brute force (the Gram form through BLAS) rounds such a
 *   pair either way;
 * - one interval of the l2norm lens (a cover set) clustered with the whole cloud's kNN as core evidence;
 * - the JavaScript kernel (no WebAssembly) on some clouds.
 */
import { describe, expect, it } from 'vitest';
import { leafBlocks } from '../../src/mapper/blocks';
import { dbscan } from '../../src/mapper/dbscan';
import { kNearest } from '../../src/mapper/knee';
import { metricSpace } from '../../src/mapper/space';
import { pythonOracle, runPython } from '../helpers/oracle';
import { cloudBase64, noisyMixture, rng, testSeed } from './data';

const oracle = pythonOracle(['sklearn', 'numpy'], 'python3-sklearn python3-numpy');

const SKLEARN = `
import sys, json, base64, numpy as np
from sklearn.cluster import DBSCAN
from sklearn.neighbors import NearestNeighbors
out = []
for c in json.load(sys.stdin):
    X = np.frombuffer(base64.b64decode(c['X']), dtype='<f4').reshape(c['n'], c['d']).astype(np.float64)
    kd = NearestNeighbors(n_neighbors=5).fit(X).kneighbors(X)[0][:, -1]
    # Halfway between two distinct 5-NN distances near the q-th percentile: a percentile can land exactly on one
    # (mutual 5th neighbours share it), and then the two tree arithmetics may round that tie differently.
    ku = np.unique(kd)
    i = min(max(int(c['q'] / 100 * (len(ku) - 1)), 0), len(ku) - 2)
    eps = float((ku[i] + ku[i + 1]) / 2)
    kt = np.sort(NearestNeighbors(n_neighbors=5, algorithm='ball_tree').fit(X).kneighbors(X)[0][:, -1])
    eps_tie = float(kt[int(c['qTie'] * (len(kt) - 1))])
    S = np.array(c['subset'], dtype=np.int64)
    out.append({
        'eps': eps,
        'labels': DBSCAN(eps=eps, min_samples=5).fit(X).labels_.tolist(),
        'epsTie': eps_tie,
        'labelsTie': DBSCAN(eps=eps_tie, min_samples=5, algorithm='ball_tree').fit(X).labels_.tolist(),
        'labelsSubset': DBSCAN(eps=eps, min_samples=5).fit(X[S]).labels_.tolist() if len(S) else [],
    })
print(json.dumps(out))
`;

/** The first few points whose labels differ (empty when equal). */
function differences(ours: Int32Array, theirs: number[]): string[] {
  const out: string[] = [];
  if (ours.length !== theirs.length) return [`lengths ${ours.length} vs ${theirs.length}`];
  for (let i = 0; i < ours.length && out.length < 8; i++) if (ours[i] !== theirs[i]) out.push(`point ${i}: ours ${ours[i]}, sklearn ${theirs[i]}`);
  return out;
}

const CLOUDS = 24;

describe.skipIf(!oracle.available)('dbscan equals sklearn.cluster.DBSCAN on random noisy mixtures', () => {
  const seed = testSeed();
  const r = rng(seed);
  const clouds = Array.from({ length: CLOUDS }, () => {
    const n = 100 + Math.floor(r() * 1401);
    const d = Math.round(2 * 64 ** r()); // log-uniform in [2, 128]
    const cloud = noisyMixture(n, d, r);
    // A cover set: the points whose l2norm lies in a random window holding about a third of the cloud.
    const norms = Array.from({ length: n }, (_, i) => Math.hypot(...cloud.data.subarray(i * d, (i + 1) * d)));
    const sorted = [...norms].sort((a, b) => a - b);
    const lo = sorted[Math.floor(r() * 0.66 * n)], hi = sorted[Math.min(n - 1, Math.floor(n * (0.33 + r() * 0.66)))];
    const subset = Int32Array.from(norms.keys()).filter((i) => norms[i] >= lo && norms[i] <= hi);
    return { cloud, subset, q: 30 + 60 * r(), qTie: 0.3 + 0.6 * r(), js: r() < 0.3 };
  });
  const expected = runPython<{ eps: number; labels: number[]; epsTie: number; labelsTie: number[]; labelsSubset: number[] }[]>(
    SKLEARN,
    clouds.map((c) => ({ X: cloudBase64(c.cloud), n: c.cloud.n, d: c.cloud.d, q: c.q, qTie: c.qTie, subset: Array.from(c.subset) })),
  );

  it(`${CLOUDS} clouds (seed ${seed}): labels equal for an eps between 5-NN distances, one exactly at one, and a cover set`, () => {
    let nonTrivial = 0;
    clouds.forEach((c, t) => {
      const { cloud, subset } = c;
      const sk = expected[t];
      const where = `seed ${seed} (CONVTOPO_SEED=${seed} replays it), cloud ${t}: n ${cloud.n}, d ${cloud.d}`;
      const space = metricSpace(cloud);
      const blocks = leafBlocks(space, undefined, 32, c.js ? 'js' : 'auto');
      const knn = kNearest(blocks, 5);
      // The kNN's 5-distances are sklearn's tree arithmetic too, so the tie eps is one of ours exactly.
      const ourKd = Array.from({ length: cloud.n }, (_, i) => Math.sqrt(knn.d2[i * 5 + 4]));
      expect(ourKd.includes(sk.epsTie), `${where}: the tie eps ${sk.epsTie} is one of our 5-NN distances`).toBe(true);
      expect(differences(dbscan(space, { eps: sk.eps, minSamples: 5, blocks }), sk.labels), `${where}, eps ${sk.eps}`).toEqual([]);
      expect(differences(dbscan(space, { eps: sk.eps, minSamples: 5, blocks, knn }), sk.labels), `${where}, eps ${sk.eps}, kNN reused`).toEqual([]);
      expect(differences(dbscan(cloud, { eps: sk.epsTie, minSamples: 5 }), sk.labelsTie), `${where}, tie eps ${sk.epsTie}`).toEqual([]);
      expect(differences(dbscan(space, { eps: sk.epsTie, minSamples: 5, blocks, knn }), sk.labelsTie), `${where}, tie eps ${sk.epsTie}, kNN reused`).toEqual([]);
      expect(differences(dbscan(space, { eps: sk.eps, minSamples: 5, subset, blocks, knn }), sk.labelsSubset), `${where}, cover set of ${subset.length}`).toEqual([]);
      if (new Set(sk.labels).size > 2) nonTrivial++;
    });
    // Most clouds must be worth comparing: several clusters (or clusters and noise).
    expect(nonTrivial, `seed ${seed}`).toBeGreaterThan(CLOUDS / 3);
  }, 60_000);
});
