/**
 * The paper's analyses (method.md §§2–6) on one model and one image set, in one call, as plain JSON-ready data:
 *
 *  1. H0/H1 Vietoris–Rips persistence of every layer's top-L2 cloud (and of the random-position cloud);
 *  2. the layer × layer sliced-Wasserstein matrix on H1 (M = 50) and the linear CKA matrix, and their Spearman rank
 *     correlation over the layer pairs (SW against 1 − CKA, so both read as distances);
 *  3. the same layer across checkpoints of the training run: SW between their H1 diagrams and CKA, per layer;
 *  4. the PC-removal sensitivity curves (SW and 1 − CKA against k removed components) for a few layers;
 *  5. Mapper graphs (paper defaults) of every layer with class purity and super-class separation (superclass.ts).
 *
 * Node-side (it runs tfjs models) but writes nothing: run.ts loads inputs and writes the files, figures.ts and
 * report.ts turn the result into SVG and Markdown.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Diagram, ImageDataset, LayerInfo, PointCloud } from '../types';
import { computeLayerClouds, computeModelClouds, type ActivationOptions, type ActivationSource, type LayerCloud, type Normalization } from '../model/activations';
import { listLayers } from '../model/layers';
import type { ModelCard } from '../model/loadModel';
import { computePersistence, slicedWasserstein, totalPersistence } from '../tda/index';
import { ckaMatrix, linearCka } from '../similarity/cka';
import { principalDirections, removeTopComponents } from '../similarity/pcRemoval';
import { spearman, upperTriangle } from '../similarity/rank';
import { buildMapper } from '../mapper/index';
import { chancePurity, firstFromWhichAlways, superclassesFor, superclassSeparation, superLabels, type SuperclassSeparation, type SuperclassSpec } from './superclass';

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

/** One layer's Mapper graph and what it says; the super-class fields are superclassSeparation's (per-node majority aside). */
export interface MapperSummary extends Omit<SuperclassSeparation, 'nodeMajority'> {
  layer: number;
  seconds: number;
  nodes: number;
  edges: number;
  components: number;
  /** Nodes of the largest component / all nodes. */
  largestComponentShare: number;
  eps: number | null;
  /** Points in at least one node. */
  covered: number;
  /** Graph purity with the 10 classes. */
  purity: number;
  /** (purity − chance) / (1 − chance). */
  purityLift: number;
  superPurityLift: number;
  /** The graph: per node mean lens, size, class counts, member image indices; edges [source, target]; component per node. */
  graph: { lens: number[]; size: number[]; classCounts: number[][]; edges: [number, number][]; components: number[]; members: number[][] };
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
    pairs: number;
    /** Spearman over the pairs i < j between SW and 1 − CKA (and 1 − debiased CKA). */
    spearmanSwCka: number;
    spearmanSwCkaDebiased: number;
    /** Spearman between each distance and the layer gap |i − j| (do distances grow with depth apart?). */
    spearmanSwLayerGap: number;
    spearmanCkaLayerGap: number;
    /** Mean SW over pairs in the same stage / in different stages. */
    swWithinStage: number;
    swBetweenStages: number;
    oneMinusCkaWithinStage: number;
    oneMinusCkaBetweenStages: number;
  };
  checkpoints: {
    models: ModelSummary[];
    /** H1 total persistence per model (same order) per layer. */
    h1Total: number[][];
    pairs: { a: string; b: string; sw: number[]; cka: number[] }[];
  } | null;
  sensitivity: { layer: number; k: number[]; sw: number[]; oneMinusCka: number[] }[];
  mapper: {
    superclasses: { names: string[]; ofClass: number[]; pair: [number, number] };
    chancePurity: number;
    chanceSuperPurity: number;
    layers: MapperSummary[];
    /** Layer index from which footwear and upper-body garments stay separated (branches / components); null = never. */
    separatedFromLayer: number | null;
    separatedComponentsFromLayer: number | null;
    /** Layer index from which the class / super-class purity lift stays ≥ liftThreshold; null = never. */
    classLiftFromLayer: number | null;
    superLiftFromLayer: number | null;
  };
  timing: Record<string, number>;
}

const DEFAULTS = {
  random: true,
  randomSeed: 0,
  swM: 50,
  sensitivityLayers: [1, 9, 17],
  maxK: 10,
  mixThreshold: 0.1,
  liftThreshold: 0.5,
  batchSize: 64,
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

/** Run every analysis. Throws RangeError on a bad option (the message names it and its range). */
export async function runReproduction(inputs: ReproduceInputs, config: ReproduceConfig = {}, hooks: ReproduceHooks = {}): Promise<ReproductionResults> {
  const c = { ...DEFAULTS, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & ReproduceConfig;
  const log = hooks.log ?? (() => {});
  checkInt('swM', c.swM, 1);
  checkInt('maxK', c.maxK, 0);
  checkInt('batchSize', c.batchSize, 1, 4096);
  checkInt('randomSeed', c.randomSeed, 0);
  const mapperOpts = { nIntervals: config.mapper?.nIntervals ?? 40, overlap: config.mapper?.overlap ?? 0.4, minSamples: config.mapper?.minSamples ?? 5 };
  if (!(c.liftThreshold > 0 && c.liftThreshold <= 1)) throw new RangeError(`liftThreshold must be in (0, 1] (got ${c.liftThreshold})`);
  const { dataset } = inputs;
  const timing: Record<string, number> = {};
  const tAll = performance.now();

  const allLayers = layersOf(inputs.model);
  const layers = config.layers === undefined || config.layers === 'all'
    ? allLayers
    : config.layers.map((k) => {
      const found = allLayers.find((l) => l.index === k);
      if (!found) throw new RangeError(`layers: layer ${k} does not exist (use 1…${allLayers.length})`);
      return found;
    });
  if (layers.length === 0) throw new RangeError('layers: choose at least one layer');
  const L = layers.length;
  const norm = (m: ModelInput) => m.normalization ?? m.card?.normalization ?? { mean: 0, std: 1 };

  // ---- clouds of the model under study
  let t0 = performance.now();
  log(`activations: ${inputs.model.id}, ${L} layer(s), ${dataset.n} images (top-L2${c.random ? ' + random position' : ''})`);
  const clouds = await cloudsOf(inputs.model, dataset, { layers, normalization: norm(inputs.model), batchSize: c.batchSize });
  const randomClouds = c.random
    ? await cloudsOf(inputs.model, dataset, { layers, normalization: norm(inputs.model), batchSize: c.batchSize, cloud: { kind: 'random', seed: c.randomSeed } })
    : null;
  timing.activations = seconds(t0);

  // ---- 1. persistence
  const persistenceOf = (cls: LayerCloud[], what: string): LayerPersistence[] =>
    cls.map((lc, i) => {
      const t = performance.now();
      const r = computePersistence(lc.cloud, { maxdim: 1 });
      const s = seconds(t);
      log(`persistence (${what}) ${i + 1}/${cls.length}: layer ${lc.layer.index} ${lc.layer.name} ${lc.cloud.n}×${lc.cloud.d}, ${r.dgms[1].length} H1 bars, ${s.toFixed(2)} s`);
      return { layer: lc.layer.index, seconds: s, h0: summarize(r.dgms[0]), h1: summarize(r.dgms[1]), dgms: [toJsonPairs(r.dgms[0]), toJsonPairs(r.dgms[1])] };
    });
  t0 = performance.now();
  const topL2 = persistenceOf(clouds, 'top-L2');
  timing.persistenceTopL2 = seconds(t0);
  t0 = performance.now();
  const random = randomClouds ? persistenceOf(randomClouds, 'random') : null;
  timing.persistenceRandom = seconds(t0);
  const h1 = topL2.map((p) => fromJsonPairs(p.dgms[1]));
  const swTopL2VsRandom = random ? random.map((p, i) => slicedWasserstein(h1[i], fromJsonPairs(p.dgms[1]), c.swM)) : null;

  // ---- 2. layer × layer SW and CKA
  t0 = performance.now();
  log(`layer comparison: ${L} × ${L} sliced Wasserstein (M = ${c.swM}) and CKA`);
  const sw = new Float64Array(L * L);
  for (let i = 0; i < L; i++) for (let j = 0; j < i; j++) sw[i * L + j] = sw[j * L + i] = slicedWasserstein(h1[i], h1[j], c.swM);
  const cloudList: PointCloud[] = clouds.map((lc) => lc.cloud);
  const cka = ckaMatrix(cloudList);
  const ckaD = dataset.n >= 4 ? ckaMatrix(cloudList, { debiased: true }) : new Float64Array(L * L).fill(NaN);
  const swU = upperTriangle(sw, L);
  const oneMinus = (m: Float64Array) => upperTriangle(m, L).map((v) => 1 - v);
  const gap = new Float64Array(swU.length);
  const sameStage: boolean[] = [];
  for (let i = 0, t = 0; i < L; i++) for (let j = i + 1; j < L; j++, t++) {
    gap[t] = Math.abs(layers[i].index - layers[j].index);
    sameStage.push(layers[i].stage === layers[j].stage);
  }
  const meanWhere = (v: ArrayLike<number>, want: boolean) => {
    let s = 0, n = 0;
    for (let t = 0; t < v.length; t++) if (sameStage[t] === want) { s += v[t]; n++; }
    return n > 0 ? s / n : NaN;
  };
  const ckaDist = oneMinus(cka);
  const pairs = swU.length;
  const sp = (a: ArrayLike<number>, b: ArrayLike<number>) => (pairs >= 2 ? spearman(a, b) : NaN);
  const layerComparison = {
    layers: layers.map((l) => l.index),
    sw: nested(sw, L),
    cka: nested(cka, L),
    ckaDebiased: nested(ckaD, L),
    pairs,
    spearmanSwCka: sp(swU, ckaDist),
    spearmanSwCkaDebiased: sp(swU, oneMinus(ckaD)),
    spearmanSwLayerGap: sp(swU, gap),
    spearmanCkaLayerGap: sp(ckaDist, gap),
    swWithinStage: meanWhere(swU, true),
    swBetweenStages: meanWhere(swU, false),
    oneMinusCkaWithinStage: meanWhere(ckaDist, true),
    oneMinusCkaBetweenStages: meanWhere(ckaDist, false),
  };
  timing.layerComparison = seconds(t0);

  // ---- 3. checkpoints
  t0 = performance.now();
  let checkpoints: ReproductionResults['checkpoints'] = null;
  if (inputs.checkpoints.length > 0) {
    const models = [...inputs.checkpoints, inputs.model];
    const h1s: Diagram[][] = [];
    const cls: LayerCloud[][] = [];
    for (const m of models) {
      if (m === inputs.model) {
        h1s.push(h1);
        cls.push(clouds);
        continue;
      }
      log(`checkpoint ${m.id}: activations and H1 of ${L} layer(s)`);
      const mLayers = layersOf(m);
      const sel = layers.map((l) => {
        const f = mLayers.find((x) => x.name === l.name);
        if (!f) throw new RangeError(`checkpoint ${m.id} has no layer ${l.name}`);
        return f;
      });
      const mc = await cloudsOf(m, dataset, { layers: sel, normalization: norm(m), batchSize: c.batchSize });
      cls.push(mc);
      h1s.push(mc.map((lc) => computePersistence(lc.cloud, { maxdim: 1 }).dgms[1]));
    }
    const pairList: { a: string; b: string; sw: number[]; cka: number[] }[] = [];
    for (let a = 0; a < models.length; a++) {
      for (let b = a + 1; b < models.length; b++) {
        pairList.push({
          a: models[a].id,
          b: models[b].id,
          sw: layers.map((_, i) => slicedWasserstein(h1s[a][i], h1s[b][i], c.swM)),
          cka: layers.map((_, i) => linearCka(cls[a][i].cloud, cls[b][i].cloud)),
        });
      }
    }
    checkpoints = { models: models.map(modelSummary), h1Total: h1s.map((hs) => hs.map((d) => totalPersistence(d))), pairs: pairList };
  }
  timing.checkpoints = seconds(t0);

  // ---- 4. sensitivity (PC removal)
  t0 = performance.now();
  const sensitivity: ReproductionResults['sensitivity'] = [];
  let sensLayers = c.sensitivityLayers.filter((k) => layers.some((l) => l.index === k));
  if (sensLayers.length === 0) sensLayers = [...new Set([layers[0].index, layers[Math.floor((L - 1) / 2)].index, layers[L - 1].index])];
  for (const k of sensLayers) {
    const i = layers.findIndex((l) => l.index === k);
    const cloud = clouds[i].cloud;
    const pcs = principalDirections(cloud);
    const kMax = Math.min(c.maxK, pcs.count);
    const ks: number[] = [], sws: number[] = [], ckas: number[] = [];
    for (let r = 0; r <= kMax; r++) {
      const reduced = removeTopComponents(cloud, r, pcs);
      ks.push(r);
      sws.push(slicedWasserstein(h1[i], computePersistence(reduced, { maxdim: 1 }).dgms[1], c.swM));
      ckas.push(1 - linearCka(cloud, reduced));
    }
    log(`sensitivity: layer ${k}, k = 0…${kMax}: SW ${sws[sws.length - 1].toPrecision(3)}, 1 − CKA ${ckas[ckas.length - 1].toPrecision(3)} at k = ${kMax}`);
    sensitivity.push({ layer: k, k: ks, sw: sws, oneMinusCka: ckas });
  }
  timing.sensitivity = seconds(t0);

  // ---- 5. Mapper
  t0 = performance.now();
  const spec: SuperclassSpec | null = superclassesFor(dataset.classNames);
  if (!spec) {
    throw new RangeError(`dataset: super-classes are defined for Fashion-MNIST and CIFAR-10 class names (got ${dataset.classNames.join(', ')})`);
  }
  const labels = dataset.labels;
  const chance = chancePurity(labels);
  const chanceSuper = chancePurity(superLabels(labels, spec));
  const lift = (p: number, ch: number) => (ch < 1 ? (p - ch) / (1 - ch) : NaN);
  const mapperLayers: MapperSummary[] = [];
  for (const lc of clouds) {
    const t = performance.now();
    const g = await buildMapper(lc.cloud, { labels, ...mapperOpts });
    const sep = superclassSeparation(g, labels, { spec, mixThreshold: c.mixThreshold });
    const compNodes = new Array(g.nComponents).fill(0);
    for (let q = 0; q < g.nodes.length; q++) compNodes[g.components[q]]++;
    const purity = g.purity?.graph ?? NaN;
    const s = seconds(t);
    mapperLayers.push({
      layer: lc.layer.index,
      seconds: s,
      nodes: g.nodes.length,
      edges: g.edges.length,
      components: g.nComponents,
      largestComponentShare: g.nodes.length > 0 ? Math.max(...compNodes) / g.nodes.length : 0,
      eps: g.eps,
      covered: g.purity?.covered ?? 0,
      purity,
      purityLift: lift(purity, chance),
      superPurity: sep.superPurity,
      superPurityLift: lift(sep.superPurity, chanceSuper),
      mixedNodes: sep.mixedNodes,
      pointsInMixedNodes: sep.pointsInMixedNodes,
      crossEdges: sep.crossEdges,
      crossEdgeFraction: sep.crossEdgeFraction,
      heterogeneousEdgeFraction: sep.heterogeneousEdgeFraction,
      mixedComponents: sep.mixedComponents,
      separated: sep.separated,
      separatedComponents: sep.separatedComponents,
      graph: {
        lens: g.nodes.map((nd) => nd.meanLens[0]),
        size: g.nodes.map((nd) => nd.members.length),
        classCounts: g.nodes.map((nd) => Array.from(nd.classCounts ?? [])),
        edges: g.edges.map((e) => [e.source, e.target]),
        components: Array.from(g.components),
        members: g.nodes.map((nd) => Array.from(nd.members)),
      },
    });
    log(`mapper ${mapperLayers.length}/${L}: layer ${lc.layer.index}, ${g.nodes.length} nodes, ${g.nComponents} components, purity ${purity.toFixed(3)}, super-class purity ${sep.superPurity.toFixed(3)}, ${s.toFixed(2)} s`);
  }
  const fromLayer = (flags: boolean[]) => {
    const i = firstFromWhichAlways(flags);
    return i >= 0 ? layers[i].index : null;
  };
  timing.mapper = seconds(t0);
  timing.total = seconds(tAll);

  const classCounts = new Array(dataset.classNames.length).fill(0);
  for (let i = 0; i < labels.length; i++) classCounts[labels[i]]++;
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    config: {
      ...DEFAULTS,
      random: c.random,
      randomSeed: c.randomSeed,
      swM: c.swM,
      sensitivityLayers: sensLayers,
      maxK: c.maxK,
      mixThreshold: c.mixThreshold,
      liftThreshold: c.liftThreshold,
      batchSize: c.batchSize,
      layers: layers.map((l) => l.index),
      mapper: { lens: 'l2norm', clusterer: 'dbscan', eps: 'knee', ...mapperOpts },
      cloud: 'top-l2',
      maxdim: 1,
      metric: 'euclidean',
      cka: 'linear',
    },
    model: modelSummary(inputs.model),
    dataset: { id: dataset.id, name: dataset.name, source: inputs.datasetSource, n: dataset.n, classNames: dataset.classNames, classCounts },
    layers: layers.map((l, i) => ({ ...l, dims: clouds[i].cloud.d })),
    persistence: { topL2, random, swTopL2VsRandom },
    layerComparison,
    checkpoints,
    sensitivity,
    mapper: {
      superclasses: { names: spec.names, ofClass: spec.ofClass, pair: spec.pair },
      chancePurity: chance,
      chanceSuperPurity: chanceSuper,
      layers: mapperLayers,
      separatedFromLayer: fromLayer(mapperLayers.map((m) => m.separated)),
      separatedComponentsFromLayer: fromLayer(mapperLayers.map((m) => m.separatedComponents)),
      classLiftFromLayer: fromLayer(mapperLayers.map((m) => m.purityLift >= c.liftThreshold)),
      superLiftFromLayer: fromLayer(mapperLayers.map((m) => m.superPurityLift >= c.liftThreshold)),
    },
    timing,
  };
}
