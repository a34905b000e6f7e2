/**
 * Point clouds of an ONNX model's layers: one session run per batch returns every chosen layer's NCHW tensor; each is
 * reduced in place with the definitions of pointClouds.ts (top-L2, random position, GAP, channel; the tests check
 * them against those reference functions on PyTorch's tensors), and PCA rows are transposed to its n × H × W × C
 * layout, so a cloud means the same thing whichever runtime computed it. Only [batch, C] per layer is kept between batches (PCA: the
 * flattened rows, in groups under a memory budget, as activations.ts does).
 */
import type { ImageDataset } from '../../types';
import type { ActivationOptions, ActivationSource, LayerCloud, Normalization } from '../activations';
import { centeredGram, channelCloudFromTopL2, pcaScoresFromGram, randomPositions, type CloudMethod } from '../pointClouds';
import { imagesToNchw, type OnnxPreprocess } from './input';
import type { OnnxLayer, OnnxModel } from './model';
import { abortError } from '../../abort';
import { runCloudPasses } from '../cloudPasses';


function asList(v: number | number[]): number[] {
  return typeof v === 'number' ? [v] : v;
}

export function preprocessFromNormalization(n: Normalization | undefined): Pick<OnnxPreprocess, 'mean' | 'std'> {
  return n ? { mean: asList(n.mean), std: asList(n.std) } : { mean: [0], std: [1] };
}

/** NCHW [b, C, H, W] → NHWC, into `out`. */
export function nchwToNhwc(src: Float32Array, b: number, c: number, h: number, w: number, out: Float32Array = new Float32Array(src.length)): Float32Array {
  const hw = h * w;
  for (let i = 0; i < b; i++) {
    const base = i * c * hw;
    for (let k = 0; k < c; k++) {
      const from = base + k * hw;
      for (let p = 0; p < hw; p++) out[base + p * c + k] = src[from + p];
    }
  }
  return out;
}

/**
 * top-L2 straight on NCHW (no transpose): squared norms accumulated channel by channel over contiguous rows, then
 * the first largest position wins (as topL2Positions / argMax). Same definition as pointClouds.ts, faster layout.
 */
export function topL2Nchw(src: Float32Array, b: number, c: number, h: number, w: number, points: Float32Array, positions: Int32Array): void {
  const hw = h * w;
  const norms = new Float64Array(hw);
  for (let i = 0; i < b; i++) {
    const base = i * c * hw;
    norms.fill(0);
    for (let k = 0; k < c; k++) {
      const row = base + k * hw;
      for (let p = 0; p < hw; p++) norms[p] += src[row + p] * src[row + p];
    }
    let best = 0;
    for (let p = 1; p < hw; p++) if (norms[p] > norms[best]) best = p;
    positions[i] = best;
    for (let k = 0; k < c; k++) points[i * c + k] = src[base + k * hw + best];
  }
}

/** The channel vector at given positions (h·W + w) of each image, from NCHW. */
export function pointsAtNchw(src: Float32Array, b: number, c: number, hw: number, positions: Int32Array, points: Float32Array): void {
  for (let i = 0; i < b; i++) for (let k = 0; k < c; k++) points[i * c + k] = src[(i * c + k) * hw + positions[i]];
}

/** Global average pool from NCHW (float64 sums, as gapCloud). */
export function gapNchw(src: Float32Array, b: number, c: number, hw: number, points: Float32Array): void {
  for (let i = 0; i < b; i++) {
    for (let k = 0; k < c; k++) {
      const row = (i * c + k) * hw;
      let s = 0;
      for (let p = 0; p < hw; p++) s += src[row + p];
      points[i * c + k] = s / hw;
    }
  }
}

/** The model input size for a dataset: the graph's H×W, or the dataset's own when the graph takes any size. */
export function targetSize(model: Pick<OnnxModel, 'inputShape'>, dataset: Pick<ImageDataset, 'height' | 'width'>): [number, number, number] {
  const [h, w, c] = model.inputShape;
  return [h ?? dataset.height, w ?? dataset.width, c];
}

interface State {
  layer: OnnxLayer;
  points?: Float32Array;
  positions?: Int32Array;
  randomPositions?: Int32Array;
  rows?: Float32Array;
}

async function pass(model: OnnxModel, dataset: ImageDataset, layers: OnnxLayer[], method: CloudMethod, batchSize: number, options: ActivationOptions, progress: (done: number) => void): Promise<LayerCloud[]> {
  const { n, height, width, channels } = dataset;
  const target = targetSize(model, dataset);
  const pre = preprocessFromNormalization(options.normalization);
  const states: State[] = layers.map((layer) => {
    const [h, w, c] = layer.shape;
    const st: State = { layer };
    if (method.kind === 'pca') st.rows = new Float32Array(n * h * w * c);
    else st.points = new Float32Array(n * c);
    if (method.kind === 'top-l2' || method.kind === 'channel') st.positions = new Int32Array(n);
    if (method.kind === 'random') st.positions = st.randomPositions = randomPositions(n, h * w, method.seed, layer.index - 1);
    return st;
  });
  // top-L2 (and the channel cloud built on it) fetch the graph's own reduction when every layer has it.
  const reduced = (method.kind === 'top-l2' || method.kind === 'channel') && layers.every((l) => l.topL2);
  const fetch = reduced ? layers.flatMap((l) => [l.topL2!.points, l.topL2!.positions]) : layers.map((l) => l.output);
  const per = height * width * channels;
  for (let start = 0; start < n; start += batchSize) {
    if (options.signal?.aborted) throw abortError();
    const b = Math.min(batchSize, n - start);
    const x = imagesToNchw(dataset.pixels.subarray(start * per, (start + b) * per), [b, height, width, channels], target, pre);
    const outs = await model.forward(x, b, [target[0], target[1]], fetch);
    if (reduced) {
      states.forEach((st, li) => {
        const c = st.layer.shape[2];
        const [pts, pos] = [outs[2 * li], outs[2 * li + 1]];
        if (pts.dims[1] !== c || pos.data.length !== b) throw new Error(`layer ${st.layer.name} gave a top-L2 point of [${pts.dims.slice(1).join(', ')}], expected [${c}]`);
        st.points!.set(pts.data, start * c);
        const positions = st.positions!;
        for (let i = 0; i < b; i++) positions[start + i] = pos.data[i];
      });
      progress(start + b);
      continue;
    }
    outs.forEach((o, li) => {
      const st = states[li];
      const [h, w, c] = st.layer.shape;
      if (o.dims.length !== 4 || o.dims[1] !== c || o.dims[2] !== h || o.dims[3] !== w) {
        throw new Error(`layer ${st.layer.name} gave [${o.dims.slice(1).join(', ')}], expected [${c}, ${h}, ${w}] (NCHW)`);
      }
      if (method.kind === 'pca') {
        nchwToNhwc(o.data, b, c, h, w, st.rows!.subarray(start * h * w * c, (start + b) * h * w * c));
        return;
      }
      const pts = st.points!.subarray(start * c, (start + b) * c);
      switch (method.kind) {
        case 'top-l2':
        case 'channel':
          topL2Nchw(o.data, b, c, h, w, pts, st.positions!.subarray(start, start + b));
          break;
        case 'random':
          pointsAtNchw(o.data, b, c, h * w, st.randomPositions!.subarray(start, start + b), pts);
          break;
        case 'gap':
          gapNchw(o.data, b, c, h * w, pts);
          break;
      }
    });
    progress(start + b);
  }
  if (options.signal?.aborted) throw abortError();
  const identity = () => Int32Array.from({ length: n }, (_, i) => i);
  const results: LayerCloud[] = [];
  for (const st of states) {
    const c = st.layer.shape[2];
    const layer = st.layer;
    switch (method.kind) {
      case 'top-l2':
      case 'random':
        results.push({ layer, cloud: { data: st.points!, n, d: c }, imageIndices: identity(), positions: st.positions });
        break;
      case 'gap':
        results.push({ layer, cloud: { data: st.points!, n, d: c }, imageIndices: identity() });
        break;
      case 'channel':
        results.push({ layer, cloud: channelCloudFromTopL2({ data: st.points!, n, d: c }), imageIndices: identity(), positions: st.positions });
        break;
      case 'pca': {
        const [h, w] = layer.shape;
        const K = centeredGram(st.rows!, n, h * w * c, Float32Array);
        st.rows = undefined;
        results.push({ layer, cloud: await pcaScoresFromGram(K, n, method.dims), imageIndices: identity() });
        break;
      }
    }
  }
  return results;
}

/** Clouds of `layers` for every image of `dataset` (one pass; PCA: one pass per memory group). */
export async function computeOnnxClouds(model: OnnxModel, dataset: ImageDataset, layers: OnnxLayer[] = model.layers, options: ActivationOptions = {}): Promise<LayerCloud[]> {
  return runCloudPasses(dataset, layers, options, (group, method, batchSize, progress) =>
    pass(model, dataset, group, method, batchSize, options, progress),
  );
}

/** The ActivationSource of an ONNX model: computeLayerClouds hands the whole run to computeOnnxClouds. */
export function sourceFromOnnxModel(model: OnnxModel): ActivationSource {
  const byName = new Map(model.layers.map((l) => [l.name, l] as const));
  return {
    inputShape: model.inputShape,
    layers: model.layers,
    run() {
      throw new Error('an ONNX model runs through computeClouds, not tf tensors');
    },
    computeClouds: (dataset, layers, options) =>
      computeOnnxClouds(
        model,
        dataset,
        layers.map((l) => {
          const found = byName.get(l.name);
          if (!found) throw new Error(`layer ${l.name} is not a layer of ${model.label}`);
          return found;
        }),
        options,
      ),
  };
}

/** Top-1 predictions from the logits output, for `evaluate`. */
export async function onnxPredictions(
  model: OnnxModel,
  data: Pick<ImageDataset, 'pixels' | 'n' | 'height' | 'width' | 'channels'>,
  pre: Pick<OnnxPreprocess, 'mean' | 'std'>,
  batch = 100,
): Promise<Int32Array> {
  if (!model.logitsName) throw new Error(`${model.label} has no 2-D (batch × classes) output to classify with`);
  const target = targetSize(model, data);
  const per = data.height * data.width * data.channels;
  const out = new Int32Array(data.n);
  for (let start = 0; start < data.n; start += batch) {
    const b = Math.min(batch, data.n - start);
    const x = imagesToNchw(data.pixels.subarray(start * per, (start + b) * per), [b, data.height, data.width, data.channels], target, pre);
    const [logits] = await model.forward(x, b, [target[0], target[1]], [model.logitsName]);
    const k = logits.dims[1];
    for (let i = 0; i < b; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (logits.data[i * k + j] > logits.data[i * k + best]) best = j;
      out[start + i] = best;
    }
  }
  return out;
}
