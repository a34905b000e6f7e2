/**
 * Users' datasets are read here, off the main thread: zips unpacked (fflate), images decoded (createImageBitmap +
 * OffscreenCanvas) and resized, progress streamed back. The pixels are transferred, not copied.
 */
import * as Comlink from 'comlink';
import { loadUserDataset, type LoaderFile, type LoadProgress } from '../src/data/loaders/index';
import { DatasetLoadError } from '../src/data/loaders/assemble';
import { fastBrowserDecoder } from '../src/data/loaders/browserDecoder';
import type { ImageDataset } from '../src/types';
import type { WorkerLoadOptions, WorkerLoadResult } from '../src/data/loaders/offThread';

export interface DatasetApi {
  load(files: LoaderFile[], options: WorkerLoadOptions, onProgress?: (p: LoadProgress) => void): Promise<WorkerLoadResult>;
}

const api: DatasetApi = {
  async load(files, options, onProgress) {
    let last = 0;
    const progress = (p: LoadProgress) => {
      // A message every 50 ms at most: 20 000 images must not mean 20 000 renders.
      const now = performance.now();
      if (onProgress && (now - last > 50 || p.done === p.total)) {
        last = now;
        onProgress(p);
      }
    };
    try {
      const ds: ImageDataset = await loadUserDataset(files, { ...options, decoder: fastBrowserDecoder, onProgress: progress });
      return Comlink.transfer({ ok: true as const, dataset: ds }, [ds.pixels.buffer as ArrayBuffer]);
    } catch (err) {
      // Comlink would keep only the message of a thrown error: send the failed files with it.
      return { ok: false as const, message: err instanceof Error ? err.message : String(err), errors: err instanceof DatasetLoadError ? err.errors : [] };
    }
  },
};

Comlink.expose(api);
