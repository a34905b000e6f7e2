// The analysis layer (src/analysis) against independent float64 computations in /usr/bin/python3: persim's
// sliced-Wasserstein definition (method.md §4) written in numpy, scipy's Spearman, numpy's SVD for the PC removal,
// gudhi's Vietoris–Rips persistence and numpy's linear CKA. Fresh seed every run (CONVTOPO_SEED=… to reproduce).
import { describe, expect, it } from 'vitest';
import { isAbort } from '../../src/abort';
import { compareModels, sameLayerDistances } from '../../src/analysis/checkpoints';
import { createCompareApi } from '../../src/analysis/jobs';
import { rtdMatrix } from '../../src/analysis/rtd';
import { layerMatrices, layerPairStats, swMatrix } from '../../src/analysis/layerMatrices';
import { purityAcrossLayers, purityLift, type MapperSummary } from '../../src/analysis/purity';
import { pcRemovalSensitivity } from '../../src/analysis/sensitivity';
import { mulberry32 } from '../../src/random';
import { packDiagram } from '../../src/tda/packedDiagram';
import type { Diagram, PointCloud } from '../../src/types';
import { pythonOracle, runPython } from '../helpers/oracle';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Date.now() % 2 ** 31;
const oracle = pythonOracle(['numpy', 'scipy', 'gudhi'], 'python3-numpy python3-scipy python3-gudhi');

const PY_SW = `
import numpy as np
def sw(a, b, M):
    a = np.array([p for p in a if p[1] is not None], dtype=float).reshape(-1, 2)
    b = np.array([p for p in b if p[1] is not None], dtype=float).reshape(-1, 2)
    da = np.abs(a.sum(1)) / 2; db = np.abs(b.sum(1)) / 2
    total = 0.0
    for i in range(M):
        t = np.pi * (0.5 + i / M); u = np.array([np.cos(t), np.sin(t)])
        v1 = np.concatenate([a @ u, db * u.sum()]); v2 = np.concatenate([b @ u, da * u.sum()])
        total += np.abs(np.sort(v1) - np.sort(v2)).sum() / M
    return total
`;

function randomDiagram(r: () => number, n: number): Diagram {
  return Array.from({ length: n }, () => {
    const b = r() * 2;
    return { birth: b, death: b + r() * 1.5 };
  });
}

/** An anisotropic Gaussian cloud (axis k scaled by 3^-k, rotated), so the principal directions are well separated. */
function anisotropicCloud(r: () => number, n: number, d: number): PointCloud {
  const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, k) => g() * 3 ** -k * 2);
    for (let k = 0; k < d; k++) data[i * d + k] = z[k] + (k + 1 < d ? 0.5 * z[k + 1] : 0) + 0.1 * k;
  }
  return { data, n, d };
}

const asJson = (d: Diagram) => d.map((p) => [p.birth, Number.isFinite(p.death) ? p.death : null]);
const rows = (c: PointCloud) => Array.from({ length: c.n }, (_, i) => Array.from(c.data.subarray(i * c.d, (i + 1) * c.d)));

describe.runIf(oracle.available)(`the analysis layer equals float64 Python oracles (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  it('swMatrix: every entry is persim-definition SW of the two diagrams; symmetric, zero diagonal; progress ends at 1', async () => {
    const r = mulberry32(SEED);
    const dgms = Array.from({ length: 6 }, () => randomDiagram(r, 1 + Math.floor(r() * 12)));
    dgms[2] = [];
    const seen: number[] = [];
    const sw = await swMatrix(dgms, 50, { onProgress: (f) => seen.push(f) });
    const theirs = runPython<number[][]>(`${PY_SW}
import json, sys
d = json.load(sys.stdin)
print(json.dumps([[sw(a, b, 50) for b in d] for a in d]))`, dgms.map(asJson));
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
      expect(sw[i * 6 + j]).toBeCloseTo(theirs[i][j], 9);
      expect(sw[i * 6 + j]).toBe(sw[j * 6 + i]);
    }
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('layerPairStats: Spearman equals scipy.stats.spearmanr, stage means equal direct means', () => {
    const r = mulberry32(SEED + 1);
    const L = 7;
    const sym = () => {
      const m = new Float64Array(L * L);
      for (let i = 0; i < L; i++) for (let j = 0; j < i; j++) m[i * L + j] = m[j * L + i] = Math.round(r() * 20) / 20; // ties too
      return m;
    };
    const [sw, cka, ckaD] = [sym(), sym(), sym()];
    const layers = Array.from({ length: L }, (_, i) => ({ index: 2 * i + 1, stage: `s${Math.floor(i / 3)}` }));
    const ours = layerPairStats(layers, sw, cka, ckaD);
    const theirs = runPython<Record<string, number>>(`
import json, sys
import numpy as np
from scipy.stats import spearmanr
d = json.load(sys.stdin); L = d['L']
m = {k: np.array(d[k]).reshape(L, L) for k in ('sw', 'cka', 'ckaD')}
iu = np.triu_indices(L, 1)
sw = m['sw'][iu]; oc = 1 - m['cka'][iu]; ocd = 1 - m['ckaD'][iu]
idx = np.array(d['index']); st = np.array(d['stage'])
gap = np.abs(idx[iu[0]] - idx[iu[1]]); same = st[iu[0]] == st[iu[1]]
print(json.dumps(dict(pairs=len(sw), spearmanSwCka=spearmanr(sw, oc)[0], spearmanSwCkaDebiased=spearmanr(sw, ocd)[0],
  spearmanSwLayerGap=spearmanr(sw, gap)[0], spearmanCkaLayerGap=spearmanr(oc, gap)[0],
  swWithinStage=sw[same].mean(), swBetweenStages=sw[~same].mean(), oneMinusCkaWithinStage=oc[same].mean(), oneMinusCkaBetweenStages=oc[~same].mean())))`,
      { L, sw: Array.from(sw), cka: Array.from(cka), ckaD: Array.from(ckaD), index: layers.map((l) => l.index), stage: layers.map((l) => l.stage) });
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const k of Object.keys(theirs)) expect((ours as unknown as Record<string, number>)[k], k).toBeCloseTo(theirs[k], 10);
  });

  it('pcRemovalSensitivity: SW of H1 (gudhi) and 1 − linear CKA after removing k = 0…K top components (numpy SVD)', async () => {
    const r = mulberry32(SEED + 2);
    const cloud = anisotropicCloud(r, 60, 5);
    const ours = await pcRemovalSensitivity(cloud, { maxRemoved: 3 });
    const theirs = runPython<{ sw: number[]; cka: number[] }>(`${PY_SW}
import json, sys
import numpy as np, gudhi
d = json.load(sys.stdin); X = np.array(d['X'], dtype=float)
def h1(P):
    st = gudhi.RipsComplex(points=P).create_simplex_tree(max_dimension=2)
    st.compute_persistence()
    return [[b, de] for b, de in st.persistence_intervals_in_dimension(1)]
def cka(A, B):
    A = A - A.mean(0); B = B - B.mean(0)
    return np.linalg.norm(B.T @ A) ** 2 / (np.linalg.norm(A.T @ A) * np.linalg.norm(B.T @ B))
mu = X.mean(0); _, _, Vt = np.linalg.svd(X - mu, full_matrices=False)
base = h1(X); sw_, cka_ = [], []
for k in range(d['K'] + 1):
    Y = X - ((X - mu) @ Vt[:k].T) @ Vt[:k]
    sw_.append(sw(base, h1(Y), 50)); cka_.append(1 - cka(X, Y))
print(json.dumps(dict(sw=sw_, cka=cka_)))`, { X: rows(cloud), K: 3 });
    expect(ours.removed).toEqual([0, 1, 2, 3]);
    const scale = Math.max(...theirs.sw);
    ours.sw.forEach((v, k) => expect(Math.abs(v - theirs.sw[k]), `SW at k = ${k}`).toBeLessThan(1e-4 * scale + 1e-6));
    ours.oneMinusCka.forEach((v, k) => expect(Math.abs(v - theirs.cka[k]), `1 − CKA at k = ${k}`).toBeLessThan(1e-5));
    expect(ours.sw[0]).toBe(0);
  });

  it('compareModels / sameLayerDistances: per-layer SW and linear CKA of every model pair', () => {
    const r = mulberry32(SEED + 3);
    const models = ['a', 'b', 'c'].map((id) => ({ id, h1: [randomDiagram(r, 5), randomDiagram(r, 8)], clouds: [anisotropicCloud(r, 30, 4), anisotropicCloud(r, 30, 3)] }));
    const ours = compareModels(models, 50);
    const theirs = runPython<{ sw: number[]; cka: number[] }[]>(`${PY_SW}
import json, sys
import numpy as np
def cka(A, B):
    A = A - A.mean(0); B = B - B.mean(0)
    return np.linalg.norm(B.T @ A) ** 2 / (np.linalg.norm(A.T @ A) * np.linalg.norm(B.T @ B))
m = json.load(sys.stdin); out = []
for a in range(len(m)):
    for b in range(a + 1, len(m)):
        out.append(dict(sw=[sw(x, y, 50) for x, y in zip(m[a]['h1'], m[b]['h1'])],
                        cka=[cka(np.array(x), np.array(y)) for x, y in zip(m[a]['clouds'], m[b]['clouds'])]))
print(json.dumps(out))`, models.map((m) => ({ h1: m.h1.map(asJson), clouds: m.clouds.map(rows) })));
    expect(ours.map((p) => `${p.a}-${p.b}`)).toEqual(['a-b', 'a-c', 'b-c']);
    ours.forEach((p, t) => {
      p.sw.forEach((v, i) => expect(v).toBeCloseTo(theirs[t].sw[i], 9));
      p.cka.forEach((v, i) => expect(v).toBeCloseTo(theirs[t].cka[i], 6));
    });
    expect(sameLayerDistances(models[0].h1, models[1].h1, 50)).toEqual(ours[0].sw);
  });
});

describe('cancelling and the compare job API', () => {
  it('an aborted signal rejects every analysis with an AbortError', async () => {
    const c = new AbortController();
    c.abort();
    const cloud = anisotropicCloud(mulberry32(SEED), 40, 3);
    await expect(swMatrix([[], []], 50, { signal: c.signal })).rejects.toSatisfy(isAbort);
    await expect(layerMatrices([cloud, cloud], [[], []], { signal: c.signal })).rejects.toSatisfy(isAbort);
    await expect(pcRemovalSensitivity(cloud, { signal: c.signal })).rejects.toSatisfy(isAbort);
  });

  it('cancel(jobId) stops a running sensitivity job; other jobs and later calls are unaffected', async () => {
    const api = createCompareApi();
    const big = anisotropicCloud(mulberry32(SEED + 4), 300, 6);
    const small = anisotropicCloud(mulberry32(SEED + 5), 40, 3);
    // Cancelled at its first progress report, so it is running whatever the machine's speed.
    const cancelled = api.sensitivity(big, { maxRemoved: 5 }, 1, () => api.cancel(1));
    const other = api.sensitivity(small, { maxRemoved: 2 }, 2);
    await expect(cancelled).rejects.toSatisfy(isAbort);
    expect((await other).removed).toEqual([0, 1, 2]);
    const again = await api.sensitivity(small, { maxRemoved: 2 }, 1);
    expect(again).toEqual(await other);
  });

  it('RTD through the API: a row equals rtdMatrix with that row, its cross-barcodes average to the cell; a cancel stops it', async () => {
    const r = mulberry32(SEED + 7);
    const clouds = [anisotropicCloud(r, 24, 4), anisotropicCloud(r, 24, 5), anisotropicCloud(r, 24, 3), anisotropicCloud(r, 24, 6)];
    const api = createCompareApi();
    const o = { sample: 16, trials: 1, seed: 3 };
    const row = await api.rtdMatrix(clouds, { ...o, rows: [1] }, 8);
    expect(Array.from(row), `seed ${SEED}`).toEqual(Array.from(rtdMatrix(clouds, { ...o, rows: [1] })));
    expect(Number.isNaN(row[0 * 4 + 2])).toBe(true);
    const x = await api.crossBarcodes(clouds[1], clouds[3], { sample: 16, seed: 3 }, 9);
    expect((x.rtdAB + x.rtdBA) / 2).toBeCloseTo(row[1 * 4 + 3], 12);
    expect(x.images).toBe(16);
    const cancelled = api.rtdMatrix(clouds, o, 10, () => api.cancel(10));
    await expect(cancelled).rejects.toSatisfy(isAbort);
  });

  it('acrossModels: same-layer SW and CKA are the cross blocks\' diagonals', async () => {
    const r = mulberry32(SEED + 8);
    const a = { clouds: [anisotropicCloud(r, 20, 3), anisotropicCloud(r, 20, 4)], h1: [randomDiagram(r, 4), randomDiagram(r, 5)] };
    const b = { clouds: [anisotropicCloud(r, 20, 3), anisotropicCloud(r, 20, 2)], h1: [randomDiagram(r, 3), randomDiagram(r, 6)] };
    const x = await createCompareApi().acrossModels(a, b, 11);
    expect(x.k).toBe(2);
    for (let i = 0; i < 2; i++) {
      expect(x.crossSw[i * 2 + i]).toBe(x.sw[i]);
      expect(x.crossCka[i * 2 + i]).toBeCloseTo(x.cka[i], 12);
    }
  });

  it('layerMatrices through the API equals the direct call', async () => {
    const r = mulberry32(SEED + 6);
    const clouds = [anisotropicCloud(r, 30, 4), anisotropicCloud(r, 30, 5), anisotropicCloud(r, 30, 3)];
    const h1 = [randomDiagram(r, 4), randomDiagram(r, 6), randomDiagram(r, 2)];
    expect(await createCompareApi().layerMatrices(clouds, h1.map(packDiagram), { debiased: true }, 7)).toEqual(await layerMatrices(clouds, h1, { debiased: true }));
  });
});

describe('purity across layers', () => {
  it('lift is 0 at chance and 1 for pure nodes; from-layer is the first layer after which a property always holds', () => {
    expect(purityLift(0.1, 0.1)).toBe(0);
    expect(purityLift(1, 0.1)).toBe(1);
    expect(purityLift(1, 1)).toBeNaN();
    const at = (layer: number, separated: boolean, lift: number) => ({ layer, separated, separatedComponents: false, purityLift: lift, superPurityLift: lift }) as MapperSummary;
    const across = purityAcrossLayers([at(1, true, 0.6), at(5, false, 0.2), at(9, true, 0.5), at(13, true, 0.7)], 0.5);
    expect(across).toEqual({ separatedFromLayer: 9, separatedComponentsFromLayer: null, classLiftFromLayer: 9, superLiftFromLayer: 9 });
  });
});
