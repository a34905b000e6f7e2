import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { readNpy } from '../../src/io/npy';
import { encodePng } from '../../src/data/loaders/pngNode';
import { loadBundledDataset } from '../../src/data/bundled';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../src/model/loadModelNode';
import { computeLayerClouds, sourceFromLayersModel } from '../../src/model/activations';
import { selectLayers } from '../../src/model/layers';

const ROOT = join(__dirname, '../..');
const MODEL = join(ROOT, 'public/models/resnet18q-final');
const SMALL = join(ROOT, 'public/datasets/fashion-mnist-1000');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'convtopo-act-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('convtopo activations', () => {
  it('writes one layer’s top-L2 cloud as float32 .npy equal to the library’s, plus labels and class names', async () => {
    const out = join(dir, 'one', 'c17.npy');
    const r = await cli('activations', '--model', MODEL, '--dataset', SMALL, '--layer', '17', '--limit', '40', '--out', out);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const arr = readNpy(new Uint8Array(readFileSync(out)));
    expect(arr.dtype).toBe('f4');
    expect(arr.shape).toEqual([40, 128]);
    const labels = readFileSync(join(dir, 'one', 'c17.labels.txt'), 'utf8').trim().split('\n').map(Number);
    expect(labels).toHaveLength(40);
    expect(readFileSync(join(dir, 'one', 'c17.classes.txt'), 'utf8').split('\n')[0]).toBe('T-shirt/top');
    // Same numbers as calling the library directly on the first 40 images.
    await useNodeBackend('wasm');
    const { model, card } = await loadModelNode(MODEL);
    const full = await loadBundledDataset(SMALL, nodeReadFile);
    const ds = { ...full, n: 40, pixels: full.pixels.subarray(0, 40 * 784), labels: full.labels.subarray(0, 40) };
    const source = sourceFromLayersModel(model);
    const [ref] = await computeLayerClouds(source, ds, selectLayers(source.layers, [17]), { normalization: card.normalization });
    expect(Array.from(arr.data)).toEqual(Array.from(ref.cloud.data));
    expect(labels).toEqual(Array.from(full.labels.subarray(0, 40)));
    model.dispose();
  });

  it('--layer all writes FILE-01.npy … FILE-17.npy', async () => {
    const out = join(dir, 'all', 'fm.npy');
    const r = await cli('activations', '--model', MODEL, '--dataset', SMALL, '--layer', 'all', '--limit', '12', '--cloud', 'gap', '--out', out);
    expect(r.code).toBe(0);
    const files = readdirSync(join(dir, 'all')).filter((f) => f.endsWith('.npy')).sort();
    expect(files).toEqual(Array.from({ length: 17 }, (_, i) => `fm-${String(i + 1).padStart(2, '0')}.npy`));
    expect(readNpy(new Uint8Array(readFileSync(join(dir, 'all', 'fm-06.npy')))).shape).toEqual([12, 32]);
  });

  it('reads a folder of class folders of PNGs (channel cloud: C points in R^n)', async () => {
    const data = join(dir, 'pngs');
    for (const cls of ['boot', 'shirt']) {
      mkdirSync(join(data, cls), { recursive: true });
      for (let i = 0; i < 3; i++) {
        const pixels = Uint8Array.from({ length: 32 * 32 }, (_, k) => (k * (i + 3) + cls.length * 40) % 256);
        writeFileSync(join(data, cls, `${i}.png`), encodePng({ width: 32, height: 32, channels: 1, pixels }));
      }
    }
    writeFileSync(join(data, 'shirt', 'broken.png'), new Uint8Array([137, 80, 78, 71, 1, 2, 3]));
    const out = join(dir, 'png-out', 'ch.npy');
    const r = await cli('activations', '--model', MODEL, '--dataset', data, '--layer', 'conv02', '--cloud', 'channel', '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/1 file skipped \(first: shirt\/broken\.png/);
    expect(readNpy(new Uint8Array(readFileSync(out))).shape).toEqual([16, 6]);
  });

  it('bad input exits 2 with one line naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--cloud', 'max'], /--cloud must be one of top-l2, random, gap, channel, pca:D/],
      [['--layer', '0'], /--layer 0 does not exist: use 1…17/],
      [['--out', join(dir, 'x.txt')], /--out must end with \.npy/],
      [['--dataset', join(dir, 'nope')], /does not exist/],
      [['--model', dir], /has no model\.json/],
      [['--cloud', 'pca:2000'], /needs D ≤ the number of images \(1000\)/],
    ];
    for (const [extra, pattern] of cases) {
      const base = ['--model', MODEL, '--dataset', SMALL, '--out', join(dir, 'bad.npy'), '--layer', '1'];
      for (let i = 0; i < extra.length; i += 2) {
        const at = base.indexOf(extra[i]);
        if (at >= 0) base[at + 1] = extra[i + 1];
        else base.push(extra[i], extra[i + 1]);
      }
      const r = await cli('activations', ...base);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const single = join(dir, 'single', 'only');
    mkdirSync(single, { recursive: true });
    writeFileSync(join(single, 'a.png'), encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16) }));
    const r = await cli('activations', '--model', MODEL, '--dataset', join(dir, 'single'), '--out', join(dir, 's.npy'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/one class \("only"\); at least 2 classes are needed/);
  });
});
