/**
 * RTD against a reference built independently: NumPy forms r₁, r₂ (np.quantile, default linear interpolation) and
 * M = [[0, r₁ᵀ], [r₁, min(r₁, r₂)]], Debian ripser computes VR(M) from M written as a lower-distance matrix with a
 * threshold above every entry, and the reference is the sum of its H1 bar lengths. Fresh clouds every run
 * (CONVTOPO_SEED=… replays one); the bundled model's layers on 160 images through `convtopo rtd`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossBarcode, normalizedDistances, quantileLinear, rtd, rtdMatrix } from '../../src/analysis/rtd';
import { runCli } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';
import { loadBundledDataset } from '../../src/data/bundled';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../src/model/loadModelNode';
import { computeLayerClouds, sourceFromLayersModel } from '../../src/model/activations';
import { selectLayers } from '../../src/model/layers';
import type { Diagram, PointCloud } from '../../src/types';
import { pythonOracle, ripserOracle, runPython } from '../helpers/oracle';
import { SEED, activationLikeCloud, diagramDifference, ripser, rng } from '../tda/helpers';

const ROOT = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'convtopo-rtd-'));
let fileNo = 0;

const oracles = { ripser: ripserOracle(), numpy: pythonOracle(['numpy'], 'python3-numpy') };
const haveOracles = oracles.ripser.available && oracles.numpy.available;

// NumPy builds M for both directions and writes each as ripser's lower-distance text (9 significant digits: the
// float32 value ripser will read); it returns the files and a threshold above every entry.
const CROSS_PY = `
import sys, json, numpy as np
out = []
for a, b, n, base in json.load(sys.stdin):
    A = np.array(a, dtype=np.float64).reshape(n, -1); B = np.array(b, dtype=np.float64).reshape(n, -1)
    def dist(X):
        D = np.sqrt(np.maximum(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1), 0))
        return D / np.quantile(D, 0.9)
    r = [dist(A), dist(B)]
    files = []
    for k, (r1, r2) in enumerate([(r[0], r[1]), (r[1], r[0])]):
        M = np.block([[np.zeros((n, n)), r1.T], [r1, np.minimum(r1, r2)]])
        name = base + '-' + str(k) + '.txt'
        with open(name, 'w') as f:
            for i in range(1, 2 * n):
                f.write(','.join('%.9g' % v for v in M[i, :i]) + '\\n')
        files.append(name)
    out.append({'files': files, 'threshold': float(2 * max(r[0].max(), r[1].max()) + 1)})
print(json.dumps(out))
`;

interface Reference {
  ab: Diagram;
  ba: Diagram;
}

function references(pairs: [PointCloud, PointCloud][]): Reference[] {
  const built = runPython<{ files: string[]; threshold: number }[]>(
    CROSS_PY,
    pairs.map(([a, b]) => [Array.from(a.data), Array.from(b.data), a.n, join(dir, `m${fileNo++}`)]),
  );
  return built.map(({ files, threshold }) => ({
    ab: ripser(files[0], 'lower-distance', 1, threshold)[1],
    ba: ripser(files[1], 'lower-distance', 1, threshold)[1],
  }));
}

const lengths = (d: Diagram) => d.reduce((s, p) => s + p.death - p.birth, 0);
const relClose = (x: number, y: number, rel: number) => Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y), 1e-12);

describe.runIf(oracles.numpy.available)(`RTD's normalisation (seed ${SEED})`, () => {
  it("quantileLinear equals np.quantile's default (linear) on n² distances with ties and the zero diagonal", () => {
    const r = rng(SEED + 1);
    const arrays = [new Float64Array([3]), Float64Array.from({ length: 37 }, () => Math.round(r() * 5)), Float64Array.from({ length: 400 }, () => r())];
    const expected = runPython<number[]>(
      'import sys, json, numpy as np\nprint(json.dumps([float(np.quantile(np.array(a), 0.9)) for a in json.load(sys.stdin)]))',
      arrays.map((a) => Array.from(a)),
    );
    arrays.forEach((a, k) => expect(quantileLinear(a, 0.9)).toBeCloseTo(expected[k], 12));
  });
});

describe.runIf(haveOracles)(`RTD equals the NumPy + ripser reference (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  it('random activation-like pairs: both cross-barcodes pair for pair, and RTD to 1e-4 relative', () => {
    const r = rng(SEED + 2);
    const pairs: [PointCloud, PointCloud][] = [];
    for (let k = 0; k < 4; k++) {
      const n = 20 + Math.floor(r() * 80);
      const a = activationLikeCloud(SEED + 10 + k, n, 4 + Math.floor(r() * 60), 2 + Math.floor(r() * 5), 0.05 + 0.2 * r());
      // b: a's images seen through another random layer (a noisy ReLU mix of a's coordinates), so RTD is moderate.
      const db = 3 + Math.floor(r() * 40);
      const w = Array.from({ length: a.d * db }, () => r() * 2 - 1);
      const data = new Float32Array(n * db);
      for (let i = 0; i < n; i++) {
        for (let t = 0; t < db; t++) {
          let v = 0.3 * (r() - 0.5);
          for (let s = 0; s < a.d; s++) v += a.data[i * a.d + s] * w[s * db + t];
          data[i * db + t] = Math.max(0, v);
        }
      }
      pairs.push([a, { data, n, d: db }]);
    }
    const refs = references(pairs);
    pairs.forEach(([a, b], k) => {
      const ours = rtd(a, b, { sample: 'all', barcode: true }).trials[0];
      const what = `pair ${k} (n = ${a.n}, d = ${a.d} and ${b.d}; seed ${SEED})`;
      expect(diagramDifference(ours.barcode!.ab, refs[k].ab), `RTD(A, B) cross-barcode, ${what}`).toBeNull();
      expect(diagramDifference(ours.barcode!.ba, refs[k].ba), `RTD(B, A) cross-barcode, ${what}`).toBeNull();
      expect(relClose(ours.ab, lengths(refs[k].ab), 1e-4), `RTD(A, B) ${ours.ab} vs ${lengths(refs[k].ab)}, ${what}`).toBe(true);
      expect(relClose(ours.ba, lengths(refs[k].ba), 1e-4), `RTD(B, A) ${ours.ba} vs ${lengths(refs[k].ba)}, ${what}`).toBe(true);
      expect(ours.ab).toBeGreaterThan(0);
    });
  }, 120_000);
});

describe(`RTD, properties (seed ${SEED})`, () => {
  const a = activationLikeCloud(SEED + 30, 60, 12, 3, 0.1), b = activationLikeCloud(SEED + 31, 60, 8, 2, 0.1);

  it('is 0 between a layer and itself, and blind to scale and to rotating the features', () => {
    expect(rtd(a, a, { sample: 'all' }).rtd).toBe(0);
    // Scale by 3 and swap two coordinates (a rotation by a permutation): the same normalised distances.
    const c: PointCloud = { ...a, data: a.data.map((v, i) => 3 * a.data[i % a.d === 0 ? i + 1 : i % a.d === 1 ? i - 1 : i] + 0 * v) };
    const x = rtd(a, b, { sample: 'all' }), y = rtd(c, b, { sample: 'all' });
    expect(y.ab).toBeCloseTo(x.ab, 4);
    expect(y.ba).toBeCloseTo(x.ba, 4);
    expect(x.rtd).toBeCloseTo((x.ab + x.ba) / 2, 12);
  });

  it('a trial of s sampled images is RTD on exactly those rows; trials are seeded and averaged', () => {
    const r = rtd(a, b, { sample: 25, trials: 3, seed: 7 });
    expect(r.trials).toHaveLength(3);
    for (const t of r.trials) {
      expect(t.images).toHaveLength(25);
      expect(new Set(t.images).size).toBe(25);
      const sub = (c: PointCloud) => ({ n: 25, d: c.d, data: Float32Array.from(t.images.flatMap((i) => Array.from(c.data.subarray(i * c.d, (i + 1) * c.d)))) });
      const direct = rtd(sub(a), sub(b), { sample: 'all' });
      expect(direct.ab).toBeCloseTo(t.ab, 12);
      expect(direct.ba).toBeCloseTo(t.ba, 12);
    }
    expect(r.ab).toBeCloseTo((r.trials[0].ab + r.trials[1].ab + r.trials[2].ab) / 3, 12);
    expect(rtd(a, b, { sample: 25, trials: 3, seed: 7 })).toEqual(r);
    expect(rtd(a, b, { sample: 25, trials: 3, seed: 8 }).trials[0].images).not.toEqual(r.trials[0].images);
  });

  it("the RTD matrix is symmetric with a zero diagonal, cell by cell the pair's RTD; a row on demand leaves the rest NaN", () => {
    const c = activationLikeCloud(SEED + 32, 60, 5, 2, 0.1);
    const m = rtdMatrix([a, b, c], { sample: 30, trials: 2, seed: 1 });
    expect(m[0]).toBe(0);
    expect(m[4]).toBe(0);
    expect(m[1]).toBe(m[3]);
    expect(m[1]).toBeCloseTo(rtd(a, b, { sample: 30, trials: 2, seed: 1 }).rtd, 12);
    expect(m[5]).toBeCloseTo(rtd(b, c, { sample: 30, trials: 2, seed: 1 }).rtd, 12);
    const row = rtdMatrix([a, b, c], { sample: 'all', rows: [0] });
    expect(Number.isNaN(row[5])).toBe(true);
    expect(row[2]).toBeCloseTo(rtd(a, c, { sample: 'all' }).rtd, 12);
  });

  it('the cross-barcode has only finite H1 bars (no threshold: VR(M) ends contractible)', () => {
    const bars = crossBarcode(normalizedDistances(a), normalizedDistances(b), a.n);
    expect(bars.length).toBeGreaterThan(0);
    for (const p of bars) expect(Number.isFinite(p.death)).toBe(true);
  });

  it('refuses bad options naming them', () => {
    expect(() => rtd(a, b, { sample: 1 })).toThrow(/sample/);
    expect(() => rtd(a, b, { sample: 61 })).toThrow(/sample/);
    expect(() => rtd(a, b, { trials: 0 })).toThrow(/trials/);
    expect(() => rtd(a, { ...b, n: 59, data: b.data.subarray(0, 59 * 8) })).toThrow(/same images/);
    const flat: PointCloud = { n: 10, d: 2, data: new Float32Array(20) };
    expect(() => rtd(flat, flat, { sample: 'all' })).toThrow(/quantile/);
  });
});

async function cli(argv: string[]) {
  let stdout = '', stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function npy(c: PointCloud): string {
  const f = join(dir, `c${fileNo++}.npy`);
  writeFileSync(f, writeNpy(c.data, [c.n, c.d]));
  return f;
}

describe.runIf(haveOracles)(`convtopo rtd on the bundled model's layers, 160 images (seed ${SEED})`, () => {
  const LAYERS = [1, 5, 9, 13, 17];
  let clouds: PointCloud[] = [];
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const { model, card } = await loadModelNode(join(ROOT, 'public/models/resnet18q-final'));
    const full = await loadBundledDataset(join(ROOT, 'public/datasets/fashion-mnist-1000'), nodeReadFile);
    const n = 160, per = full.height * full.width * full.channels;
    const ds = { ...full, n, pixels: full.pixels.subarray(0, n * per), labels: full.labels.subarray(0, n) };
    const source = sourceFromLayersModel(model);
    clouds = (await computeLayerClouds(source, ds, selectLayers(source.layers, LAYERS), { normalization: card.normalization })).map((c) => c.cloud);
    model.dispose();
  }, 120_000);

  it('--sample all --trials 1 equals the ripser-built reference to 1e-4 relative, both directions, on two random layer pairs', async () => {
    const r = rng(SEED + 40);
    const picks: [number, number][] = [];
    while (picks.length < 2) {
      const i = Math.floor(r() * LAYERS.length), j = Math.floor(r() * LAYERS.length);
      if (i !== j && !picks.some(([x, y]) => x === i && y === j)) picks.push([i, j]);
    }
    const refs = references(picks.map(([i, j]) => [clouds[i], clouds[j]]));
    for (let k = 0; k < picks.length; k++) {
      const [i, j] = picks[k];
      const out = await cli(['rtd', '--a', npy(clouds[i]), '--b', npy(clouds[j]), '--sample', 'all', '--trials', '1']);
      expect(out.code, out.stderr).toBe(0);
      const json = JSON.parse(out.stdout) as { ab: number; ba: number; rtd: number; trials: { ab: number; ba: number }[] };
      const what = `layers ${LAYERS[i]} and ${LAYERS[j]} (seed ${SEED})`;
      expect(relClose(json.ab, lengths(refs[k].ab), 1e-4), `RTD(A, B) ${json.ab} vs ${lengths(refs[k].ab)}, ${what}`).toBe(true);
      expect(relClose(json.ba, lengths(refs[k].ba), 1e-4), `RTD(B, A) ${json.ba} vs ${lengths(refs[k].ba)}, ${what}`).toBe(true);
      expect(json.rtd).toBeCloseTo((json.ab + json.ba) / 2, 12);
      expect(json.trials).toHaveLength(1);
    }
  }, 300_000);

  it('--barcode prints the cross-barcodes; bad usage exits 2 with one line', async () => {
    const fa = npy(clouds[0]), fb = npy(clouds[4]);
    const out = await cli(['rtd', '--a', fa, '--b', fb, '--sample', '40', '--trials', '2', '--seed', '3', '--barcode']);
    expect(out.code, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout) as { ab: number; trials: { ab: number; images: number[]; barcode: { ab: [number, number][]; ba: [number, number][] } }[] };
    expect(json.trials).toHaveLength(2);
    for (const t of json.trials) {
      expect(t.images).toHaveLength(40);
      expect(t.barcode.ab.reduce((s, [b, d]) => s + d - b, 0)).toBeCloseTo(t.ab, 9);
    }
    const small = npy({ ...clouds[1], n: 100, data: clouds[1].data.subarray(0, 100 * clouds[1].d) });
    for (const args of [['--sample', '1'], ['--sample', '500'], ['--trials', '0'], ['--seed', '-1']]) {
      const bad = await cli(['rtd', '--a', fa, '--b', fb, ...args]);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }
    const mismatch = await cli(['rtd', '--a', fa, '--b', small]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/same images/);
  }, 120_000);
});
