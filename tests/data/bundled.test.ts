import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { datasetFromIdx, loadBundledDataset, type ReadFile } from '../../src/data/bundled';
import { readIdxImages, readIdxLabels, writeIdx } from '../../src/data/idx';
import { IN_CI } from '../helpers/oracle';

const ROOT = join(__dirname, '../..');
const fsRead: ReadFile = async (p) => new Uint8Array(readFileSync(join(ROOT, p)));
const DEBIAN = '/usr/share/datasets/fashion-mnist';

describe('bundled datasets', () => {
  it('fashion-mnist-1000 holds 100 images of each class, equal to the test images it names', async () => {
    const ds = await loadBundledDataset('public/datasets/fashion-mnist-1000', fsRead);
    expect([ds.n, ds.height, ds.width, ds.channels]).toEqual([1000, 28, 28, 1]);
    expect(ds.classNames[9]).toBe('Ankle boot');
    const counts = new Array(10).fill(0);
    for (const l of ds.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(100));

    // Cross-check against the full test set shipped next to it (a byte copy of Debian's file).
    const meta = JSON.parse(readFileSync(join(ROOT, 'public/datasets/fashion-mnist-1000/dataset.json'), 'utf8'));
    const full = await loadBundledDataset('public/datasets/fashion-mnist-10000', fsRead);
    expect(full.n).toBe(10000);
    const idx: number[] = meta.sourceIndices;
    expect(idx.length).toBe(1000);
    // "First 100 of each class in test order": no skipped test image of a class that is not yet full.
    const seen = new Array(10).fill(0);
    const chosen = new Set(idx);
    for (let t = 0; t <= idx[idx.length - 1]; t++) {
      const c = full.labels[t];
      if (seen[c] < 100) {
        expect(chosen.has(t), `test image ${t}`).toBe(true);
        seen[c]++;
      }
    }
    for (let i = 0; i < 1000; i += 37) {
      expect(ds.labels[i]).toBe(full.labels[idx[i]]);
      expect(ds.pixels.subarray(i * 784, (i + 1) * 784)).toEqual(full.pixels.subarray(idx[i] * 784, (idx[i] + 1) * 784));
    }
  });

  it('fashion-mnist-10000 equals Debian test set', async () => {
    if (!existsSync(DEBIAN)) {
      const reason = `${DEBIAN} is missing: install it with "apt-get install dataset-fashion-mnist"`;
      if (IN_CI) throw new Error(`oracle missing in CI: ${reason}`);
      console.warn(`SKIP: ${reason}`);
      return;
    }
    const full = await loadBundledDataset('public/datasets/fashion-mnist-10000', fsRead);
    const raw = gunzipSync(new Uint8Array(readFileSync(`${DEBIAN}/t10k-images-idx3-ubyte.gz`)));
    // Buffer.compare: toEqual on 7.8 M elements takes most of a minute.
    expect(full.pixels.length).toBe(raw.length - 16);
    expect(Buffer.compare(Buffer.from(full.pixels), Buffer.from(raw.subarray(16)))).toBe(0);
  });

  it('refuses images and labels of different lengths', () => {
    const imgs = writeIdx(new Uint8Array(3 * 4), [3, 2, 2]);
    const labels = writeIdx(Uint8Array.from([0, 1]), [2]);
    expect(() => datasetFromIdx(imgs, labels, { id: 'x', name: 'tiny' })).toThrow(/tiny: 3 images but 2 labels/);
  });

  it('refuses labels outside the class names', () => {
    const imgs = writeIdx(new Uint8Array(2 * 4), [2, 2, 2]);
    const labels = writeIdx(Uint8Array.from([0, 5]), [2]);
    expect(() => datasetFromIdx(imgs, labels, { id: 'x', name: 'tiny', classNames: ['a', 'b'] })).toThrow(
      /label 5 is out of range for 2 class names/,
    );
    const ds = datasetFromIdx(imgs, labels, { id: 'x', name: 'tiny' });
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(readIdxLabels(labels)).toEqual(ds.labels);
    expect(readIdxImages(imgs).n).toBe(2);
  });

  it('a missing dataset directory rejects with the path', async () => {
    await expect(loadBundledDataset('public/datasets/nope', fsRead)).rejects.toThrow(/nope/);
  });
});
