/**
 * ONNX models (src/model/onnx/) against PyTorch's own tensors: fixtures and references written by
 * tools/make_onnx_fixtures.py. Every Conv output in graph order equals PyTorch's (folded BN: the BN output; preserved
 * BN: the pre-BN conv output), the logits too, and every cloud method on the ONNX layers equals the same method on
 * PyTorch's tensors. Bad files get one sentence naming the problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeLayerClouds } from '../../src/model/activations';
import { sourceFromOnnxModel, onnxPredictions, topL2Nchw } from '../../src/model/onnx/clouds';
import { imagesToNchw } from '../../src/model/onnx/input';
import { mulberry32 } from '../../src/random';
import { openOnnxModel, type OnnxModel } from '../../src/model/onnx/model';
import { cloudFromActivations, type CloudMethod } from '../../src/model/pointClouds';
import type { ImageDataset } from '../../src/types';

const DIR = join(__dirname, 'fixtures/onnx');
const SEED = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));

interface Tensor {
  dims: number[];
  data: string;
}
interface Reference {
  pixels: string;
  shape: [number, number, number, number];
  logits: Tensor;
  convs: Tensor[];
}

function f32(t: Tensor): Float32Array {
  const b = Buffer.from(t.data, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function refs(name: string): { references: Reference[]; preserveBatchNorm: boolean } {
  return JSON.parse(readFileSync(join(DIR, `${name}.ref.json`), 'utf8'));
}

function bytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, name)));
}

function dataset(r: Reference): ImageDataset {
  const [n, height, width, channels] = r.shape;
  return {
    id: 'ref',
    name: 'ref',
    n,
    height,
    width,
    channels: channels as 1 | 3,
    pixels: new Uint8Array(Buffer.from(r.pixels, 'base64')),
    labels: new Int32Array(n),
    classNames: [],
    errors: [],
  };
}

function nchwToNhwc(x: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) out[(i * h * w + p) * c + k] = x[(i * c + k) * h * w + p];
  return out;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

function worstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const opened: OnnxModel[] = [];
const cache = new Map<string, Promise<OnnxModel>>();
afterAll(() => opened.forEach((m) => m.dispose()));

function open(name: string, inputSize?: [number, number]): Promise<OnnxModel> {
  const key = `${name} ${inputSize?.join('x')}`;
  if (!cache.has(key)) {
    cache.set(key, openOnnxModel(bytes(`${name}.onnx`), { label: `${name}.onnx`, inputSize }).then((m) => (opened.push(m), m)));
  }
  return cache.get(key)!;
}

const FIXTURES = ['plain', 'depthwise', 'bnfolded', 'bnkept', 'dynamic'] as const;

describe.each(FIXTURES)('%s.onnx equals PyTorch', (name) => {
  const { references, preserveBatchNorm } = refs(name);

  it.each(references.map((r, i) => [i, r] as const))('reference %i: every Conv output in graph order and the logits, to 1e-5 of the largest', async (_i, r) => {
    const m = await open(name, [r.shape[1], r.shape[2]]);
    expect(m.layers.length).toBe(r.convs.length);
    expect(m.layers.every((l) => l.op === 'Conv')).toBe(true);
    const ds = dataset(r);
    const { imagesToNchw } = await import('../../src/model/onnx/input');
    const x = imagesToNchw(ds.pixels, r.shape, [ds.height, ds.width, ds.channels]);
    const outs = await m.forward(x, ds.n, [ds.height, ds.width], [...m.layers.map((l) => l.output), m.logitsName!]);
    r.convs.forEach((t, k) => {
      expect(outs[k].dims).toEqual(t.dims);
      const want = f32(t);
      expect(worstDiff(outs[k].data, want)).toBeLessThanOrEqual(1e-5 * maxAbs(want) + 1e-6);
      expect(m.layers[k].shape).toEqual([t.dims[2], t.dims[3], t.dims[1]]);
    });
    const logits = f32(r.logits);
    expect(worstDiff(outs[outs.length - 1].data, logits)).toBeLessThanOrEqual(1e-5 * maxAbs(logits) + 1e-6);
    // evaluate's top-1 is the argmax of those logits.
    const pred = await onnxPredictions(m, ds, { mean: [0], std: [1] }, 2);
    const k = r.logits.dims[1];
    for (let i = 0; i < ds.n; i++) {
      const row = Array.from(logits.subarray(i * k, (i + 1) * k));
      expect(pred[i]).toBe(row.indexOf(Math.max(...row)));
    }
  });

  it('labels each layer with the tensor it is', async () => {
    const m = await open(name, [references[0].shape[1], references[0].shape[2]]);
    for (const l of m.layers) {
      expect(l.tensor).toBe(preserveBatchNorm ? 'Conv output, before BatchNormalization' : 'Conv output, BatchNorm folded in (if the model had one)');
    }
  });

  it('reduces top-L2 inside the graph, equal to the JS reduction of the fetched tensors (fresh random images)', async () => {
    const r = references[0];
    const m = await open(name, [r.shape[1], r.shape[2]]);
    expect(m.layers.every((l) => l.topL2), 'every layer has the in-graph reduction').toBe(true);
    const rand = mulberry32(SEED);
    const n = 5;
    const ds = { ...dataset(r), n, labels: new Int32Array(n), pixels: Uint8Array.from({ length: n * r.shape[1] * r.shape[2] * r.shape[3] }, () => Math.floor(rand() * 256)) };
    const x = imagesToNchw(ds.pixels, [n, ds.height, ds.width, ds.channels], [r.shape[1], r.shape[2], m.inputShape[2]]);
    const outs = await m.forward(x, n, [r.shape[1], r.shape[2]], m.layers.flatMap((l) => [l.output, l.topL2!.points, l.topL2!.positions]));
    m.layers.forEach((l, k) => {
      const [h, w, c] = l.shape;
      const points = new Float32Array(n * c);
      const positions = new Int32Array(n);
      topL2Nchw(outs[3 * k].data, n, c, h, w, points, positions);
      expect(outs[3 * k + 1].dims, `seed ${SEED}`).toEqual([n, c]);
      // Float32 norms in the graph, float64 in JS: a position may differ only at a tie to float precision.
      for (let i = 0; i < n; i++) {
        const got = outs[3 * k + 2].data[i];
        const norm = (p: number) => Array.from({ length: c }, (_, ch) => outs[3 * k].data[(i * c + ch) * h * w + p] ** 2).reduce((a, v) => a + v, 0);
        if (got !== positions[i]) expect(norm(got), `${name} layer ${k + 1} image ${i}, seed ${SEED}`).toBeCloseTo(norm(positions[i]), 5);
        const at = Array.from({ length: c }, (_, ch) => outs[3 * k].data[(i * c + ch) * h * w + got]);
        expect(Array.from(outs[3 * k + 1].data.subarray(i * c, (i + 1) * c)), `${name} layer ${k + 1} image ${i}, seed ${SEED}`).toEqual(at);
      }
    });
    // The clouds use it: the same as the tensors' JS reduction.
    const clouds = await computeLayerClouds(sourceFromOnnxModel(m), ds, m.layers, { batchSize: 3 });
    clouds.forEach((cl, k) => expect(Array.from(cl.cloud.data)).toEqual(Array.from(outs[3 * k + 1].data)));
  });

  const methods: CloudMethod[] = [{ kind: 'top-l2' }, { kind: 'random', seed: SEED % 1000 }, { kind: 'gap' }, { kind: 'channel' }, { kind: 'pca', dims: 3 }];
  it.each(methods.map((m) => [m.kind, m] as const))('%s clouds of every layer equal the method on PyTorch tensors', async (_k, method) => {
    const r = references[references.length - 1];
    const m = await open(name, [r.shape[1], r.shape[2]]);
    const ds = dataset(r);
    // Odd batch size: clouds are assembled across batches.
    const clouds = await computeLayerClouds(sourceFromOnnxModel(m), ds, m.layers, { cloud: method, batchSize: 2 });
    expect(clouds.map((c) => c.layer.name)).toEqual(m.layers.map((l) => l.name));
    for (let k = 0; k < clouds.length; k++) {
      const t = r.convs[k];
      const [n, c, h, w] = t.dims;
      const want = await cloudFromActivations({ data: nchwToNhwc(f32(t), t.dims), n, h, w, c }, method, k);
      const got = clouds[k];
      expect([got.cloud.n, got.cloud.d]).toEqual([want.cloud.n, want.cloud.d]);
      const tol = 1e-4 * maxAbs(want.cloud.data) + 1e-6;
      if (method.kind === 'pca') {
        // Scores are defined up to each component's sign; both sides fix it the same way, but allow a flip.
        for (let j = 0; j < want.cloud.d; j++) {
          const col = (x: Float32Array) => Array.from({ length: want.cloud.n }, (_, i) => x[i * want.cloud.d + j]);
          const a = col(got.cloud.data);
          const b = col(want.cloud.data);
          const flip = a.reduce((s, v, i) => s + v * b[i], 0) < 0 ? -1 : 1;
          expect(worstDiff(a.map((v) => v * flip), b), `${name} layer ${k + 1} component ${j}, seed ${SEED}`).toBeLessThanOrEqual(10 * tol);
        }
      } else {
        if (want.positions) expect(Array.from(got.positions!), `seed ${SEED}`).toEqual(Array.from(want.positions));
        expect(worstDiff(got.cloud.data, want.cloud.data), `${name} layer ${k + 1}, seed ${SEED}`).toBeLessThanOrEqual(tol);
      }
    }
  });
});

describe('any image size: a graph with dynamic H and W', () => {
  it('is measured at the requested size and runs at it', async () => {
    const small = await open('dynamic', [12, 12]);
    const big = await open('dynamic', [20, 20]);
    expect(small.inputShape).toEqual([null, null, 1]);
    expect(small.layers.map((l) => l.shape)).toEqual([[12, 12, 6], [6, 6, 10]]);
    expect(big.layers.map((l) => l.shape)).toEqual([[20, 20, 6], [10, 10, 10]]);
  });
});

describe('bad input: one sentence naming the problem', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['a file that is not ONNX', () => new TextEncoder().encode('{"modelTopology": {}, "weightsManifest": []}'), /not an ONNX model/],
    ['a PNG', () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]), /is not an ONNX model|truncated/],
    ['a truncated file', () => bytes('plain.onnx').subarray(0, 6000), /truncated/],
    ['an operator no runtime has', () => bytes('badop.onnx'), /operator .*FancyConv.*onnxruntime-web cannot run/],
    ['a custom-domain operator', () => bytes('customop.onnx'), /operator com\.example:FancyConv, which onnxruntime-web cannot run/],
    ['missing external data', () => bytes('external.onnx'), /external file "external\.weights", which is missing/],
    ['a 2-D (non-image) input', () => bytes('flat.onnx'), /has shape \[batch, 4\]; an image input \[batch, channels, height, width\]/],
  ];
  it.each(cases)('%s', async (_what, make, pattern) => {
    const err = await openOnnxModel(make(), { label: 'x.onnx' }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(pattern);
    expect(err!.message).toMatch(/^x\.onnx/);
    expect(err!.message.includes('\n')).toBe(false);
  });

  it('external data given with the model loads', async () => {
    const m = await openOnnxModel(bytes('external.onnx'), { label: 'external.onnx', files: [{ name: 'external.weights', bytes: bytes('external.weights') }] });
    opened.push(m);
    expect(m.layers.map((l) => l.shape)).toEqual([[6, 6, 2]]);
  });
});
