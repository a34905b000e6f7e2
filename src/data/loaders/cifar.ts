/**
 * (e) CIFAR-10 binary batches (data_batch_1.bin … data_batch_5.bin, test_batch.bin): records of 1 label byte +
 * 3072 bytes of 32×32 pixels stored channel-first (1024 R, 1024 G, 1024 B). Class names come from
 * batches.meta.txt (one per line) when present. With several batches, test_batch.bin alone is used if present
 * (the paper studies test images), else every data batch.
 */
import type { ImageDataset } from '../../types';
import { finishDataset, naturalCompare, type LoadError } from './assemble';
import { checkCap, samplePerClass } from './imageOps';
import { baseName, extensionOf, isClutter, readBytes, type LoaderFile, type LoadOptions } from './types';

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const RECORD = 1 + 3072;

export function looksLikeCifar(files: LoaderFile[]): boolean {
  return files.some((f) => extensionOf(f.path) === 'bin' && /batch/i.test(baseName(f.path)));
}

/** Parse CIFAR-10 records into HWC pixels and labels. */
export function parseCifarRecords(bytes: Uint8Array, what = 'CIFAR batch'): { pixels: Uint8Array; labels: Int32Array } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    const hint = bytes.length % (RECORD + 1) === 0 && bytes.length > 0 ? ' (this looks like CIFAR-100, which is not supported)' : '';
    throw new Error(`${what}: ${bytes.length} bytes is not a whole number of 3073-byte CIFAR-10 records${hint}`);
  }
  const n = bytes.length / RECORD;
  const pixels = new Uint8Array(n * 3072);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * RECORD;
    labels[i] = bytes[r];
    for (let p = 0; p < 1024; p++) {
      pixels[i * 3072 + 3 * p] = bytes[r + 1 + p];
      pixels[i * 3072 + 3 * p + 1] = bytes[r + 1 + 1024 + p];
      pixels[i * 3072 + 3 * p + 2] = bytes[r + 1 + 2048 + p];
    }
  }
  return { pixels, labels };
}

export async function loadCifar(files: LoaderFile[], options: LoadOptions, errors: LoadError[] = []): Promise<ImageDataset> {
  const batches = files.filter((f) => extensionOf(f.path) === 'bin' && !isClutter(f.path)).sort((a, b) => naturalCompare(a.path, b.path));
  const test = batches.filter((f) => /test_batch/i.test(baseName(f.path)));
  const chosen = test.length > 0 ? test : batches;
  for (const f of batches) if (!chosen.includes(f)) errors.push({ file: f.path, reason: 'ignored: using test_batch.bin' });
  const parts: { pixels: Uint8Array; labels: Int32Array }[] = [];
  for (const f of chosen) {
    try {
      parts.push(parseCifarRecords(await readBytes(f), f.path));
    } catch (err) {
      errors.push({ file: f.path, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const total = parts.reduce((s, p) => s + p.labels.length, 0);
  const allPixels = new Uint8Array(total * 3072);
  const allLabels = new Int32Array(total);
  let off = 0;
  for (const p of parts) {
    allPixels.set(p.pixels, off * 3072);
    allLabels.set(p.labels, off);
    off += p.labels.length;
  }
  let classNames = options.classNames ?? CIFAR10_CLASSES;
  const meta = files.find((f) => baseName(f.path).toLowerCase() === 'batches.meta.txt');
  if (meta && !options.classNames) {
    const names = new TextDecoder().decode(await readBytes(meta)).split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
    if (names.length > 0) classNames = names;
  }
  let maxLabel = -1;
  for (const l of allLabels) maxLabel = Math.max(maxLabel, l);
  if (maxLabel >= classNames.length) throw new Error(`CIFAR: label ${maxLabel} has no class name (${classNames.length} known)`);
  const cap = options.perClassCap ?? 100;
  checkCap(cap);
  const keep = samplePerClass(allLabels, cap, options.seed ?? 0);
  const pixels = new Uint8Array(keep.length * 3072);
  keep.forEach((src, i) => pixels.set(allPixels.subarray(src * 3072, (src + 1) * 3072), i * 3072));
  const labels = Int32Array.from(keep, (i) => allLabels[i]);
  const name = chosen.length === 1 ? baseName(chosen[0].path) : 'CIFAR-10 batches';
  return finishDataset({ n: keep.length, height: 32, width: 32, channels: 3, pixels, labels, classNames, errors, name }, name, options);
}
