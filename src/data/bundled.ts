/**
 * The datasets shipped under public/datasets/NAME/: dataset.json + gzipped IDX images and labels.
 *
 * File access is injected (`readFile(path) → bytes`) so the page uses fetch and Node uses fs with the same code.
 */
import type { ImageDataset } from '../types';
import { readIdxImages, readIdxLabels } from './idx';

/** Reads one file's bytes; rejects when the file is missing. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** The bundled datasets, smallest first. fashion-mnist-1000 is the paper-sized default (N = 1000). */
export const BUNDLED_DATASETS = ['fashion-mnist-1000', 'fashion-mnist-10000'] as const;
export type BundledDatasetId = (typeof BUNDLED_DATASETS)[number];

/** Contents of dataset.json: the dataset's identity and shape as in ImageDataset, plus where its files are. */
export interface BundledDatasetMeta extends Pick<ImageDataset, 'id' | 'name' | 'n' | 'height' | 'width' | 'channels'> {
  /** File names of the IDX images and labels, relative to the dataset directory. */
  images: string;
  labels: string;
  classNames: string[];
  selection?: string;
  /** For subsets: index of each image in the source test set. */
  sourceIndices?: number[];
  license: { name: string; copyright: string; source: string };
  citation?: string;
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

/** A browser ReadFile over HTTP relative to `base` (e.g. import.meta.env.BASE_URL). */
export function fetchReadFile(base = ''): ReadFile {
  return async (path) => {
    const url = base ? joinPath(base, path) : path;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch ${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

/**
 * Combine IDX image and label bytes (gzipped or not) into an ImageDataset, checking that they agree.
 * `classNames` defaults to "0" … "9" style names covering the largest label.
 */
export function datasetFromIdx(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  info: { id: string; name: string; classNames?: string[]; imagesFile?: string; labelsFile?: string },
): ImageDataset {
  const images = readIdxImages(imageBytes, info.imagesFile ?? 'IDX image file');
  const labels = readIdxLabels(labelBytes, info.labelsFile ?? 'IDX label file');
  if (labels.length !== images.n) {
    throw new Error(`${info.name}: ${images.n} images but ${labels.length} labels`);
  }
  let maxLabel = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > maxLabel) maxLabel = labels[i];
  const classNames = info.classNames ?? Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  if (maxLabel >= classNames.length) {
    throw new Error(`${info.name}: label ${maxLabel} is out of range for ${classNames.length} class names`);
  }
  return {
    id: info.id,
    name: info.name,
    n: images.n,
    height: images.height,
    width: images.width,
    channels: 1,
    pixels: images.pixels,
    labels,
    classNames,
    errors: [],
  };
}

/** Load a bundled dataset directory (dataset.json + the two IDX files it names). */
export async function loadBundledDataset(dir: string, readFile: ReadFile): Promise<ImageDataset> {
  const metaPath = joinPath(dir, 'dataset.json');
  let meta: BundledDatasetMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(await readFile(metaPath))) as BundledDatasetMeta;
  } catch (err) {
    if (err instanceof SyntaxError) throw new Error(`${metaPath} is not valid JSON (${err.message})`);
    throw err;
  }
  if (typeof meta.images !== 'string' || typeof meta.labels !== 'string' || !Array.isArray(meta.classNames)) {
    throw new Error(`${metaPath}: needs "images", "labels" (file names) and "classNames" (array)`);
  }
  const imagesPath = joinPath(dir, meta.images);
  const labelsPath = joinPath(dir, meta.labels);
  const [imageBytes, labelBytes] = await Promise.all([readFile(imagesPath), readFile(labelsPath)]);
  const ds = datasetFromIdx(imageBytes, labelBytes, {
    id: meta.id,
    name: meta.name,
    classNames: meta.classNames,
    imagesFile: imagesPath,
    labelsFile: labelsPath,
  });
  if (ds.n !== meta.n || ds.height !== meta.height || ds.width !== meta.width) {
    throw new Error(
      `${metaPath} says ${meta.n}×${meta.height}×${meta.width} but the IDX files hold ${ds.n}×${ds.height}×${ds.width}`,
    );
  }
  return ds;
}
