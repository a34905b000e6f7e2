/**
 * The one dataset loader of every CLI command: whatever the page reads, read from a path on disk.
 * - a bundled dataset directory (dataset.json + gzipped IDX, public/datasets/NAME);
 * - a folder of class folders, a .zip of one, images + a `file,label` CSV, IDX pairs (t10k-* preferred when the
 *   folder also holds the training pair, as /usr/share/datasets/fashion-mnist does), CIFAR-10 binary batches;
 * - `-`: a .zip on standard input.
 * Every problem is an InputError naming the option and the path (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../args';
import { checkInputPath, fileErrorMessage } from '../files';
import type { ImageDataset } from '../../types';

export interface DatasetOptions {
  /** The option that named the path, for messages (default "dataset"). */
  option?: string;
  /** Users' datasets: at most this many images per class, drawn with `seed` (Infinity = all). */
  perClassCap: number;
  seed: number;
  /** Keep only the first N images. */
  limit?: number;
  /** Standard input, for `-`. */
  stdin?: () => Uint8Array;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function loadDataset(path: string, options: DatasetOptions): Promise<ImageDataset> {
  const option = options.option ?? 'dataset';
  const label = `--${option} ${path}`;
  let dataset: ImageDataset;
  try {
    dataset = await readDataset(path, options, label);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const msg = fileErrorMessage(err) ?? (err instanceof Error ? err.message : String(err));
    throw new InputError(`${label}: ${msg.split('\n')[0]}`);
  }
  if (options.limit !== undefined && options.limit < dataset.n) {
    const per = dataset.height * dataset.width * dataset.channels;
    const n = options.limit;
    dataset = { ...dataset, n, pixels: dataset.pixels.subarray(0, n * per), labels: dataset.labels.subarray(0, n) };
  }
  return dataset;
}

async function readDataset(path: string, options: DatasetOptions, label: string): Promise<ImageDataset> {
  // The loaders are imported here so that commands which never read images do not load them.
  const [{ loadBundledDataset }, { loadUserDataset }, { filesFromDisk }, { pngDecoder }, { nodeReadFile }] = await Promise.all([
    import('../../data/bundled'),
    import('../../data/loaders/index'),
    import('../../data/loaders/nodeFiles'),
    import('../../data/loaders/pngNode'),
    import('./nodeRead'),
  ]);
  const loadOptions = { decoder: pngDecoder, perClassCap: options.perClassCap, seed: options.seed };
  if (path === '-') {
    const bytes = options.stdin ? options.stdin() : new Uint8Array(readFileSync(0));
    if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
      throw new InputError(`${label}: standard input is not a .zip file (a dataset on stdin must be a zip)`);
    }
    return loadUserDataset([{ path: 'stdin.zip', bytes }], loadOptions);
  }
  const kind = checkInputPath(path, options.option ?? 'dataset');
  if (kind === 'directory' && existsSync(join(path, 'dataset.json'))) return loadBundledDataset(path, nodeReadFile);
  return loadUserDataset(await filesFromDisk(path), loadOptions);
}
