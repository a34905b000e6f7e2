/**
 * One dataset loader and one model loader for every command: the same images in every format the page reads
 * (IDX, gzipped IDX, class folders, a zip of them — also on stdin —, PNGs + CSV, CIFAR-10 batches) give the same
 * answer, and a model that takes any image size works in `activations` as in the page.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { loadBundledDataset } from '../../src/data/bundled';
import { writeIdx } from '../../src/data/idx';
import { encodePng } from '../../src/data/loaders/pngNode';
import { readNpy } from '../../src/io/npy';
import { nodeReadFile } from '../../src/cli/load/nodeRead';
import { runProcess } from './process';

const ROOT = join(__dirname, '../..');
const MODEL = join(ROOT, 'public/models/resnet18q-final');
const SMALL = join(ROOT, 'public/datasets/fashion-mnist-1000');
const PER_CLASS = 3;

async function cli(...argv: string[]) {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

let dir: string;
let zipBytes: Uint8Array;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convtopo-loaders-'));
  const full = await loadBundledDataset(SMALL, nodeReadFile);
  // PER_CLASS images of each of the 10 classes, so every format's class numbering is the digits' order.
  const pick: number[] = [];
  for (let c = 0; c < 10; c++) {
    for (let i = 0, k = 0; k < PER_CLASS; i++) {
      if (full.labels[i] === c) {
        pick.push(i);
        k++;
      }
    }
  }
  const img = (i: number) => full.pixels.subarray(i * 784, (i + 1) * 784);
  const pixels = new Uint8Array(pick.length * 784);
  pick.forEach((src, j) => pixels.set(img(src), j * 784));
  const labels = Uint8Array.from(pick, (i) => full.labels[i]);
  mkdirSync(join(dir, 'idx'));
  writeFileSync(join(dir, 'idx/t10k-images-idx3-ubyte'), writeIdx(pixels, [pick.length, 28, 28]));
  writeFileSync(join(dir, 'idx/t10k-labels-idx1-ubyte'), writeIdx(labels, [pick.length]));
  mkdirSync(join(dir, 'idxgz'));
  writeFileSync(join(dir, 'idxgz/t10k-images-idx3-ubyte.gz'), gzipSync(writeIdx(pixels, [pick.length, 28, 28])));
  writeFileSync(join(dir, 'idxgz/t10k-labels-idx1-ubyte.gz'), gzipSync(writeIdx(labels, [pick.length])));
  const zipEntries: Record<string, Uint8Array> = {};
  mkdirSync(join(dir, 'csv/images'), { recursive: true });
  const csv = ['file,label'];
  pick.forEach((src, j) => {
    const png = encodePng({ width: 28, height: 28, channels: 1, pixels: img(src) });
    const cls = String(full.labels[src]);
    mkdirSync(join(dir, 'folders', cls), { recursive: true });
    writeFileSync(join(dir, 'folders', cls, `${j}.png`), png);
    zipEntries[`${cls}/${j}.png`] = png;
    writeFileSync(join(dir, 'csv/images', `img${j}.png`), png);
    csv.push(`images/img${j}.png,${cls}`);
  });
  writeFileSync(join(dir, 'csv/labels.csv'), csv.join('\n') + '\n');
  zipBytes = zipSync(zipEntries);
  writeFileSync(join(dir, 'ds.zip'), zipBytes);
  // CIFAR-10 binary batch: label byte, then the 32×32 R, G and B planes (the gray image padded, in every plane).
  const rec = new Uint8Array(pick.length * 3073);
  pick.forEach((src, j) => {
    rec[j * 3073] = full.labels[src];
    for (let p = 0; p < 3; p++) {
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) rec[j * 3073 + 1 + p * 1024 + (y + 2) * 32 + x + 2] = img(src)[y * 28 + x];
    }
  });
  mkdirSync(join(dir, 'cifar'));
  writeFileSync(join(dir, 'cifar/test_batch.bin'), rec);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every command reads every dataset format the page reads', () => {
  const results: Record<string, { n: number; correct: number }> = {};
  it('evaluate gives the same count of correct images on IDX, gzipped IDX, class folders, a zip and PNGs + CSV', async () => {
    for (const name of ['idx', 'idxgz', 'folders', 'ds.zip', 'csv']) {
      const r = await cli('evaluate', '--model', MODEL, '--dataset', join(dir, name), '--json');
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      const j = JSON.parse(r.out);
      results[name] = { n: j.n, correct: j.correct };
    }
    expect(results.idx.n).toBe(10 * PER_CLASS);
    expect(results.idx.correct).toBeGreaterThanOrEqual(20); // the model's test accuracy is 94 %
    for (const name of Object.keys(results)) expect(results[name], name).toEqual(results.idx);
  });

  it('a zip on stdin (--dataset -) is read as the same zip on disk, in a real process', () => {
    const viaStdin = runProcess(['evaluate', '--model', MODEL, '--dataset', '-', '--json'], { stdin: zipBytes });
    expect(viaStdin.status, viaStdin.stderr).toBe(0);
    const b = JSON.parse(viaStdin.stdout);
    expect({ n: b.n, correct: b.correct }).toEqual(results['ds.zip']);
  });

  it('activations reads CIFAR-10 batches (32×32 RGB, resized to the model) and IDX alike', async () => {
    const out = join(dir, 'out-cifar', 'c.npy');
    const r = await cli('activations', '--model', MODEL, '--dataset', join(dir, 'cifar'), '--layer', '17', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readNpy(new Uint8Array(readFileSync(out))).shape).toEqual([10 * PER_CLASS, 128]);
    const idx = join(dir, 'out-idx', 'c.npy');
    expect((await cli('activations', '--model', MODEL, '--dataset', join(dir, 'idx'), '--layer', '17', '--out', idx)).code).toBe(0);
    expect(readFileSync(join(dir, 'out-idx', 'c.labels.txt'), 'utf8')).toBe(readFileSync(join(dir, 'out-cifar', 'c.labels.txt'), 'utf8'));
  });
});

describe('one model loader', () => {
  it('a model that takes any image size is measured at the dataset size, as the page does', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [null, null, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 3, kernelSize: 3 }),
      ],
    });
    const agn = join(dir, 'agnostic');
    mkdirSync(agn);
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        writeFileSync(join(agn, 'w.bin'), new Uint8Array(a.weightData as ArrayBuffer));
        writeFileSync(join(agn, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] }));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    model.dispose();
    const out = join(dir, 'agn-out', 'a.npy');
    const r = await cli('activations', '--model', agn, '--dataset', SMALL, '--limit', '12', '--layer', 'all', '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readNpy(new Uint8Array(readFileSync(join(dir, 'agn-out', 'a-01.npy')))).shape).toEqual([12, 4]);
    expect(readNpy(new Uint8Array(readFileSync(join(dir, 'agn-out', 'a-02.npy')))).shape).toEqual([12, 3]);
    // The path of model.json itself names the model too.
    const e = await cli('evaluate', '--model', join(MODEL, 'model.json'), '--dataset', join(dir, 'idx'), '--json');
    expect(e.code, e.err).toBe(0);
  });
});
