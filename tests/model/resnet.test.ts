import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../../src/model/loadModelNode';
import {
  buildResNet18Q,
  optionAKernel,
  shortcutName,
  stageOfConv,
  STUDIED_LAYER_NAMES,
  studiedLayers,
} from '../../src/model/resnet';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('buildResNet18Q', () => {
  it('has the trainable parameter count of the PyTorch model, counted by hand', () => {
    const model = buildResNet18Q();
    const widths = [16, 32, 64, 128];
    let convs = 9 * 1 * 16; // stem
    let bn = 2 * 16;
    let cin = 16;
    for (const w of widths) {
      for (let b = 0; b < 2; b++) {
        convs += 9 * cin * w + 9 * w * w;
        bn += 2 * 2 * w; // gamma + beta of two BNs
        cin = w;
      }
    }
    const fc = 128 * 10 + 10;
    const trainable = model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(trainable).toBe(convs + bn + fc);
    model.dispose();
  });

  it('names the 17 studied convs in order with stages stem, stage 1…4', () => {
    const model = buildResNet18Q();
    const layers = studiedLayers(model);
    expect(layers.map((l) => l.name)).toEqual(STUDIED_LAYER_NAMES);
    expect(STUDIED_LAYER_NAMES[0]).toBe('conv01');
    expect(STUDIED_LAYER_NAMES[16]).toBe('conv17');
    expect(layers.map((l) => l.stage)).toEqual([
      'stem',
      ...Array(4).fill('stage 1'),
      ...Array(4).fill('stage 2'),
      ...Array(4).fill('stage 3'),
      ...Array(4).fill('stage 4'),
    ]);
    expect(stageOfConv(6)).toBe('stage 2');
    // The helper shortcut convs exist (blocks 3, 5, 7) and are not trainable.
    for (const b of [3, 5, 7]) expect(model.getLayer(shortcutName(b)).trainable).toBe(false);
    expect(model.layers.filter((l) => l.name.startsWith('shortcut_s2_')).length).toBe(3);
    model.dispose();
  });

  it('the option-A shortcut equals x[:, ::2, ::2, :] zero-padded in channels', () => {
    const model = buildResNet18Q();
    const layer = model.getLayer(shortcutName(3)); // 16 → 32 channels, 28 → 14
    const x = tf.randomNormal([2, 28, 28, 16], 0, 1, 'float32', 7) as tf.Tensor4D;
    const y = layer.apply(x) as tf.Tensor4D;
    expect(y.shape).toEqual([2, 14, 14, 32]);
    const xa = x.arraySync();
    const ya = y.arraySync();
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 14; i++) {
        for (let j = 0; j < 14; j++) {
          for (let c = 0; c < 32; c++) expect(ya[n][i][j][c]).toBe(c < 16 ? xa[n][2 * i][2 * j][c] : 0);
        }
      }
    }
    // 7 → 4: the last kept row/column is index 6, like PyTorch's slicing.
    const x7 = tf.randomNormal([1, 7, 7, 64], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y7 = model.getLayer(shortcutName(7)).apply(x7) as tf.Tensor4D;
    expect(y7.shape).toEqual([1, 4, 4, 128]);
    expect(y7.arraySync()[0][3][3][5]).toBe(x7.arraySync()[0][6][6][5]);
    tf.dispose([x, y, x7, y7]);
    model.dispose();
  });

  it('pads 3×3 convs symmetrically like PyTorch (stride 2 on 28 reads rows −1…1 first)', () => {
    const model = buildResNet18Q();
    const conv = model.getLayer('conv06'); // first conv of stage 2: 16 → 32, stride 2
    const pad = model.getLayer('pad06');
    // Kernel that copies input channel 0 from the top-left tap (offset −1, −1) into output channel 0.
    const k = new Float32Array(3 * 3 * 16 * 32);
    k[0] = 1;
    conv.setWeights([tf.tensor4d(k, [3, 3, 16, 32])]);
    const x = tf.tensor4d(Float32Array.from({ length: 28 * 28 * 16 }, (_, i) => (i % 16 === 0 ? 1 + i / 16 : 0)), [1, 28, 28, 16]);
    const y = (conv.apply(pad.apply(x)) as tf.Tensor4D).arraySync();
    // PyTorch: out[i][j] = in[2i − 1][2j − 1] (zero when −1). TF 'same' would give in[2i][2j] instead.
    expect(y[0][0][0][0]).toBe(0);
    expect(y[0][1][1][0]).toBe(1 + 1 * 28 + 1);
    expect(y[0][13][13][0]).toBe(1 + 25 * 28 + 25);
    x.dispose();
    model.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => buildResNet18Q({ widths: [16, 8, 64, 128] })).toThrow(/widths must be non-decreasing/);
    expect(() => buildResNet18Q({ widths: [16, 0, 64, 128] })).toThrow(/widths must be 4 positive integers/);
    expect(() => buildResNet18Q({ numClasses: 1 })).toThrow(/numClasses must be an integer ≥ 2/);
  });

  it('optionAKernel is the identity on the first cin channels', () => {
    const k = optionAKernel(2, 4);
    expect(Array.from(k)).toEqual([1, 0, 0, 0, 0, 1, 0, 0]);
  });
});
