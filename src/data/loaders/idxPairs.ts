/**
 * (d) MNIST / Fashion-MNIST IDX pairs (gzipped or not): an idx3 image file and an idx1 label file.
 * Files are paired by the prefix before "-images" / "-labels" (train-images-idx3-ubyte ↔ train-labels-idx1-ubyte);
 * with several pairs the test pair (t10k / test) is used, since the paper studies test images. Two unnamed IDX files
 * are told apart by their number of dimensions.
 */
import type { ImageDataset } from '../../types';
import { readIdx } from '../idx';
import { finishDataset, type LoadError } from './assemble';
import { checkCap, samplePerClass } from './imageOps';
import { baseName, isClutter, readBytes, type LoaderFile, type LoadOptions } from './types';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export function looksLikeIdx(path: string): boolean {
  return /idx\d|ubyte/i.test(baseName(path));
}

function pairKey(path: string): { key: string; kind: 'images' | 'labels' } | null {
  const base = baseName(path).toLowerCase();
  const m = /^(.*?)[-_.]?(images|labels)[-_.]/.exec(base) ?? /^(.*?)[-_.]?(images|labels)$/.exec(base);
  if (m) return { key: `${path.slice(0, path.length - base.length)}${m[1]}`, kind: m[2] as 'images' | 'labels' };
  if (/idx3/.test(base)) return { key: path.slice(0, path.length - base.length), kind: 'images' };
  if (/idx1/.test(base)) return { key: path.slice(0, path.length - base.length), kind: 'labels' };
  return null;
}

export async function loadIdxPairs(files: LoaderFile[], options: LoadOptions, errors: LoadError[] = []): Promise<ImageDataset> {
  const idxFiles = files.filter((f) => looksLikeIdx(f.path) && !isClutter(f.path));
  const pairs = new Map<string, { images?: LoaderFile; labels?: LoaderFile }>();
  for (const f of idxFiles) {
    const k = pairKey(f.path);
    if (!k) {
      errors.push({ file: f.path, reason: 'IDX file name says neither images nor labels' });
      continue;
    }
    const p = pairs.get(k.key) ?? {};
    p[k.kind] = f;
    pairs.set(k.key, p);
  }
  const complete = [...pairs.entries()].filter(([, p]) => p.images && p.labels);
  for (const [, p] of pairs) {
    if (!(p.images && p.labels)) {
      const f = (p.images ?? p.labels)!;
      errors.push({ file: f.path, reason: `its ${p.images ? 'labels' : 'images'} file is missing` });
    }
  }
  if (complete.length === 0) {
    throw new Error(`IDX: need an images file (idx3) and its labels file (idx1); found ${idxFiles.map((f) => baseName(f.path)).join(', ') || 'none'}`);
  }
  complete.sort(([a], [b]) => Number(/t10k|test/i.test(b)) - Number(/t10k|test/i.test(a)));
  const [key, pair] = complete[0];
  for (const [, other] of complete.slice(1)) errors.push({ file: other.images!.path, reason: `ignored: using the pair ${baseName(key) || key}` });

  const images = readIdx(await readBytes(pair.images!), pair.images!.path);
  const labelArr = readIdx(await readBytes(pair.labels!), pair.labels!.path);
  if (images.dims.length !== 3) throw new Error(`${pair.images!.path}: expected 3 dimensions (n, height, width), got [${images.dims.join(', ')}]`);
  if (labelArr.dims.length !== 1) throw new Error(`${pair.labels!.path}: expected 1 dimension, got [${labelArr.dims.join(', ')}]`);
  const [n, h, w] = images.dims;
  if (labelArr.dims[0] !== n) throw new Error(`IDX: ${n} images but ${labelArr.dims[0]} labels`);
  const allLabels = Int32Array.from(labelArr.data);
  let maxLabel = 0;
  for (const l of allLabels) maxLabel = Math.max(maxLabel, l);
  const isFashion = files.some((f) => /fashion/i.test(f.path));
  const classNames =
    options.classNames ?? (isFashion && maxLabel < 10 ? FASHION_MNIST_CLASSES : Array.from({ length: maxLabel + 1 }, (_, i) => String(i)));
  if (maxLabel >= classNames.length) throw new Error(`IDX: label ${maxLabel} has no class name (${classNames.length} given)`);

  const cap = options.perClassCap ?? 100;
  checkCap(cap);
  const keep = samplePerClass(allLabels, cap, options.seed ?? 0);
  const per = h * w;
  const pixels = new Uint8Array(keep.length * per);
  keep.forEach((src, i) => pixels.set(images.data.subarray(src * per, (src + 1) * per), i * per));
  const labels = Int32Array.from(keep, (i) => allLabels[i]);
  if (options.size && (options.size[0] !== h || options.size[1] !== w)) {
    throw new Error(`IDX images are ${h}×${w}; resizing IDX data is not supported (size option)`);
  }
  const name = baseName(key).replace(/[-_.]$/, '') || baseName(pair.images!.path);
  return finishDataset({ n: keep.length, height: h, width: w, channels: 1, pixels, labels, classNames, errors, name }, name, options);
}
