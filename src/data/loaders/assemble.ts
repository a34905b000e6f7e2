/** Turning decoded, labelled images into one ImageDataset of a single size and channel count. */
import type { ImageDataset } from '../../types';
import { userDatasetId } from '../fingerprint';
import { isGray, resizeBilinear, toChannels } from './imageOps';
import type { DecodedImage, LoadOptions } from './types';

export type LoadError = ImageDataset['errors'][number];

/** Numeric-aware name order ('2' before '10', 'class2' before 'class10'). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Refuse datasets that cannot be studied: no images, or images of a single class. */
export function checkUsable(labels: Int32Array, classNames: string[], errors: LoadError[], what: string): void {
  if (labels.length === 0) {
    const why = errors.length ? `; ${errors.length} file(s) failed, first: ${errors[0].file}: ${errors[0].reason}` : '';
    throw new Error(`${what}: no usable images found${why}`);
  }
  const present = new Set(labels);
  if (present.size < 2) {
    const only = classNames[labels[0]] ?? String(labels[0]);
    throw new Error(`${what}: all ${labels.length} images belong to one class ("${only}"); at least 2 classes are needed`);
  }
}

/** Finish a dataset: fingerprint id, usability checks. */
export function finishDataset(
  parts: Omit<ImageDataset, 'id' | 'name'> & { name?: string },
  what: string,
  options: LoadOptions,
): ImageDataset {
  checkUsable(parts.labels, parts.classNames, parts.errors, what);
  const ds = { ...parts, id: '', name: options.name ?? parts.name ?? what };
  ds.id = userDatasetId(ds);
  return ds;
}

/** Decoded images (in final order) → one pixel buffer of the target size and channels. */
export function assembleImages(
  images: DecodedImage[],
  labels: Int32Array,
  classNames: string[],
  errors: LoadError[],
  what: string,
  options: LoadOptions,
): ImageDataset {
  if (images.length === 0) checkUsable(labels, classNames, errors, what);
  const [h, w] = options.size ?? [images[0].height, images[0].width];
  if (!(Number.isInteger(h) && Number.isInteger(w) && h >= 1 && w >= 1 && h <= 4096 && w <= 4096)) {
    throw new Error(`size must be two integers in [1, 4096] (got [${h}, ${w}])`);
  }
  const channels: 1 | 3 = options.channels ?? (images.every(isGray) ? 1 : 3);
  const per = h * w * channels;
  const pixels = new Uint8Array(images.length * per);
  images.forEach((img, i) => {
    const converted = toChannels(img, channels);
    pixels.set(resizeBilinear(converted, img.height, img.width, channels, h, w), i * per);
  });
  return finishDataset({ n: images.length, height: h, width: w, channels, pixels, labels, classNames, errors }, what, options);
}
