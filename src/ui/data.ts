/**
 * The page's data path as hooks: dataset → model → every layer's cloud → persistence / Mapper / layer matrices.
 * Each step is a tracked job keyed by the content identity of all of its inputs (src/state/keys.ts), so switching
 * back to a layer or a parameter set is instant and only a changed input recomputes.
 *
 * Results carry their inputs: the clouds come with the key they were computed under and the analysed images they
 * were computed from, and every later key is built from that key. A hook returns a result only for the key asked
 * for now (useJob), so a view never shows one dataset's diagram under another's header.
 */
import { useMemo } from 'react';
import { datasetFingerprint } from '../data/fingerprint';
import { datasetSubset, subsetIndices } from '../data/subset';
import { assetUrl, isBundledDataset, isBundledModel } from '../state/catalog';
import { jobs } from '../state/jobs';
import { persistenceBytes, persistenceListBytes } from '../state/byteSize';
import * as keys from '../state/keys';
import { throwIfAborted } from '../abort';
import type { CloudMethod as CloudSpec } from '../model/pointClouds';
import type { MapperParams, ViewState } from '../state/viewState';
import type { ImageDataset, LayerCloudData, ModelSummary, PointCloud } from '../types';
import type { H1Loop, SlicedKind } from '../tda/index';
import { cocycleCount, cocycleEdges } from '../tda/packedCocycles';
import { packDiagram, type PackedDiagram } from '../tda/packedDiagram';
import type { TdaJobResult } from '../tda/jobs';
import { planLandmarks, planPersistence, type LandmarkSetting, type PersistencePlan } from '../state/persistencePlan';
import type { MapperGraph, MapperOptions } from '../mapper/index';
import type { LayerMatrices } from '../analysis/layerMatrices';
import { bundledDatasetWorker, compareWorker, Comlink, mapperWorker, modelWorker, tdaPool } from '../state/workers';
import { useJob, type JobState } from './useJob';

const noCancel = () => {};

/** A loaded dataset and the fingerprint of its content (what every key downstream names). */
export interface LoadedDataset {
  dataset: ImageDataset;
  fingerprint: string;
}

/** A result and the key of the inputs it was computed from. */
export interface Keyed<T> {
  key: string;
  value: T;
}

/** Every layer's cloud, with what it was computed from. */
export interface CloudSet {
  key: string;
  modelId: string;
  /** The analysed images (the dataset or its seeded subset): point i of a per-image cloud is image i here. */
  dataset: ImageDataset;
  /** Index of each analysed image in the whole dataset. */
  sourceIndices: Int32Array;
  layers: LayerCloudData[];
}

/** Datasets the user dropped, by id (they cannot be fetched again). */
export const userDatasets = new Map<string, LoadedDataset>();

/** Register a dropped dataset: its id is 'user:' + its fingerprint. */
export function addUserDataset(ds: ImageDataset): LoadedDataset {
  // The loaders already name a dataset 'user:' + its fingerprint; compute it only when one did not.
  const fingerprint = ds.id.startsWith('user:') ? ds.id.slice(5) : datasetFingerprint(ds);
  const loaded = { dataset: { ...ds, id: `user:${fingerprint}` }, fingerprint };
  userDatasets.set(loaded.dataset.id, loaded);
  jobs.put(keys.datasetKey(loaded.dataset.id), loaded);
  return loaded;
}

export function useDataset(id: string): JobState<LoadedDataset> {
  return useJob<LoadedDataset>(
    keys.datasetKey(id),
    `loading dataset ${id}`,
    async () => {
      const dropped = userDatasets.get(id);
      if (dropped) return dropped;
      if (!isBundledDataset(id)) throw new Error(`dataset "${id}" is not available: drop its files on the page again`);
      // Inflated, parsed and fingerprinted in a worker (seconds of main-thread work for the 10 000-image set).
      return bundledDatasetWorker().load(assetUrl(`datasets/${id}`));
    },
    noCancel,
  );
}

export function useModel(id: string): JobState<ModelSummary> {
  return useJob<ModelSummary>(
    keys.modelKey(id),
    `loading model ${id}`,
    async () => {
      if (!isBundledModel(id)) throw new Error(`model "${id}" was dropped in another session: drop its model.json and shards again`);
      return modelWorker().openBundledModel(id, assetUrl(`models/${id}/`));
    },
    noCancel,
  );
}

export function cloudSpec(view: ViewState): CloudSpec {
  switch (view.cloud) {
    case 'random':
      return { kind: 'random', seed: view.seed };
    case 'pca':
      return { kind: 'pca', dims: view.pcaDim };
    default:
      return { kind: view.cloud };
  }
}

/** The images the analysis uses: the dataset, or a seeded subset of N. */
export function analysedDataset(ds: ImageDataset, view: Pick<ViewState, 'n' | 'seed'>): { ds: ImageDataset; indices: Int32Array } {
  const indices = subsetIndices(ds.n, view.n, view.seed);
  return { ds: datasetSubset(ds, indices), indices };
}

/** The clouds' key for these inputs (null while the dataset or the model is still loading). */
export function cloudsKeyOf(source: LoadedDataset | undefined, model: ModelSummary | undefined, view: ViewState): string | null {
  if (!source || !model) return null;
  return keys.cloudsKey({
    datasetFingerprint: source.fingerprint,
    modelId: model.id,
    cloud: view.cloud,
    pcaDim: view.pcaDim,
    n: view.n,
    seed: view.seed,
    datasetSize: source.dataset.n,
  });
}

/** Layers up to this index are cheap to pass through (stem and first stage): computed alone first, they give the first diagram early. */
const AHEAD_MAX_LAYER = 5;

/**
 * Whether the selected layer's cloud is computed on its own before the whole set (see useLayerCloudAhead): only
 * when the Persistence view shows that layer's diagram. The other views need every layer, and the extra pass only
 * delays them (at 10 000 images it is seconds of the model worker).
 */
export function computesAhead(layer: number, view: Pick<ViewState, 'cloud' | 'view'>): boolean {
  // A channel cloud's points are channels, not images: it needs no thumbnails but neither gains from going first.
  return view.view === 'persistence' && layer <= AHEAD_MAX_LAYER && view.cloud !== 'channel';
}

function requestClouds(source: LoadedDataset, model: ModelSummary, view: ViewState, key: string, layers?: number[]) {
  return async ({ jobId, onProgress }: { jobId: number; onProgress: (f: number) => void }): Promise<CloudSet> => {
    const { ds, indices } = analysedDataset(source.dataset, view);
    // A copy is transferred rather than the page's pixels structured-cloned (one copy, not two, none in the worker):
    // the page keeps its own for the thumbnails.
    const pixels = ds.pixels.slice();
    const computed = await modelWorker().computeClouds(
      Comlink.transfer({ modelId: model.id, dataset: { n: ds.n, height: ds.height, width: ds.width, channels: ds.channels, pixels }, cloud: cloudSpec(view), layers }, [pixels.buffer]),
      jobId,
      Comlink.proxy(onProgress),
    );
    return { key, modelId: model.id, dataset: ds, sourceIndices: indices, layers: computed };
  };
}

/**
 * The selected layer's cloud alone, ahead of the whole set, when that layer is early in the network (a pass through
 * the stem costs a fraction of a full pass): the first diagram then waits for one layer's activations, not 17. The
 * result is a CloudSet under the whole set's key holding only that layer (the same cloud as in the whole set), so a
 * persistence key built from it is the whole set's.
 */
export function useLayerCloudAhead(source: LoadedDataset | undefined, model: ModelSummary | undefined, view: ViewState): JobState<CloudSet> {
  const key = cloudsKeyOf(source, model, view);
  let ahead = key && computesAhead(view.layer, view) && model?.layers.some((l) => l.index === view.layer) ? keys.layerCloudKey(key, view.layer) : null;
  // Only ahead of the whole set: not once it is cached, nor for a layer picked while its pass already runs.
  const running = (k: string) => jobs.jobs().some((j) => j.key === k);
  if (ahead && key && (jobs.has(key) || (running(key) && !running(ahead) && !jobs.has(ahead)))) ahead = null;
  return useJob<CloudSet>(
    ahead,
    `activations of layer ${view.layer}`,
    (ctx) => requestClouds(source!, model!, view, key!, [view.layer])(ctx),
    (id) => void modelWorker().cancel(id),
  );
}

/** How long the whole set's pass waits for the selected layer's persistence to start (a view without a diagram). */
const DIAGRAM_GRACE_MS = 1000;

/** Resolves when job `key` has run and ended, or has not started within DIAGRAM_GRACE_MS, or on abort. */
function afterJob(key: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let seen = false;
    const check = () => {
      if (jobs.jobs().some((j) => j.key === key)) seen = true;
      else if (seen || jobs.has(key)) done();
    };
    const timer = setTimeout(() => void (seen || done()), DIAGRAM_GRACE_MS);
    const unsubscribe = jobs.subscribe(check);
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    check();
  });
}

export function useClouds(source: LoadedDataset | undefined, model: ModelSummary | undefined, view: ViewState): JobState<CloudSet> {
  const key = cloudsKeyOf(source, model, view);
  return useJob<CloudSet>(
    key,
    `activations of ${model?.layers.length ?? ''} layers`,
    async (ctx) => {
      // The same `source`, `model` and `view` the key was made from, captured together.
      if (computesAhead(view.layer, view) && model!.layers.some((l) => l.index === view.layer)) {
        // Wait for the selected layer's own job (shared with useLayerCloudAhead): the model worker then runs one pass
        // at a time, and the first diagram is not slowed by the whole set's pass.
        const ahead = jobs.request(keys.layerCloudKey(key!, view.layer), `activations of layer ${view.layer}`, requestClouds(source!, model!, view, key!, [view.layer]), (id) => void modelWorker().cancel(id));
        try {
          await ahead.promise.catch(() => undefined); // its failure is its own; the whole set still runs
        } finally {
          ahead.release();
        }
        throwIfAborted(ctx.signal);
        // Then the selected layer's diagram: the 17-layer pass (threaded wasm on both cores) beside it made that
        // persistence about twice as slow (issue 15, `npm run bench -- firstdiagram`).
        await afterJob(keys.persistenceKey(key!, view.layer, view.maxdim), ctx.signal);
        throwIfAborted(ctx.signal);
      }
      return requestClouds(source!, model!, view, key!)(ctx);
    },
    (id) => void modelWorker().cancel(id),
  );
}

export function asCloud(c: LayerCloudData): PointCloud {
  return { data: c.data, n: c.n, d: c.d };
}

/**
 * How the set's persistence runs (exactly, on landmarks, or waiting for the user's choice): one decision for all of
 * a set's layers, from its costliest (widest) layer, so the strip, the Layers view and the selected diagram agree.
 */
export function usePersistencePlan(clouds: CloudSet | undefined, maxdim: number, setting: LandmarkSetting): PersistencePlan | undefined {
  return useMemo(() => {
    if (!clouds || clouds.layers.length === 0) return undefined;
    const d = Math.max(...clouds.layers.map((c) => c.d));
    return planPersistence(setting, clouds.layers[0].n, d, maxdim, clouds.layers.length);
  }, [clouds, maxdim, setting]);
}

/**
 * Persistence of one layer's cloud, exactly or on landmarks, with the H1 cocycles but not their loops: closing
 * every loop is O(n³) (minutes per layer at 10 000 images); `useLoop` closes the one class the user picks.
 */
export function runPersistence(c: LayerCloudData, maxdim: number, landmarks: number | undefined, jobId: number, onProgress: (f: number) => void): Promise<TdaJobResult> {
  // The cloud's buffer stays with the page (it is cached); the worker gets a copy.
  return tdaPool.persistence(asCloud(c), { maxdim, cocycles: true, loops: false, landmarks }, jobId, Comlink.proxy(onProgress));
}

/**
 * The loop of H1 class `index` of a layer's persistence result (filed under `phKey`), closed in a TDA worker from
 * the same cloud (and landmarks) the result was computed from; null index: none picked.
 */
export function useLoop(c: LayerCloudData | undefined, phKey: string | null, ph: TdaJobResult | undefined, index: number | null): JobState<H1Loop> {
  const bar = index !== null ? ph?.dgms[1]?.[index] : undefined;
  const key = c && phKey && ph?.cocycles && bar && index! < cocycleCount(ph.cocycles) ? keys.loopKey(phKey, index!, bar.birth, bar.death) : null;
  return useJob<H1Loop>(
    key,
    `loop of an H1 class of layer ${c?.layer ?? ''}`,
    ({ jobId }) => tdaPool.loop(asCloud(c!), { birth: bar!.birth, edges: cocycleEdges(ph!.cocycles!, index!) }, { landmarks: ph!.landmarks?.indices }, jobId),
    (id) => tdaPool.cancel(id),
  );
}

/** The job key of one layer's persistence under a plan (null while the plan waits for the user). */
export function persistenceKeyOf(cloudsKey: string, layer: number, maxdim: number, plan: PersistencePlan | undefined): string | null {
  return plan && plan.kind !== 'ask' ? keys.persistenceKey(cloudsKey, layer, maxdim, planLandmarks(plan)) : null;
}

export function usePersistence(clouds: CloudSet | undefined, layer: number, maxdim: number, plan: PersistencePlan | undefined) {
  const c = clouds?.layers.find((x) => x.layer === layer);
  const key = clouds && c ? persistenceKeyOf(clouds.key, layer, maxdim, plan) : null;
  const landmarks = plan && planLandmarks(plan);
  return useJob<TdaJobResult>(
    key,
    `persistence of layer ${layer}${landmarks ? ` on ${landmarks} landmarks` : ''}`,
    ({ jobId, onProgress }) => runPersistence(c!, maxdim, landmarks, jobId, onProgress),
    (id) => tdaPool.cancel(id),
    persistenceBytes,
  );
}

/**
 * Persistence of every layer, each cached on its own (the strip and the Layers view), spread over the page's TDA
 * workers: as many lanes as workers, each taking the next layer not yet started.
 */
export function useAllPersistence(clouds: CloudSet | undefined, maxdim: number, first: number, plan: PersistencePlan | undefined): JobState<TdaJobResult[]> {
  const landmarks = plan && planLandmarks(plan);
  const key = clouds && plan && plan.kind !== 'ask' ? keys.allPersistenceKey(clouds.key, maxdim, landmarks) : null;
  return useJob<TdaJobResult[]>(
    key,
    `persistence of all ${clouds?.layers.length ?? ''} layers`,
    async ({ onProgress, signal }) => {
      const set = clouds!;
      // The selected layer first, so the view the user looks at fills in first.
      const order = [...set.layers].sort((a, b) => (a.layer === first ? -1 : b.layer === first ? 1 : a.layer - b.layer));
      const results = new Map<number, TdaJobResult>();
      // Each layer's own progress, so the bar moves inside long layers too (not only when one finishes).
      const fractions = new Map<number, number>();
      const report = () => onProgress([...fractions.values()].reduce((a, b) => a + b, 0) / order.length);
      let next = 0;
      const lane = async () => {
        while (next < order.length) {
          throwIfAborted(signal);
          const c = order[next++];
          const k = keys.persistenceKey(set.key, c.layer, maxdim, landmarks);
          let r = jobs.peek<TdaJobResult>(k);
          if (!r) {
            const inner = jobs.request(
              k,
              `persistence of layer ${c.layer}`,
              (ctx) =>
                runPersistence(c, maxdim, landmarks, ctx.jobId, (f) => {
                  ctx.onProgress(f);
                  fractions.set(c.layer, f);
                  report();
                }),
              (id) => tdaPool.cancel(id),
              persistenceBytes,
            );
            try {
              r = await inner.promise;
            } finally {
              inner.release();
            }
          }
          results.set(c.layer, r);
          fractions.set(c.layer, 1);
          report();
        }
      };
      await Promise.all(Array.from({ length: Math.min(tdaPool.size, order.length) }, lane));
      return set.layers.map((c) => results.get(c.layer)!);
    },
    noCancel,
    persistenceListBytes,
  );
}

export function useLayerMatrices(clouds: CloudSet | undefined, all: Keyed<TdaJobResult[]> | undefined, debiased: boolean, slicedKind: SlicedKind = 'persim') {
  // The diagrams' key names the clouds; both must be the same clouds.
  const same = clouds && all && all.key.includes(`|${clouds.key}|`);
  const key = same ? keys.matricesKey(all.key, debiased, slicedKind) : null;
  return useJob<LayerMatrices>(
    key,
    'layer × layer matrices',
    async ({ jobId, onProgress, signal }) => {
      const { clouds: copies, h1, buffers } = await matricesInput(clouds!, all!.value, signal);
      return compareWorker().layerMatrices(Comlink.transfer(copies, buffers), h1, { debiased, kind: slicedKind }, jobId, Comlink.proxy(onProgress));
    },
    (id) => void compareWorker().cancel(id),
  );
}

/**
 * What the compare worker is sent, made a layer per task: a copy of each cloud and its packed H1 diagram, all
 * transferred. Structured-cloning the clouds and 17 diagrams of {birth, death} objects in one postMessage was a
 * single main-thread task of 0.3–0.7 s at 10 000 images (issue 15); the page keeps its own clouds for the views.
 */
export async function matricesInput(set: CloudSet, results: TdaJobResult[], signal: AbortSignal): Promise<{ clouds: PointCloud[]; h1: PackedDiagram[]; buffers: ArrayBuffer[] }> {
  const clouds: PointCloud[] = [];
  const h1: PackedDiagram[] = [];
  for (let i = 0; i < set.layers.length; i++) {
    const c = set.layers[i];
    clouds.push({ n: c.n, d: c.d, data: c.data.slice() });
    h1.push(packDiagram(results[i].dgms[1] ?? []));
    await new Promise((resolve) => setTimeout(resolve, 0));
    throwIfAborted(signal);
  }
  return { clouds, h1, buffers: [...clouds.map((c) => c.data.buffer as ArrayBuffer), ...h1.map((d) => d.buffer)] };
}

/** The worker's options for the view's Mapper parameters; linkage is cut at the height given as eps. */
export function mapperOptions(m: MapperParams, labels: Int32Array): MapperOptions {
  const linkage = m.clusterer !== 'dbscan';
  return {
    lens: m.lens,
    nIntervals: m.intervals,
    overlap: m.overlap,
    clusterer: m.clusterer,
    eps: linkage ? 'knee' : m.eps,
    minSamples: m.minSamples,
    metric: m.metric,
    labels,
    ...(linkage && m.eps !== 'knee' ? { distanceThreshold: m.eps } : {}),
  };
}

/** One layer's Mapper graph as a job request; the labels are those of the images the clouds were computed from. */
export function requestMapper(clouds: CloudSet, c: LayerCloudData, m: MapperParams) {
  return jobs.request(
    keys.mapperKey(clouds.key, c.layer, m),
    `Mapper graph of layer ${c.layer}`,
    (ctx) => mapperWorker().mapper(asCloud(c), mapperOptions(m, clouds.dataset.labels), ctx.jobId, ctx.onProgress),
    (id) => mapperWorker().cancel(id),
  );
}

export function useMapper(clouds: CloudSet | undefined, layer: number, m: MapperParams, perImage: boolean) {
  const c = clouds?.layers.find((x) => x.layer === layer);
  const key = clouds && c && perImage ? keys.mapperKey(clouds.key, layer, m) : null;
  return useJob<MapperGraph>(
    key,
    `Mapper graph of layer ${layer}`,
    ({ jobId, onProgress }) => mapperWorker().mapper(asCloud(c!), mapperOptions(m, clouds!.dataset.labels), jobId, onProgress),
    (id) => mapperWorker().cancel(id),
  );
}

/** Graph purity of every layer with the same parameters. */
export function usePurityAcrossLayers(clouds: CloudSet | undefined, m: MapperParams, perImage: boolean) {
  const key = clouds && perImage ? keys.purityKey(clouds.key, m) : null;
  return useJob<(number | null)[]>(
    key,
    'Mapper purity of every layer',
    async ({ onProgress, signal }) => {
      const set = clouds!;
      const out: (number | null)[] = [];
      for (const c of set.layers) {
        throwIfAborted(signal);
        let g = jobs.peek<MapperGraph>(keys.mapperKey(set.key, c.layer, m));
        if (!g) {
          const req = requestMapper(set, c, m);
          try {
            g = (await req.promise) as MapperGraph;
          } finally {
            req.release();
          }
        }
        out.push(g.purity && Number.isFinite(g.purity.graph) ? g.purity.graph : null);
        onProgress(out.length / set.layers.length);
      }
      return out;
    },
    noCancel,
  );
}
