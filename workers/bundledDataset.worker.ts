/**
 * A bundled dataset (dataset.json + gzipped IDX files) fetched, inflated, parsed and fingerprinted off the main
 * thread: for the 10 000-image set that is ~8 MB of pixels to inflate and hash, a task of a second or more on the
 * page's thread. The pixels and labels come back transferred, not copied.
 */
import * as Comlink from 'comlink';
import { fetchReadFile, loadBundledDataset } from '../src/data/bundled';
import { datasetFingerprint } from '../src/data/fingerprint';
import type { ImageDataset } from '../src/types';

export interface BundledDatasetApi {
  /** `dirUrl` absolute (a worker would resolve a relative URL against its own script, not the page). */
  load(dirUrl: string): Promise<{ dataset: ImageDataset; fingerprint: string }>;
}

const api: BundledDatasetApi = {
  async load(dirUrl) {
    const dataset = await loadBundledDataset(dirUrl, fetchReadFile());
    const fingerprint = datasetFingerprint(dataset);
    return Comlink.transfer({ dataset, fingerprint }, [dataset.pixels.buffer as ArrayBuffer, dataset.labels.buffer as ArrayBuffer]);
  },
};

Comlink.expose(api);
