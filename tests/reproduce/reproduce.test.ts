import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { loadBundledDataset } from '../../src/data/bundled';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../src/model/loadModelNode';
import { buildResNet18Q } from '../../src/model/resnet';
import { fromJsonPairs, runReproduction, type ReproductionResults } from '../../src/reproduce/pipeline';
import { findSiblingCheckpoints, findSiblings } from '../../src/reproduce/run';
import { findings, ranges, strength, trend } from '../../src/reproduce/report';
import { slicedWasserstein, totalPersistence } from '../../src/tda/index';
import { rtd } from '../../src/analysis/rtd';
import { computeModelClouds } from '../../src/model/activations';
import { listLayers } from '../../src/model/layers';
import { spearman } from '../../src/similarity/rank';
import type { PointCloud } from '../../src/types';

const ROOT = join(__dirname, '../..');
const DATASET = join(ROOT, 'public/datasets/fashion-mnist-1000');
// A bundled checkpoint: the early ones are preferred (the final one may be being replaced while tests run).
const MODEL = ['resnet18q-epoch1', 'resnet18q-init', 'resnet18q-final'].map((m) => join(ROOT, 'public/models', m)).find((d) => existsSync(join(d, 'model.json')));
if (!MODEL) throw new Error('no bundled model under public/models (resnet18q-epoch1, -init or -final): the reproduce tests need one');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

function expectSymmetric(m: number[][]): void {
  for (let i = 0; i < m.length; i++) for (let j = 0; j < m.length; j++) expect(m[i][j]).toBeCloseTo(m[j][i], 12);
}

describe('reproduce pipeline on a small configuration (60 images, layers 1, 9, 17)', () => {
  let r: ReproductionResults;
  let clouds: PointCloud[];
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const { model, card } = await loadModelNode(MODEL!);
    let ds = await loadBundledDataset(DATASET, nodeReadFile);
    const n = 60, per = ds.height * ds.width;
    ds = { ...ds, n, pixels: ds.pixels.subarray(0, n * per), labels: ds.labels.subarray(0, n) };
    // A second "checkpoint": the same architecture with fresh random weights (like the initial checkpoint).
    const fresh = buildResNet18Q();
    // Two stand-ins for other seeds of the recipe: the same weights (a copy of the model: every same-layer distance
    // is 0) and another fresh initialisation.
    const copy = await loadModelNode(MODEL!);
    const other = buildResNet18Q();
    try {
      r = await runReproduction(
        {
          model: { id: 'bundled', source: MODEL!, model, card },
          checkpoints: [{ id: 'fresh', source: 'random init', model: fresh, card: null }],
          seeds: [{ id: 'copy', source: MODEL!, model: copy.model, card: copy.card }, { id: 'other', source: 'random init', model: other, card: null }],
          dataset: ds,
          datasetSource: DATASET,
        },
        { layers: [1, 9, 17], maxK: 3, sensitivityLayers: [1, 17], rtdSample: 40, protocolLayers: [9] },
      );
      clouds = (await computeModelClouds(model, ds, { layers: [1, 9, 17].map((k) => listLayers(model)[k - 1]), normalization: card!.normalization })).map((c) => c.cloud);
    } finally {
      model.dispose();
      fresh.dispose();
      copy.model.dispose();
      other.dispose();
    }
  });

  it('H0 has one essential class and at most n − 1 finite bars per layer; totals match the stored diagrams', () => {
    expect(r.config.layers).toEqual([1, 9, 17]);
    expect(r.layers.map((l) => l.dims)).toEqual([16, 32, 128]);
    for (const p of [...r.persistence.topL2, ...r.persistence.random!]) {
      // Zero-length bars (duplicate points, e.g. random positions on the blank background) are not listed, as in Ripser.
      expect(p.dgms[0].length).toBeLessThanOrEqual(60);
      expect(p.dgms[0].filter(([, d]) => d === null).length).toBe(1);
      expect(p.h0.finite).toBe(p.dgms[0].length - 1);
      expect(p.h0.count).toBe(p.dgms[0].length);
      expect(p.h1.total).toBeCloseTo(totalPersistence(fromJsonPairs(p.dgms[1])), 9);
      for (const [b, d] of p.dgms[1]) expect(d === null || d >= b).toBe(true);
    }
  });

  it('the SW matrix is symmetric with a zero diagonal and is the SW of the stored H1 diagrams', () => {
    const { sw } = r.layerComparison;
    expectSymmetric(sw);
    sw.forEach((row, i) => {
      expect(row[i]).toBe(0);
      row.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    });
    const h1 = r.persistence.topL2.map((p) => fromJsonPairs(p.dgms[1]));
    expect(sw[0][2]).toBeCloseTo(slicedWasserstein(h1[0], h1[2], 50), 9);
    expect(sw[0][1]).toBeGreaterThan(0);
  });

  it('CKA matrices are symmetric, within [0, 1], with ones on the diagonal; correlations within [−1, 1]', () => {
    const lc = r.layerComparison;
    expectSymmetric(lc.cka);
    lc.cka.forEach((row, i) => {
      expect(row[i]).toBeCloseTo(1, 9);
      row.forEach((v) => {
        expect(v).toBeGreaterThanOrEqual(-1e-9);
        expect(v).toBeLessThanOrEqual(1 + 1e-9);
      });
    });
    expectSymmetric(lc.ckaDebiased);
    expect(lc.pairs).toBe(3);
    for (const rho of [lc.spearmanSwCka, lc.spearmanSwCkaDebiased, lc.spearmanSwLayerGap, lc.spearmanCkaLayerGap]) {
      expect(rho).toBeGreaterThanOrEqual(-1);
      expect(rho).toBeLessThanOrEqual(1);
    }
  });

  it('checkpoint comparison: SW ≥ 0 and CKA within [0, 1] per layer for the one pair', () => {
    const c = r.checkpoints!;
    expect(c.models.map((m) => m.id)).toEqual(['fresh', 'bundled']);
    expect(c.pairs).toHaveLength(1);
    expect(c.pairs[0].sw).toHaveLength(3);
    c.pairs[0].sw.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    c.pairs[0].cka.forEach((v) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1 + 1e-9);
    });
    // The model's own H1 totals are reused for it in the checkpoint table.
    expect(c.h1Total[1]).toEqual(r.persistence.topL2.map((p) => p.h1.total));
  });

  it('sensitivity: k = 0 leaves the cloud unchanged (SW 0, 1 − CKA 0), removing components moves both', () => {
    expect(r.sensitivity.map((s) => s.layer)).toEqual([1, 17]);
    for (const s of r.sensitivity) {
      expect(s.k).toEqual([0, 1, 2, 3]);
      expect(s.sw[0]).toBeCloseTo(0, 6);
      expect(Math.abs(s.oneMinusCka[0])).toBeLessThan(1e-6);
      expect(s.oneMinusCka[3]).toBeGreaterThan(0);
      s.oneMinusCka.forEach((v) => expect(v).toBeLessThanOrEqual(1 + 1e-9));
    }
  });

  it('RTD matrix: symmetric, zero diagonal, each cell the RTD of the two layers on the same 40 sampled images', () => {
    const m = r.rtdMatrix!;
    expect(m).toHaveLength(3);
    expectSymmetric(m);
    m.forEach((row, i) => expect(row[i]).toBe(0));
    expect(r.rtd).toMatchObject({ sample: 40, trials: 1, seed: 0 });
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
      const ref = rtd(clouds[i], clouds[j], { sample: 40, trials: 1, seed: 0 }).rtd;
      expect(m[i][j]).toBeGreaterThan(0);
      expect(Math.abs(m[i][j] - ref)).toBeLessThanOrEqual(1e-9 * ref);
    }
    const sw = [r.layerComparison.sw[0][1], r.layerComparison.sw[0][2], r.layerComparison.sw[1][2]];
    expect(r.rtd!.spearmanRtdSw).toBeCloseTo(spearman([m[0][1], m[0][2], m[1][2]], sw), 12);
  });

  it('seeds: a copy of the model is at distance 0 layer by layer; the cross block and the statement follow the matrices', () => {
    const s = r.seeds!;
    expect(s.models.map((x) => x.id)).toEqual(['bundled', 'copy', 'other']);
    expect(s.sameLayer.map((p) => [p.a, p.b])).toEqual([[0, 1], [0, 2], [1, 2]]);
    const copy = s.sameLayer[0];
    copy.sw.forEach((v) => expect(v).toBeCloseTo(0, 9));
    copy.cka.forEach((v) => expect(v).toBeCloseTo(1, 6));
    copy.rtd!.forEach((v) => expect(v).toBeCloseTo(0, 6));
    expect(s.sameLayer[2].rtd).toBeNull(); // RTD only for pairs with the model under study
    // Cross block (model × copy): its diagonal is the same-layer SW, and off the diagonal it is the model's own matrix.
    const lc = r.layerComparison;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      expect(s.crossBlock.sw[i][j]).toBeCloseTo(lc.sw[i][j], 6);
      expect(s.crossBlock.cka[i][j]).toBeCloseTo(lc.cka[i][j], 6);
    }
    // The statement's means, recomputed from the pairs and the within-model matrices (the copy's equal the model's).
    const other = s.sameLayer[1];
    const sameMean = [...copy.sw, ...other.sw, ...s.sameLayer[2].sw].reduce((a, b) => a + b, 0) / 9;
    expect(s.closer.sw.sameLayerAcrossSeeds).toBeCloseTo(sameMean, 9);
    expect(s.closer.sw.perLayer).toHaveLength(3);
    expect(s.closer.rtd).not.toBeNull();
    expect(s.h1Total[0]).toEqual(r.persistence.topL2.map((p) => p.h1.total));
  });

  it("PC removal, the paper's protocol: k = 4, 8, … ≤ rank, x = k / C, all three measures", () => {
    const [p] = r.pcRemovalProtocol;
    expect(p.layer).toBe(9);
    expect(p.channels).toBe(32);
    expect(p.removed).toEqual([4, 8, 12, 16, 20, 24, 28, 32]);
    expect(p.fraction).toEqual(p.removed.map((k) => k / 32));
    expect(p.sw).toHaveLength(8);
    p.oneMinusCka.forEach((v) => expect(v).toBeGreaterThan(0));
    expect(p.oneMinusCka[7]).toBeCloseTo(1, 6); // every component removed: the cloud is its mean
    expect(p.rtd).toHaveLength(8);
    expect(Number.isNaN(p.rtd![7])).toBe(true);
    expect(p.rtd![0]).toBeGreaterThan(0);
  });

  it('Mapper purities lie in [0, 1] and super-class purity is never below class purity', () => {
    const m = r.mapper;
    expect(m.layers).toHaveLength(3);
    expect(m.chancePurity).toBeGreaterThan(0);
    expect(m.chanceSuperPurity).toBeGreaterThan(m.chancePurity);
    for (const l of m.layers) {
      if (l.covered === 0) continue;
      expect(l.purity).toBeGreaterThanOrEqual(0);
      expect(l.superPurity).toBeLessThanOrEqual(1 + 1e-12);
      expect(l.superPurity).toBeGreaterThanOrEqual(l.purity - 1e-12);
      expect(l.graph.size.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(l.covered);
      expect(l.graph.components).toHaveLength(l.nodes);
      expect(l.separatedComponents && !l.separated).toBe(false);
    }
  });
});

describe('convtopo reproduce (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'convtopo-reproduce-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes results.json, the report, the figures, Mapper graphs and the docs copy', async () => {
    const out = join(dir, 'out'), docs = join(dir, 'docs');
    const res = await cli('reproduce', '--model', MODEL!, '--dataset', DATASET, '--out', out, '--docs', docs, '--limit', '60', '--layers', '2,17', '--max-k', '2', '--checkpoints', 'none', '--skip-random');
    expect(res.err).not.toMatch(/Error|at .*\.ts/);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/Spearman\(SW, 1 − CKA\) over 1 layer pairs/);
    expect(res.err).toMatch(/reproduce: persistence \(top-L2\) 1\/2: layer 2/);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ReproductionResults;
    expect(r.dataset.n).toBe(60);
    expect(r.persistence.random).toBeNull();
    expect(r.checkpoints).toBeNull();
    // Sensitivity layers 1, 9, 17 ∩ {2, 17} = {17}.
    expect(r.sensitivity.map((s) => s.layer)).toEqual([17]);
    const figs = readdirSync(join(out, 'figures'));
    expect(figs).toEqual(expect.arrayContaining(['sw-matrix.svg', 'cka-matrix.svg', 'persistence-diagrams.svg', 'mapper-purity.svg', 'sensitivity-sw.svg']));
    expect(figs).not.toContain('checkpoints-sw.svg');
    expect(figs).toEqual(expect.arrayContaining(['rtd-matrix.svg', 'rtd-vs-sw.svg', 'pc-removal-protocol.svg']));
    expect(r.rtdMatrix).toHaveLength(2);
    expect(r.rtd!.sample).toBe(60); // --rtd-sample 100 capped by the 60 images
    expect(r.pcRemovalProtocol.map((p) => p.layer)).toEqual([17]);
    expect(r.seeds).toBeNull(); // resnet18q-epoch1 has no sibling of another seed with as many epochs
    expect(readdirSync(join(out, 'mapper'))).toEqual(['layer-02.json', 'layer-17.json']);
    const kepler = JSON.parse(readFileSync(join(out, 'mapper', 'layer-17.json'), 'utf8'));
    expect(kepler.meta).toMatchObject({ lens: 'l2norm', n_cubes: 40, perc_overlap: 0.4, min_samples: 5 });
    const report = readFileSync(join(docs, 'reproduction.md'), 'utf8');
    expect(report).toMatch(/^# Reproduction/);
    for (const f of readdirSync(join(docs, 'figures'))) expect(report).toContain(`figures/${f}`);
    expect(report).not.toMatch(/NaN|undefined/);

    // Verdicts follow the numbers: the same results with the super-class separation removed say "disagrees".
    const sep = (x: ReproductionResults) => findings(x).find((f) => f.topic === 'Super-classes separate in deep layers')!;
    const never = { ...r, mapper: { ...r.mapper, separatedFromLayer: null, separatedComponentsFromLayer: null } };
    expect(sep(never).verdict).toBe('disagrees');
    expect(sep({ ...r, mapper: { ...r.mapper, separatedFromLayer: 17 } }).verdict).toBe('agrees');
    expect(sep({ ...r, mapper: { ...r.mapper, separatedFromLayer: 2 } }).verdict).toMatch(/before the deep half/);
  });

  it('report helpers: layer ranges and correlation words', () => {
    expect(ranges([1, 2, 3, 6, 8, 9])).toBe('1–3, 6, 8–9');
    expect(ranges([])).toBe('');
    expect(strength(0.1)).toBe('weak positive');
    expect(strength(-0.45)).toBe('moderate negative');
    expect(strength(0.6)).toBe('strong positive');
    expect(trend(0.016)).toBe('hardly follows');
    expect(trend(0.41)).toBe('grows with');
    expect(trend(-0.5)).toBe('shrinks with');
  });

  it('bad options exit 2 with one line naming the option', async () => {
    for (const [args, re] of [
      [['--max-k', '-1'], /--max-k must be an integer from 0 to 64/],
      [['--layers', '0'], /--layers must be all or a comma list/],
      [['--layers', '99'], /layer 99 does not exist \(use 1…17\)/],
      [['--limit', '2'], /--limit must be an integer from 4 to 1000000/],
      [['--mix-threshold', '0.7'], /--mix-threshold must be a number in \[0, 0.5\)/],
      [['--checkpoints', ','], /--checkpoints must be auto, none or a comma list/],
      [['--seeds', ','], /--seeds must be auto, none or a comma list/],
      [['--rtd-sample', '2'], /--rtd-sample must be all or an integer from 4/],
      [['--rtd-trials', '0'], /--rtd-trials must be an integer from 1 to 100/],
    ] as [string[], RegExp][]) {
      const res = await cli('reproduce', '--model', MODEL!, '--dataset', DATASET, '--out', join(dir, 'bad'), '--limit', '20', '--checkpoints', 'none', ...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err.trim().split('\n')).toHaveLength(1);
      expect(res.err).toMatch(re);
    }
    const missing = await cli('reproduce', '--model', join(dir, 'nope'), '--dataset', DATASET, '--out', join(dir, 'bad'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--model .*nope does not exist/);
  });

  it('siblings of another seed with as many epochs are seeds, not checkpoints', () => {
    const root = join(dir, 'models');
    const make = (name: string, card: object | null) => {
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, 'model.json'), '{}');
      if (card) writeFileSync(join(root, name, 'card.json'), JSON.stringify(card));
    };
    make('net-final', { seed: 7, epochs: 12 });
    make('net-init', { seed: 7, epochs: 0 });
    make('net-nocard', null);
    make('net-seed3', { seed: 3, epochs: 12 });
    make('net-seed2', { seed: 2, epochs: 12 });
    make('net-seed4-early', { seed: 4, epochs: 1 }); // another run's checkpoint: neither
    const s = findSiblings(join(root, 'net-final'));
    const names = (v: string[]) => v.map((d) => d.split(/[\\/]/).pop());
    expect(names(s.checkpoints)).toEqual(['net-init', 'net-nocard']);
    expect(names(s.seeds)).toEqual(['net-seed2', 'net-seed3']);
  });

  it('finds the sibling checkpoints of a bundled model, earliest first', () => {
    const sib = findSiblingCheckpoints(join(ROOT, 'public/models/resnet18q-final'));
    for (const d of sib) expect(d).toMatch(/resnet18q-(?!final)/);
    const expected = ['resnet18q-init', 'resnet18q-epoch1'].filter((m) => existsSync(join(ROOT, 'public/models', m, 'model.json')));
    expect(sib.map((d) => d.split(/[\\/]/).pop())).toEqual(expected);
  });
});
