/**
 * The CLI with --model file.onnx: per-channel --mean/--std and the NAME.preprocess.json sidecar change the input as
 * the contract says (checked against the library run with the same normalisation), evaluate's top-1 is the argmax
 * of the logits, and a bad model is exit 2 with one line naming the problem.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { readNpy } from '../../src/io/npy';
import { encodePng } from '../../src/data/loaders/pngNode';
import { computeOnnxClouds, onnxPredictions } from '../../src/model/onnx/clouds';
import { openOnnxModel } from '../../src/model/onnx/model';
import { loadDataset } from '../../src/cli/load/dataset';
import { mulberry32 } from '../../src/random';
import { useNodeBackend } from '../../src/model/loadModelNode';

// The CLI's default ONNX runtime for these graphs is the TF.js-op one (--onnx-runtime auto) on TF.js wasm: the
// references below run the same runtime, so the files must equal them exactly.
async function openLikeCli(bytes: Uint8Array, options: Parameters<typeof openOnnxModel>[1] = {}) {
  await useNodeBackend('wasm');
  return openOnnxModel(bytes, { ...options, executionProvider: 'tfjs' });
}

const FIX = join(__dirname, 'fixtures/onnx');
const SEED = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));
let dir = '';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'convtopo-onnx-cli-'));
  const rand = mulberry32(SEED);
  for (const cls of ['a', 'b']) {
    mkdirSync(join(dir, 'images', cls), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const pixels = Uint8Array.from({ length: 16 * 16 * 3 }, () => Math.floor(rand() * 256));
      writeFileSync(join(dir, 'images', cls, `${i}.png`), encodePng({ width: 16, height: 16, channels: 3, pixels }));
    }
  }
  // 12×12 grey images for the model whose input takes any size (exported at 20×20).
  for (const cls of ['a', 'b']) {
    mkdirSync(join(dir, 'grey', cls), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const pixels = Uint8Array.from({ length: 12 * 12 }, () => Math.floor(rand() * 256));
      writeFileSync(join(dir, 'grey', cls, `${i}.png`), encodePng({ width: 12, height: 12, channels: 1, pixels }));
    }
  }
  copyFileSync(join(FIX, 'plain.onnx'), join(dir, 'plain.onnx'));
  copyFileSync(join(FIX, 'plain.onnx'), join(dir, 'side.onnx'));
  writeFileSync(join(dir, 'side.preprocess.json'), JSON.stringify({ mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convtopo with --model file.onnx', () => {
  it('--mean/--std per channel and the sidecar give the clouds of that normalisation', async () => {
    const norm = { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
    const a = await cli('activations', '--model', join(dir, 'plain.onnx'), '--dataset', join(dir, 'images'), '--cloud', 'gap', '--mean', '0.5,0.4,0.3', '--std', '0.2,0.25,0.3', '--out', join(dir, 'a/c.npy'));
    expect(a.err).not.toMatch(/error/i);
    expect(a.code).toBe(0);
    const b = await cli('activations', '--model', join(dir, 'side.onnx'), '--dataset', join(dir, 'images'), '--cloud', 'gap', '--out', join(dir, 'b/c.npy'));
    expect(b.code).toBe(0);
    const plain = await cli('activations', '--model', join(dir, 'plain.onnx'), '--dataset', join(dir, 'images'), '--cloud', 'gap', '--out', join(dir, 'p/c.npy'));
    expect(plain.code).toBe(0);
    const model = await openLikeCli(new Uint8Array(readFileSync(join(dir, 'plain.onnx'))));
    const ds = await loadDataset(join(dir, 'images'), { perClassCap: 100, seed: 0 } as Parameters<typeof loadDataset>[1]);
    const want = await computeOnnxClouds(model, ds, model.layers, { cloud: { kind: 'gap' }, normalization: norm });
    for (let k = 0; k < 3; k++) {
      const f = `c-${String(k + 1).padStart(2, '0')}.npy`;
      const ga = readNpy(new Uint8Array(readFileSync(join(dir, 'a', f)))).data as Float32Array;
      const gb = readNpy(new Uint8Array(readFileSync(join(dir, 'b', f)))).data as Float32Array;
      const gp = readNpy(new Uint8Array(readFileSync(join(dir, 'p', f)))).data as Float32Array;
      expect(Array.from(ga)).toEqual(Array.from(want[k].cloud.data));
      expect(Array.from(gb)).toEqual(Array.from(want[k].cloud.data));
      expect(Array.from(gp)).not.toEqual(Array.from(want[k].cloud.data));
    }
    const ev = await cli('evaluate', '--model', join(dir, 'side.onnx'), '--dataset', join(dir, 'images'), '--json');
    expect(ev.code).toBe(0);
    const pred = await onnxPredictions(model, ds, norm);
    const correct = Array.from(pred).filter((p, i) => p === ds.labels[i]).length;
    expect(JSON.parse(ev.out)).toMatchObject({ n: 8, correct, accuracy: correct / 8 });
    model.dispose();
  }, 120_000);

  it('reproduce and activations measure a model of any input size at the dataset\'s size (28×28, 12×12)', async () => {
    // reproduce needs Fashion-MNIST's class names (its super-classes): the bundled 28×28 set, first 40 images.
    const r = await cli('reproduce', '--model', join(FIX, 'dynamic.onnx'), '--dataset', join(__dirname, '../../public/datasets/fashion-mnist-1000'), '--limit', '40', '--out', join(dir, 'rep'), '--checkpoints', 'none', '--skip-random', '--max-k', '0', '--sensitivity-layers', '1', '--m', '5');
    expect(r.code, r.err).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'rep/results.json'), 'utf8')) as { layers: { name: string; shape: number[] }[] };
    const at28 = await openOnnxModel(new Uint8Array(readFileSync(join(FIX, 'dynamic.onnx'))), { inputSize: [28, 28] });
    expect(results.layers.map((l) => [l.name, l.shape])).toEqual(at28.layers.map((l) => [l.name, l.shape]));
    // A 28×28 input gives a first conv output of at most 28×28 (at the old default, 224×224, far larger).
    expect(results.layers[0].shape[0]).toBeLessThanOrEqual(28);
    at28.dispose();
    const model = await openLikeCli(new Uint8Array(readFileSync(join(FIX, 'dynamic.onnx'))), { inputSize: [12, 12] });
    const a = await cli('activations', '--model', join(FIX, 'dynamic.onnx'), '--dataset', join(dir, 'grey'), '--layer', 'all', '--out', join(dir, 'dyn/c.npy'));
    expect(a.code, a.err).toBe(0);
    const ds = await loadDataset(join(dir, 'grey'), { perClassCap: 100, seed: 0 } as Parameters<typeof loadDataset>[1]);
    const want = await computeOnnxClouds(model, ds);
    want.forEach((w, k) => {
      const got = readNpy(new Uint8Array(readFileSync(join(dir, 'dyn', `c-${String(k + 1).padStart(2, '0')}.npy`)))).data as Float32Array;
      expect(Array.from(got)).toEqual(Array.from(w.cloud.data));
    });
    model.dispose();
  }, 120_000);

  it('a bad model or option is exit 2 with one line', async () => {
    for (const [args, pattern] of [
      [['--model', join(FIX, 'flat.onnx')], /flat\.onnx: the input input has shape \[batch, 4\]/],
      [['--model', join(FIX, 'external.onnx')], /external\.weights/],
      [['--model', join(dir, 'plain.onnx'), '--std', '0.2,0'], /--std must be a number > 0 or a comma list/],
      [['--model', join(dir, 'plain.onnx'), '--mean', '0.1,0.2'], /mean has 2 values; the model input has 3 channels/],
    ] as [string[], RegExp][]) {
      const r = await cli('activations', ...args, '--dataset', join(dir, 'images'), '--out', join(dir, 'x/c.npy'));
      if (/external/.test(String(pattern))) {
        // Beside its weights file the external-data model loads.
        expect(r.code).toBe(0);
        continue;
      }
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);
});
