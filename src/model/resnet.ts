/**
 * The bundled network as TF.js layers: a CIFAR-style ResNet-18 at quarter width (16/32/64/128) for
 * 28×28×1 inputs, identical in function to the PyTorch model in tools/train_resnet.py.
 *
 * Two places where a literal port would silently differ from PyTorch:
 * - PyTorch's 3×3 conv with padding 1 pads one pixel on every side; TF 'same' with stride 2 on an even size
 *   pads only bottom/right. So every 3×3 conv is an explicit zeroPadding2d(1) followed by a 'valid' conv.
 * - The option-A shortcut (x[:, :, ::2, ::2] zero-padded in channels) has no TF.js layer; it is a fixed,
 *   non-trainable 1×1 stride-2 conv whose kernel is the identity on the first input channels and zero after.
 *
 * Layer names (stable; the exporter, the parity test and the activation extractor rely on them):
 *   conv01 bn01 relu01                         stem
 *   for block b = 1..8 (stage s = ceil(b/2)), k = 2b and k+1:
 *     pad{k} conv{k} bn{k} relu{k}             first conv of the block (conv02, conv04, …)
 *     pad{k+1} conv{k+1} bn{k+1}               second conv (conv03, conv05, …)
 *     shortcut_s2_{b}                          only for blocks 3, 5, 7 (first block of stages 2–4)
 *     add_{b} out_{b}                          residual sum and its ReLU
 *   gap, logits                                global average pool, dense 10 (no softmax)
 * The 17 studied layers are conv01 … conv17: their outputs are the pre-BatchNorm activations.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerInfo } from '../types';

export interface ResNetOptions {
  /** Channel widths of the four stages. Default [16, 32, 64, 128] (quarter of the paper's 64…512). */
  widths?: [number, number, number, number];
  /** Input size. Default [28, 28, 1] (Fashion-MNIST). */
  inputShape?: [number, number, number];
  /** Number of classes. Default 10. */
  numClasses?: number;
}

/** BatchNorm epsilon of PyTorch's default, so exported running statistics give the same outputs. */
export const BN_EPSILON = 1e-5;

/** Names of the 17 studied convolutions, in paper order. */
export const STUDIED_LAYER_NAMES: string[] = Array.from({ length: 17 }, (_, i) => convName(i + 1));

export function convName(k: number): string {
  return `conv${String(k).padStart(2, '0')}`;
}

export function bnName(k: number): string {
  return `bn${String(k).padStart(2, '0')}`;
}

/** Name of the fixed option-A shortcut conv of block b (1-based), present for blocks 3, 5, 7. */
export function shortcutName(block: number): string {
  return `shortcut_s2_${block}`;
}

/** Stage label of studied conv k (1-based): 'stem', 'stage 1' … 'stage 4'. */
export function stageOfConv(k: number): string {
  if (k === 1) return 'stem';
  return `stage ${Math.ceil((k - 1) / 4)}`;
}

/** Build the (randomly initialised) network; load weights with setWeights or loadLayersModel. */
export function buildResNet18Q(options: ResNetOptions = {}): tf.LayersModel {
  const widths = options.widths ?? [16, 32, 64, 128];
  const inputShape = options.inputShape ?? [28, 28, 1];
  const numClasses = options.numClasses ?? 10;
  if (widths.length !== 4 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`buildResNet18Q: widths must be 4 positive integers (got [${widths.join(', ')}])`);
  }
  if (widths.some((w, i) => i > 0 && w < widths[i - 1])) {
    throw new Error('buildResNet18Q: widths must be non-decreasing (option-A shortcuts only add channels)');
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`buildResNet18Q: numClasses must be an integer ≥ 2 (got ${numClasses})`);
  }

  const input = tf.input({ shape: inputShape, name: 'input' });
  let k = 1;
  const conv3x3 = (x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor => {
    const padded = tf.layers.zeroPadding2d({ padding: 1, name: `pad${String(k).padStart(2, '0')}` }).apply(x);
    return tf.layers
      .conv2d({ filters, kernelSize: 3, strides, padding: 'valid', useBias: false, name: convName(k) })
      .apply(padded) as tf.SymbolicTensor;
  };
  const bn = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
    tf.layers.batchNormalization({ axis: -1, epsilon: BN_EPSILON, name: bnName(k) }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string): tf.SymbolicTensor =>
    tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;

  let x = relu(bn(conv3x3(input, widths[0], 1)), 'relu01');
  k++;
  let cin = widths[0];
  let block = 1;
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < 2; b++, block++) {
      const cout = widths[s];
      const stride = s > 0 && b === 0 ? 2 : 1;
      let y = relu(bn(conv3x3(x, cout, stride)), `relu${String(k).padStart(2, '0')}`);
      k++;
      y = bn(conv3x3(y, cout, 1));
      k++;
      let shortcut = x;
      if (stride !== 1 || cin !== cout) {
        shortcut = tf.layers
          .conv2d({
            filters: cout,
            kernelSize: 1,
            strides: stride,
            padding: 'valid',
            useBias: false,
            trainable: false,
            kernelInitializer: 'zeros',
            name: shortcutName(block),
          })
          .apply(x) as tf.SymbolicTensor;
      }
      const sum = tf.layers.add({ name: `add_${block}` }).apply([y, shortcut]) as tf.SymbolicTensor;
      x = relu(sum, `out_${block}`);
      cin = cout;
    }
  }
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, name: 'logits' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits, name: 'resnet18q' });
  setShortcutKernels(model);
  return model;
}

/** Kernel of an option-A shortcut: identity on the first cin channels, zero-padding after. [1, 1, cin, cout]. */
export function optionAKernel(cin: number, cout: number): Float32Array {
  const w = new Float32Array(cin * cout);
  for (let i = 0; i < cin; i++) w[i * cout + i] = 1;
  return w;
}

/** Fill every shortcut_s2_* layer with its fixed option-A kernel. */
export function setShortcutKernels(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (!layer.name.startsWith('shortcut_s2_')) continue;
    const [kernel] = layer.getWeights();
    const [, , cin, cout] = kernel.shape;
    const fixed = tf.tensor4d(optionAKernel(cin, cout), [1, 1, cin, cout]);
    layer.setWeights([fixed]);
    fixed.dispose();
  }
}

/**
 * The studied layers of a model built here (conv01 … conv17), with paper index, stage and output shape.
 * Throws when a name is missing, i.e. the model is not this architecture.
 */
export function studiedLayers(model: tf.LayersModel): LayerInfo[] {
  return STUDIED_LAYER_NAMES.map((name, i) => {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(name);
    } catch {
      throw new Error(`model has no layer "${name}": not the bundled ResNet-18 architecture`);
    }
    const shape = layer.outputShape as (number | null)[];
    return {
      index: i + 1,
      name,
      stage: stageOfConv(i + 1),
      shape: [shape[1] ?? 0, shape[2] ?? 0, shape[3] ?? 0] as [number, number, number],
    };
  });
}
