import { describe, expect, it } from 'vitest';
import { gzipSync, zipSync } from 'fflate';
import { writeIdx } from '../../../src/data/idx';
import { datasetFingerprint, fnv1a64Hex } from '../../../src/data/fingerprint';
import { detectFormat, loadUserDataset, parseCifarRecords, type LoaderFile } from '../../../src/data/loaders/index';
import { encodePng, pngDecoder } from '../../../src/data/loaders/pngNode';
import { resizeBilinear, samplePerClass } from '../../../src/data/loaders/imageOps';

/** A w×h gray PNG filled with one value. */
function grayPng(value: number, w = 4, h = 4): Uint8Array {
  return encodePng({ width: w, height: h, channels: 1, pixels: new Uint8Array(w * h).fill(value) });
}

function rgbPng(r: number, g: number, b: number, w = 4, h = 4): Uint8Array {
  const pixels = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) pixels.set([r, g, b], 3 * i);
  return encodePng({ width: w, height: h, channels: 3, pixels });
}

const opts = { decoder: pngDecoder };

describe('fingerprint', () => {
  it('FNV-1a 64 matches the published test vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a64Hex(enc(''))).toBe('cbf29ce484222325');
    expect(fnv1a64Hex(enc('a'))).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex(enc('foobar'))).toBe('85944171f73967e8');
  });

  it('changes when one pixel or one label changes', () => {
    const base = { n: 2, height: 1, width: 2, channels: 1 as const, pixels: Uint8Array.from([1, 2, 3, 4]), labels: Int32Array.from([0, 1]), classNames: ['a', 'b'] };
    const f = datasetFingerprint(base);
    expect(datasetFingerprint({ ...base, pixels: Uint8Array.from([1, 2, 3, 5]) })).not.toBe(f);
    expect(datasetFingerprint({ ...base, labels: Int32Array.from([1, 0]) })).not.toBe(f);
    expect(datasetFingerprint({ ...base })).toBe(f);
  });
});

describe('class folders', () => {
  it('loads the good images, lists the corrupt, empty and unsupported files, and sorts classes by name', async () => {
    const files: LoaderFile[] = [
      { path: 'shoes/boot/a.png', bytes: grayPng(10) },
      { path: 'shoes/boot/b.png', bytes: grayPng(20) },
      { path: 'shoes/boot/broken.png', bytes: grayPng(30).subarray(0, 30) },
      { path: 'shoes/sandal/c.png', bytes: grayPng(40, 8, 8) }, // other size: resized to the first image's 4×4
      { path: 'shoes/sandal/empty.png', bytes: new Uint8Array(0) },
      { path: 'shoes/sandal/notes.txt', bytes: new TextEncoder().encode('hi') },
      { path: 'shoes/.DS_Store', bytes: new Uint8Array(3) },
    ];
    const ds = await loadUserDataset(files, opts);
    expect(ds.classNames).toEqual(['boot', 'sandal']);
    expect(ds.n).toBe(3);
    expect([ds.height, ds.width, ds.channels]).toEqual([4, 4, 1]);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1]);
    expect([ds.pixels[0], ds.pixels[16], ds.pixels[32]]).toEqual([10, 20, 40]);
    expect(ds.errors.map((e) => e.file).sort()).toEqual(['shoes/boot/broken.png', 'shoes/sandal/empty.png', 'shoes/sandal/notes.txt']);
    expect(ds.errors.find((e) => e.file.endsWith('empty.png'))!.reason).toMatch(/empty/);
    expect(ds.errors.find((e) => e.file.endsWith('notes.txt'))!.reason).toMatch(/unsupported file type \.txt/);
    expect(ds.id).toMatch(/^user:[0-9a-f]{16}$/);
    expect(ds.name).toBe('shoes');
  });

  it('keeps colour when any image has colour, and gray images become R = G = B', async () => {
    const ds = await loadUserDataset(
      [
        { path: 'a/1.png', bytes: grayPng(100) },
        { path: 'b/1.png', bytes: rgbPng(255, 0, 0) },
      ],
      opts,
    );
    expect(ds.channels).toBe(3);
    expect(Array.from(ds.pixels.subarray(0, 3))).toEqual([100, 100, 100]);
    expect(Array.from(ds.pixels.subarray(48, 51))).toEqual([255, 0, 0]);
  });

  it('a single class is refused with a clear message, and so is a folder of broken files', async () => {
    await expect(loadUserDataset([{ path: 'cats/1.png', bytes: grayPng(1) }, { path: 'cats/2.png', bytes: grayPng(2) }], opts)).rejects.toThrow(
      /all 2 images belong to one class \("cats"\); at least 2 classes are needed/,
    );
    await expect(loadUserDataset([{ path: 'a/1.png', bytes: new Uint8Array([1, 2, 3]) }, { path: 'b/1.png', bytes: new Uint8Array(0) }], opts)).rejects.toThrow(
      /no usable images found; 2 files could not be used/,
    );
  });

  it('the per-class cap samples deterministically with the seed', async () => {
    const files: LoaderFile[] = [];
    for (let i = 0; i < 20; i++) {
      files.push({ path: `x/${i}.png`, bytes: grayPng(i) });
      files.push({ path: `y/${i}.png`, bytes: grayPng(100 + i) });
    }
    const a = await loadUserDataset(files, { ...opts, perClassCap: 5, seed: 1 });
    const b = await loadUserDataset(files, { ...opts, perClassCap: 5, seed: 1 });
    const c = await loadUserDataset(files, { ...opts, perClassCap: 5, seed: 2 });
    expect(a.n).toBe(10);
    expect(Array.from(a.labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(a.pixels)).toEqual(Array.from(b.pixels));
    expect(a.id).toBe(b.id);
    expect(Array.from(a.pixels)).not.toEqual(Array.from(c.pixels));
    // Every sampled image of class y really is one of y's images.
    for (let i = 5; i < 10; i++) expect(a.pixels[i * 16]).toBeGreaterThanOrEqual(100);
  });
});

describe('zip, CSV, IDX and CIFAR', () => {
  it('a zip of class folders loads like the folders themselves', async () => {
    const zip = zipSync({ 'data/cat/1.png': grayPng(1), 'data/cat/2.png': grayPng(2), 'data/dog/1.png': grayPng(3), 'data/': new Uint8Array(0) });
    const ds = await loadUserDataset([{ path: 'pets.zip', bytes: zip }], opts);
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(ds.labels)).toEqual([0, 0, 1]);
    expect(ds.errors).toEqual([]);
    await expect(loadUserDataset([{ path: 'bad.zip', bytes: new Uint8Array([1, 2, 3, 4]) }], opts)).rejects.toThrow(/bad\.zip: not a readable zip/);
  });

  it('loose images with a CSV: header skipped, labels from the CSV, missing and unlisted files reported', async () => {
    const csv = 'file,label\nimg/a.png,shirt\nimg/b.png,shoe\n"c.png",shoe\nmissing.png,shoe\n';
    const files: LoaderFile[] = [
      { path: 'set/labels.csv', bytes: new TextEncoder().encode(csv) },
      { path: 'set/img/a.png', bytes: grayPng(5) },
      { path: 'set/img/b.png', bytes: grayPng(6) },
      { path: 'set/img/c.png', bytes: grayPng(7) }, // listed without its folder: found by base name
      { path: 'set/img/extra.png', bytes: grayPng(8) },
    ];
    expect(detectFormat(files)).toBe('csv');
    const ds = await loadUserDataset(files, opts);
    expect(ds.classNames).toEqual(['shirt', 'shoe']);
    expect(Array.from(ds.labels)).toEqual([0, 1, 1]);
    expect([ds.pixels[0], ds.pixels[16], ds.pixels[32]]).toEqual([5, 6, 7]);
    expect(ds.errors.map((e) => `${e.file}: ${e.reason}`).sort()).toEqual([
      'missing.png: listed in set/labels.csv line 5 but missing',
      'set/img/extra.png: not listed in set/labels.csv',
    ]);
  });

  it('MNIST-style IDX pairs (gzipped or not) prefer the test pair and cap per class', async () => {
    const n = 30;
    const pixels = Uint8Array.from({ length: n * 4 }, (_, i) => i % 251);
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
    const files: LoaderFile[] = [
      { path: 'fashion/t10k-images-idx3-ubyte.gz', bytes: gzipSync(writeIdx(pixels, [n, 2, 2])) },
      { path: 'fashion/t10k-labels-idx1-ubyte', bytes: writeIdx(labels, [n]) },
      { path: 'fashion/train-images-idx3-ubyte', bytes: writeIdx(new Uint8Array(8), [2, 2, 2]) },
      { path: 'fashion/train-labels-idx1-ubyte', bytes: writeIdx(Uint8Array.from([0, 1]), [2]) },
    ];
    const ds = await loadUserDataset(files, { perClassCap: 4, seed: 3 });
    expect(ds.n).toBe(12);
    expect([ds.height, ds.width, ds.channels]).toEqual([2, 2, 1]);
    expect(ds.classNames[0]).toBe('T-shirt/top'); // "fashion" in the path
    // Each kept image is an original image with its own label.
    for (let i = 0; i < ds.n; i++) {
      const src = ds.pixels[i * 4] / 4;
      expect(ds.labels[i]).toBe(src % 3);
    }
    expect(ds.errors.some((e) => /train-images/.test(e.file) && /ignored/.test(e.reason))).toBe(true);
    const all = await loadUserDataset(files.slice(0, 2), { perClassCap: Infinity });
    expect(all.n).toBe(30);
  });

  it('CIFAR-10 records: label byte then channel-first planes become HWC pixels; names from batches.meta.txt', async () => {
    const rec = (label: number, r: number, g: number, b: number) => {
      const out = new Uint8Array(3073);
      out[0] = label;
      out.fill(r, 1, 1025);
      out.fill(g, 1025, 2049);
      out.fill(b, 2049, 3073);
      out[1 + 1023] = 77; // last red sample: pixel (31, 31)
      return out;
    };
    const bytes = new Uint8Array(2 * 3073);
    bytes.set(rec(3, 10, 20, 30), 0);
    bytes.set(rec(5, 40, 50, 60), 3073);
    const parsed = parseCifarRecords(bytes);
    expect(Array.from(parsed.labels)).toEqual([3, 5]);
    expect(Array.from(parsed.pixels.subarray(0, 6))).toEqual([10, 20, 30, 10, 20, 30]);
    expect(Array.from(parsed.pixels.subarray(3069, 3072))).toEqual([77, 20, 30]);
    expect(Array.from(parsed.pixels.subarray(3072, 3075))).toEqual([40, 50, 60]);
    const meta = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n';
    const ds = await loadUserDataset([
      { path: 'cifar/test_batch.bin', bytes },
      { path: 'cifar/batches.meta.txt', bytes: new TextEncoder().encode(meta) },
    ]);
    expect([ds.n, ds.height, ds.width, ds.channels]).toEqual([2, 32, 32, 3]);
    expect(ds.classNames[ds.labels[0]]).toBe('cat');
    expect(ds.classNames[ds.labels[1]]).toBe('dog');
    expect(() => parseCifarRecords(new Uint8Array(3074 * 2))).toThrow(/CIFAR-100/);
  });
});

describe('image helpers', () => {
  it('bilinear downscale by 2 averages 2×2 blocks', () => {
    const src = Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150]); // 4×4
    expect(Array.from(resizeBilinear(src, 4, 4, 1, 2, 2))).toEqual([25, 45, 105, 125]);
  });

  it('samplePerClass keeps everything under the cap and returns ascending indices', () => {
    const labels = [0, 1, 0, 1, 0, 1, 2];
    expect(Array.from(samplePerClass(labels, 10, 0))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const s = Array.from(samplePerClass(labels, 2, 0));
    expect(s).toEqual([...s].sort((a, b) => a - b));
    expect(s.filter((i) => labels[i] === 0)).toHaveLength(2);
    expect(s.filter((i) => labels[i] === 2)).toEqual([6]);
  });
});
