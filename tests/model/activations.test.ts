import { beforeAll, describe, expect, it } from 'vitest';
import { readParityFixture } from './fixtures/parity';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ImageDataset } from '../../src/types';
import {
  computeLayerClouds,
  preprocessBatch,
  sourceFromLayersModel,
  type ActivationSource,
} from '../../src/model/activations';
import { listLayers, selectLayers } from '../../src/model/layers';
import { mulberry32, topL2Cloud, gapCloud, pcaCloud } from '../../src/model/pointClouds';
import { buildResNet18Q } from '../../src/model/resnet';
import { loadModelNode } from '../../src/model/loadModelNode';

let backend = 'wasm';
beforeAll(async () => {
  // The CLI's backend; fall back to cpu (and say so) if wasm cannot start in this Node.
  if (!(await tf.setBackend('wasm'))) {
    console.warn('wasm backend unavailable in Node: testing on cpu');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  backend = tf.getBackend();
});

/** A tiny functional model: two named convs (the second strided), a ReLU between, a dense head. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 1], name: 'input' });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block1_conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  const r1 = tf.layers.reLU({ name: 'block1_relu' }).apply(c1) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'block2_conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(r1) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(c2) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'head' }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function randomDataset(n: number, h: number, w: number, c: 1 | 3, seed: number): ImageDataset {
  const rand = mulberry32(seed);
  const pixels = new Uint8Array(n * h * w * c);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rand() * 256);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  return { id: 'test', name: 'test', n, height: h, width: w, channels: c, pixels, labels, classNames: ['a', 'b', 'c'], errors: [] };
}

/** Full activations of one layer for the whole dataset, downloaded: the plain-JS reference path. */
async function fullActivations(model: tf.LayersModel, name: string, ds: ImageDataset) {
  const sub = tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tf.SymbolicTensor });
  const x = preprocessBatch(ds.pixels, [ds.n, ds.height, ds.width, ds.channels], [8, 8, 1]);
  const y = sub.predict(x) as tf.Tensor4D;
  const data = (await y.data()) as Float32Array;
  const [n, h, w, c] = y.shape;
  tf.dispose([x, y]);
  return { data, n, h, w, c };
}

describe('layer lists', () => {
  it('a user model lists every 4-D layer (not the input), 1-based, grouped by name prefix', () => {
    const layers = listLayers(tinyModel());
    expect(layers.map((l) => [l.index, l.name, l.stage, l.shape])).toEqual([
      [1, 'block1_conv', 'block1', [8, 8, 4]],
      [2, 'block1_relu', 'block1', [8, 8, 4]],
      [3, 'block2_conv', 'block2', [4, 4, 6]],
    ]);
    expect(() => selectLayers(layers, [4])).toThrow(/use 1…3/);
  });

  it('the bundled ResNet lists exactly conv01…conv17 with their stages and shapes', () => {
    const model = buildResNet18Q();
    const layers = listLayers(model);
    expect(layers.map((l) => l.name)).toEqual(Array.from({ length: 17 }, (_, i) => `conv${String(i + 1).padStart(2, '0')}`));
    expect(layers.map((l) => l.stage)).toEqual(['stem', ...Array(4).fill('stage 1'), ...Array(4).fill('stage 2'), ...Array(4).fill('stage 3'), ...Array(4).fill('stage 4')]);
    expect(layers[0].shape).toEqual([28, 28, 16]);
    expect(layers[16].shape).toEqual([4, 4, 128]);
    model.dispose();
  });
});

describe('preprocessing', () => {
  it('resizes, converts gray to RGB and normalises per channel', async () => {
    const pixels = Uint8Array.from([0, 255, 255, 0]); // one 2×2 gray image
    const t = preprocessBatch(pixels, [1, 2, 2, 1], [4, 4, 3], { mean: [0, 0.5, 1], std: [1, 0.5, 2] });
    expect(t.shape).toEqual([1, 4, 4, 3]);
    const v = await t.data();
    t.dispose();
    // Top-left pixel stays 0 after bilinear resizing (align-corners off keeps the first sample).
    expect(Array.from(v.slice(0, 3))).toEqual([0, -1, -0.5]);
  });

  it('converts RGB to gray with luma weights', async () => {
    const t = preprocessBatch(Uint8Array.from([255, 0, 0]), [1, 1, 1, 3], [1, 1, 1]);
    expect((await t.data())[0]).toBeCloseTo(0.299, 6);
    t.dispose();
  });
});

describe(`multi-layer clouds on the backend`, () => {
  it('top-L2, gap and pca clouds of every layer equal the plain-JS definitions on downloaded activations', async () => {
    const model = tinyModel();
    const ds = randomDataset(21, 8, 8, 1, 3);
    const source = sourceFromLayersModel(model);
    const top = await computeLayerClouds(source, ds, source.layers, { batchSize: 8 });
    const gap = await computeLayerClouds(source, ds, source.layers, { batchSize: 5, cloud: { kind: 'gap' } });
    const pca = await computeLayerClouds(source, ds, source.layers, { batchSize: 6, cloud: { kind: 'pca', dims: 2 } });
    for (let li = 0; li < source.layers.length; li++) {
      const act = await fullActivations(model, source.layers[li].name, ds);
      const refTop = topL2Cloud(act);
      expect(Array.from(top[li].positions!)).toEqual(Array.from(refTop.positions!));
      top[li].cloud.data.forEach((v, i) => expect(v).toBeCloseTo(refTop.cloud.data[i], 5));
      const refGap = gapCloud(act).cloud.data;
      gap[li].cloud.data.forEach((v, i) => expect(v).toBeCloseTo(refGap[i], 5));
      const refPca = (await pcaCloud(act, 2)).cloud.data;
      pca[li].cloud.data.forEach((v, i) => expect(v).toBeCloseTo(refPca[i], 3));
      expect([pca[li].cloud.n, pca[li].cloud.d]).toEqual([21, 2]);
    }
    model.dispose();
  });

  it('channel cloud has C points in R^n and random clouds repeat with the same seed', async () => {
    const model = tinyModel();
    const ds = randomDataset(10, 8, 8, 1, 4);
    const source = sourceFromLayersModel(model);
    const [ch] = await computeLayerClouds(source, ds, [source.layers[2]], { cloud: { kind: 'channel' } });
    expect([ch.cloud.n, ch.cloud.d]).toEqual([6, 10]);
    const r1 = await computeLayerClouds(source, ds, source.layers, { cloud: { kind: 'random', seed: 5 }, batchSize: 3 });
    const r2 = await computeLayerClouds(source, ds, source.layers, { cloud: { kind: 'random', seed: 5 }, batchSize: 7 });
    expect(Array.from(r1[2].cloud.data)).toEqual(Array.from(r2[2].cloud.data));
    model.dispose();
  });

  it('reports progress after every batch and leaves no tensors behind after a run', async () => {
    const model = tinyModel();
    const ds = randomDataset(25, 12, 12, 3, 5); // other size and channels than the model: resize + RGB→gray
    const source = sourceFromLayersModel(model);
    // Warm-up so that lazily created kernels or the cached multi-output model do not count as leaks.
    await computeLayerClouds(source, ds, source.layers, { batchSize: 10 });
    for (const cloud of ['top-l2', 'pca'] as const) {
      const before = tf.memory().numTensors;
      const progress: [number, number][] = [];
      const res = await computeLayerClouds(source, ds, source.layers, {
        batchSize: 10,
        cloud: cloud === 'pca' ? { kind: 'pca', dims: 3 } : { kind: 'top-l2' },
        onProgress: (d, t) => progress.push([d, t]),
      });
      expect(res).toHaveLength(3);
      expect(progress).toEqual([[10, 25], [20, 25], [25, 25]]);
      expect(tf.memory().numTensors).toBe(before);
    }
    model.dispose();
  });

  it('a cancelled run rejects with an AbortError and leaves no tensors behind', async () => {
    const model = tinyModel();
    const ds = randomDataset(40, 8, 8, 1, 6);
    const source = sourceFromLayersModel(model);
    await computeLayerClouds(source, ds, source.layers, { batchSize: 10 });
    for (const cloud of ['top-l2', 'pca'] as const) {
      const before = tf.memory().numTensors;
      const signal = { aborted: false };
      let batches = 0;
      const run = computeLayerClouds(source, ds, source.layers, {
        batchSize: 10,
        cloud: cloud === 'pca' ? { kind: 'pca', dims: 2 } : { kind: 'top-l2' },
        signal,
        onProgress: () => {
          if (++batches === 2) signal.aborted = true;
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(batches).toBe(2);
      expect(tf.memory().numTensors).toBe(before);
    }
    model.dispose();
  });

  it('a layer that fails mid-run leaves no tensors behind either', async () => {
    const model = tinyModel();
    const ds = randomDataset(12, 8, 8, 1, 7);
    const source = sourceFromLayersModel(model);
    await computeLayerClouds(source, ds, source.layers);
    const bad: ActivationSource = { ...source, run: (x, names) => { const outs = source.run(x, names); throw new Error(`boom after ${outs.length}`); } };
    const before = tf.memory().numTensors;
    await expect(computeLayerClouds(bad, ds, source.layers)).rejects.toThrow(/boom/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects bad options with the parameter name and range', async () => {
    const model = tinyModel();
    const source = sourceFromLayersModel(model);
    const ds = randomDataset(4, 8, 8, 1, 8);
    await expect(computeLayerClouds(source, ds, source.layers, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer in \[1, 4096\]/);
    await expect(computeLayerClouds(source, ds, source.layers, { cloud: { kind: 'pca', dims: 9 } })).rejects.toThrow(/pca dims must be an integer in \[1, 4\]/);
    model.dispose();
  });
});

const BUNDLED = 'public/models/resnet18q-final';

describe('the bundled model (public/models/resnet18q-final, required)', () => {
  it('has its files: model.json, shards and card.json', () => {
    for (const f of ['model.json', 'card.json']) expect(existsSync(`${BUNDLED}/${f}`), `${BUNDLED}/${f} is missing`).toBe(true);
  });

  it('gives 17 top-L2 clouds of shape n × C (C = 16 … 128) without leaking tensors', async () => {
    const { model, card } = await loadModelNode(BUNDLED);
    const ds = randomDataset(20, 28, 28, 1, 9);
    const source = sourceFromLayersModel(model);
    await computeLayerClouds(source, ds, source.layers, { normalization: card.normalization, batchSize: 8 });
    const before = tf.memory().numTensors;
    const clouds = await computeLayerClouds(source, ds, source.layers, { normalization: card.normalization, batchSize: 8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(clouds.map((c) => c.layer.name)).toEqual(Array.from({ length: 17 }, (_, i) => `conv${String(i + 1).padStart(2, '0')}`));
    expect(clouds.map((c) => c.cloud.d)).toEqual([16, 16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64, 128, 128, 128, 128]);
    for (const c of clouds) {
      expect(c.cloud.n).toBe(20);
      expect(c.cloud.data.every(Number.isFinite)).toBe(true);
    }
    expect(backend).toMatch(/wasm|cpu/);
    model.dispose();
  });

  it("top-L2 positions and vectors match PyTorch's on the parity images (oracle fixture)", async () => {
    const fixture = readParityFixture();
    const { model } = await loadModelNode(BUNDLED);
    const n = fixture.pixels.length;
    const ds: ImageDataset = {
      id: 'parity', name: 'parity', n, height: fixture.height, width: fixture.width, channels: 1,
      pixels: Uint8Array.from(fixture.pixels.flat()), labels: Int32Array.from(fixture.labels), classNames: [], errors: [],
    };
    const source = sourceFromLayersModel(model);
    const names = Object.keys(fixture.topL2);
    expect(names.length).toBeGreaterThan(0);
    const clouds = await computeLayerClouds(source, ds, selectLayers(source.layers, names), { normalization: fixture.normalization, batchSize: 10 });
    clouds.forEach((cl) => {
      const ref = fixture.topL2[cl.layer.name];
      const [, w, c] = ref.shape;
      for (let i = 0; i < n; i++) {
        const [ph, pw] = ref.position[i];
        // A blank-ish image (tiny average activation) can tie in float32: compare the position only otherwise.
        if (ref.gap[i] > 1e-5) expect(cl.positions![i], `${cl.layer.name} image ${i}`).toBe(ph * w + pw);
        let worst = 0;
        let scale = 0;
        for (let ch = 0; ch < c; ch++) {
          worst = Math.max(worst, Math.abs(cl.cloud.data[i * c + ch] - ref.vector[i][ch]));
          scale = Math.max(scale, Math.abs(ref.vector[i][ch]));
        }
        expect(worst, `${cl.layer.name} image ${i}`).toBeLessThan(1e-4 * Math.max(1, scale));
      }
    });
    model.dispose();
  });
});
