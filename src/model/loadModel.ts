/**
 * Loading a TF.js layers model (model.json + weight shards) and its card.json.
 *
 * Browser-safe: file access is injected as `readFile(path) → bytes`, so the page passes a fetch-based reader
 * (or simply calls `loadModelFromUrl`) and Node passes fs (see loadModelNode.ts). Nothing here imports fs.
 */
import * as tf from '@tensorflow/tfjs';
import type { ReadFile } from '../data/bundled';

export type { ReadFile };

/** The metadata shipped next to each bundled model (public/models/NAME/card.json). */
export interface ModelCard {
  name: string;
  architecture: string;
  dataset: string;
  /** Epochs trained (0 for the initial weights). */
  epochs: number;
  seed: number;
  /** Top-1 accuracy on the full 10 000-image test set, measured in PyTorch at export time. */
  testAccuracy: number;
  inputShape: [number, number, number];
  /** The network expects (pixel / 255 − mean) / std. */
  normalization: { mean: number; std: number };
  classNames: string[];
  /** Names of the studied layers in paper order (conv01 … conv17). */
  studiedLayers: string[];
  license: string;
  dataLicense: string;
  [extra: string]: unknown;
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (err) {
    throw new Error(`${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A TF.js IOHandler that reads model.json and its shards from a directory through `readFile`. */
export function directoryIOHandler(dir: string, readFile: ReadFile): tf.io.IOHandler {
  return {
    load: async () => {
      const jsonPath = joinPath(dir, 'model.json');
      const modelJSON = parseJson<tf.io.ModelJSON>(await readFile(jsonPath), jsonPath);
      if (modelJSON.modelTopology === undefined || !Array.isArray(modelJSON.weightsManifest)) {
        throw new Error(`${jsonPath} is not a TF.js layers model (needs modelTopology and weightsManifest)`);
      }
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const bytes = await readFile(joinPath(dir, p));
            buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Load a layers model from a directory holding model.json and its shards. */
export async function loadModelFromDir(dir: string, readFile: ReadFile): Promise<tf.LayersModel> {
  return tf.loadLayersModel(directoryIOHandler(dir, readFile));
}

/**
 * Fetch a served model's model.json and shards without building it: this needs no backend, so the page runs it
 * while the backend is being chosen, then builds the model with modelFromArtifacts.
 */
export async function fetchModelArtifacts(url: string): Promise<tf.io.ModelArtifacts> {
  const handler = tf.io.http(url.endsWith('.json') ? url : joinPath(url, 'model.json'));
  return handler.load!();
}

/** Build a layers model from fetched artifacts (its weights go to the backend active now). */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel({ load: async () => artifacts });
}

/** Load a layers model served over HTTP (the page): `url` is the model directory or its model.json. */
export async function loadModelFromUrl(url: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(url.endsWith('.json') ? url : joinPath(url, 'model.json'));
}

/** Read and check a model's card.json. */
export async function loadModelCard(dir: string, readFile: ReadFile): Promise<ModelCard> {
  const path = joinPath(dir, 'card.json');
  const card = parseJson<ModelCard>(await readFile(path), path);
  const n = card.normalization;
  if (!n || typeof n.mean !== 'number' || typeof n.std !== 'number' || !(n.std > 0)) {
    throw new Error(`${path}: normalization must be {mean: number, std: number > 0}`);
  }
  if (!Array.isArray(card.classNames)) throw new Error(`${path}: classNames must be an array of strings`);
  return card;
}

/**
 * Turn uint8 images (n × h × w × c, row-major) into the normalised float input (pixel/255 − mean)/std,
 * shaped [n, h, w, c]. The caller disposes the tensor.
 */
export function preprocess(
  pixels: Uint8Array,
  shape: [number, number, number, number],
  normalization: { mean: number; std: number },
): tf.Tensor4D {
  const [n, h, w, c] = shape;
  if (pixels.length !== n * h * w * c) {
    throw new Error(`preprocess: ${pixels.length} pixels do not fill shape [${shape.join(', ')}]`);
  }
  const { mean, std } = normalization;
  const out = new Float32Array(pixels.length);
  // Same arithmetic order as the PyTorch side (x/255 − mean)/std, in float32, for bit-close parity.
  const m = Math.fround(mean);
  const s = Math.fround(std);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.fround(Math.fround(Math.fround(pixels[i] / 255) - m) / s);
  return tf.tensor4d(out, shape);
}

export interface AccuracyOptions {
  /** Images per forward pass. Default 100. */
  batch?: number;
  /** Evaluate only the first `limit` images. Default: all. */
  limit?: number;
}

export interface AccuracyResult {
  n: number;
  correct: number;
  accuracy: number;
  /** Predicted class of each evaluated image. */
  predictions: Int32Array;
}

/** Top-1 accuracy of a classifier on uint8 images (n × h × w × c) with integer labels. */
export async function evaluateAccuracy(
  model: tf.LayersModel,
  data: { pixels: Uint8Array; labels: Int32Array; n: number; height: number; width: number; channels: number },
  normalization: { mean: number; std: number },
  options: AccuracyOptions = {},
): Promise<AccuracyResult> {
  const batch = options.batch ?? 100;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`evaluateAccuracy: batch must be an integer ≥ 1 (got ${batch})`);
  const limit = options.limit ?? data.n;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`evaluateAccuracy: limit must be an integer ≥ 1 (got ${limit})`);
  const shape = model.inputs[0].shape;
  const { height: h, width: w, channels: c } = data;
  if (shape[1] !== h || shape[2] !== w || shape[3] !== c) {
    throw new Error(`model expects ${shape.slice(1).join('×')} images, dataset has ${h}×${w}×${c}`);
  }
  const n = Math.min(limit, data.n);
  const size = h * w * c;
  const predictions = new Int32Array(n);
  let correct = 0;
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const x = preprocess(data.pixels.subarray(start * size, (start + m) * size), [m, h, w, c], normalization);
    const classes = tf.tidy(() => (model.predict(x) as tf.Tensor2D).argMax(1));
    const got = await classes.data();
    x.dispose();
    classes.dispose();
    for (let i = 0; i < m; i++) {
      predictions[start + i] = got[i];
      if (got[i] === data.labels[start + i]) correct++;
    }
  }
  return { n, correct, accuracy: correct / n, predictions };
}
