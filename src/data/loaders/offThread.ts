/**
 * The page's one entry point for users' datasets: the files go to a worker (workers/dataset.worker.ts) that
 * unzips, decodes and resizes them, so a 20 000-image zip never blocks the page. A new load cancels the one
 * still running (its worker is ended). Throws DatasetLoadError (with every failed file) when nothing loads.
 */
import * as Comlink from 'comlink';
import type { ImageDataset } from '../../types';
import { DatasetLoadError, type LoadError } from './assemble';
import type { LoaderFile, LoadOptions, LoadProgress } from './types';
import type { DatasetApi } from '../../../workers/dataset.worker';

/** What can cross to the worker (the decoder is the worker's own). */
export type WorkerLoadOptions = Omit<LoadOptions, 'decoder' | 'onProgress'>;

export type WorkerLoadResult = { ok: true; dataset: ImageDataset } | { ok: false; message: string; errors: LoadError[] };

let current: { worker: Worker; remote: Comlink.Remote<DatasetApi> } | null = null;
/** Rejects the load in flight, if any. */
let supersede: ((err: Error) => void) | null = null;

/** Thrown to a load that a newer one replaced; callers ignore it. */
export class SupersededLoad extends Error {}

function worker(): Comlink.Remote<DatasetApi> {
  if (supersede && current) {
    current.worker.terminate(); // the previous drop is superseded
    current = null;
    supersede(new SupersededLoad('a newer drop replaced this one'));
  }
  if (!current) {
    const w = new Worker(new URL('../../../workers/dataset.worker.ts', import.meta.url), { type: 'module' });
    current = { worker: w, remote: Comlink.wrap<DatasetApi>(w) };
  }
  return current.remote;
}

export async function loadDatasetOffThread(
  files: LoaderFile[],
  options: WorkerLoadOptions,
  onProgress?: (p: LoadProgress) => void,
): Promise<ImageDataset> {
  if (files.length === 0) throw new Error('no files were given');
  const remote = worker();
  let mine: ((err: Error) => void) | null = null;
  const cancelled = new Promise<never>((_, reject) => (mine = supersede = reject));
  try {
    // Only what a worker can receive: paths with their File (or bytes); the File is read in the worker.
    const plain = files.map((f) => ({ path: f.path, bytes: f.bytes, file: f.file instanceof Blob ? f.file : undefined }));
    const result = await Promise.race([remote.load(plain, options, onProgress ? Comlink.proxy(onProgress) : undefined), cancelled]);
    if (!result.ok) throw new DatasetLoadError(result.message, result.errors);
    return result.dataset;
  } finally {
    if (supersede === mine) supersede = null;
  }
}
