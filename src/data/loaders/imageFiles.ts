/**
 * Labelled image files (from class folders or a CSV) → ImageDataset: per-class seeded sampling up to the cap,
 * decoding only the sampled files; a file that fails to decode is listed in `errors` and the next candidate of
 * its class takes its place. Each image is resized as soon as it is decoded, so a folder of 4000×4000 photos
 * never holds more than one full-size image at a time.
 */
import type { DatasetNote, ImageDataset } from '../../types';
import { checkSize, checkUsable, finishDataset, naturalCompare, type LoadError } from './assemble';
import { checkCap, isGray, resizeBilinear, seededPermutation, toChannels } from './imageOps';
import { extensionOf, IMAGE_EXTENSIONS, readBytes, type LoaderFile, type LoadOptions } from './types';

export interface LabelledFile {
  file: LoaderFile;
  className: string;
}

export async function loadLabelledImages(
  items: LabelledFile[],
  errors: LoadError[],
  what: string,
  options: LoadOptions,
  notes: DatasetNote[] = [],
): Promise<ImageDataset> {
  const cap = options.perClassCap ?? 100;
  checkCap(cap);
  const decoder = options.decoder;
  if (!decoder) throw new Error(`${what}: no image decoder was given (decoder option)`);
  if (options.size) checkSize(options.size);
  const classNames = [...new Set(items.map((it) => it.className))].sort(naturalCompare);
  const byClass = new Map<string, LabelledFile[]>(classNames.map((c) => [c, []]));
  for (const it of items) byClass.get(it.className)!.push(it);
  const seed = options.seed ?? 0;
  const total = classNames.reduce((s, c) => s + Math.min(cap, byClass.get(c)!.length), 0);
  // Decoded images at the final size, in 3 channels unless the caller fixed the count (gray is decided at the end).
  let size = options.size ?? null;
  const decodeChannels = options.channels ?? 3;
  const kept: { path: string; label: number; data: Uint8Array; gray: boolean }[] = [];
  const transparent: string[] = [];
  let tried = 0;
  for (let label = 0; label < classNames.length; label++) {
    const candidates = byClass.get(classNames[label])!.sort((a, b) => naturalCompare(a.file.path, b.file.path));
    const order = seededPermutation(candidates.length, (seed ^ Math.imul(label + 1, 0x9e3779b1)) >>> 0);
    let got = 0;
    for (let k = 0; k < candidates.length && got < cap; k++) {
      const { file } = candidates[cap >= candidates.length ? k : order[k]];
      const ext = extensionOf(file.path);
      if (!IMAGE_EXTENSIONS.has(ext)) {
        errors.push({ file: file.path, reason: `unsupported file type ${ext ? '.' + ext : '(no extension)'}` });
        continue;
      }
      try {
        const bytes = await readBytes(file);
        if (bytes.length === 0) throw new Error('empty file');
        const image = await decoder(bytes, ext);
        if (!(image.width > 0 && image.height > 0)) throw new Error('image has no pixels');
        if (!size) {
          size = [image.height, image.width];
          checkSize(size);
        }
        const data = resizeBilinear(toChannels(image, decodeChannels), image.height, image.width, decodeChannels, size[0], size[1]);
        kept.push({ path: file.path, label, data: data === image.pixels ? data.slice() : data, gray: isGray(image) });
        if (image.transparent) transparent.push(file.path);
        got++;
      } catch (err) {
        errors.push({ file: file.path, reason: err instanceof Error ? err.message : String(err) });
      }
      options.onProgress?.({ phase: 'decoding', done: Math.min(++tried, total), total });
    }
  }
  if (kept.length === 0 || !size) {
    checkUsable(new Int32Array(0), classNames, errors, what);
    throw new Error(`${what}: no usable images found`);
  }
  kept.sort((a, b) => a.label - b.label || naturalCompare(a.path, b.path));
  const channels: 1 | 3 = options.channels ?? (kept.every((k) => k.gray) ? 1 : 3);
  const [h, w] = size;
  const per = h * w * channels;
  const pixels = new Uint8Array(kept.length * per);
  kept.forEach((k, i) => {
    if (channels === decodeChannels) pixels.set(k.data, i * per);
    else for (let j = 0; j < per; j++) pixels[i * per + j] = k.data[3 * j]; // gray kept as R = G = B: take R
  });
  if (transparent.length > 0) {
    notes.push({
      kind: 'info',
      text: `${transparent.length} of ${kept.length} images have transparent pixels: they were composited over a white background`,
      files: transparent,
    });
  }
  const labels = Int32Array.from(kept, (k) => k.label);
  return finishDataset({ n: kept.length, height: h, width: w, channels, pixels, labels, classNames, errors, notes }, what, options);
}
