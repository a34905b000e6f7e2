/**
 * The TF.js worker: backend choice, model loading, and the forward passes that turn a dataset into one point cloud
 * per layer. It runs here so the page's main thread never blocks on a forward pass; the clouds go back transferred.
 */
import * as Comlink from 'comlink';
import { jobRegistry } from '../src/abort';
import * as tf from '@tensorflow/tfjs';
import { pickBackend, pickBackendRemembered, type BackendChoice, type BackendName } from '../src/model/backend';
import { indexedDbStore } from '../src/model/backendMemory';
import { measureActivationThroughput, type ThroughputResult } from '../src/model/throughput';
import { browserEnvironment, describeBrowserBackend, registerBrowserBackend, skipBrowserBackend } from '../src/model/browserBackends';
import { fetchModelArtifacts, loadModelCard, loadModelFromUrl, modelFromArtifacts, type ModelCard } from '../src/model/loadModel';
import { fetchReadFile } from '../src/data/bundled';
import { listLayers } from '../src/model/layers';
import { computeLayerClouds, sourceFromLayersModel, type ActivationSource, type Normalization } from '../src/model/activations';
import type { CloudMethod } from '../src/model/pointClouds';
import type { ImageDataset, LayerCloudData, ModelSummary } from '../src/types';
import { loadUserModel, userModelId, type ModelFile } from '../src/model/userModel';


/** What the page sends for a forward pass: the dataset's pixels (a transferred copy) and how to reduce each layer. */
export interface CloudRequest {
  modelId: string;
  dataset: Pick<ImageDataset, 'n' | 'height' | 'width' | 'channels' | 'pixels'>;
  cloud: CloudMethod;
  normalization?: Normalization;
  /** Only these layers (1-based indices), e.g. the selected one ahead of the rest; default every layer. */
  layers?: number[];
}


export interface ModelApi {
  probeBackends(): Promise<BackendChoice>;
  /** This worker's Performance measures (backend, model, passes), in ms since the page's time origin (bench). */
  timeline(pageOrigin: number): Promise<{ name: string; start: number; duration: number }[]>;
  /** Bench: activations of every layer on `backend` (then back to the chosen one); images per second. */
  benchmarkActivations(modelDirUrl: string, dataset: CloudRequest['dataset'], backend: BackendName): Promise<ThroughputResult>;
  /**
   * Bench: the same from an .onnx URL (batch as benchmarkActivations), on onnxruntime-web's wasm build ('wasm') or as
   * TF.js ops on TF.js's wasm backend ('tfjs').
   */
  benchmarkOnnxActivations(onnxUrl: string, dataset: CloudRequest['dataset'], runner?: 'wasm' | 'tfjs'): Promise<ThroughputResult & { threads: number }>;
  openBundledModel(id: string, dirUrl: string): Promise<ModelSummary>;
  /** A model the user dropped (model.json + shards); its id is derived from the files. */
  openUserModel(files: ModelFile[], inputSize?: [number, number]): Promise<ModelSummary>;
  computeClouds(req: CloudRequest, jobId: number, onProgress?: (fraction: number) => void): Promise<LayerCloudData[]>;
  cancel(jobId: number): void;
}

/** Images per forward pass in the bench methods (TF.js and ONNX alike). */
const BENCH_BATCH = 100;

let choice: Promise<BackendChoice> | null = null;
const models = new Map<string, { source: ActivationSource; card: ModelCard | null; normalization?: Normalization; summary?: Partial<ModelSummary> }>();
const jobs = jobRegistry();

/** `work` on this worker's Performance timeline as `name` (for the first-diagram bench). */
function measured<T>(name: string, work: Promise<T>): Promise<T> {
  const start = performance.now();
  const end = () => void performance.measure(name, { start });
  work.then(end, end);
  return work;
}

function probeBackends(): Promise<BackendChoice> {
  // The decision of an earlier visit in the same browser and GPU is reused: the probe costs seconds.
  const options = { register: registerBrowserBackend, skip: skipBrowserBackend, describe: describeBrowserBackend };
  choice ??=
    typeof indexedDB === 'undefined'
      ? measured('backend: probe', pickBackend(options))
      : measured('backend: remembered or probe', pickBackendRemembered({ ...options, store: indexedDbStore(), environment: measured('backend: environment key', browserEnvironment()) }));
  return choice;
}

/** Bench: `work` with TF.js on `backend`, then back on the chosen backend. */
async function onBackend<T>(backend: BackendName, work: () => Promise<T>): Promise<T> {
  const chosen = (await probeBackends()).chosen;
  await registerBrowserBackend(backend);
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} does not initialise here`);
  try {
    return await work();
  } finally {
    await tf.setBackend(chosen);
  }
}

/** The bench's pixels as a dataset (no labels or class names: only throughput is measured). */
function benchDataset(dataset: CloudRequest['dataset']): ImageDataset {
  return { ...dataset, id: 'bench', name: 'bench', labels: new Int32Array(dataset.n), classNames: [], errors: [] };
}

const api: ModelApi = {
  probeBackends,

  async timeline(pageOrigin) {
    const shift = performance.timeOrigin - pageOrigin;
    return performance.getEntriesByType('measure').map((e) => ({ name: e.name, start: e.startTime + shift, duration: e.duration }));
  },

  async openBundledModel(id, dirUrl) {
    // Fetch the weights and the card while the backend is chosen; only building the model needs the backend.
    const fetching = models.has(id) ? null : measured('model: fetch', Promise.all([fetchModelArtifacts(dirUrl), loadModelCard(dirUrl, fetchReadFile()).catch(() => null)]));
    fetching?.catch(() => undefined); // reported below, after the probe
    await probeBackends();
    let entry = models.get(id);
    if (!entry) {
      // A model without a card still runs, with inputs scaled to [0, 1].
      const [artifacts, card] = await (fetching ?? Promise.all([fetchModelArtifacts(dirUrl), loadModelCard(dirUrl, fetchReadFile()).catch(() => null)]));
      const model = await measured('model: build', modelFromArtifacts(artifacts));
      const layers = listLayers(model);
      entry = { source: sourceFromLayersModel(model, layers), card };
      models.set(id, entry);
    }
    return { id, layers: entry.source.layers, card: entry.card, inputShape: entry.source.inputShape };
  },

  async openUserModel(files, inputSize) {
    if (files.some((f) => /\.onnx$/i.test(f.name))) {
      // An ONNX model runs on onnxruntime-web, loaded only now (src/model/onnx/).
      const { openOnnxUserModel } = await import('../src/model/onnx/userOnnx');
      const opened = await openOnnxUserModel(files, inputSize, models);
      return opened;
    }
    await probeBackends();
    // Topology and weights: checkpoints sharing a model.json get different ids.
    const id = userModelId(files);
    let entry = models.get(id);
    if (!entry) {
      const user = await loadUserModel(files, { inputSize });
      entry = { source: user.source, card: null };
      models.set(id, entry);
    }
    return { id, layers: entry.source.layers, card: entry.card, inputShape: entry.source.inputShape };
  },

  async computeClouds(req, jobId, onProgress) {
    const entry = models.get(req.modelId);
    if (!entry?.source.computeClouds) await probeBackends();
    if (!entry) throw new Error(`model ${req.modelId} is not open`);
    return jobs.run(jobId, async (signal) => {
      const dataset: ImageDataset = {
        ...req.dataset,
        id: 'request',
        name: 'request',
        labels: new Int32Array(req.dataset.n),
        classNames: [],
        errors: [],
      };
      const normalization = req.normalization ?? entry.card?.normalization ?? entry.normalization ?? { mean: 0, std: 1 };
      const wanted = req.layers ? entry.source.layers.filter((l) => req.layers!.includes(l.index)) : entry.source.layers;
      const clouds = await measured(`clouds: layers ${req.layers?.join(',') ?? 'all'}`, computeLayerClouds(entry.source, dataset, wanted, {
        cloud: req.cloud,
        normalization,
        batchSize: 100,
        signal,
        onProgress: (done, total) => onProgress?.(done / total),
      }));
      const out: LayerCloudData[] = clouds.map((c) => ({
        layer: c.layer.index,
        data: c.cloud.data,
        n: c.cloud.n,
        d: c.cloud.d,
        imageIndices: c.imageIndices,
        positions: c.positions,
      }));
      const buffers = out.flatMap((c) => [c.data.buffer, c.imageIndices.buffer, ...(c.positions ? [c.positions.buffer] : [])]);
      return Comlink.transfer(out, [...new Set(buffers)] as ArrayBuffer[]);
    });
  },

  benchmarkActivations: (modelDirUrl, dataset, backend) =>
    onBackend(backend, async () => {
      // Weights are uploaded to the backend that is active at load time, so load a fresh copy on this one.
      const model = await loadModelFromUrl(modelDirUrl);
      const card = await loadModelCard(modelDirUrl, fetchReadFile());
      const r = await measureActivationThroughput(model, benchDataset(dataset), { normalization: card.normalization, batchSize: BENCH_BATCH });
      model.dispose();
      return r;
    }),

  async benchmarkOnnxActivations(onnxUrl, dataset, runner = 'wasm') {
    const { benchmarkOnnxUrl } = await import('../src/model/onnx/throughput');
    const run = () => benchmarkOnnxUrl(onnxUrl, benchDataset(dataset), BENCH_BATCH, runner);
    // The TF.js-op runtime runs on TF.js's wasm backend; onnxruntime needs no TF.js backend.
    return runner === 'tfjs' ? onBackend('wasm', run) : run();
  },

  cancel: (jobId) => jobs.cancel(jobId),
};

Comlink.expose(api);
