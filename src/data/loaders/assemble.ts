/** Turning decoded, labelled images into one ImageDataset of a single size and channel count. */
import type { DatasetNote, ImageDataset } from '../../types';
import { userDatasetId } from '../fingerprint';
import { countNearlyConstant, NEARLY_CONSTANT_STD } from './imageOps';
import type { LoadOptions } from './types';

export type LoadError = ImageDataset['errors'][number];

/** A dataset that cannot be loaded; `errors` keeps every file that failed, so the page can list them all. */
export class DatasetLoadError extends Error {
  constructor(message: string, readonly errors: LoadError[]) {
    super(message);
    this.name = 'DatasetLoadError';
  }
}

/** "1 file" / "3 files". */
export function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

/** Numeric-aware name order ('2' before '10', 'class2' before 'class10'). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Refuse datasets that cannot be studied: no images, or images of a single class. */
export function checkUsable(labels: Int32Array, classNames: string[], errors: LoadError[], what: string): void {
  if (labels.length === 0) {
    const why = errors.length ? `; ${files(errors.length)} could not be used, first: ${errors[0].file}: ${errors[0].reason}` : '';
    throw new DatasetLoadError(`${what}: no usable images found${why}`, errors);
  }
  const present = new Set(labels);
  if (present.size < 2) {
    const only = classNames[labels[0]] ?? String(labels[0]);
    throw new DatasetLoadError(`${what}: all ${labels.length} images belong to one class ("${only}"); at least 2 classes are needed`, errors);
  }
}

/** Check an image size [h, w] a dataset is resized to. */
export function checkSize([h, w]: [number, number]): void {
  if (!(Number.isInteger(h) && Number.isInteger(w) && h >= 1 && w >= 1 && h <= 4096 && w <= 4096)) {
    throw new Error(`size must be two integers in [1, 4096] (got [${h}, ${w}])`);
  }
}

/** The warning for a dataset whose images are mostly blank (or one colour), or null. */
export function degenerateNote(pixels: Uint8Array, n: number, per: number): DatasetNote | null {
  const flat = countNearlyConstant(pixels, n, per);
  if (n === 0 || flat * 2 <= n) return null;
  return {
    kind: 'warning',
    text: `${flat} of ${n} images are nearly constant (pixel standard deviation below ${NEARLY_CONSTANT_STD} of 255): the model sees blank squares, so the topology says little about the images`,
  };
}

/** Finish a dataset: usability checks, the degenerate-images warning, fingerprint id. */
export function finishDataset(
  parts: Omit<ImageDataset, 'id' | 'name'> & { name?: string },
  what: string,
  options: LoadOptions,
): ImageDataset {
  checkUsable(parts.labels, parts.classNames, parts.errors, what);
  const notes = [...(parts.notes ?? [])];
  const degenerate = degenerateNote(parts.pixels, parts.n, parts.height * parts.width * parts.channels);
  if (degenerate) notes.push(degenerate);
  const ds: ImageDataset = { ...parts, notes, id: '', name: options.name ?? parts.name ?? what };
  ds.id = userDatasetId(ds);
  return ds;
}
