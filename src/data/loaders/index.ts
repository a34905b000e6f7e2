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
import type { LoadError } from './assemble';
import { extensionOf, isClutter, readBytes, type LoaderFile, type LoadOptions } from './types';

export type { LoaderFile, LoadOptions, LoadProgress, ImageDecoder, DecodedImage } from './types';
export { DatasetLoadError } from './assemble';
export { loadCifar, parseCifarRecords } from './cifar';
export { loadClassFolders } from './classFolders';
export { loadCsvLabelled } from './csvLabels';
export { loadIdxPairs } from './idxPairs';

export type DatasetFormat = 'idx' | 'cifar' | 'csv' | 'folders';

/** Entries in a zip's central directory (from its end record), or 0 when it cannot tell (zip64, no end record). */
function zipEntryCount(bytes: Uint8Array): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) {
      const n = bytes[i + 10] | (bytes[i + 11] << 8);
      return n === 0xffff ? 0 : n;
    }
  }
  return 0;
}

/** Why a zip entry's name is refused (it would point outside the zip's folder), or null when it is safe. */
export function unsafeEntryName(name: string): string | null {
  const path = name.replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'refused: an absolute path inside the zip';
  if (path.split('/').includes('..')) return 'refused: the path leaves the zip\'s folder (../)';
  return null;
}

/**
 * Unpack every .zip among the files (one level); a corrupt zip is an error naming it, and entries whose path is
 * absolute or climbs out with ../ are listed in `errors` as refused.
 */
export async function expandZips(
  files: LoaderFile[],
  onProgress?: LoadOptions['onProgress'],
): Promise<{ files: LoaderFile[]; errors: LoadError[] }> {
  const out: LoaderFile[] = [];
  const errors: LoadError[] = [];
  for (const f of files) {
    if (extensionOf(f.path) !== 'zip' || isClutter(f.path)) {
      out.push(f);
      continue;
    }
    const bytes = await readBytes(f);
    const prefix = f.path.replace(/\.zip$/i, '');
    const total = zipEntryCount(bytes);
    let seen = 0;
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, {
        filter: (entry) => {
          seen++;
          if (onProgress && seen % 256 === 0) onProgress({ phase: 'unzipping', done: seen, total: Math.max(total, seen) });
          const why = unsafeEntryName(entry.name);
          if (why) errors.push({ file: `${f.path}: ${entry.name}`, reason: why });
          return why === null && !entry.name.endsWith('/');
        },
      });
    } catch (err) {
      throw new Error(`${f.path}: not a readable zip file (${err instanceof Error ? err.message : String(err)})`);
    }
    onProgress?.({ phase: 'unzipping', done: seen, total: seen });
    for (const [name, data] of Object.entries(entries)) out.push({ path: `${prefix}/${name.replace(/\\/g, '/')}`, bytes: data });
  }
  return { files: out, errors };
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
  const { files: expanded, errors } = await expandZips(files, options.onProgress);
  switch (detectFormat(expanded)) {
    case 'idx':
      return loadIdxPairs(expanded, options, errors);
    case 'cifar':
      return loadCifar(expanded, options, errors);
    case 'csv':
      return loadCsvLabelled(expanded, options, errors);
    case 'folders':
      return loadClassFolders(expanded, options, errors);
  }
}
