/**
 * Which layers of a model give point clouds: the layers whose output is 4-D (batch × H × W × C).
 *
 * - The bundled ResNet-18 (it has conv01 … conv17): exactly those 17 convolutions in paper order, with their
 *   stages (stem, stage 1 … stage 4); its BatchNorms, ReLUs, paddings and the fixed `shortcut_*` convs are not studied.
 * - Any other (user's) model: every layer with a 4-D output except the input, zero paddings and `shortcut_*`,
 *   numbered from 1, grouped by a guess from the names (Keras' conv2_block1_…, block_3_…, layer1.0…) or 'layers'.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from '../types';
import { STUDIED_LAYER_NAMES, studiedLayers } from './resnet';

/** The model's image input as [H, W, C]; H or W is null when the model takes any size. */
export function modelInputShape(model: tf.LayersModel): [number | null, number | null, number] {
  if (model.inputs.length !== 1) {
    throw new Error(`the model has ${model.inputs.length} inputs; only models with one image input are supported`);
  }
  const shape = model.inputs[0].shape;
  if (shape.length !== 4) {
    throw new Error(
      `the model's input has shape [${shape.map((s) => s ?? 'any').join(', ')}]; an image input [batch, height, width, channels] is needed`,
    );
  }
  const c = shape[3];
  if (c !== 1 && c !== 3) {
    throw new Error(`the model's input has ${c ?? 'unknown'} channels; only 1 (grayscale) or 3 (RGB) are supported`);
  }
  return [shape[1], shape[2], c];
}

/** True when the model has the bundled network's 17 studied convolutions. */
export function isBundledResNet(model: tf.LayersModel): boolean {
  const names = new Set(model.layers.map((l) => l.name));
  return STUDIED_LAYER_NAMES.every((n) => names.has(n));
}

const EXCLUDED_CLASSES = new Set(['InputLayer', 'ZeroPadding2D']);

/** A group guessed from a layer name: the leading "word+number" before a separator (conv2_block1 → conv2). */
function guessGroup(name: string): string | null {
  const m = /^([A-Za-z]+_?\d+)[_/.:]./.exec(name);
  return m ? m[1] : null;
}

function singleOutputShape(layer: tf.layers.Layer): (number | null)[] | null {
  let shape: tf.Shape | tf.Shape[];
  try {
    shape = layer.outputShape;
  } catch {
    return null; // a layer used at several places has no single output shape
  }
  if (shape.length > 0 && Array.isArray(shape[0])) return null;
  return shape as (number | null)[];
}

export interface ListLayersOptions {
  /** Input size [H, W] to measure layer shapes when the model takes any size (its input has null H or W). */
  inputSize?: [number, number];
}

/** The layers that give point clouds, in model order, 1-based. */
export function listLayers(model: tf.LayersModel, options: ListLayersOptions = {}): LayerInfo[] {
  const [ih, iw, ic] = modelInputShape(model);
  if (isBundledResNet(model)) return studiedLayers(model);
  const chosen: { layer: tf.layers.Layer; shape: (number | null)[] }[] = [];
  for (const layer of model.layers) {
    if (EXCLUDED_CLASSES.has(layer.getClassName()) || layer.name.startsWith('shortcut_')) continue;
    const shape = singleOutputShape(layer);
    if (shape && shape.length === 4) chosen.push({ layer, shape });
  }
  if (chosen.length === 0) throw new Error('the model has no layer with a 4-D (batch × H × W × C) output');

  let shapes = chosen.map((c) => c.shape.slice(1));
  if (shapes.some((s) => s.some((v) => v === null))) {
    // A size-agnostic model: measure the shapes by running one blank image of the requested size.
    const size = options.inputSize ?? (ih !== null && iw !== null ? [ih, iw] : undefined);
    if (!size) throw new Error('the model accepts any image size; pass inputSize [H, W] to list its layers');
    shapes = measureShapes(model, chosen.map((c) => c.layer), [size[0], size[1], ic]);
  }

  const groups = chosen.map((c) => guessGroup(c.layer.name));
  const distinct = new Set(groups.filter((g) => g !== null));
  let current = 'stem';
  return chosen.map((c, i) => {
    let stage = 'layers';
    if (distinct.size >= 2) {
      if (groups[i] !== null) current = groups[i]!;
      stage = current;
    }
    const [h, w, ch] = shapes[i] as number[];
    return { index: i + 1, name: c.layer.name, stage, shape: [h, w, ch] };
  });
}

function measureShapes(model: tf.LayersModel, layers: tf.layers.Layer[], input: [number, number, number]): number[][] {
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
  return tf.tidy(() => {
    const out = probe.predict(tf.zeros([1, ...input])) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out : [out]).map((t) => t.shape.slice(1));
  });
}

/** Look up layers by 1-based index or name; a bad one names the allowed range. */
export function selectLayers(all: LayerInfo[], which: 'all' | (number | string)[]): LayerInfo[] {
  if (which === 'all') return all;
  return which.map((k) => {
    const found = typeof k === 'number' ? all.find((l) => l.index === k) : all.find((l) => l.name === k);
    if (!found) {
      throw new Error(
        `layer ${typeof k === 'number' ? k : `"${k}"`} does not exist: use 1…${all.length} or a name (${all[0].name} … ${all[all.length - 1].name})`,
      );
    }
    return found;
  });
}
