/**
 * The one model loader of every CLI command. A model is given by a path; the first format whose `matches` accepts
 * the path loads it:
 * - `tfjs`: a TF.js model (layers or graph) — a directory holding model.json and the weight shards it names, or the
 *   model.json itself; card.json next to it is optional (it gives the normalisation and the class names).
 * New formats (an .onnx file, …) are one more entry in MODEL_FORMATS: a `matches` test and a `load`.
 * Every problem is an InputError naming the option, the file and the field (exit 2).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { InputError } from '../args';
import { fileErrorMessage, readInputFile } from '../files';
import type { ActivationSource, Normalization } from '../../model/activations';
import type { ModelCard } from '../../model/loadModel';
import { checkManifest } from '../../model/modelManifest';
import type { OnnxRuntimeOption } from './options';
import type { ImageDataset, LayerInfo } from '../../types';

export interface ModelOptions {
  /** The option that named the path, for messages (default "model"). */
  option?: string;
  /** TF.js backend for TF.js models. */
  backend: 'wasm' | 'cpu';
  /** [H, W] at which to measure the layers of a model that takes any image size (the dataset's size). */
  inputSize?: [number, number];
  /** ONNX models: who runs the graph (default auto). */
  onnxRuntime?: OnnxRuntimeOption;
}

export interface CliModel {
  /** Display id: the model directory's (or file's) name. */
  id: string;
  path: string;
  format: string;
  /** What runs it, for the summary line: the TF.js backend, or the ONNX runtime. */
  runtime: string;
  /** The image input [H, W, C]; null H/W when any size is taken. */
  inputShape: [number | null, number | null, number];
  layers: LayerInfo[];
  /** Layer outputs for a preprocessed batch (activations, reproduce). */
  source: ActivationSource;
  /** The card's normalisation, if the model has one; else undefined (callers default to pixel/255). */
  normalization: Normalization | undefined;
  card: ModelCard | null;
  /** Top-1 predictions, for `evaluate`: a model that maps a batch to class scores. */
  classifier: tf.LayersModel | tf.GraphModel | null;
  /** Top-1 predictions of a model with its own runtime (ONNX: the argmax of the logits output). */
  predict?(dataset: ImageDataset, normalization: Normalization, batch: number): Promise<Int32Array>;
  dispose(): void;
}

export interface ModelFormat {
  id: string;
  /** What to accept, for the message when nothing matches. */
  describe: string;
  matches(path: string, isDirectory: boolean): boolean;
  load(path: string, options: ModelOptions, label: string): Promise<CliModel>;
}

function message(err: unknown): string {
  return (fileErrorMessage(err) ?? (err instanceof Error ? err.message : String(err))).split('\n')[0];
}

/** model.json's shard list, the manifest checked field by field first (the core's check, as the page's). */
function shardPaths(json: unknown, jsonLabel: string): string[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError(`${jsonLabel} is not a JSON object: it is not a TF.js model file`);
  try {
    return checkManifest((json as { weightsManifest?: unknown }).weightsManifest, jsonLabel).flatMap((g) => g.paths);
  } catch (err) {
    throw new InputError(message(err));
  }
}

const tfjsFormat: ModelFormat = {
  id: 'tfjs',
  describe: 'a TF.js model directory (model.json + weight shards) or its model.json',
  matches: (path, isDirectory) => (isDirectory ? existsSync(join(path, 'model.json')) : /\.json$/i.test(path)),
  async load(path, options, label) {
    const isDir = statSync(path).isDirectory();
    const dir = isDir ? path : dirname(path);
    const jsonPath = isDir ? join(path, 'model.json') : path;
    const jsonLabel = isDir ? `${label}: model.json` : label;
    const jsonBytes = readInputFile(jsonPath, '');
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(jsonBytes));
    } catch {
      throw new InputError(`${jsonLabel} is not valid JSON: it is not a TF.js model file`);
    }
    const files = [{ name: 'model.json', bytes: jsonBytes }];
    for (const p of shardPaths(json, jsonLabel)) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new InputError(`${label}: the weight file ${p} named in model.json does not exist`);
      try {
        files.push({ name: basename(p), bytes: readInputFile(file, '') });
      } catch (err) {
        throw new InputError(`${label}: weight file ${message(err)}`);
      }
    }
    let card: ModelCard | null = null;
    const cardPath = join(dir, 'card.json');
    if (existsSync(cardPath)) {
      const { loadModelCard } = await import('../../model/loadModel');
      const { nodeReadFile } = await import('./nodeRead');
      try {
        card = await loadModelCard(dir, nodeReadFile);
      } catch (err) {
        throw new InputError(`${label}: ${message(err).replace(cardPath, 'card.json')}`);
      }
    }
    const { useNodeBackend } = await import('../../model/loadModelNode');
    await useNodeBackend(options.backend);
    const { loadUserModel } = await import('../../model/userModel');
    let user;
    try {
      user = await loadUserModel(files, { inputSize: options.inputSize });
    } catch (err) {
      throw new InputError(`${label}: ${message(err)}`);
    }
    return {
      id: basename(resolve(dir)),
      path,
      format: `tfjs-${user.kind}`,
      runtime: `TF.js ${options.backend}`,
      inputShape: user.inputShape,
      layers: user.layers,
      source: user.source,
      normalization: card?.normalization,
      card,
      classifier: user.model,
      dispose: () => user.dispose(),
    };
  },
};

/**
 * An ONNX image classifier (src/model/onnx/): the .onnx file, its external weight files beside it, and an optional
 * NAME.preprocess.json {mean, std, classNames} beside it. Runs on onnxruntime-web's wasm build (single thread).
 */
const onnxFormat: ModelFormat = {
  id: 'onnx',
  describe: 'an ONNX model file (.onnx; optional NAME.preprocess.json beside it)',
  matches: (path, isDirectory) => !isDirectory && /\.onnx$/i.test(path),
  async load(path, options, label) {
    const bytes = readInputFile(path, '');
    const [{ openOnnxModel }, { sourceFromOnnxModel, onnxPredictions, preprocessFromNormalization }, { parsePreprocessJson, sidecarName }] = await Promise.all([
      import('../../model/onnx/model'),
      import('../../model/onnx/clouds'),
      import('../../model/onnx/input'),
    ]);
    let normalization: Normalization | undefined;
    const sidecar = sidecarName(path);
    if (existsSync(sidecar)) {
      try {
        const pre = parsePreprocessJson(readInputFile(sidecar, ''), basename(sidecar));
        normalization = { mean: pre.mean, std: pre.std };
      } catch (err) {
        throw new InputError(`${label}: ${message(err)}`);
      }
    }
    const open = (executionProvider: 'tfjs' | 'wasm') =>
      openOnnxModel(bytes, {
        label,
        inputSize: options.inputSize,
        executionProvider,
        readFile: (name) => {
          const file = join(dirname(path), name);
          return existsSync(file) ? readInputFile(file, '') : null;
        },
      });
    const want = options.onnxRuntime ?? 'auto';
    let model;
    try {
      if (want === 'onnxruntime') model = await open('wasm');
      else {
        const { useNodeBackend } = await import('../../model/loadModelNode');
        await useNodeBackend(options.backend);
        try {
          model = await open('tfjs');
        } catch (err) {
          // auto: a graph the TF.js-op runtime cannot run (or a file onnxruntime rejects) goes to onnxruntime, whose
          // message then names the problem.
          if (want === 'tfjs') throw err;
          model = await open('wasm');
        }
      }
    } catch (err) {
      throw new InputError(message(err));
    }
    const m = model;
    return {
      id: basename(path),
      path,
      format: 'onnx',
      runtime: m.executionProvider === 'tfjs' ? `TF.js ${options.backend} (ONNX graph as TF.js ops)` : 'onnxruntime-web wasm',
      inputShape: m.inputShape,
      layers: m.layers,
      source: sourceFromOnnxModel(m),
      normalization,
      card: null,
      classifier: null,
      predict: m.logitsName ? (dataset, norm, batch) => onnxPredictions(m, dataset, preprocessFromNormalization(norm), batch) : undefined,
      dispose: () => m.dispose(),
    };
  },
};

/** The model formats, tried in order. */
export const MODEL_FORMATS: ModelFormat[] = [tfjsFormat, onnxFormat];

export async function loadModel(path: string, options: ModelOptions): Promise<CliModel> {
  const option = options.option ?? 'model';
  const label = `--${option} ${path}`;
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new InputError(fileErrorMessage(err, label) ?? `${label}: ${message(err)}`);
  }
  const format = MODEL_FORMATS.find((f) => f.matches(path, isDir));
  if (!format) {
    throw new InputError(
      isDir
        ? `${label} has no model.json`
        : `${label} is not a model file (expected ${MODEL_FORMATS.map((f) => f.describe).join(', or ')})`,
    );
  }
  return format.load(path, options, label);
}
