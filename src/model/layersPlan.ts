/**
 * A layers model's graph run as TF.js ops, with two rewrites that the wasm backend rewards (issue 15: the 10 000-image
 * page spends most of its activations in the forward pass):
 *  - ZeroPadding2D read only by a 'valid' Conv2D → one conv with explicit padding (XNNPACK pads for free; the
 *    PadV2 copy was ~7 % of the bundled model's time). PyTorch's padding-1 convs are exported to TF.js this way;
 *  - inference BatchNormalization → a 1×1 depthwise conv with a bias (batchNormAsDepthwise.ts; FusedBatchNorm on
 *    wasm was ~18 %), with a following ReLU fused in when the ReLU is its only reader.
 * Every other layer runs through its own `apply` on the batch. Only the layers up to the last requested output run,
 * and each intermediate tensor is disposed after its last reader, so a batch holds a few maps at a time, not every
 * layer's (they would all sit in the caller's tidy until the batch ends).
 *
 * Requested outputs are never rewritten away: a requested ZeroPadding2D or BatchNormalization output is computed
 * as such (a requested output is never an alias, so it is never freed here either). The numbers equal
 * `model.predict` to float32 rounding (tested on the bundled model and on a model of every rewritten case). A model the plan cannot follow (a layer called more than once, a layer with several
 * inputs or outputs in another shape than Add's) gets null, and the caller keeps the multi-output model.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormAsDepthwise, depthwiseBatchNorm } from './batchNormAsDepthwise';

type Layer = tf.layers.Layer;

type Step =
  | { kind: 'apply'; layer: Layer; inputs: string[] }
  | { kind: 'conv'; layer: Layer; config: Config; input: string; pad: 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]] }
  | { kind: 'batchNorm'; layer: Layer; config: Config; input: string; relu: boolean }
  /** Nothing to compute: the value is that of `input` (a padding folded into its conv, a ReLU into its BN). */
  | { kind: 'alias'; layer: Layer; input: string };

export interface LayersPlan {
  /** Outputs of the named layers for a batch, in order; call inside tf.tidy. */
  run(x: tf.Tensor4D, names: string[]): tf.Tensor4D[];
  dispose(): void;
}

interface Config {
  padding?: unknown;
  activation?: string;
  dataFormat?: string;
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  useBias?: boolean;
  strides?: number | number[];
  dilationRate?: number | number[];
}

const config = (l: Layer) => l.getConfig() as Config;
const pair = (v: number | number[] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]]);

/** The plan of `model`, or null when the model has a shape this plan does not follow. */
export function planLayersModel(model: tf.LayersModel): LayersPlan | null {
  if (model.inputs.length !== 1) return null;
  // The input's own layer (a Sequential model does not list its InputLayer among its layers).
  const inputName = model.inputs[0].sourceLayer?.name;
  if (!inputName) return null;
  const layers = model.layers;
  const inputsOf = new Map<string, string[]>();
  for (const l of layers) {
    if (l.inboundNodes.length !== 1) return null; // a shared layer: its calls are not one per name
    const node = l.inboundNodes[0];
    if (node.tensorIndices.some((t) => t !== 0) || node.nodeIndices.some((t) => t !== 0)) return null;
    inputsOf.set(l.name, node.inboundLayers.map((p) => p.name));
  }
  const readers = new Map<string, string[]>();
  for (const l of layers) for (const i of inputsOf.get(l.name)!) readers.set(i, [...(readers.get(i) ?? []), l.name]);
  const byName = new Map(layers.map((l) => [l.name, l]));
  const className = (name: string | undefined) => (name ? byName.get(name)?.getClassName() : undefined);
  const onlyReader = (name: string) => (readers.get(name)?.length === 1 ? readers.get(name)![0] : undefined);

  /** Kept weights of the rewritten layers, made on first use. */
  const weights = new Map<string, tf.Tensor[]>();
  const weightOf = (l: Layer, make: () => tf.Tensor[]) => weights.get(l.name) ?? (weights.set(l.name, make()), weights.get(l.name)!);

  // Plans per requested-name set: which rewrites apply depends on what must stay visible.
  const plans = new Map<string, { steps: Step[]; lastUse: Map<string, number> }>();
  const planFor = (names: string[]) => {
    const wanted = new Set(names);
    const steps: Step[] = [];
    const at = names.map((n) => layers.findIndex((l) => l.name === n));
    if (at.includes(-1)) throw new Error(`the model has no layer named ${names[at.indexOf(-1)]}`);
    const last = Math.max(...at);
    // A rewrite hides a value; it may when nobody but its one reader (and no request) sees it.
    const hidden = (name: string, reader: string) => !wanted.has(name) && onlyReader(name) === reader;
    for (let k = 0; k <= last; k++) {
      const l = layers[k];
      const ins = inputsOf.get(l.name)!;
      const cls = l.getClassName();
      const c = config(l);
      if (cls === 'InputLayer') continue;
      if (cls === 'ZeroPadding2D' && ins.length === 1 && c.dataFormat !== 'channelsFirst') {
        const reader = onlyReader(l.name);
        const rc = reader ? config(byName.get(reader)!) : undefined;
        if (reader && className(reader) === 'Conv2D' && hidden(l.name, reader) && rc?.padding === 'valid' && rc.dataFormat !== 'channelsFirst' && (rc.activation === 'linear' || rc.activation === 'relu')) {
          steps.push({ kind: 'alias', layer: l, input: ins[0] });
          continue;
        }
      }
      if (cls === 'Conv2D' && ins.length === 1 && c.dataFormat !== 'channelsFirst' && (c.activation === 'linear' || c.activation === 'relu')) {
        // (The input may be the InputLayer, which a Sequential model does not list.)
        const from = byName.get(ins[0]);
        if (from && from.getClassName() === 'ZeroPadding2D' && steps.some((s) => s.kind === 'alias' && s.layer === from)) {
          const [[t, b], [left, r]] = config(from).padding as [[number, number], [number, number]];
          steps.push({ kind: 'conv', layer: l, config: c, input: inputsOf.get(from.name)![0], pad: [[0, 0], [t, b], [left, r], [0, 0]] });
        } else steps.push({ kind: 'conv', layer: l, config: c, input: ins[0], pad: c.padding as 'valid' | 'same' });
        continue;
      }
      if (cls === 'BatchNormalization' && ins.length === 1) {
        const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
        const rank = l.inboundNodes[0].inputTensors[0].shape.length;
        if (rank === 4 && axis.length === 1 && (axis[0] === -1 || axis[0] === 3)) {
          const reader = onlyReader(l.name);
          const relu = reader !== undefined && className(reader) === 'Activation' && config(byName.get(reader)!).activation === 'relu' && hidden(l.name, reader);
          steps.push({ kind: 'batchNorm', layer: l, config: c, input: ins[0], relu });
          continue;
        }
      }
      if (cls === 'Activation' && ins.length === 1) {
        const from = steps.find((s) => s.kind === 'batchNorm' && s.layer.name === ins[0]);
        if (from && from.kind === 'batchNorm' && from.relu) {
          steps.push({ kind: 'alias', layer: l, input: ins[0] });
          continue;
        }
      }
      steps.push({ kind: 'apply', layer: l, inputs: ins });
    }
    // Where each name's value lives (aliases resolved), and the last step that reads it.
    const home = new Map<string, string>();
    const resolve = (n: string): string => home.get(n) ?? n;
    const lastUse = new Map<string, number>();
    steps.forEach((s, at) => {
      if (s.kind === 'alias') home.set(s.layer.name, resolve(s.input));
      else for (const i of s.kind === 'apply' ? s.inputs : [s.input]) lastUse.set(resolve(i), at);
    });
    for (const s of steps) {
      if (s.kind === 'apply') s.inputs = s.inputs.map(resolve);
      else if (s.kind !== 'alias') s.input = resolve(s.input);
    }
    return { steps, lastUse };
  };

  // Configs are read at plan time (getConfig builds a new object per call), not per layer of every batch.
  const runStep = (s: Exclude<Step, { kind: 'alias' }>, values: Map<string, tf.Tensor>): tf.Tensor => {
    switch (s.kind) {
      case 'conv': {
        const c = s.config;
        const [filter, bias] = weightOf(s.layer, () => s.layer.getWeights());
        return tf.fused.conv2d({
          x: values.get(s.input) as tf.Tensor4D,
          filter: filter as tf.Tensor4D,
          strides: pair(c.strides, 1),
          pad: s.pad,
          dilations: pair(c.dilationRate, 1),
          bias: c.useBias ? bias : undefined,
          activation: c.activation === 'relu' ? 'relu' : 'linear',
        });
      }
      case 'batchNorm': {
        const c = s.config;
        const [filter, bias] = weightOf(s.layer, () => {
          // Weights in Keras order: γ (if scale), β (if center), moving mean, moving variance.
          const w = s.layer.getWeights().map((t) => t.dataSync());
          const gamma = c.scale !== false ? w.shift()! : null;
          const beta = c.center !== false ? w.shift()! : null;
          const bn = batchNormAsDepthwise({ gamma, beta, mean: w[0], variance: w[1], epsilon: c.epsilon ?? 1e-3 });
          return [bn.filter, bn.bias];
        });
        return depthwiseBatchNorm(values.get(s.input) as tf.Tensor4D, { filter: filter as tf.Tensor4D, bias: bias as tf.Tensor1D }, s.relu);
      }
      case 'apply': {
        const ins = s.inputs.map((i) => values.get(i)!);
        return s.layer.apply(ins.length === 1 ? ins[0] : ins) as tf.Tensor;
      }
    }
  };

  return {
    run(x, names) {
      const key = names.join('\u0000');
      let plan = plans.get(key);
      if (!plan) plans.set(key, (plan = planFor(names)));
      const values = new Map<string, tf.Tensor>([[inputName, x]]);
      plan.steps.forEach((s, at) => {
        if (s.kind === 'alias') {
          values.set(s.layer.name, values.get(s.input)!);
          return;
        }
        values.set(s.layer.name, runStep(s, values));
        // Free what no later step reads (never the input, which is the caller's, nor a requested output).
        for (const i of s.kind === 'apply' ? s.inputs : [s.input]) {
          if (plan!.lastUse.get(i) === at && i !== inputName && !names.includes(i)) values.get(i)!.dispose();
        }
      });
      return names.map((n) => values.get(n) as tf.Tensor4D);
    },
    dispose() {
      for (const [name, ws] of weights) {
        // Conv weights are the model's own variables; only the depthwise BN tensors were made here.
        if (byName.get(name)?.getClassName() === 'BatchNormalization') for (const t of ws) t.dispose();
      }
      weights.clear();
    },
  };
}
