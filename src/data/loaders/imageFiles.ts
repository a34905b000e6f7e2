/**
 * Labelled image files (from class folders or a CSV) → ImageDataset: per-class seeded sampling up to the cap,
 * decoding only the sampled files; a file that fails to decode is listed in `errors` and the next candidate of
 * its class takes its place.
 */
import type { ImageDataset } from '../../types';
import { assembleImages, naturalCompare, type LoadError } from './assemble';
import { checkCap, seededPermutation } from './imageOps';
import { extensionOf, IMAGE_EXTENSIONS, readBytes, type DecodedImage, type LoaderFile, type LoadOptions } from './types';

export interface LabelledFile {
  file: LoaderFile;
  className: string;
}

export async function loadLabelledImages(
  items: LabelledFile[],
  errors: LoadError[],
  what: string,
  options: LoadOptions,
): Promise<ImageDataset> {
  const cap = options.perClassCap ?? 100;
  checkCap(cap);
  const decoder = options.decoder;
  if (!decoder) throw new Error(`${what}: no image decoder was given (decoder option)`);
  const classNames = [...new Set(items.map((it) => it.className))].sort(naturalCompare);
  const seed = options.seed ?? 0;
  const kept: { path: string; label: number; image: DecodedImage }[] = [];
  for (let label = 0; label < classNames.length; label++) {
    const candidates = items.filter((it) => it.className === classNames[label]).sort((a, b) => naturalCompare(a.file.path, b.file.path));
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
        kept.push({ path: file.path, label, image });
        got++;
      } catch (err) {
        errors.push({ file: file.path, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  kept.sort((a, b) => a.label - b.label || naturalCompare(a.path, b.path));
  return assembleImages(
    kept.map((k) => k.image),
    Int32Array.from(kept, (k) => k.label),
    classNames,
    errors,
    what,
    options,
  );
}
