/**
 * The shipped TF.js model computes what PyTorch computed at training time (fixture written by
 * tools/make_parity.py from the final checkpoint): logits to 1e-4 absolute, and pre-BN conv outputs at the
 * top-L2 position for the stem, the first stride-2 conv (padding convention) and the last conv.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParityFixture } from './fixtures/parity';
import * as tf from '@tensorflow/tfjs';
import { loadModelNode, useNodeBackend } from '../../src/model/loadModelNode';
import { preprocess, type ModelCard } from '../../src/model/loadModel';
import { STUDIED_LAYER_NAMES, studiedLayers } from '../../src/model/resnet';

const MODEL_DIR = join(__dirname, '../../public/models/resnet18q-final');
const fixture = readParityFixture();

describe('bundled ResNet-18 (TF.js, wasm backend) matches PyTorch', () => {
  let model: tf.LayersModel;
  let card: ModelCard;
  let input: tf.Tensor4D;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    ({ model, card } = await loadModelNode(MODEL_DIR));
    const n = fixture.pixels.length;
    input = preprocess(Uint8Array.from(fixture.pixels.flat()), [n, fixture.height, fixture.width, 1], card.normalization);
  });

  afterAll(() => {
    input?.dispose();
    model?.dispose();
  });

  it('runs on the wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('card normalisation is the one the fixture was computed with', () => {
    expect(card.normalization).toEqual(fixture.normalization);
  });

  it('logits agree with PyTorch to 1e-4 absolute on 32 test images', () => {
    const logits = tf.tidy(() => model.predict(input) as tf.Tensor2D);
    const got = logits.arraySync();
    logits.dispose();
    expect(got.length).toBe(fixture.logits.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      for (let j = 0; j < 10; j++) worst = Math.max(worst, Math.abs(got[i][j] - fixture.logits[i][j]));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('exposes the 17 studied convs conv01…conv17 with the paper stage sizes 28→14→7→4', () => {
    const layers = studiedLayers(model);
    expect(layers.map((l) => l.name)).toEqual(STUDIED_LAYER_NAMES);
    expect(layers.map((l) => l.shape[0])).toEqual([28, 28, 28, 28, 28, 14, 14, 14, 14, 7, 7, 7, 7, 4, 4, 4, 4]);
    expect(layers.map((l) => l.shape[2])).toEqual([16, 16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64, 128, 128, 128, 128]);
    expect(layers[0].stage).toBe('stem');
    expect(layers[16].stage).toBe('stage 4');
  });

  it('pre-BatchNorm conv outputs at the top-L2 position agree with PyTorch', () => {
    const names = Object.keys(fixture.topL2);
    expect(names.length).toBeGreaterThan(0);
    const probe = tf.model({ inputs: model.inputs, outputs: names.map((nm) => model.getLayer(nm).output as tf.SymbolicTensor) });
    const outs = probe.predict(input) as tf.Tensor[];
    names.forEach((name, li) => {
      const ref = fixture.topL2[name];
      const [h, w, c] = ref.shape;
      expect(outs[li].shape).toEqual([fixture.pixels.length, h, w, c]);
      const data = outs[li].dataSync();
      for (let i = 0; i < fixture.pixels.length; i++) {
        const base = i * h * w * c;
        // Our own top-L2 position, compared with PyTorch's unless the two best norms are a float tie.
        let best = -1;
        let bestNorm = -Infinity;
        for (let p = 0; p < h * w; p++) {
          let s = 0;
          for (let ch = 0; ch < c; ch++) s += data[base + p * c + ch] ** 2;
          if (s > bestNorm) {
            bestNorm = s;
            best = p;
          }
        }
        const [ph, pw] = ref.position[i];
        if (ref.gap[i] > 1e-5) expect([Math.floor(best / w), best % w], `${name} image ${i}`).toEqual([ph, pw]);
        const at = base + (ph * w + pw) * c;
        let worst = 0;
        let scale = 0;
        for (let ch = 0; ch < c; ch++) {
          worst = Math.max(worst, Math.abs(data[at + ch] - ref.vector[i][ch]));
          scale = Math.max(scale, Math.abs(ref.vector[i][ch]));
        }
        expect(worst, `${name} image ${i}`).toBeLessThan(1e-4 * Math.max(1, scale));
      }
    });
    outs.forEach((t) => t.dispose());
  });
});
