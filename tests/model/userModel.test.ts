import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadUserModel, type ModelFile } from '../../src/model/userModel';
import { computeLayerClouds, sourceFromLayersModel } from '../../src/model/activations';
import type { ImageDataset } from '../../src/types';

beforeAll(async () => {
  if (!(await tf.setBackend('wasm'))) {
    console.warn('wasm backend unavailable in Node: testing on cpu');
    await tf.setBackend('cpu');
  }
  await tf.ready();
});

function tinyRgbModel(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 3] });
  const c1 = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'stage1_conv' }).apply(input) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, name: 'stage2_conv' }).apply(c1) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(c2)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Save a model to model.json + one shard, as tfjs' browserDownloads would. */
async function saveToFiles(model: tf.LayersModel): Promise<ModelFile[]> {
  let files: ModelFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = { modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }] };
      const data = a.weightData as ArrayBuffer;
      files = [
        { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
        { name: 'group1-shard1of1.bin', bytes: new Uint8Array(data) },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

const ds: ImageDataset = {
  id: 't', name: 't', n: 4, height: 6, width: 6, channels: 3,
  pixels: Uint8Array.from({ length: 4 * 6 * 6 * 3 }, (_, i) => (i * 37) % 256),
  labels: Int32Array.from([0, 1, 0, 1]), classNames: ['a', 'b'], errors: [],
};

describe('users\' layers models', () => {
  it('loads model.json + shard from bytes, lists the 4-D layers and gives the same clouds as the original', async () => {
    const original = tinyRgbModel();
    const files = await saveToFiles(original);
    const user = await loadUserModel(files);
    expect(user.kind).toBe('layers');
    expect(user.inputShape).toEqual([6, 6, 3]);
    expect(user.layers.map((l) => [l.name, l.stage, l.shape])).toEqual([
      ['stage1_conv', 'stage1', [6, 6, 3]],
      ['stage2_conv', 'stage2', [2, 2, 5]],
    ]);
    const a = await computeLayerClouds(user.source, ds);
    const b = await computeLayerClouds(sourceFromLayersModel(original), ds);
    expect(Array.from(a[1].cloud.data)).toEqual(Array.from(b[1].cloud.data));
    user.dispose();
    original.dispose();
  });

  it('names a missing shard, refuses non-JSON and JSON without modelTopology', async () => {
    const m = tinyRgbModel();
    const files = await saveToFiles(m);
    m.dispose();
    await expect(loadUserModel([files[0]])).rejects.toThrow(/weight file "group1-shard1of1\.bin" named in model\.json is missing/);
    await expect(loadUserModel([{ name: 'model.json', bytes: new Uint8Array([0xff, 1, 2]) }])).rejects.toThrow(/model\.json is not valid JSON/);
    await expect(loadUserModel([{ name: 'model.json', bytes: new TextEncoder().encode('{"hello": 1}') }])).rejects.toThrow(/no modelTopology/);
    await expect(loadUserModel([{ name: 'weights.bin', bytes: new Uint8Array(4) }])).rejects.toThrow(/no model\.json among the files/);
  });

  it('refuses a model whose input is not an image', async () => {
    const input = tf.input({ shape: [10] });
    const dense = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    const files = await saveToFiles(dense);
    dense.dispose();
    await expect(loadUserModel(files)).rejects.toThrow(/input has shape \[any, 10\]; an image input \[batch, height, width, channels\] is needed/);
  });
});

/** A hand-written graph model: Placeholder [-1, 5, 5, 1] → Conv2D (2 filters, SAME) → Relu. */
function graphModelFiles(): ModelFile[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const topology = {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '-1' }, { size: '5' }, { size: '5' }, { size: '1' }] } } } },
      { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '3' }, { size: '3' }, { size: '1' }, { size: '2' }] } } } } },
      {
        name: 'conv', op: 'Conv2D', input: ['x', 'w'],
        attr: { T: { type: 'DT_FLOAT' }, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } },
      },
      { name: 'out', op: 'Relu', input: ['conv'], attr: { T: { type: 'DT_FLOAT' } } },
    ],
    versions: { producer: 1 },
  };
  const weights = new Float32Array(18).map((_, i) => (i % 5) - 2);
  const json = { format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [3, 3, 1, 2], dtype: 'float32' }] }] };
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
    { name: 'w.bin', bytes: new Uint8Array(weights.buffer) },
  ];
}

describe('users\' graph models', () => {
  it('lists the convolution nodes with their measured shapes and computes their clouds', async () => {
    const user = await loadUserModel(graphModelFiles());
    expect(user.kind).toBe('graph');
    expect(user.inputShape).toEqual([5, 5, 1]);
    expect(user.layers).toEqual([{ index: 1, name: 'conv', stage: 'layers', shape: [5, 5, 2] }]);
    const gray: ImageDataset = { ...ds, height: 5, width: 5, channels: 1, pixels: Uint8Array.from({ length: 100 }, (_, i) => (i * 11) % 256) };
    const before = tf.memory().numTensors;
    const [c] = await computeLayerClouds(user.source, gray);
    expect(tf.memory().numTensors).toBe(before);
    expect([c.cloud.n, c.cloud.d]).toEqual([4, 2]);
    user.dispose();
  });
});
