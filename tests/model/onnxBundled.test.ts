/**
 * The bundled model as ONNX (public/models/resnet18q-final.onnx, tools/export_onnx_bundled.py) is the same network
 * as the TF.js one: 17 Conv nodes whose outputs are the pre-BatchNorm tensors the paper studies, 17 top-L2 clouds
 * equal to the TF.js model's to 1e-4, and logits equal to PyTorch's (tests/model/fixtures/parity.json) to 1e-4.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeLayerClouds, computeModelClouds, type LayerCloud } from '../../src/model/activations';
import { loadBundledDataset } from '../../src/data/bundled';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../src/model/loadModelNode';
import { sourceFromOnnxModel } from '../../src/model/onnx/clouds';
import { imagesToNchw, parsePreprocessJson } from '../../src/model/onnx/input';
import { openOnnxModel, type OnnxModel } from '../../src/model/onnx/model';
import type { ModelCard } from '../../src/model/loadModel';
import type { ImageDataset } from '../../src/types';

const ROOT = join(__dirname, '../..');
const ONNX = join(ROOT, 'public/models/resnet18q-final.onnx');
const SIDECAR = join(ROOT, 'public/models/resnet18q-final.preprocess.json');
const parity = JSON.parse(readFileSync(join(__dirname, 'fixtures/parity.json'), 'utf8')) as { pixels: number[][]; logits: number[][] };
const N = 300;

let onnx: OnnxModel;
let tfModel: tf.LayersModel;
let card: ModelCard;
let dataset: ImageDataset;

beforeAll(async () => {
  await useNodeBackend('wasm');
  onnx = await openOnnxModel(new Uint8Array(readFileSync(ONNX)), { label: 'resnet18q-final.onnx' });
  ({ model: tfModel, card } = await loadModelNode(join(ROOT, 'public/models/resnet18q-final')));
  const full = await loadBundledDataset(join(ROOT, 'public/datasets/fashion-mnist-1000'), nodeReadFile);
  // Every 3rd image, so all ten classes are in.
  const keep = Array.from({ length: N }, (_, i) => i * 3);
  const per = full.height * full.width * full.channels;
  const pixels = new Uint8Array(N * per);
  keep.forEach((j, i) => pixels.set(full.pixels.subarray(j * per, (j + 1) * per), i * per));
  dataset = { ...full, n: N, pixels, labels: Int32Array.from(keep, (j) => full.labels[j]) };
}, 120_000);

afterAll(() => {
  onnx?.dispose();
  tfModel?.dispose();
});

describe('resnet18q-final.onnx', () => {
  it('has the 17 studied convs as pre-BatchNorm Conv outputs, shaped like the TF.js model’s', () => {
    expect(onnx.layers).toHaveLength(17);
    expect(onnx.layers.every((l) => l.tensor === 'Conv output, before BatchNormalization')).toBe(true);
    expect(onnx.layers.map((l) => l.shape)).toEqual(
      [16, 16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64, 128, 128, 128, 128].map((c, i) => {
        const s = [28, 28, 28, 28, 28, 14, 14, 14, 14, 7, 7, 7, 7, 4, 4, 4, 4][i];
        return [s, s, c];
      }),
    );
    expect(onnx.inputShape).toEqual([28, 28, 1]);
  });

  it('its sidecar carries the card’s normalisation and class names', () => {
    const pre = parsePreprocessJson(new Uint8Array(readFileSync(SIDECAR)), 'sidecar');
    expect(pre.mean).toEqual([card.normalization.mean]);
    expect(pre.std).toEqual([card.normalization.std]);
    expect(pre.classNames).toEqual(card.classNames);
  });

  it('logits equal PyTorch’s to 1e-4 on the 32 parity images', async () => {
    const n = parity.pixels.length;
    const x = imagesToNchw(Uint8Array.from(parity.pixels.flat()), [n, 28, 28, 1], [28, 28, 1], {
      mean: [card.normalization.mean],
      std: [card.normalization.std],
    });
    const [logits] = await onnx.forward(x, n, [28, 28], [onnx.logitsName!]);
    let worst = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < 10; j++) worst = Math.max(worst, Math.abs(logits.data[i * 10 + j] - parity.logits[i][j]));
    expect(worst).toBeLessThan(1e-4);
  });

  it(`its 17 top-L2 clouds equal the TF.js model’s to 1e-4 (${N} test images)`, async () => {
    const normalization = card.normalization;
    const ours: LayerCloud[] = await computeLayerClouds(sourceFromOnnxModel(onnx), dataset, onnx.layers, { normalization, batchSize: 64 });
    const theirs = await computeModelClouds(tfModel, dataset, { normalization, batchSize: 64 });
    expect(ours).toHaveLength(17);
    let worst = 0;
    let moved = 0;
    for (let k = 0; k < 17; k++) {
      const a = ours[k];
      const b = theirs[k];
      const c = a.cloud.d;
      expect(c).toBe(b.cloud.d);
      for (let i = 0; i < N; i++) {
        // A float tie between two positions may be broken differently by the two runtimes; count those.
        if (a.positions![i] !== b.positions![i]) {
          moved++;
          continue;
        }
        for (let j = 0; j < c; j++) worst = Math.max(worst, Math.abs(a.cloud.data[i * c + j] - b.cloud.data[i * c + j]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    expect(moved).toBeLessThanOrEqual(2);
  }, 120_000);
});
