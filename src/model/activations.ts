/**
 * Activations of many layers at once, reduced to point clouds on the backend.
 *
 * One pass over the images: a single multi-output model gives the chosen layers' outputs for a batch (for the
 * bundled ResNet these are the convs' own outputs, i.e. before BatchNorm and ReLU), each output is reduced ON THE
 * BACKEND (top-L2 / random position / average pool: [batch, C]; PCA: the flattened rows kept on the backend until the
 * end), and only the reduced numbers are read back. Every intermediate tensor is disposed: tf.memory().numTensors is
 * back at its baseline after a run, a failed run and a cancelled run.
 *
 * Works on every tfjs backend (webgpu, webgl, wasm, cpu): besides the model's own ops only ResizeBilinear, Tile,
 * Add/Sub/Mul/Div, Sum, Mean, Square, ArgMax, Range, GatherV2 on axis 0 (batchDims corrupts memory on wasm),
 * Reshape, Concat, Transpose and MatMul are used.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset, LayerInfo } from '../types';
import { identity } from '../arrays';
import { abortError } from '../abort';
import { listLayers, modelInputShape } from './layers';
import { runCloudPasses } from './cloudPasses';
import { planLayersModel } from './layersPlan';
import {
  channelCloudFromTopL2,
  pcaScoresFromGram,
  randomPositions,
  reduceBatchAtPositions,
  reduceBatchFlatten,
  reduceBatchGap,
  reduceBatchTopL2,
  type CloudMethod,
  type CloudResult,
} from './pointClouds';

/**
 * Something that maps a preprocessed image batch to the outputs of named layers: a layers model (through one
 * multi-output model) or a graph model (userModel.ts).
 */
export interface ActivationSource {
  /** Input [H, W, C] the model takes; null H/W = any size (the dataset's own size is used). */
  inputShape: [number | null, number | null, number];
  layers: LayerInfo[];
  /** Outputs of the named layers for a preprocessed batch, in the same order. Called inside tf.tidy. */
  run(x: tf.Tensor4D, layerNames: string[]): tf.Tensor4D[];
  /** A source with its own runtime (an ONNX session, src/model/onnx/) computes whole runs itself; `run` is then unused. */
  computeClouds?(dataset: ImageDataset, layers: LayerInfo[], options: ActivationOptions): Promise<LayerCloud[]>;
  /** Free what the source made for itself (not the model's own weights); the source is unusable after. */
  dispose?(): void;
}

/** A source over a tf.LayersModel; the multi-output model for a layer selection is built once and cached. */
export function sourceFromLayersModel(model: tf.LayersModel, layers: LayerInfo[] = listLayers(model)): ActivationSource {
  const cache = new Map<string, tf.LayersModel>();
  // The graph as rewritten TF.js ops where it can be followed (layersPlan.ts: ~1.15× faster on wasm), else predict.
  const plan = planLayersModel(model);
  return {
    inputShape: modelInputShape(model),
    layers,
    run(x, names) {
      if (plan) return plan.run(x, names);
      const key = names.join('\u0000');
      let multi = cache.get(key);
      if (!multi) {
        // Shares the layers (and weights) of `model`; never dispose it, that would free the shared weights.
        multi = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
        cache.set(key, multi);
      }
      const out = multi.predict(x) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
    },
    dispose: () => plan?.dispose(),
  };
}

/** The network expects (pixel/255 − mean)/std; mean and std are scalars or one value per model input channel. */
export interface Normalization {
  mean: number | number[];
  std: number | number[];
}

export interface ActivationOptions {
  /** How each layer becomes a cloud. Default top-L2 (the paper's). */
  cloud?: CloudMethod;
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  /** Input normalisation; default {mean: 0, std: 1}, i.e. pixel/255. Pass the model card's for the bundled model. */
  normalization?: Normalization;
  /** Called after every batch with (images done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between batches; when set the run rejects with an Error named 'AbortError'. */
  signal?: { readonly aborted: boolean };
  /**
   * PCA only: the flattened activations of all images stay on the backend until the Gram matrix is formed. Layers are
   * processed in groups whose total stays under this many bytes (one pass over the images per group). Default 256 MiB.
   */
  pcaMemoryBytes?: number;
}

export interface LayerCloud extends CloudResult {
  layer: LayerInfo;
}


function perChannel(name: string, v: number | number[], c: number): number[] {
  if (typeof v === 'number') return Array(c).fill(v);
  if (v.length === 1) return Array(c).fill(v[0]);
  if (v.length !== c) throw new Error(`normalization.${name} has ${v.length} values; the model input has ${c} channels`);
  return v;
}

/**
 * uint8 images → the model's input: float, resized to the model size (bilinear), grayscale↔RGB converted to the
 * model's channels (gray → RGB repeats the channel; RGB → gray uses luma 0.299/0.587/0.114), then (x/255 − mean)/std.
 * Returns a tensor the caller disposes.
 */
export function preprocessBatch(
  pixels: Uint8Array,
  shape: [number, number, number, number],
  target: [number, number, number],
  normalization: Normalization = { mean: 0, std: 1 },
): tf.Tensor4D {
  const [b, h, w, c] = shape;
  const [th, tw, tc] = target;
  if (pixels.length !== b * h * w * c) throw new Error(`preprocess: ${pixels.length} pixels do not fill [${shape.join(', ')}]`);
  const mean = perChannel('mean', normalization.mean, tc);
  const std = perChannel('std', normalization.std, tc);
  if (std.some((s) => !(s > 0))) throw new Error('normalization.std must be > 0');
  const floats = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i] / 255;
  return tf.tidy(() => {
    let x: tf.Tensor4D = tf.tensor4d(floats, shape);
    if (h !== th || w !== tw) x = tf.image.resizeBilinear(x, [th, tw]);
    if (c === 1 && tc === 3) x = tf.tile(x, [1, 1, 1, 3]);
    else if (c === 3 && tc === 1) x = tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true);
    else if (c !== tc) throw new Error(`cannot feed ${c}-channel images to a model with ${tc} input channels`);
    return tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)) as tf.Tensor4D;
  });
}

interface LayerState {
  layer: LayerInfo;
  /** top-L2 / random / channel / gap: n × C points, filled batch by batch. */
  points?: Float32Array;
  positions?: Int32Array;
  randomPositions?: Int32Array;
  /** PCA: per-batch flattened rows, kept on the backend. */
  kept: tf.Tensor2D[];
}

/**
 * Point clouds of `layers` for every image of `dataset`. One pass over the images (PCA: one pass per memory group).
 * Rejects with an AbortError when `options.signal.aborted` becomes true between batches.
 */
export async function computeLayerClouds(
  source: ActivationSource,
  dataset: ImageDataset,
  layers: LayerInfo[] = source.layers,
  options: ActivationOptions = {},
): Promise<LayerCloud[]> {
  if (source.computeClouds) return source.computeClouds(dataset, layers, options);
  return runCloudPasses(dataset, layers, options, (group, method, batchSize, progress) =>
    runPass(source, dataset, group, method, batchSize, options, progress),
  );
}

async function runPass(
  source: ActivationSource,
  dataset: ImageDataset,
  layers: LayerInfo[],
  method: CloudMethod,
  batchSize: number,
  options: ActivationOptions,
  progress: (done: number) => void,
): Promise<LayerCloud[]> {
  const { n, height, width, channels } = dataset;
  const [mh, mw, mc] = source.inputShape;
  const target: [number, number, number] = [mh ?? height, mw ?? width, mc];
  const names = layers.map((l) => l.name);
  const states: LayerState[] = layers.map((layer) => {
    const [h, w, c] = layer.shape;
    const st: LayerState = { layer, kept: [] };
    if (method.kind !== 'pca') st.points = new Float32Array(n * c);
    if (method.kind === 'top-l2' || method.kind === 'channel') st.positions = new Int32Array(n);
    if (method.kind === 'random') st.positions = st.randomPositions = randomPositions(n, h * w, method.seed, layer.index - 1);
    return st;
  });
  const per = height * width * channels;
  try {
    for (let start = 0; start < n; start += batchSize) {
      if (options.signal?.aborted) throw abortError();
      const b = Math.min(batchSize, n - start);
      const pixels = dataset.pixels.subarray(start * per, (start + b) * per);
      // Everything of this batch is created inside one tidy; only the reduced tensors escape it.
      const reduced = tf.tidy(() => {
        const x = preprocessBatch(pixels, [b, height, width, channels], target, options.normalization);
        const outs = source.run(x, names);
        return outs.map((out, li) => {
          const st = states[li];
          const [, oh, ow, oc] = out.shape;
          if (oh !== st.layer.shape[0] || ow !== st.layer.shape[1] || oc !== st.layer.shape[2]) {
            throw new Error(
              `layer ${st.layer.name} gave [${out.shape.slice(1).join(', ')}], expected [${st.layer.shape.join(', ')}]`,
            );
          }
          switch (method.kind) {
            case 'top-l2':
            case 'channel': {
              const r = reduceBatchTopL2(out);
              return [r.points, r.positions];
            }
            case 'random':
              return [reduceBatchAtPositions(out, tf.tensor1d(st.randomPositions!.subarray(start, start + b), 'int32'))];
            case 'gap':
              return [reduceBatchGap(out)];
            case 'pca':
              return [reduceBatchFlatten(out)];
          }
        });
      });
      try {
        if (method.kind === 'pca') {
          for (let li = 0; li < states.length; li++) states[li].kept.push(reduced[li][0] as tf.Tensor2D);
        } else {
          // Start every read at once so a GPU backend can overlap them.
          const arrays = await Promise.all(reduced.map((group) => Promise.all(group.map((t) => t.data()))));
          for (let li = 0; li < states.length; li++) {
            const st = states[li];
            st.points!.set(arrays[li][0] as Float32Array, start * st.layer.shape[2]);
            if (arrays[li].length > 1) st.positions!.set(arrays[li][1] as Int32Array, start);
          }
        }
      } finally {
        if (method.kind !== 'pca') for (const group of reduced) for (const t of group) t.dispose();
      }
      progress(start + b);
    }
    if (options.signal?.aborted) throw abortError();
    const results: LayerCloud[] = [];
    for (const st of states) results.push(await finish(st, method, n, options.signal));
    return results;
  } finally {
    for (const st of states) {
      for (const t of st.kept) t.dispose();
      st.kept = [];
    }
  }
}

async function finish(st: LayerState, method: CloudMethod, n: number, signal?: { readonly aborted: boolean }): Promise<LayerCloud> {
  const c = st.layer.shape[2];
  const layer = st.layer;
  switch (method.kind) {
    case 'top-l2':
    case 'random':
      return { layer, cloud: { data: st.points!, n, d: c }, imageIndices: identity(n), positions: st.positions };
    case 'gap':
      return { layer, cloud: { data: st.points!, n, d: c }, imageIndices: identity(n) };
    case 'channel':
      return {
        layer,
        cloud: channelCloudFromTopL2({ data: st.points!, n, d: c }),
        imageIndices: identity(n),
        positions: st.positions,
      };
    case 'pca': {
      // Centred Gram matrix on the backend (n × n), kept there for the eigen-solver's K·Q products (see pointClouds.ts).
      // An explicit transpose: matMul(x, x, false, true) is ~10× slower on wasm.
      const gram = tf.tidy(() => {
        const x = st.kept.length === 1 ? st.kept[0] : tf.concat(st.kept, 0);
        const xc = tf.sub(x, tf.mean(x, 0, true));
        return tf.matMul(xc, tf.transpose(xc)) as tf.Tensor2D;
      });
      for (const t of st.kept) t.dispose();
      st.kept = [];
      let cloud;
      try {
        cloud = await pcaScoresFromGram(null, n, method.dims, {
          multiply: async (q, k) => {
            if (signal?.aborted) throw abortError();
            const z = tf.tidy(() => tf.matMul(gram, tf.tensor2d(Float32Array.from(q), [n, k])));
            try {
              return Float64Array.from(await z.data<'float32'>());
            } finally {
              z.dispose();
            }
          },
        });
      } finally {
        gram.dispose();
      }
      return { layer, cloud, imageIndices: identity(n) };
    }
  }
}

/** Convenience for the bundled model: all 17 studied layers' clouds, normalised as the model card says. */
export async function computeModelClouds(
  model: tf.LayersModel,
  dataset: ImageDataset,
  options: ActivationOptions & { layers?: LayerInfo[] } = {},
): Promise<LayerCloud[]> {
  const source = sourceFromLayersModel(model);
  try {
    return await computeLayerClouds(source, dataset, options.layers ?? source.layers, options);
  } finally {
    source.dispose?.();
  }
}
