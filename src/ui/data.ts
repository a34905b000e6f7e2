/**
 * The page's data path as hooks: dataset → model → every layer's cloud → persistence / Mapper / layer matrices.
 * Each step is a tracked job keyed by all of its inputs, so switching back to a layer or a parameter set is instant
 * and only a changed input recomputes.
 */
import { loadBundledDataset, fetchReadFile } from '../data/bundled';
import { datasetSubset, subsetIndices } from '../data/subset';
import { assetUrl, isBundledDataset, isBundledModel } from '../state/catalog';
import { JobCancelled, jobs } from '../state/jobs';
import type { CloudMethod as CloudSpec } from '../model/pointClouds';
import type { ViewState } from '../state/viewState';
import type { ImageDataset, LayerCloudData, ModelSummary, PointCloud } from '../types';
import type { PersistenceResult, SlicedKind } from '../tda/index';
import type { MapperGraph, MapperOptions } from '../mapper/index';
import type { LayerMatrices } from '../analysis/layerMatrices';
import { compareWorker, Comlink, mapperWorker, modelWorker, tdaWorker } from '../state/workers';
import { useJob } from './useJob';

const noCancel = () => {};

/** Datasets the user dropped, by id (they cannot be fetched again). */
export const userDatasets = new Map<string, ImageDataset>();

export function useDataset(id: string) {
  return useJob<ImageDataset>(
    `dataset|${id}`,
    `loading dataset ${id}`,
    async () => {
      const dropped = userDatasets.get(id);
      if (dropped) return dropped;
      if (!isBundledDataset(id)) throw new Error(`dataset "${id}" is not available: drop its files on the page again`);
      return loadBundledDataset(assetUrl(`datasets/${id}`), fetchReadFile());
    },
    noCancel,
  );
}

export function useModel(id: string) {
  return useJob<ModelSummary>(
    `model|${id}`,
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
export function analysedDataset(ds: ImageDataset, view: ViewState): { ds: ImageDataset; indices: Int32Array } {
  const indices = subsetIndices(ds.n, view.n, view.seed);
  return { ds: datasetSubset(ds, indices), indices };
}

export function cloudsKey(ds: ImageDataset | undefined, model: ModelSummary | undefined, view: ViewState): string | null {
  if (!ds || !model) return null;
  const c = view.cloud === 'pca' ? `pca:${view.pcaDim}` : view.cloud;
  const seeded = view.cloud === 'random' || (view.n > 0 && view.n < ds.n);
  return `clouds|${ds.id}|${model.id}|${c}|n${view.n}|${seeded ? `s${view.seed}` : ''}`;
}

export function useClouds(ds: ImageDataset | undefined, model: ModelSummary | undefined, view: ViewState) {
  const key = cloudsKey(ds, model, view);
  return useJob<LayerCloudData[]>(
    key,
    `activations of ${model?.layers.length ?? ''} layers`,
    async ({ jobId, onProgress }) => {
      const sub = analysedDataset(ds!, view).ds;
      return modelWorker().computeClouds(
        { modelId: model!.id, dataset: { n: sub.n, height: sub.height, width: sub.width, channels: sub.channels, pixels: sub.pixels }, cloud: cloudSpec(view) },
        jobId,
        Comlink.proxy(onProgress),
      );
    },
    (id) => void modelWorker().cancel(id),
  );
}

export function asCloud(c: LayerCloudData): PointCloud {
  return { data: c.data, n: c.n, d: c.d };
}

export function persistenceKey(cloudsKeyValue: string | null, layer: number, maxdim: number): string | null {
  return cloudsKeyValue ? `ph|${cloudsKeyValue}|L${layer}|d${maxdim}` : null;
}

/** Persistence of one layer's cloud (with H1 cycles, for the images on a loop). */
export function runPersistence(c: LayerCloudData, maxdim: number, jobId: number, onProgress: (f: number) => void): Promise<PersistenceResult> {
  // The cloud's buffer stays with the page (it is cached); the worker gets a copy.
  return tdaWorker().persistence(asCloud(c), { maxdim, cocycles: true }, jobId, Comlink.proxy(onProgress));
}

export function usePersistence(cloudsKeyValue: string | null, clouds: LayerCloudData[] | undefined, layer: number, maxdim: number) {
  const c = clouds?.find((x) => x.layer === layer);
  const key = c ? persistenceKey(cloudsKeyValue, layer, maxdim) : null;
  return useJob<PersistenceResult>(
    key,
    `persistence of layer ${layer}`,
    ({ jobId, onProgress }) => runPersistence(c!, maxdim, jobId, onProgress),
    (id) => void tdaWorker().cancel(id),
  );
}

/** Persistence of every layer, one after the other, each cached on its own (the strip and the Layers view). */
export function useAllPersistence(cloudsKeyValue: string | null, clouds: LayerCloudData[] | undefined, maxdim: number, first: number) {
  const key = clouds && cloudsKeyValue ? `phall|${cloudsKeyValue}|d${maxdim}` : null;
  return useJob<PersistenceResult[]>(
    key,
    `persistence of all ${clouds?.length ?? ''} layers`,
    async ({ onProgress, cancelled }) => {
      // The selected layer first, so the view the user looks at fills in first.
      const order = [...clouds!].sort((a, b) => (a.layer === first ? -1 : b.layer === first ? 1 : a.layer - b.layer));
      const results = new Map<number, PersistenceResult>();
      let done = 0;
      for (const c of order) {
        if (cancelled()) throw new JobCancelled();
        const k = persistenceKey(cloudsKeyValue, c.layer, maxdim)!;
        let r = jobs.peek<PersistenceResult>(k);
        if (!r) {
          const inner = jobs.request(k, `persistence of layer ${c.layer}`, (ctx) => runPersistence(c, maxdim, ctx.jobId, ctx.onProgress), (id) => void tdaWorker().cancel(id));
          try {
            r = await inner.promise;
          } finally {
            inner.release();
          }
        }
        results.set(c.layer, r);
        onProgress(++done / order.length);
      }
      return clouds!.map((c) => results.get(c.layer)!);
    },
    noCancel,
  );
}

export function useLayerMatrices(cloudsKeyValue: string | null, clouds: LayerCloudData[] | undefined, dgms: PersistenceResult[] | undefined, debiased: boolean, slicedKind: SlicedKind = 'persim') {
  const key = cloudsKeyValue && clouds && dgms ? `matrices|${cloudsKeyValue}|${debiased ? 'deb' : 'lin'}${slicedKind === 'exact' ? '|sw-exact' : ''}` : null;
  return useJob<LayerMatrices>(
    key,
    'layer × layer matrices',
    ({ jobId, onProgress }) =>
      compareWorker().layerMatrices(
        clouds!.map(asCloud),
        dgms!.map((r) => r.dgms[1] ?? []),
        { debiased, M: 50, kind: slicedKind },
        jobId,
        Comlink.proxy(onProgress),
      ),
    (id) => void compareWorker().cancel(id),
  );
}

export function mapperKey(cloudsKeyValue: string | null, layer: number, view: ViewState): string | null {
  if (!cloudsKeyValue) return null;
  const m = view.mapper;
  return `mapper|${cloudsKeyValue}|L${layer}|${m.lens}|${m.intervals}|${m.overlap}|${m.clusterer}|${m.eps}|${m.minSamples}|${m.metric}`;
}

/** The worker's options for the view's Mapper parameters; linkage is cut at the height given as eps. */
export function mapperOptions(view: ViewState, labels: Int32Array): MapperOptions {
  const m = view.mapper;
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

export function useMapper(cloudsKeyValue: string | null, clouds: LayerCloudData[] | undefined, layer: number, view: ViewState, labels: Int32Array | undefined) {
  const c = clouds?.find((x) => x.layer === layer);
  const key = c && labels && view.cloud !== 'channel' ? mapperKey(cloudsKeyValue, layer, view) : null;
  return useJob<MapperGraph>(
    key,
    `Mapper graph of layer ${layer}`,
    ({ jobId, onProgress }) => mapperWorker().mapper(asCloud(c!), mapperOptions(view, labels!), jobId, onProgress),
    (id) => mapperWorker().cancel(id),
  );
}
