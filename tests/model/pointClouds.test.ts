import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { PCA } from 'ml-pca';
import {
  centeredGram,
  channelCloud,
  gapCloud,
  mulberry32,
  parseCloudMethod,
  pcaCloud,
  randomPositionCloud,
  randomPositions,
  reduceBatchAtPositions,
  reduceBatchGap,
  reduceBatchTopL2,
  topEigen,
  topL2Cloud,
  type ActivationArray,
} from '../../src/model/pointClouds';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

// One image, 2×2 positions, 3 channels. Norms²: (0,0) 1+0+0 = 1, (0,1) 4+4+1 = 9, (1,0) 0, (1,1) 1+1+1 = 3.
const tiny: ActivationArray = {
  n: 1,
  h: 2,
  w: 2,
  c: 3,
  data: Float32Array.from([1, 0, 0, 2, -2, 1, 0, 0, 0, 1, 1, 1]),
};

function randomActivations(n: number, h: number, w: number, c: number, seed: number): ActivationArray {
  const rand = mulberry32(seed);
  const data = new Float32Array(n * h * w * c);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 2 - 1;
  return { data, n, h, w, c };
}

describe('plain-JS cloud definitions on a hand-checked 2×2×3 activation', () => {
  it('top-L2 picks the position with the largest channel-vector norm and returns that vector', () => {
    const r = topL2Cloud(tiny);
    expect(Array.from(r.positions!)).toEqual([1]);
    expect(Array.from(r.cloud.data)).toEqual([2, -2, 1]);
    expect([r.cloud.n, r.cloud.d]).toEqual([1, 3]);
  });

  it('global average pool averages each channel over the 4 positions', () => {
    const r = gapCloud(tiny);
    expect(Array.from(r.cloud.data)).toEqual([1, -0.25, 0.5]);
  });

  it('channel cloud has one point per channel with coordinates the top-L2 values of each image', () => {
    const two: ActivationArray = { n: 2, h: 2, w: 2, c: 3, data: new Float32Array(24) };
    two.data.set(tiny.data, 0);
    // Second image: largest norm at position 3 with vector (5, 6, 7).
    two.data.set([0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 6, 7], 12);
    const r = channelCloud(two);
    expect([r.cloud.n, r.cloud.d]).toEqual([3, 2]);
    expect(Array.from(r.cloud.data)).toEqual([2, 5, -2, 6, 1, 7]);
  });

  it('random positions depend only on the seed (same seed, same positions; other seed, other positions)', () => {
    const a = randomPositions(200, 49, 7, 3);
    const b = randomPositions(200, 49, 7, 3);
    const c = randomPositions(200, 49, 8, 3);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(49);
    const act = randomActivations(5, 3, 3, 4, 1);
    const r = randomPositionCloud(act, 11);
    for (let i = 0; i < 5; i++) {
      const p = r.positions![i];
      expect(Array.from(r.cloud.data.subarray(i * 4, i * 4 + 4))).toEqual(Array.from(act.data.subarray((i * 9 + p) * 4, (i * 9 + p + 1) * 4)));
    }
  });

  it('parses cloud method names and rejects bad ones with the allowed list', () => {
    expect(parseCloudMethod('top-l2')).toEqual({ kind: 'top-l2' });
    expect(parseCloudMethod('pca:5')).toEqual({ kind: 'pca', dims: 5 });
    expect(parseCloudMethod('random', 3)).toEqual({ kind: 'random', seed: 3 });
    expect(() => parseCloudMethod('pca:0')).toThrow(/pca dimension/);
    expect(() => parseCloudMethod('max')).toThrow(/top-l2, random, gap, channel, pca:D/);
  });
});

describe('PCA of flattened activations', () => {
  it('top eigenpairs of a diagonal matrix are its largest entries and unit vectors', async () => {
    const K = new Float64Array(16);
    [1, 5, 3, 0.5].forEach((v, i) => (K[i * 4 + i] = v));
    const { values, vectors } = await topEigen(K, 4, 2);
    expect(values[0]).toBeCloseTo(5, 10);
    expect(values[1]).toBeCloseTo(3, 10);
    expect(Math.abs(vectors[1 * 2 + 0])).toBeCloseTo(1, 8);
    expect(Math.abs(vectors[2 * 2 + 1])).toBeCloseTo(1, 8);
  });

  it('Gram-trick scores equal ml-pca SVD projections up to the sign of each component', async () => {
    const act = randomActivations(30, 3, 3, 5, 42); // p = 45 > n = 30: the Gram side is the smaller one
    const ours = (await pcaCloud(act, 3)).cloud;
    const rows: number[][] = [];
    for (let i = 0; i < 30; i++) rows.push(Array.from(act.data.subarray(i * 45, (i + 1) * 45)));
    const ref = new PCA(rows).predict(rows).to2DArray();
    for (let j = 0; j < 3; j++) {
      const sign = Math.sign(ours.data[j]) === Math.sign(ref[0][j]) ? 1 : -1;
      for (let i = 0; i < 30; i++) expect(ours.data[i * 3 + j]).toBeCloseTo(sign * ref[i][j], 4);
    }
  });

  it('centred Gram matrix has zero row sums', () => {
    const act = randomActivations(6, 2, 2, 2, 5);
    const K = centeredGram(act.data, 6, 8);
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let j = 0; j < 6; j++) s += K[i * 6 + j];
      expect(Math.abs(s)).toBeLessThan(1e-9);
    }
  });
});

describe('backend reducers equal the plain-JS definitions (wasm backend)', () => {
  const act = randomActivations(7, 5, 4, 6, 99);
  const x = () => tf.tensor4d(act.data, [act.n, act.h, act.w, act.c]);

  it('top-L2 on the backend picks the same positions and vectors', async () => {
    const ref = topL2Cloud(act);
    const [points, positions] = tf.tidy(() => {
      const r = reduceBatchTopL2(x());
      return [r.points, r.positions];
    });
    expect(Array.from(await positions.data())).toEqual(Array.from(ref.positions!));
    expect(Array.from(await points.data())).toEqual(Array.from(ref.cloud.data));
    tf.dispose([points, positions]);
  });

  it('random positions and average pool on the backend match', async () => {
    const ref = randomPositionCloud(act, 3);
    const at = tf.tidy(() => reduceBatchAtPositions(x(), tf.tensor1d(ref.positions!, 'int32')));
    expect(Array.from(await at.data())).toEqual(Array.from(ref.cloud.data));
    const gap = tf.tidy(() => reduceBatchGap(x()));
    const g = await gap.data();
    const refGap = gapCloud(act).cloud.data;
    for (let i = 0; i < g.length; i++) expect(g[i]).toBeCloseTo(refGap[i], 5);
    tf.dispose([at, gap]);
  });
});
