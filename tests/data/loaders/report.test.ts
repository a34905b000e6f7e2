/**
 * What the loaders do to users' images and say about them (issue 12): transparency composited over white (checked
 * against Pillow's alpha_composite on random RGBA), the degenerate-dataset warning, nested folders keeping the class
 * of their first folder, unsafe zip entries listed as refused, and every failed file counted in a failed load.
 */
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetLoadError, loadUserDataset, type LoaderFile } from '../../../src/data/loaders/index';
import { encodePng, pngDecoder } from '../../../src/data/loaders/pngNode';
import { flattenAlpha, toChannels } from '../../../src/data/loaders/imageOps';
import { mulberry32 } from '../../../src/random';
import { pythonOracle, runPython } from '../../helpers/oracle';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : (Math.random() * 2 ** 31) >>> 0;
const opts = { decoder: pngDecoder };

function randomImage(w: number, h: number, channels: 1 | 2 | 3 | 4, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: w * h * channels }, () => Math.floor(rand() * 256));
}

/** A w×h icon: a dark square in the middle of a transparent background (RGBA), or opaque when `opaque`. */
function iconPng(shade: number, w = 8, h = 8, opaque = false): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x >= w / 4 && x < (3 * w) / 4 && y >= h / 4 && y < (3 * h) / 4;
      px.set(inside ? [shade, shade, shade, 255] : [0, 0, 0, opaque ? 255 : 0], 4 * (y * w + x));
    }
  }
  return encodePng({ width: w, height: h, channels: 4, pixels: px });
}

describe(`transparency is composited over white (seed ${SEED}; CONVTOPO_SEED to repeat)`, () => {
  const pil = pythonOracle(['PIL'], 'python3-pil');

  it.skipIf(!pil.available)('the PNG decoder agrees with Pillow alpha_composite over white on random RGBA and gray+alpha', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convtopo-alpha-'));
    const cases = ([4, 2] as const).map((channels, k) => {
      const [w, h] = [13 + k, 9];
      const pixels = randomImage(w, h, channels, SEED + k);
      const path = join(dir, `c${channels}.png`);
      writeFileSync(path, encodePng({ width: w, height: h, channels, pixels }));
      return { path, channels, ours: pngDecoder(encodePng({ width: w, height: h, channels, pixels }), 'png') };
    });
    const theirs = runPython<number[][]>(
      `import json, sys
from PIL import Image
out = []
for path in json.load(sys.stdin):
    im = Image.open(path).convert('RGBA')
    white = Image.new('RGBA', im.size, (255, 255, 255, 255))
    out.append(list(Image.alpha_composite(white, im).convert('RGB').tobytes()))
print(json.dumps(out))`,
      cases.map((c) => c.path),
    );
    cases.forEach((c, k) => {
      const ours = c.ours as ReturnType<typeof flattenAlpha>;
      expect(ours.channels).toBe(c.channels - 1);
      expect(ours.transparent).toBeGreaterThan(0);
      const rgb = toChannels(ours, 3);
      expect(rgb.length).toBe(theirs[k].length);
      // Pillow rounds its fixed-point blend its own way: at most one grey level apart.
      let worst = 0;
      rgb.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - theirs[k][i]))));
      expect(worst, `largest difference from Pillow (${c.channels} channels)`).toBeLessThanOrEqual(1);
    });
  });

  it('icons on a transparent background load as dark squares on white, and the report says so', async () => {
    const files: LoaderFile[] = [];
    for (let i = 0; i < 4; i++) files.push({ path: `icons/cat/${i}.png`, bytes: iconPng(10 + i) });
    for (let i = 0; i < 4; i++) files.push({ path: `icons/dog/${i}.png`, bytes: iconPng(60 + i, 8, 8, i === 3) });
    const ds = await loadUserDataset(files, opts);
    expect(ds.channels).toBe(1);
    expect(ds.pixels[0]).toBe(255); // a corner: transparent → white
    expect(ds.pixels[4 * 8 + 4]).toBe(10); // the square keeps its shade
    expect(ds.pixels[7 * 64]).toBe(0); // the opaque dog icon keeps its black background
    const note = ds.notes!.find((n) => /transparent/.test(n.text))!;
    expect(note.text).toMatch(/7 of 8 images have transparent pixels: they were composited over a white background/);
    expect(note.files!.sort()).toEqual(files.slice(0, 7).map((f) => f.path).sort());
    expect(ds.notes!.some((n) => n.kind === 'warning')).toBe(false);
  });

  it('flattenAlpha: opaque pixels unchanged, fully transparent white, half-transparent black mid-grey', () => {
    const img = flattenAlpha({ width: 3, height: 1, channels: 4, pixels: Uint8Array.from([9, 99, 199, 255, 9, 99, 199, 0, 0, 0, 0, 128]) });
    expect(Array.from(img.pixels)).toEqual([9, 99, 199, 255, 255, 255, 127, 127, 127]);
    expect(img.transparent).toBe(2);
  });
});

describe('degenerate datasets', () => {
  it('warns when most images are nearly constant, not when they have content', async () => {
    const flat = (v: number) => encodePng({ width: 6, height: 6, channels: 3, pixels: new Uint8Array(108).fill(v) });
    const noisy = (s: number) => encodePng({ width: 6, height: 6, channels: 3, pixels: randomImage(6, 6, 3, SEED + s) });
    const blank: LoaderFile[] = [];
    for (let i = 0; i < 6; i++) blank.push({ path: `d/${i % 2 ? 'a' : 'b'}/${i}.png`, bytes: i < 4 ? flat(i) : noisy(i) });
    const ds = await loadUserDataset(blank, opts);
    const warning = ds.notes!.find((n) => n.kind === 'warning');
    expect(warning?.text).toMatch(/^4 of 6 images are nearly constant/);
    const fine: LoaderFile[] = [];
    for (let i = 0; i < 6; i++) fine.push({ path: `d/${i % 2 ? 'a' : 'b'}/${i}.png`, bytes: i < 3 ? flat(i) : noisy(i) });
    expect((await loadUserDataset(fine, opts)).notes!.some((n) => n.kind === 'warning')).toBe(false);
  });
});

describe('nested folders', () => {
  const png = (v: number) => encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16).map((_, i) => (v + 7 * i) & 255) });

  it('the class is the first folder under the dropped root; deeper files keep it and are listed', async () => {
    const files: LoaderFile[] = [
      { path: 'data/class/a.png', bytes: png(1) },
      { path: 'data/class/deeper/still/x.png', bytes: png(2) },
      { path: 'data/class/deeper/y.png', bytes: png(3) },
      { path: 'data/other/b.png', bytes: png(4) },
    ];
    const ds = await loadUserDataset(files, opts);
    expect(ds.classNames).toEqual(['class', 'other']);
    expect(Array.from(ds.labels)).toEqual([0, 0, 0, 1]);
    const note = ds.notes!.find((n) => /below a class folder/.test(n.text))!;
    expect(note.text).toMatch(/^2 files lie in folders below a class folder; each keeps the class of its first folder under "data"/);
    expect(note.files).toEqual(['data/class/deeper/still/x.png', 'data/class/deeper/y.png']);
    expect(ds.errors).toEqual([]);
  });

  it('class folders dropped side by side, and a zip holding one wrapper folder, give the same classes', async () => {
    const side = await loadUserDataset([{ path: 'cat/1.png', bytes: png(1) }, { path: 'dog/1.png', bytes: png(2) }, { path: 'dog/sub/2.png', bytes: png(3) }], opts);
    expect(side.classNames).toEqual(['cat', 'dog']);
    const zip = zipSync({ 'icons/cat/1.png': png(1), 'icons/dog/1.png': png(2), 'icons/dog/sub/2.png': png(3) });
    const zipped = await loadUserDataset([{ path: 'icons.zip', bytes: zip }], opts);
    expect(zipped.classNames).toEqual(['cat', 'dog']);
    expect(zipped.id).toBe(side.id);
    expect(zipped.notes!.find((n) => /below a class folder/.test(n.text))!.files).toEqual(['icons/icons/dog/sub/2.png']);
  });

  it('files lying loose next to the class folders are listed, not made a class', async () => {
    const ds = await loadUserDataset([{ path: 'r/cat/1.png', bytes: png(1) }, { path: 'r/dog/1.png', bytes: png(2) }, { path: 'r/loose.png', bytes: png(3) }], opts);
    expect(ds.classNames).toEqual(['cat', 'dog']);
    expect(ds.errors).toEqual([{ file: 'r/loose.png', reason: 'not inside a class folder (put each class in its own folder)' }]);
  });
});

describe('zip entries and failure counts', () => {
  const png = (v: number) => encodePng({ width: 4, height: 4, channels: 1, pixels: new Uint8Array(16).map((_, i) => (v * 3 + i) & 255) });

  it('entries that climb out of the zip (../) or are absolute are listed as refused', async () => {
    const zip = zipSync({ 'cat/1.png': png(1), 'dog/1.png': png(2), '../evil.png': png(3), 'cat/../../up.png': png(4), '/abs.png': png(5) });
    const ds = await loadUserDataset([{ path: 'set.zip', bytes: zip }], opts);
    expect(ds.n).toBe(2);
    expect(ds.errors.map((e) => e.file).sort()).toEqual(['set.zip: ../evil.png', 'set.zip: /abs.png', 'set.zip: cat/../../up.png']);
    expect(ds.errors.every((e) => /^refused: /.test(e.reason))).toBe(true);
  });

  it('a failed load carries every failed file, and the message counts them', async () => {
    const files: LoaderFile[] = [
      { path: 'a/1.png', bytes: new Uint8Array([1, 2, 3]) },
      { path: 'a/2.png', bytes: new Uint8Array(0) },
      { path: 'b/3.jpg', bytes: new Uint8Array([0xff, 0xd8]) },
    ];
    const err = await loadUserDataset(files, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetLoadError);
    expect((err as DatasetLoadError).errors.map((e) => e.file)).toEqual(['a/1.png', 'a/2.png', 'b/3.jpg']);
    expect((err as Error).message).toMatch(/3 files could not be used, first: a\/1\.png/);
  });
});
