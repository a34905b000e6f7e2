import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../../src/model/loadModelNode';
import { directoryIOHandler, evaluateAccuracy, loadModelCard, loadModelFromDir, preprocess } from '../../src/model/loadModel';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

/** A tiny model saved into an in-memory "directory" as model.json + one shard. */
async function savedTinyModel(): Promise<{ files: Map<string, Uint8Array>; model: tf.LayersModel }> {
  const input = tf.input({ shape: [2, 2, 1] });
  const flat = tf.layers.flatten().apply(input);
  const out = tf.layers.dense({ units: 3, kernelInitializer: 'glorotNormal', biasInitializer: 'ones' }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const files = new Map<string, Uint8Array>();
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = { modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
      files.set('m/model.json', new TextEncoder().encode(JSON.stringify(json)));
      files.set('m/w.bin', new Uint8Array(tf.io.concatenateArrayBuffers(a.weightData!)));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { files, model };
}

const reader = (files: Map<string, Uint8Array>) => async (p: string) => {
  const f = files.get(p);
  if (!f) throw new Error(`ENOENT ${p}`);
  return f;
};

describe('loadModelFromDir', () => {
  it('round-trips a saved model through an injected readFile', async () => {
    const { files, model } = await savedTinyModel();
    const loaded = await loadModelFromDir('m', reader(files));
    const x = tf.tensor4d([1, 2, 3, 4, -1, 0, 0.5, 2], [2, 2, 2, 1]);
    const a = (model.predict(x) as tf.Tensor).arraySync();
    const b = (loaded.predict(x) as tf.Tensor).arraySync();
    expect(b).toEqual(a);
  });

  it('reports a missing shard and a non-model JSON', async () => {
    const { files } = await savedTinyModel();
    files.delete('m/w.bin');
    await expect(loadModelFromDir('m', reader(files))).rejects.toThrow(/w\.bin/);
    files.set('m/model.json', new TextEncoder().encode('{"hello": 1}'));
    await expect(directoryIOHandler('m', reader(files)).load!()).rejects.toThrow(/not a TF\.js layers model/);
    files.set('m/model.json', new TextEncoder().encode('{oops'));
    await expect(directoryIOHandler('m', reader(files)).load!()).rejects.toThrow(/m\/model\.json is not valid JSON/);
  });

  it('loadModelCard checks the normalisation', async () => {
    const files = new Map([['d/card.json', new TextEncoder().encode('{"normalization": {"mean": 0.5, "std": 0}, "classNames": []}')]]);
    await expect(loadModelCard('d', reader(files))).rejects.toThrow(/std: number > 0/);
  });
});

describe('preprocess and evaluateAccuracy', () => {
  it('preprocess computes (x/255 − mean)/std', () => {
    const t = preprocess(Uint8Array.from([0, 255, 51, 102]), [1, 2, 2, 1], { mean: 0.2, std: 0.5 });
    const v = Array.from(t.dataSync());
    expect(v[0]).toBeCloseTo(-0.4, 6);
    expect(v[1]).toBeCloseTo(1.6, 6);
    expect(v[2]).toBeCloseTo(0, 6);
    expect(v[3]).toBeCloseTo(0.4, 6);
    expect(() => preprocess(new Uint8Array(3), [1, 2, 2, 1], { mean: 0, std: 1 })).toThrow(/do not fill shape/);
  });

  it('counts a model that predicts the brightest pixel correctly, across uneven batches', async () => {
    // Dense layer with identity kernel on 3 pixels: the predicted class is the index of the largest pixel.
    const input = tf.input({ shape: [1, 3, 1] });
    const out = tf.layers.dense({ units: 3, useBias: false }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.layers[2].setWeights([tf.eye(3)]);
    const pixels = Uint8Array.from([9, 1, 1, 1, 9, 1, 1, 1, 9, 9, 1, 1, 1, 9, 1]);
    const labels = Int32Array.from([0, 1, 2, 2, 0]); // last two wrong
    const data = { pixels, labels, n: 5, height: 1, width: 3, channels: 1 };
    const r = await evaluateAccuracy(model, data, { mean: 0, std: 1 }, { batch: 2 });
    expect(r).toMatchObject({ n: 5, correct: 3, accuracy: 0.6 });
    expect(Array.from(r.predictions)).toEqual([0, 1, 2, 0, 1]);
    const lim = await evaluateAccuracy(model, data, { mean: 0, std: 1 }, { limit: 3 });
    expect(lim.accuracy).toBe(1);
    await expect(evaluateAccuracy(model, { ...data, width: 2, pixels: pixels.subarray(0, 10) }, { mean: 0, std: 1 })).rejects.toThrow(
      /model expects 1×3×1 images, dataset has 1×2×1/,
    );
    await expect(evaluateAccuracy(model, data, { mean: 0, std: 1 }, { batch: 0 })).rejects.toThrow(/batch must be an integer ≥ 1/);
  });
});
