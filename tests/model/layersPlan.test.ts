/**
 * The layers-model plan (src/model/layersPlan.ts) against model.predict: every requested output equal to float32
 * rounding, on the bundled model and on a model made of every case the plan rewrites or must leave alone, with
 * random weights and inputs from a fresh seed each run (CONVTOPO_SEED=… replays one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { planLayersModel } from '../../src/model/layersPlan';
import { listLayers } from '../../src/model/layers';
import { loadModelNode } from '../../src/model/loadModelNode';
import { freshSeed } from '../helpers/seed';

const { seed, rand } = freshSeed();

beforeAll(async () => {
  if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
  await tf.ready();
});

const gaussian = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return tf.tensor(v, shape);
};

/** Largest |plan − predict| over each output, relative to that output's largest |value|. */
function worstDifference(model: tf.LayersModel, names: string[], x: tf.Tensor4D): number {
  const plan = planLayersModel(model);
  expect(plan, 'the plan follows this model').not.toBeNull();
  const multi = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
  const worst = tf.tidy(() => {
    const want = [multi.predict(x)].flat() as tf.Tensor[];
    const got = plan!.run(x, names);
    expect(got.map((t) => t.shape)).toEqual(want.map((t) => t.shape));
    return Math.max(...want.map((w, i) => tf.max(tf.abs(tf.sub(w, got[i]))).dataSync()[0] / Math.max(1e-30, tf.max(tf.abs(w)).dataSync()[0])));
  });
  plan!.dispose();
  return worst;
}

/**
 * Every case: asymmetric padding into a strided 'valid' conv with a bias and a ReLU; BN without β into a ReLU (fused);
 * BN without γ into an Add (no ReLU to fuse); a BN read twice (not fused); a padding read by two convs (kept);
 * a 'same' dilated conv, max pooling, a ReLU layer (apply); then a head the plan need not run.
 */
function everyCaseModel(): tf.LayersModel {
  const init = () => tf.initializers.randomNormal({ seed: Math.floor(rand() * 1e9), stddev: 0.3 });
  const input = tf.input({ shape: [11, 10, 3], name: 'input' });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;
  const p1 = apply(tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], name: 'pad1' }), input);
  const c1 = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', name: 'conv1', kernelInitializer: init(), biasInitializer: init() }), p1);
  const b1 = apply(tf.layers.batchNormalization({ center: false, epsilon: 1e-3, name: 'bn1' }), c1);
  const r1 = apply(tf.layers.activation({ activation: 'relu', name: 'relu1' }), b1);
  const p2 = apply(tf.layers.zeroPadding2d({ padding: 1, name: 'pad2' }), r1);
  const c2 = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', useBias: false, name: 'conv2', kernelInitializer: init() }), p2);
  const c2b = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', useBias: false, name: 'conv2b', kernelInitializer: init() }), p2);
  const b2 = apply(tf.layers.batchNormalization({ scale: false, epsilon: 1e-5, name: 'bn2' }), c2);
  const add = apply(tf.layers.add({ name: 'add' }), [b2, r1]);
  const b3 = apply(tf.layers.batchNormalization({ name: 'bn3' }), add);
  const r3 = apply(tf.layers.activation({ activation: 'relu', name: 'relu3' }), b3);
  const both = apply(tf.layers.add({ name: 'add2' }), [r3, b3]);
  const c3 = apply(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', dilationRate: 2, name: 'conv3', kernelInitializer: init() }), both);
  const c3r = apply(tf.layers.reLU({ name: 'relu_layer' }), tf.layers.add({ name: 'add3' }).apply([c3, c2b]) as tf.SymbolicTensor);
  const pool = apply(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }), c3r);
  const gap = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), pool);
  const model = tf.model({ inputs: input, outputs: apply(tf.layers.dense({ units: 4, name: 'head' }), gap) });
  // Moving statistics away from 0 and 1, so a wrong rewrite shows.
  for (const name of ['bn1', 'bn2', 'bn3']) {
    const layer = model.getLayer(name);
    layer.setWeights(layer.getWeights().map((w, i, all) => (i === all.length - 1 ? tf.abs(gaussian(w.shape)).add(0.1) : gaussian(w.shape).mul(0.5))));
  }
  return model;
}

describe(`the layers plan equals model.predict (seed ${seed}, CONVTOPO_SEED=${seed} to reproduce)`, () => {
  it('every case, with the convs requested (padding and BN rewritten), with everything requested (nothing hidden), and with one deep layer', () => {
    const model = everyCaseModel();
    const x = gaussian([5, 11, 10, 3]) as tf.Tensor4D;
    const everything = model.layers.filter((l) => l.getClassName() !== 'InputLayer' && l.name !== 'head' && l.name !== 'gap').map((l) => l.name);
    for (const names of [['conv1', 'conv2', 'conv3'], everything, ['pool'], ['bn2', 'conv2b']]) {
      expect(worstDifference(model, names, x), `${names.join(',')} (seed ${seed})`).toBeLessThan(1e-5);
    }
    model.dispose();
    x.dispose();
  });

  it('a Sequential model (its InputLayer not among its layers) of any image size', () => {
    const init = () => tf.initializers.randomNormal({ seed: Math.floor(rand() * 1e9), stddev: 0.3 });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [null, null, 2], filters: 2, kernelSize: 1, name: 'c0', kernelInitializer: init() }),
        tf.layers.zeroPadding2d({ padding: 1, name: 'p' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'valid', activation: 'relu', name: 'c1', kernelInitializer: init() }),
        tf.layers.batchNormalization({ name: 'b' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, name: 'c2', kernelInitializer: init() }),
      ],
    });
    const x = gaussian([3, 9, 7, 2]) as tf.Tensor4D;
    expect(worstDifference(model, ['c1', 'c2'], x), `seed ${seed}`).toBeLessThan(1e-5);
    model.dispose();
    x.dispose();
  });

  it.runIf(existsSync('public/models/resnet18q-final/model.json'))("the bundled model's 17 studied convs, and a few alone", async () => {
    const { model } = await loadModelNode('public/models/resnet18q-final');
    const names = listLayers(model).map((l) => l.name);
    const x = gaussian([4, 28, 28, 1]) as tf.Tensor4D;
    for (const wanted of [names, [names[0]], [names[16], names[5]], ['bn05', 'pad06', names[8]]]) {
      expect(worstDifference(model, wanted, x), `${wanted.join(',')} (seed ${seed})`).toBeLessThan(1e-5);
    }
    model.dispose();
    x.dispose();
  });

  it('leaks no tensor per batch; dispose frees what it made; a model with a layer called twice is not planned', () => {
    const model = everyCaseModel();
    const plan = planLayersModel(model)!;
    const x = gaussian([2, 11, 10, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(() => plan.run(x, ['conv1', 'conv3']))); // first batch: makes the BN weights (kept)
    const made = tf.memory().numTensors - before;
    expect(made).toBe(6); // three BNs × (filter, bias)
    for (let i = 0; i < 3; i++) tf.dispose(tf.tidy(() => plan.run(x, ['conv1', 'conv3'])));
    expect(tf.memory().numTensors).toBe(before + made);
    plan.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();

    const input = tf.input({ shape: [4, 4, 1] });
    const shared = tf.layers.conv2d({ filters: 1, kernelSize: 1 });
    const twice = tf.model({ inputs: input, outputs: shared.apply(shared.apply(input)) as tf.SymbolicTensor });
    expect(planLayersModel(twice)).toBeNull();
    twice.dispose();
  });
});
