/**
 * `convtopo activations --model DIR --dataset PATH --layer K|all --cloud METHOD --out FILE.npy`:
 * point clouds of a model's layers, written as float32 .npy (n × d) plus the image labels.
 *
 * Output files: with one layer, FILE.npy; with --layer all (or a list), FILE-01.npy, FILE-02.npy, … numbered by layer
 * index. Always FILE.labels.txt: one class index per line for the n images (for the channel cloud, whose points are
 * channels, these label the coordinates), and FILE.classes.txt: the class names, one per line.
 * MODEL: a directory with model.json and its shards (layers or graph model); its card.json, if any, gives the
 * normalisation. DATASET: a bundled dataset directory (dataset.json), an IDX directory, a folder of class folders,
 * a .zip of one, a folder with a CSV `file,label`, or a CIFAR-10 binary directory. Runs on the wasm backend.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { loadBundledDataset } from '../../data/bundled';
import { loadUserDataset } from '../../data/loaders/index';
import { filesFromDisk } from '../../data/loaders/nodeFiles';
import { pngDecoder } from '../../data/loaders/pngNode';
import { writeNpy } from '../../io/npy';
import { computeLayerClouds, type Normalization } from '../../model/activations';
import { selectLayers } from '../../model/layers';
import { nodeReadFile, useNodeBackend } from '../../model/loadModelNode';
import { cloudMethodLabel, parseCloudMethod } from '../../model/pointClouds';
import { loadUserModel, type ModelFile } from '../../model/userModel';
import type { ImageDataset } from '../../types';

const NAME = 'activations';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A dataset from any supported path (see the header). */
export async function loadAnyDataset(path: string, options: { perClassCap: number; seed: number }): Promise<ImageDataset> {
  if (!existsSync(path)) throw new InputError(`${NAME}: --dataset ${path} does not exist`);
  try {
    if (statSync(path).isDirectory() && existsSync(join(path, 'dataset.json'))) return await loadBundledDataset(path, nodeReadFile);
    return await loadUserDataset(await filesFromDisk(path), { decoder: pngDecoder, perClassCap: options.perClassCap, seed: options.seed });
  } catch (err) {
    throw new InputError(`${NAME}: --dataset ${path}: ${message(err)}`);
  }
}

/** Read model.json, its shards and card.json (optional) from a directory. */
async function loadModelDir(dir: string) {
  if (!existsSync(join(dir, 'model.json'))) throw new InputError(`${NAME}: --model ${dir} has no model.json`);
  const names = (await readdir(dir)).filter((f) => f === 'model.json' || f.endsWith('.bin'));
  const files: ModelFile[] = [];
  for (const name of names) files.push({ name, bytes: new Uint8Array(await readFile(join(dir, name))) });
  let normalization: Normalization | undefined;
  if (existsSync(join(dir, 'card.json'))) {
    try {
      const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')) as { normalization?: Normalization };
      normalization = card.normalization;
    } catch (err) {
      throw new InputError(`${NAME}: ${join(dir, 'card.json')} is not valid JSON (${message(err)})`);
    }
  }
  try {
    return { model: await loadUserModel(files), normalization };
  } catch (err) {
    throw new InputError(`${NAME}: --model ${dir}: ${message(err)}`);
  }
}

function parseLayerOption(text: string): 'all' | (number | string)[] {
  if (text === 'all') return 'all';
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export const activationsCommand: Command = {
  name: NAME,
  summary: "point clouds of a model's layers (top-L2, random, GAP, channel, PCA) as .npy",
  options: {
    model: { type: 'string', description: 'model directory: model.json + weight shards (+ card.json for normalisation)' },
    dataset: { type: 'string', description: 'bundled dataset dir, IDX dir, class-folder dir, .zip, CSV folder or CIFAR-10 dir' },
    layer: { type: 'string', description: 'layer index (1-based), name, comma list, or all', default: 'all' },
    cloud: { type: 'string', description: 'top-l2 | random | gap | channel | pca:D', default: 'top-l2' },
    seed: { type: 'string', description: 'seed for random positions and per-class sampling, integer ≥ 0', default: '0' },
    limit: { type: 'string', description: 'use only the first N images, integer ≥ 1' },
    'per-class': { type: 'string', description: "users' datasets: at most N images per class (integer ≥ 1 or all)", default: '100' },
    batch: { type: 'string', description: 'images per forward pass, integer 1–4096', default: '64' },
    mean: { type: 'string', description: 'normalisation mean of pixel/255 (overrides card.json; default 0)' },
    std: { type: 'string', description: 'normalisation std of pixel/255 (overrides card.json; default 1), > 0' },
    backend: { type: 'string', description: 'TF.js backend: wasm or cpu', default: 'wasm' },
    out: { type: 'string', description: 'output FILE.npy (several layers: FILE-01.npy, FILE-02.npy, …)' },
  },
  async run(opts, io) {
    const modelDir = requireString(opts, 'model', NAME);
    const datasetPath = requireString(opts, 'dataset', NAME);
    const out = requireString(opts, 'out', NAME);
    if (!out.endsWith('.npy')) throw new UsageError(`${NAME}: --out must end with .npy (got "${out}")`);
    const seed = numberOption(opts, 'seed', NAME, { min: 0, integer: true, text: 'an integer ≥ 0' })!;
    const limit = numberOption(opts, 'limit', NAME, { min: 1, integer: true, text: 'an integer ≥ 1' });
    const batchSize = numberOption(opts, 'batch', NAME, { min: 1, max: 4096, integer: true, text: 'an integer from 1 to 4096' })!;
    const perClassCap =
      opts['per-class'] === 'all'
        ? Infinity
        : numberOption(opts, 'per-class', NAME, { min: 1, integer: true, text: 'an integer ≥ 1 or all' })!;
    const mean = numberOption(opts, 'mean', NAME, { text: 'a number' });
    const std = numberOption(opts, 'std', NAME, { min: 0, minExclusive: true, text: 'a number > 0' });
    let cloud;
    try {
      cloud = parseCloudMethod(String(opts.cloud), seed);
    } catch (err) {
      throw new UsageError(`${NAME}: --${message(err)}`);
    }
    const backend = opts.backend;
    if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`${NAME}: --backend must be wasm or cpu (got "${String(backend)}")`);

    let dataset = await loadAnyDataset(datasetPath, { perClassCap, seed });
    if (limit !== undefined && limit < dataset.n) {
      const per = dataset.height * dataset.width * dataset.channels;
      dataset = { ...dataset, n: limit, pixels: dataset.pixels.subarray(0, limit * per), labels: dataset.labels.subarray(0, limit) };
    }
    if (cloud.kind === 'pca' && cloud.dims > dataset.n) {
      throw new UsageError(`${NAME}: --cloud pca:${cloud.dims} needs D ≤ the number of images (${dataset.n})`);
    }
    await useNodeBackend(backend);
    const { model, normalization: cardNorm } = await loadModelDir(modelDir);
    try {
      let layers;
      try {
        layers = selectLayers(model.layers, parseLayerOption(String(opts.layer)));
      } catch (err) {
        throw new UsageError(`${NAME}: --${message(err)}`);
      }
      const normalization: Normalization = { mean: mean ?? cardNorm?.mean ?? 0, std: std ?? cardNorm?.std ?? 1 };
      const t0 = performance.now();
      const clouds = await computeLayerClouds(model.source, dataset, layers, { cloud, batchSize, normalization });
      const seconds = (performance.now() - t0) / 1000;
      const stem = out.slice(0, -'.npy'.length);
      await mkdir(dirname(out) || '.', { recursive: true });
      const width = Math.max(2, String(model.layers.length).length);
      for (const c of clouds) {
        const file = clouds.length === 1 && opts.layer !== 'all' ? out : `${stem}-${String(c.layer.index).padStart(width, '0')}.npy`;
        await writeFile(file, writeNpy(c.cloud.data, [c.cloud.n, c.cloud.d]));
        io.stdout(`${file}\t${c.layer.name}\t${c.cloud.n}×${c.cloud.d}\n`);
      }
      await writeFile(`${stem}.labels.txt`, Array.from(dataset.labels, String).join('\n') + '\n');
      await writeFile(`${stem}.classes.txt`, dataset.classNames.join('\n') + '\n');
      io.stdout(`${stem}.labels.txt\t${dataset.n} labels\n`);
      io.stderr(
        `${NAME}: ${clouds.length} layer(s), ${dataset.n} images, ${cloudMethodLabel(cloud)} on ${backend}, ${seconds.toFixed(2)} s` +
          (dataset.errors.length ? `; ${dataset.errors.length} file(s) skipped (first: ${dataset.errors[0].file}: ${dataset.errors[0].reason})` : '') +
          '\n',
      );
    } finally {
      model.dispose();
    }
    return 0;
  },
};
