/**
 * The paper's analyses (method.md §§2–6) on one model and one image set, in one call, as plain JSON-ready data:
 *
 *  1. H0/H1 Vietoris–Rips persistence of every layer's top-L2 cloud (and of the random-position cloud);
 *  2. the layer × layer sliced-Wasserstein matrix on H1 (M = SW_DIRECTIONS = 50) and the linear CKA matrix, and their Spearman rank
 *     correlation over the layer pairs (SW against 1 − CKA, so both read as distances);
 *  3. the same layer across checkpoints of the training run: SW between their H1 diagrams and CKA, per layer;
 *  4. the PC-removal sensitivity curves (SW and 1 − CKA against k removed components) for a few layers;
 *  5. Mapper graphs (paper defaults) of every layer with class purity and super-class separation (superclass.ts);
 *  6. the layer × layer RTD matrix (Barannikov et al. 2022, s sampled images × T trials) and its rank agreement with
 *     SW and CKA;
 *  7. other training seeds of the same recipe: the same layer across seeds (SW, CKA, RTD against the model), the
 *     paper's cross block (model × seed, k × k) and whether a layer is closer to itself across seeds than to the
 *     other layers of its model;
 *  8. PC removal as the paper's code does it: k = 4, 8, … up to the channel count, SW, 1 − CKA and RTD against k / C.
 *
 * Node-side (it runs tfjs models) but writes nothing: run.ts loads inputs and writes the files, figures.ts and
 * report.ts turn the result into SVG and Markdown.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Diagram, ImageDataset, LayerInfo, PointCloud } from '../types';
import { computeLayerClouds, computeModelClouds, type ActivationOptions, type ActivationSource, type LayerCloud, type Normalization } from '../model/activations';
import type { CloudMethod } from '../model/pointClouds';
import { listLayers } from '../model/layers';
import type { ModelCard } from '../model/loadModel';
import { computePersistence, slicedWasserstein, SW_DIRECTIONS, totalPersistence } from '../tda/index';
import { ckaMatrix, linearCka } from '../similarity/cka';
import { buildMapper, MAPPER_DEFAULTS } from '../mapper/index';
import { layerPairStats, swMatrix, type LayerPairStats } from '../analysis/layerMatrices';
import { pcRemovalSensitivity, SENSITIVITY_MAX_REMOVED } from '../analysis/sensitivity';
import { compareModels, type ModelPair } from '../analysis/checkpoints';
import { mapperLayerSummary, purityAcrossLayers, purityChance, type MapperSummary, type PurityAcrossLayers } from '../analysis/purity';
import { superclassesFor } from '../analysis/superclass';
import { rtd as rtdPair, rtdMatrix, RTD_QUICK } from '../analysis/rtd';
import { ckaCrossBlock, sameLayerCloser, swCrossBlock, type SameLayerCloser } from '../analysis/crossSeed';
import { pcRemovalProtocol, PC_REMOVAL_DEFAULTS } from '../analysis/pcRemovalProtocol';
import { spearman, upperTriangle } from '../similarity/rank';

export type { MapperSummary } from '../analysis/purity';

/** Options of a reproduction run; every default is the paper's (or method.md's) setting. */
export interface ReproduceConfig {
  /** 1-based layer indices, or 'all' (default). */
  layers?: 'all' | number[];
  /** Also the random-position cloud's persistence. Default true. */
  random?: boolean;
  /** Seed of the random positions. Default 0. */
  randomSeed?: number;
  /** Directions of the sliced Wasserstein distance. Default 50 (persim's M). */
  swM?: number;
  /** Layers of the sensitivity test (kept only if selected). Default [1, 9, 17]. */
  sensitivityLayers?: number[];
  /** Largest number of removed principal components. Default 10. */
  maxK?: number;
  /** Mapper cover and clustering. Defaults: 40 intervals, overlap 0.4, DBSCAN min_samples 5, eps at the knee. */
  mapper?: { nIntervals?: number; overlap?: number; minSamples?: number };
  /** A node or component "mixes" two super-classes when each is more than this share of it. Default 0.1. */
  mixThreshold?: number;
  /** Lift (purity − chance)/(1 − chance) a layer must reach for "classes/super-classes are separated". Default 0.5. */
  liftThreshold?: number;
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  /** RTD: images sampled per trial (or 'all') and trials, for the matrix, the seeds and the protocol. Default 100 × 1. */
  rtdSample?: number | 'all';
  rtdTrials?: number;
  /** Compute RTD at all (the matrix, across seeds, in the protocol). Default true. */
  rtd?: boolean;
  /** Layers of the paper's PC-removal protocol (kept only if selected). Default [1, 9, 17]. */
  protocolLayers?: number[];
}

/** A model to analyse, already loaded. */
export interface ModelInput {
  id: string;
  /** Where it came from (shown in the report). */
  source: string;
  /** A TF.js layers model, or null when `activations` gives the layers (an ONNX model). */
  model: tf.LayersModel | null;
  card: ModelCard | null;
  /** A model with its own runtime (ONNX): its layers and clouds. */
  activations?: ActivationSource;
  /** Input normalisation when there is no card (an ONNX model's sidecar). */
  normalization?: Normalization;
  /** Frees the model (default: model.dispose()). */
  dispose?(): void;
}

/** The layers a model offers (TF.js: listLayers; otherwise its ActivationSource's). */
export function layersOf(m: ModelInput): LayerInfo[] {
  return m.activations?.layers ?? listLayers(m.model!);
}

function cloudsOf(m: ModelInput, dataset: ImageDataset, options: ActivationOptions & { layers: LayerInfo[] }): Promise<LayerCloud[]> {
  return m.activations ? computeLayerClouds(m.activations, dataset, options.layers, options) : computeModelClouds(m.model!, dataset, options);
}

export interface ReproduceInputs {
  /** The model under study (the trained one). */
  model: ModelInput;
  /** Other checkpoints of the same training run, compared layer by layer with the model (may be empty). */
  checkpoints: ModelInput[];
  /** Other training runs of the same recipe (other seeds), compared with the model (may be empty or absent). */
  seeds?: ModelInput[];
  dataset: ImageDataset;
  datasetSource: string;
}

export interface ReproduceHooks {
  /** Progress lines for long steps. */
  log?: (line: string) => void;
}

/** A persistence pair as JSON: [birth, death], death null for an essential class. */
export type JsonPair = [number, number | null];

export interface DiagramSummary {
  /** Number of pairs (H0 includes the essential class). */
  count: number;
  /** Finite pairs. */
  finite: number;
  /** Σ (death − birth) over finite pairs. */
  total: number;
  /** Largest finite persistence (0 if none). */
  max: number;
  /** Mean birth of the finite pairs (H1: the scale where loops appear). */
  meanBirth: number;
}

export interface LayerPersistence {
  layer: number;
  seconds: number;
  h0: DiagramSummary;
  h1: DiagramSummary;
  /** Full diagrams: dgms[0] = H0, dgms[1] = H1. */
  dgms: JsonPair[][];
}

export interface ModelSummary {
  id: string;
  source: string;
  name: string | null;
  epochs: number | null;
  testAccuracy: number | null;
}

export interface ReproductionResults {
  version: 1;
  createdAt: string;
  config: Required<Omit<ReproduceConfig, 'layers' | 'mapper'>> & {
    layers: number[];
    mapper: { lens: 'l2norm'; nIntervals: number; overlap: number; clusterer: 'dbscan'; minSamples: number; eps: 'knee' };
    cloud: 'top-l2';
    maxdim: 1;
    metric: 'euclidean';
    cka: 'linear';
  };
  model: ModelSummary;
  dataset: { id: string; name: string; source: string; n: number; classNames: string[]; classCounts: number[] };
  layers: (LayerInfo & { dims: number })[];
  persistence: { topL2: LayerPersistence[]; random: LayerPersistence[] | null; swTopL2VsRandom: number[] | null };
  layerComparison: {
    layers: number[];
    /** k × k, row-major nested. */
    sw: number[][];
    cka: number[][];
    ckaDebiased: number[][];
  } & LayerPairStats;
  checkpoints: {
    models: ModelSummary[];
    /** H1 total persistence per model (same order) per layer. */
    h1Total: number[][];
    pairs: ModelPair[];
  } | null;
  sensitivity: { layer: number; k: number[]; sw: number[]; oneMinusCka: number[] }[];
  mapper: {
    superclasses: { names: string[]; ofClass: number[]; pair: [number, number] };
    chancePurity: number;
    chanceSuperPurity: number;
    layers: MapperSummary[];
  } & PurityAcrossLayers;
  /** Symmetric RTD between layers (k × k, zero diagonal), null when RTD is off. */
  rtdMatrix: number[][] | null;
  rtd: { sample: number; trials: number; seed: number; spearmanRtdSw: number; spearmanRtdCka: number } | null;
  seeds: SeedComparison | null;
  pcRemovalProtocol: { layer: number; channels: number; removed: number[]; fraction: number[]; sw: number[]; oneMinusCka: number[]; rtd: number[] | null }[];
  timing: Record<string, number>;
}

/** The model against other seeds of its recipe (models[0] is the model under study). */
export interface SeedComparison {
  models: (ModelSummary & { seed: number | null })[];
  /** H1 total persistence per model per layer. */
  h1Total: number[][];
  /** Every pair of models (indices into models), the same layer: SW, linear CKA; RTD for pairs with the model. */
  sameLayer: { a: number; b: number; sw: number[]; cka: number[]; rtd: number[] | null }[];
  /** The paper's cross block: the model's layers (rows) × the first seed's layers (columns), nested k × k. */
  crossBlock: { a: number; b: number; sw: number[][]; cka: number[][] };
  /** Is the same layer closer across seeds than different layers within one model, for each distance. */
  closer: { sw: SameLayerCloser; oneMinusCka: SameLayerCloser; rtd: SameLayerCloser | null };
}

const DEFAULTS = {
  random: true,
  randomSeed: 0,
  swM: SW_DIRECTIONS,
  sensitivityLayers: [1, 9, 17],
  maxK: SENSITIVITY_MAX_REMOVED,
  mixThreshold: 0.1,
  liftThreshold: 0.5,
  batchSize: 64,
  rtdSample: RTD_QUICK.sample as number | 'all',
  rtdTrials: RTD_QUICK.trials as number,
  rtd: true,
  protocolLayers: [1, 9, 17],
};

function checkInt(name: string, v: number, min: number, max = Infinity): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max === Infinity ? '∞' : max}] (got ${v})`);
  }
}

function summarize(d: Diagram): DiagramSummary {
  let finite = 0, max = 0, births = 0;
  for (const q of d) {
    if (!Number.isFinite(q.death)) continue;
    finite++;
    births += q.birth;
    max = Math.max(max, q.death - q.birth);
  }
  return { count: d.length, finite, total: totalPersistence(d), max, meanBirth: finite > 0 ? births / finite : 0 };
}

function toJsonPairs(d: Diagram): JsonPair[] {
  return d.map((q) => [q.birth, Number.isFinite(q.death) ? q.death : null]);
}

/** Back from JSON pairs to a diagram (null death = essential). */
export function fromJsonPairs(pairs: JsonPair[]): Diagram {
  return pairs.map(([birth, death]) => ({ birth, death: death === null ? Infinity : death }));
}

function nested(m: ArrayLike<number>, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => m[i * k + j]));
}

function modelSummary(m: ModelInput): ModelSummary {
  return {
    id: m.id,
    source: m.source,
    name: m.card?.name ?? null,
    epochs: typeof m.card?.epochs === 'number' ? m.card.epochs : null,
    testAccuracy: typeof m.card?.testAccuracy === 'number' ? m.card.testAccuracy : null,
  };
}

function seconds(t0: number): number {
  return Math.round((performance.now() - t0) / 10) / 100;
}

type Config = typeof DEFAULTS & ReproduceConfig & { mapperOpts: { nIntervals: number; overlap: number; minSamples: number } };

/** Every option checked (RangeError naming it and its range) and every default filled in. */
function resolveConfig(config: ReproduceConfig): Config {
  const c = { ...DEFAULTS, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & ReproduceConfig;
  checkInt('swM', c.swM, 1);
  checkInt('maxK', c.maxK, 0);
  checkInt('batchSize', c.batchSize, 1, 4096);
  checkInt('randomSeed', c.randomSeed, 0);
  checkInt('rtdTrials', c.rtdTrials, 1, 100);
  if (c.rtdSample !== 'all') checkInt('rtdSample', c.rtdSample, 4);
  if (!(c.liftThreshold > 0 && c.liftThreshold <= 1)) throw new RangeError(`liftThreshold must be in (0, 1] (got ${c.liftThreshold})`);
  const mapperOpts = {
    nIntervals: config.mapper?.nIntervals ?? MAPPER_DEFAULTS.nIntervals,
    overlap: config.mapper?.overlap ?? MAPPER_DEFAULTS.overlap,
    minSamples: config.mapper?.minSamples ?? MAPPER_DEFAULTS.minSamples,
  };
  return { ...c, mapperOpts };
}

function selectLayers(model: ModelInput, choice: ReproduceConfig['layers']): LayerInfo[] {
  const all = layersOf(model);
  const layers = choice === undefined || choice === 'all'
    ? all
    : choice.map((k) => {
      const found = all.find((l) => l.index === k);
      if (!found) throw new RangeError(`layers: layer ${k} does not exist (use 1…${all.length})`);
      return found;
    });
  if (layers.length === 0) throw new RangeError('layers: choose at least one layer');
  return layers;
}

/** What every analysis reads: the inputs, the resolved options, the layers and the model's clouds and H1 diagrams. */
interface Context {
  inputs: ReproduceInputs;
  c: Config;
  layers: LayerInfo[];
  clouds: LayerCloud[];
  h1: Diagram[];
  log: (line: string) => void;
}

const normalization = (m: ModelInput) => m.normalization ?? m.card?.normalization ?? { mean: 0, std: 1 };

function persistenceOf(clouds: LayerCloud[], what: string, log: Context['log']): LayerPersistence[] {
  return clouds.map((lc, i) => {
    const t = performance.now();
    const r = computePersistence(lc.cloud, { maxdim: 1 });
    const s = seconds(t);
    log(`persistence (${what}) ${i + 1}/${clouds.length}: layer ${lc.layer.index} ${lc.layer.name} ${lc.cloud.n}×${lc.cloud.d}, ${r.dgms[1].length} H1 bars, ${s.toFixed(2)} s`);
    return { layer: lc.layer.index, seconds: s, h0: summarize(r.dgms[0]), h1: summarize(r.dgms[1]), dgms: [toJsonPairs(r.dgms[0]), toJsonPairs(r.dgms[1])] };
  });
}

/** 1. The random-position cloud's persistence, and its SW to the top-L2 cloud's, layer by layer. */
function randomPositionPersistence({ c, h1, log }: Context, randomClouds: LayerCloud[] | null) {
  if (!randomClouds) return { random: null, swTopL2VsRandom: null };
  const random = persistenceOf(randomClouds, 'random', log);
  return { random, swTopL2VsRandom: random.map((p, i) => slicedWasserstein(h1[i], fromJsonPairs(p.dgms[1]), c.swM)) };
}

/** 2. Layer × layer SW and CKA (linear and debiased), and their rank agreement. */
async function layerComparison({ inputs, c, layers, clouds, h1, log }: Context): Promise<ReproductionResults['layerComparison']> {
  const L = layers.length;
  log(`layer comparison: ${L} × ${L} sliced Wasserstein (M = ${c.swM}) and CKA`);
  const sw = await swMatrix(h1, c.swM);
  const cloudList: PointCloud[] = clouds.map((lc) => lc.cloud);
  const cka = ckaMatrix(cloudList);
  const ckaD = inputs.dataset.n >= 4 ? ckaMatrix(cloudList, { debiased: true }) : new Float64Array(L * L).fill(NaN);
  return {
    layers: layers.map((l) => l.index),
    sw: nested(sw, L),
    cka: nested(cka, L),
    ckaDebiased: nested(ckaD, L),
    ...layerPairStats(layers, sw, cka, ckaD),
  };
}

/** Another model's clouds and H1 diagrams of the same layers (matched by name) on the same images. */
async function otherModelLayers({ inputs, c, layers }: Pick<Context, 'inputs' | 'c' | 'layers'>, m: ModelInput, what: string): Promise<{ h1: Diagram[]; clouds: PointCloud[] }> {
  const mLayers = layersOf(m);
  const sel = layers.map((l) => {
    const f = mLayers.find((x) => x.name === l.name);
    if (!f) throw new RangeError(`${what} ${m.id} has no layer ${l.name}`);
    return f;
  });
  const mc = await cloudsOf(m, inputs.dataset, { layers: sel, normalization: normalization(m), batchSize: c.batchSize });
  return { h1: mc.map((lc) => computePersistence(lc.cloud, { maxdim: 1 }).dgms[1]), clouds: mc.map((lc) => lc.cloud) };
}

/** 3. The same layers across the checkpoints of the training run (the model under study last). */
async function checkpointComparison({ inputs, c, layers, clouds, h1, log }: Context): Promise<ReproductionResults['checkpoints']> {
  if (inputs.checkpoints.length === 0) return null;
  const models = [...inputs.checkpoints, inputs.model];
  const compared = [];
  for (const m of models) {
    if (m === inputs.model) {
      compared.push({ id: m.id, h1, clouds: clouds.map((lc) => lc.cloud) });
      continue;
    }
    log(`checkpoint ${m.id}: activations and H1 of ${layers.length} layer(s)`);
    compared.push({ id: m.id, ...(await otherModelLayers({ inputs, c, layers }, m, 'checkpoint')) });
  }
  return {
    models: models.map(modelSummary),
    h1Total: compared.map((m) => m.h1.map((d) => totalPersistence(d))),
    pairs: compareModels(compared, c.swM),
  };
}

/** The sensitivity layers that were selected; if none, the first, middle and last selected layer. */
function sensitivityLayersOf(c: Config, layers: LayerInfo[]): number[] {
  const kept = c.sensitivityLayers.filter((k) => layers.some((l) => l.index === k));
  if (kept.length > 0) return kept;
  const L = layers.length;
  return [...new Set([layers[0].index, layers[Math.floor((L - 1) / 2)].index, layers[L - 1].index])];
}

/** 4. PC-removal sensitivity of a few layers. */
async function sensitivity({ c, layers, clouds, h1, log }: Context): Promise<ReproductionResults['sensitivity']> {
  const out: ReproductionResults['sensitivity'] = [];
  for (const k of sensitivityLayersOf(c, layers)) {
    const i = layers.findIndex((l) => l.index === k);
    const s = await pcRemovalSensitivity(clouds[i].cloud, { maxRemoved: c.maxK, M: c.swM, base: h1[i] });
    const last = s.removed.length - 1;
    log(`sensitivity: layer ${k}, k = 0…${s.removed[last]}: SW ${s.sw[last].toPrecision(3)}, 1 − CKA ${s.oneMinusCka[last].toPrecision(3)} at k = ${s.removed[last]}`);
    out.push({ layer: k, k: s.removed, sw: s.sw, oneMinusCka: s.oneMinusCka });
  }
  return out;
}

/** 5. Every layer's Mapper graph (paper defaults), its purity and super-class separation, and across layers. */
async function mapperAcrossLayers({ inputs, c, clouds, log }: Context): Promise<ReproductionResults['mapper']> {
  const { dataset } = inputs;
  const spec = superclassesFor(dataset.classNames);
  if (!spec) {
    throw new RangeError(`dataset: super-classes are defined for Fashion-MNIST and CIFAR-10 class names (got ${dataset.classNames.join(', ')})`);
  }
  const labels = dataset.labels;
  const { chance, chanceSuper } = purityChance(labels, spec);
  const layers: MapperSummary[] = [];
  for (const lc of clouds) {
    const t = performance.now();
    const g = await buildMapper(lc.cloud, { labels, ...c.mapperOpts });
    const m = mapperLayerSummary(lc.layer.index, g, labels, { spec, mixThreshold: c.mixThreshold, chance, chanceSuper, seconds: seconds(t) });
    layers.push(m);
    log(`mapper ${layers.length}/${clouds.length}: layer ${m.layer}, ${m.nodes} nodes, ${m.components} components, purity ${m.purity.toFixed(3)}, super-class purity ${m.superPurity.toFixed(3)}, ${m.seconds.toFixed(2)} s`);
  }
  return {
    superclasses: { names: spec.names, ofClass: spec.ofClass, pair: spec.pair },
    chancePurity: chance,
    chanceSuperPurity: chanceSuper,
    layers,
    ...purityAcrossLayers(layers, c.liftThreshold),
  };
}

/** RTD's sampling for this run: s capped by the images there are. */
function rtdOptions(c: Config, n: number) {
  const sample = c.rtdSample === 'all' ? n : Math.min(c.rtdSample, n);
  return { sample, trials: sample === n ? 1 : c.rtdTrials, seed: RTD_QUICK.seed as number };
}

/** 6. The layer × layer RTD matrix, every pair on the same sampled images, and its rank agreement with SW and CKA. */
function rtdLayerMatrix({ inputs, c, layers, clouds, log }: Context, lc: ReproductionResults['layerComparison']) {
  if (!c.rtd || layers.length < 2) return { rtdMatrix: null, rtd: null };
  const o = rtdOptions(c, inputs.dataset.n);
  const L = layers.length;
  log(`RTD matrix: ${(L * (L - 1)) / 2} layer pairs, ${o.sample} images × ${o.trials} trial(s) each`);
  const t0 = performance.now();
  const m = rtdMatrix(clouds.map((x) => x.cloud), {
    ...o,
    onPairDone: (d, all) => {
      if (d % 17 === 0 || d === all) log(`RTD ${d}/${all} pairs, ${seconds(t0).toFixed(0)} s`);
    },
  });
  const r = upperTriangle(m, L);
  const sw = upperTriangle(Float64Array.from(lc.sw.flat()), L);
  const ckaD = upperTriangle(Float64Array.from(lc.cka.flat()), L).map((v) => 1 - v);
  const sp = (b: Float64Array) => (r.length >= 2 ? spearman(r, b) : NaN);
  return { rtdMatrix: nested(m, L), rtd: { ...o, spearmanRtdSw: sp(sw), spearmanRtdCka: sp(ckaD) } };
}

/** 7. Other seeds of the recipe against the model: same layer, the cross block, and the "closer" statement. */
async function seedComparison(ctx: Context, within: { sw: Float64Array; cka: Float64Array; rtd: Float64Array | null }): Promise<SeedComparison | null> {
  const { inputs, c, layers, clouds, h1, log } = ctx;
  const seeds = inputs.seeds ?? [];
  if (seeds.length === 0) return null;
  const L = layers.length;
  const models = [{ m: inputs.model, h1, clouds: clouds.map((x) => x.cloud) }];
  for (const m of seeds) {
    log(`seed ${m.id}: activations and H1 of ${L} layer(s)`);
    models.push({ m, ...(await otherModelLayers(ctx, m, 'seed')) });
  }
  const o = rtdOptions(c, inputs.dataset.n);
  const sameLayer: SeedComparison['sameLayer'] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      const A = models[a], B = models[b];
      // RTD for the pairs with the model under study only (the others would multiply the cost by (S + 1) / 2).
      const withRtd = c.rtd && a === 0;
      if (withRtd) log(`RTD same layer ${A.m.id} vs ${B.m.id}: ${L} layers, ${o.sample} images × ${o.trials} trial(s)`);
      sameLayer.push({
        a,
        b,
        sw: A.h1.map((d, i) => slicedWasserstein(d, B.h1[i], c.swM)),
        cka: A.clouds.map((x, i) => linearCka(x, B.clouds[i])),
        rtd: withRtd ? A.clouds.map((x, i) => rtdPair(x, B.clouds[i], o).rtd) : null,
      });
    }
  }
  // The within-model matrices of every model (the seeds' own SW and CKA, cheap); RTD's only for the model.
  const withinSw = models.map((x, t) => (t === 0 ? within.sw : swMatrixSync(x.h1, c.swM)));
  const withinCka = models.map((x, t) => (t === 0 ? within.cka : ckaMatrix(x.clouds))).map((m) => m.map((v) => 1 - v));
  const closerOf = (w: (Float64Array | null)[], pick: (p: SeedComparison['sameLayer'][number]) => number[] | null) => {
    const pairs = sameLayer.filter((p) => pick(p) !== null && w[p.a] && w[p.b]).map((p) => ({ a: p.a, b: p.b, same: pick(p)! }));
    return pairs.length > 0 ? sameLayerCloser(w as Float64Array[], pairs) : null;
  };
  const B = models[1];
  return {
    models: models.map((x) => ({ ...modelSummary(x.m), seed: typeof x.m.card?.seed === 'number' ? x.m.card.seed : null })),
    h1Total: models.map((x) => x.h1.map((d) => totalPersistence(d))),
    sameLayer,
    crossBlock: { a: 0, b: 1, sw: nested(swCrossBlock(h1, B.h1, c.swM), L), cka: nested(ckaCrossBlock(models[0].clouds, B.clouds), L) },
    closer: {
      sw: closerOf(withinSw, (p) => p.sw)!,
      oneMinusCka: closerOf(withinCka, (p) => p.cka.map((v) => 1 - v))!,
      // RTD's within-model matrix exists for the model only; the statement then compares with the model's layers.
      rtd: within.rtd ? closerOf([within.rtd, ...models.slice(1).map(() => within.rtd)], (p) => p.rtd) : null,
    },
  };
}

function swMatrixSync(dgms: Diagram[], M: number): Float64Array {
  const k = dgms.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) out[i * k + j] = out[j * k + i] = slicedWasserstein(dgms[i], dgms[j], M);
  return out;
}

/** 8. PC removal as the paper's code does it (k = 4, 8, … ≤ C; SW, 1 − CKA, RTD against k / C). */
function protocol({ inputs, c, layers, clouds, h1, log }: Context): ReproductionResults['pcRemovalProtocol'] {
  const out: ReproductionResults['pcRemovalProtocol'] = [];
  const o = rtdOptions(c, inputs.dataset.n);
  for (const k of c.protocolLayers.filter((x) => layers.some((l) => l.index === x))) {
    const i = layers.findIndex((l) => l.index === k);
    const t0 = performance.now();
    const r = pcRemovalProtocol(clouds[i].cloud, {
      measures: c.rtd ? ['sw', 'cka', 'rtd'] : ['sw', 'cka'],
      M: c.swM,
      rtd: o,
      baseH1: h1[i],
    });
    log(`PC removal (paper's protocol): layer ${k}, k = ${PC_REMOVAL_DEFAULTS.step}…${r.removed[r.removed.length - 1] ?? 0} of ${r.channels} channels, ${seconds(t0).toFixed(1)} s`);
    out.push({ layer: k, channels: r.channels, removed: r.removed, fraction: r.fraction, sw: r.sw!, oneMinusCka: r.oneMinusCka!, rtd: r.rtd });
  }
  return out;
}

/** Run every analysis, in order. Throws RangeError on a bad option (the message names it and its range). */
export async function runReproduction(inputs: ReproduceInputs, config: ReproduceConfig = {}, hooks: ReproduceHooks = {}): Promise<ReproductionResults> {
  const c = resolveConfig(config);
  const log = hooks.log ?? (() => {});
  const { dataset } = inputs;
  const timing: Record<string, number> = {};
  const timed = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const value = await run();
    timing[name] = seconds(t0);
    return value;
  };
  const tAll = performance.now();
  const layers = selectLayers(inputs.model, config.layers);

  log(`activations: ${inputs.model.id}, ${layers.length} layer(s), ${dataset.n} images (top-L2${c.random ? ' + random position' : ''})`);
  const modelClouds = (cloud?: CloudMethod) =>
    cloudsOf(inputs.model, dataset, { layers, normalization: normalization(inputs.model), batchSize: c.batchSize, cloud });
  const [clouds, randomClouds] = await timed('activations', async () => [await modelClouds(), c.random ? await modelClouds({ kind: 'random', seed: c.randomSeed }) : null] as const);
  const topL2 = await timed('persistenceTopL2', () => persistenceOf(clouds, 'top-L2', log));
  const ctx: Context = { inputs, c, layers, clouds, h1: topL2.map((p) => fromJsonPairs(p.dgms[1])), log };
  const random = await timed('persistenceRandom', () => randomPositionPersistence(ctx, randomClouds));
  const comparison = await timed('layerComparison', () => layerComparison(ctx));
  const checkpoints = await timed('checkpoints', () => checkpointComparison(ctx));
  const sens = await timed('sensitivity', () => sensitivity(ctx));
  const mapper = await timed('mapper', () => mapperAcrossLayers(ctx));
  const rtdM = await timed('rtdMatrix', () => rtdLayerMatrix(ctx, comparison));
  const flatOf = (m: number[][]) => Float64Array.from(m.flat());
  const seeds = await timed('seeds', () =>
    seedComparison(ctx, { sw: flatOf(comparison.sw), cka: flatOf(comparison.cka), rtd: rtdM.rtdMatrix ? flatOf(rtdM.rtdMatrix) : null }));
  const proto = await timed('pcRemovalProtocol', () => protocol(ctx));
  timing.total = seconds(tAll);

  const classCounts = new Array(dataset.classNames.length).fill(0);
  for (let i = 0; i < dataset.labels.length; i++) classCounts[dataset.labels[i]]++;
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    config: {
      ...DEFAULTS,
      random: c.random,
      randomSeed: c.randomSeed,
      swM: c.swM,
      sensitivityLayers: sensitivityLayersOf(c, layers),
      maxK: c.maxK,
      mixThreshold: c.mixThreshold,
      liftThreshold: c.liftThreshold,
      batchSize: c.batchSize,
      rtdSample: rtdOptions(c, dataset.n).sample,
      rtdTrials: rtdOptions(c, dataset.n).trials,
      rtd: c.rtd,
      protocolLayers: c.protocolLayers.filter((x) => layers.some((l) => l.index === x)),
      layers: layers.map((l) => l.index),
      mapper: { lens: MAPPER_DEFAULTS.lens, clusterer: MAPPER_DEFAULTS.clusterer, eps: MAPPER_DEFAULTS.eps, ...c.mapperOpts },
      cloud: 'top-l2',
      maxdim: 1,
      metric: 'euclidean',
      cka: 'linear',
    },
    model: modelSummary(inputs.model),
    dataset: { id: dataset.id, name: dataset.name, source: inputs.datasetSource, n: dataset.n, classNames: dataset.classNames, classCounts },
    layers: layers.map((l, i) => ({ ...l, dims: clouds[i].cloud.d })),
    persistence: { topL2, ...random },
    layerComparison: comparison,
    checkpoints,
    sensitivity: sens,
    mapper,
    ...rtdM,
    seeds,
    pcRemovalProtocol: proto,
    timing,
  };
}
