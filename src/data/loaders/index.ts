/**
 * Users' datasets: one entry point from a list of files (dropped, picked or read from disk) to an ImageDataset.
 * Formats, recognised by their files:
 *   - a .zip of any of the below (unpacked with fflate; paths keep the zip name as their first folder);
 *   - MNIST / Fashion-MNIST IDX pairs (*-images-idx3-ubyte[.gz] + *-labels-idx1-ubyte[.gz]);
 *   - CIFAR-10 binary batches (*batch*.bin, optional batches.meta.txt);
 *   - loose images + one CSV `file,label`;
 *   - otherwise a folder with one sub-folder per class.
 * The page and the CLI share this; only the image decoder differs (browserDecoder.ts / pngNode.ts).
 */
import { unzipSync } from 'fflate';
import type { ImageDataset } from '../../types';
import { loadCifar, looksLikeCifar } from './cifar';
import { loadClassFolders } from './classFolders';
import { loadCsvLabelled } from './csvLabels';
import { loadIdxPairs, looksLikeIdx } from './idxPairs';
import { extensionOf, isClutter, readBytes, type LoaderFile, type LoadOptions } from './types';

export type { LoaderFile, LoadOptions, ImageDecoder, DecodedImage } from './types';
export { loadCifar, parseCifarRecords } from './cifar';
export { loadClassFolders } from './classFolders';
export { loadCsvLabelled } from './csvLabels';
export { loadIdxPairs } from './idxPairs';

export type DatasetFormat = 'idx' | 'cifar' | 'csv' | 'folders';

/** Unpack every .zip among the files (one level); a corrupt zip is an error naming it. */
export async function expandZips(files: LoaderFile[]): Promise<LoaderFile[]> {
  const out: LoaderFile[] = [];
  for (const f of files) {
    if (extensionOf(f.path) !== 'zip' || isClutter(f.path)) {
      out.push(f);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(await readBytes(f));
    } catch (err) {
      throw new Error(`${f.path}: not a readable zip file (${err instanceof Error ? err.message : String(err)})`);
    }
    const prefix = f.path.replace(/\.zip$/i, '');
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.endsWith('/')) continue; // directory entry
      out.push({ path: `${prefix}/${name}`, bytes });
    }
  }
  return out;
}

/** Which loader the files call for. */
export function detectFormat(files: LoaderFile[]): DatasetFormat {
  const useful = files.filter((f) => !isClutter(f.path));
  if (useful.some((f) => looksLikeIdx(f.path))) return 'idx';
  if (looksLikeCifar(useful)) return 'cifar';
  if (useful.some((f) => extensionOf(f.path) === 'csv')) return 'csv';
  return 'folders';
}

/** Load a user's dataset from its files; throws with a clear message when nothing usable is found. */
export async function loadUserDataset(files: LoaderFile[], options: LoadOptions = {}): Promise<ImageDataset> {
  if (files.length === 0) throw new Error('no files were given');
  const expanded = await expandZips(files);
  switch (detectFormat(expanded)) {
    case 'idx':
      return loadIdxPairs(expanded, options);
    case 'cifar':
      return loadCifar(expanded, options);
    case 'csv':
      return loadCsvLabelled(expanded, options);
    case 'folders':
      return loadClassFolders(expanded, options);
  }
}
