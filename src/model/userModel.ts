/**
 * Users' models: a TF.js model.json dropped together with its weight shards (list of {name, bytes}).
 *
 * - Layers models (model.save() / tensorflowjs_converter --output_format tfjs_layers_model): loaded through an
 *   in-memory IOHandler, so the same code runs in the page and in Node; every layer with a 4-D output is listed.
 * - Graph models (tfjs_graph_model, e.g. converted SavedModels): the convolution nodes (Conv2D, depthwise, and the
 *   converter's fused forms) are listed; their shapes are measured with one blank image. Note that the converter
 *   folds BatchNorm and ReLU into fused convs, so there a "conv output" is after BN/activation.
 * Every problem (missing shard, not a model, an input the model cannot take) is one clear sentence.
 */
import * as tf from '@tensorflow/tfjs';
import { Fnv1a64 } from '../data/fingerprint';
import type { LayerInfo } from '../types';
import { sourceFromLayersModel, type ActivationSource } from './activations';
import { listLayers, modelInputShape } from './layers';
import { checkGroupSize, checkManifest } from './modelManifest';

export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

export interface UserModel {
  kind: 'layers' | 'graph';
  model: tf.LayersModel | tf.GraphModel;
  /** Input [H, W, C]; null H/W when the model takes any size. */
  inputShape: [number | null, number | null, number];
  layers: LayerInfo[];
  source: ActivationSource;
  dispose(): void;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/**
 * Find model.json, check it, and gather its shards; throws a one-line reason when the files are not a TF.js model.
 * `id` identifies the model by its topology and its weights (model.json's bytes, then every shard in manifest
 * order): checkpoints of one architecture share a model.json but never an id.
 */
export function modelArtifactsFromFiles(files: ModelFile[]): { artifacts: tf.io.ModelArtifacts; isGraph: boolean; jsonName: string; id: string } {
  const jsons = files.filter((f) => baseName(f.name).toLowerCase().endsWith('.json'));
  const json = jsons.find((f) => baseName(f.name) === 'model.json') ?? (jsons.length === 1 ? jsons[0] : undefined);
  if (!json) {
    throw new Error(
      jsons.length === 0
        ? 'no model.json among the files: drop the model.json of a TF.js model together with its .bin weight files'
        : `several .json files (${jsons.map((f) => baseName(f.name)).join(', ')}) and none is named model.json`,
    );
  }
  const jsonName = baseName(json.name);
  let parsed: tf.io.ModelJSON;
  try {
    parsed = JSON.parse(new TextDecoder().decode(json.bytes)) as tf.io.ModelJSON;
  } catch {
    throw new Error(`${jsonName} is not valid JSON: it is not a TF.js model file`);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.modelTopology === undefined || parsed.modelTopology === null) {
    throw new Error(`${jsonName} has no modelTopology: it is not a TF.js model (export with model.save() or tensorflowjs_converter)`);
  }
  if (typeof parsed.modelTopology !== 'object') {
    throw new Error(`${jsonName}: modelTopology must be an object (got ${typeof parsed.modelTopology})`);
  }
  const manifest = checkManifest(parsed.weightsManifest, jsonName);
  const hash = new Fnv1a64().update(json.bytes);
  const byName = new Map(files.map((f) => [baseName(f.name), f] as const));
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  const missing: string[] = [];
  const groupShards: ModelFile[][] = [];
  for (const group of manifest) {
    weightSpecs.push(...(group.weights as tf.io.WeightsManifestEntry[]));
    const shards: ModelFile[] = [];
    for (const p of group.paths) {
      const shard = byName.get(baseName(p)) ?? byName.get(safeDecode(baseName(p)));
      if (!shard) missing.push(baseName(p));
      else shards.push(shard);
    }
    groupShards.push(shards);
  }
  if (missing.length > 0) {
    throw new Error(
      `weight file${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} named in ${jsonName} ${missing.length > 1 ? 'are' : 'is'} missing: drop ${missing.length > 1 ? 'them' : 'it'} together with ${jsonName}`,
    );
  }
  groupShards.forEach((shards, i) => {
    checkGroupSize(manifest[i], i, shards.map((s) => s.bytes.length), jsonName);
    for (const s of shards) {
      hash.update(s.bytes);
      buffers.push(toArrayBuffer(s.bytes));
    }
  });
  const topology = parsed.modelTopology as { node?: unknown; class_name?: unknown; model_config?: unknown };
  const isGraph = parsed.format === 'graph-model' || Array.isArray(topology.node);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: parsed.modelTopology,
    weightSpecs,
    weightData: tf.io.concatenateArrayBuffers(buffers),
    format: parsed.format,
    generatedBy: parsed.generatedBy,
    convertedBy: parsed.convertedBy,
    signature: parsed.signature,
    userDefinedMetadata: parsed.userDefinedMetadata,
    modelInitializer: parsed.modelInitializer,
  };
  return { artifacts, isGraph, jsonName, id: `user-model:${hash.hex()}` };
}

/** The id of a dropped model (topology and weights), after the same checks as loading it. */
export function userModelId(files: ModelFile[]): string {
  return modelArtifactsFromFiles(files).id;
}

function safeDecode(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function handlerFor(artifacts: tf.io.ModelArtifacts): tf.io.IOHandler {
  return { load: async () => artifacts };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
}

export interface UserModelOptions {
  /** Input size [H, W] for models that take any size (used to measure layer shapes). Default [224, 224]. */
  inputSize?: [number, number];
}

/** Load a dropped TF.js model (layers or graph) and list its layers that give point clouds. */
export async function loadUserModel(files: ModelFile[], options: UserModelOptions = {}): Promise<UserModel> {
  const { artifacts, isGraph, jsonName } = modelArtifactsFromFiles(files);
  if (isGraph) return loadGraph(artifacts, jsonName, options);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(handlerFor(artifacts));
  } catch (err) {
    throw new Error(`${jsonName} could not be loaded as a TF.js layers model: ${firstLine(err)}`);
  }
  try {
    const inputShape = modelInputShape(model);
    const layers = listLayers(model, { inputSize: options.inputSize ?? [224, 224] });
    const source = sourceFromLayersModel(model, layers);
    return {
      kind: 'layers',
      model,
      inputShape,
      layers,
      source,
      dispose: () => {
        source.dispose?.();
        model.dispose();
      },
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Graph-model ops whose outputs we offer as layers: the convolutions, plain and fused by the converter. */
const CONV_OPS = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);

interface GraphNodeJson {
  name: string;
  op: string;
}

async function loadGraph(artifacts: tf.io.ModelArtifacts, jsonName: string, options: UserModelOptions): Promise<UserModel> {
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(handlerFor(artifacts));
  } catch (err) {
    throw new Error(`${jsonName} could not be loaded as a TF.js graph model: ${firstLine(err)}`);
  }
  try {
    if (model.inputs.length !== 1) {
      throw new Error(`the model has ${model.inputs.length} inputs; only models with one image input are supported`);
    }
    const shape = model.inputs[0].shape ?? [];
    if (shape.length !== 4) {
      throw new Error(`the model's input has shape [${shape.join(', ')}]; an image input [batch, height, width, channels] is needed`);
    }
    const c = shape[3];
    if (c !== 1 && c !== 3) throw new Error(`the model's input has ${c} channels; only 1 (grayscale) or 3 (RGB) are supported`);
    const h = shape[1] > 0 ? shape[1] : null;
    const w = shape[2] > 0 ? shape[2] : null;
    const inputShape: [number | null, number | null, number] = [h, w, c];
    const nodes = ((artifacts.modelTopology as { node?: GraphNodeJson[] }).node ?? []).filter((n) => CONV_OPS.has(n.op));
    if (nodes.length === 0) throw new Error('the graph model has no convolution (Conv2D / depthwise) nodes to study');
    const names = nodes.map((n) => n.name);
    const size = [h ?? options.inputSize?.[0] ?? 224, w ?? options.inputSize?.[1] ?? 224];
    const shapes = tf.tidy(() => {
      const out = model.execute(tf.zeros([1, size[0], size[1], c]), names);
      return (Array.isArray(out) ? out : [out]).map((t) => t.shape.slice(1));
    });
    const layers: LayerInfo[] = [];
    shapes.forEach((s, i) => {
      if (s.length === 3) layers.push({ index: layers.length + 1, name: names[i], stage: 'layers', shape: [s[0], s[1], s[2]] });
    });
    const source: ActivationSource = {
      inputShape,
      layers,
      run(x, layerNames) {
        const out = model.execute(x, layerNames);
        return (Array.isArray(out) ? out : [out]) as tf.Tensor4D[];
      },
    };
    return { kind: 'graph', model, inputShape, layers, source, dispose: () => model.dispose() };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
