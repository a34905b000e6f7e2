/**
 * `convtopo evaluate --model DIR --dataset PATH`: top-1 accuracy of a TF.js model on an image dataset.
 * DATASET is a bundled dataset directory (with dataset.json) or a directory holding IDX files
 * (t10k-* preferred, as in /usr/share/datasets/fashion-mnist).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { datasetFromIdx, loadBundledDataset } from '../../data/bundled';
import type { ImageDataset } from '../../types';
import { evaluateAccuracy } from '../../model/loadModel';
import { loadModelNode, nodeReadFile, useNodeBackend } from '../../model/loadModelNode';

const NAME = 'evaluate';

/** Find the IDX image/label pair in a directory: t10k-* first, then a single unambiguous pair. */
export function findIdxPair(dir: string): { images: string; labels: string } {
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  const pick = (kind: 'images-idx3' | 'labels-idx1'): string => {
    const all = files.filter((f) => f.includes(kind));
    const test = all.filter((f) => f.startsWith('t10k-'));
    const choice = test.length > 0 ? test : all;
    if (choice.length === 0) throw new InputError(`${NAME}: no *${kind}* file in ${dir}`);
    // Prefer the gzipped copy when both forms are present; otherwise the choice must be unique.
    const gz = choice.filter((f) => f.endsWith('.gz'));
    const unique = choice.length === 1 ? choice : gz.length === 1 ? gz : [];
    if (unique.length !== 1) throw new InputError(`${NAME}: several *${kind}* files in ${dir}: ${choice.join(', ')}`);
    return join(dir, unique[0]);
  };
  return { images: pick('images-idx3'), labels: pick('labels-idx1') };
}

/** Load a bundled dataset directory or a directory of IDX files. */
export async function loadDatasetDir(path: string): Promise<ImageDataset> {
  if (!existsSync(path)) throw new InputError(`${NAME}: --dataset ${path} does not exist`);
  if (!statSync(path).isDirectory()) throw new InputError(`${NAME}: --dataset ${path} is not a directory`);
  try {
    if (existsSync(join(path, 'dataset.json'))) return await loadBundledDataset(path, nodeReadFile);
    const pair = findIdxPair(path);
    const [imgs, labels] = await Promise.all([nodeReadFile(pair.images), nodeReadFile(pair.labels)]);
    return datasetFromIdx(imgs, labels, { id: `dir:${path}`, name: path, imagesFile: pair.images, labelsFile: pair.labels });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${NAME}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export const evaluateCommand: Command = {
  name: NAME,
  summary: 'top-1 accuracy of a TF.js model on a bundled dataset or a directory of IDX files',
  options: {
    model: { type: 'string', description: 'model directory (model.json, weight shards, card.json)' },
    dataset: { type: 'string', description: 'bundled dataset directory or directory of IDX files (t10k-* preferred)' },
    batch: { type: 'string', description: 'images per forward pass, integer 1–10000', default: '100' },
    limit: { type: 'string', description: 'evaluate only the first N images, integer ≥ 1' },
    backend: { type: 'string', description: 'TF.js backend: wasm or cpu', default: 'wasm' },
    json: { type: 'flag', description: 'print {"accuracy","correct","n","seconds"} as JSON instead of the bare accuracy' },
  },
  async run(opts, io) {
    const modelDir = requireString(opts, 'model', NAME);
    const datasetPath = requireString(opts, 'dataset', NAME);
    const batch = numberOption(opts, 'batch', NAME, { min: 1, max: 10000, integer: true, text: 'an integer from 1 to 10000' })!;
    const limit = numberOption(opts, 'limit', NAME, { min: 1, integer: true, text: 'an integer ≥ 1' });
    const backend = opts.backend;
    if (backend !== 'wasm' && backend !== 'cpu') {
      throw new UsageError(`${NAME}: --backend must be wasm or cpu (got "${String(backend)}")`);
    }
    if (!existsSync(join(modelDir, 'model.json'))) {
      throw new InputError(`${NAME}: --model ${modelDir} has no model.json`);
    }
    const dataset = await loadDatasetDir(datasetPath);
    const t0 = performance.now();
    await useNodeBackend(backend);
    let loaded;
    try {
      loaded = await loadModelNode(modelDir);
    } catch (err) {
      throw new InputError(`${NAME}: cannot load model from ${modelDir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const { model, card } = loaded;
    let result;
    try {
      result = await evaluateAccuracy(model, dataset, card.normalization, { batch, limit });
    } catch (err) {
      if (err instanceof Error && /model expects/.test(err.message)) throw new InputError(`${NAME}: ${err.message}`);
      throw err;
    } finally {
      model.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (opts.json) {
      io.stdout(JSON.stringify({ accuracy: result.accuracy, correct: result.correct, n: result.n, seconds }) + '\n');
    } else {
      io.stdout(`${result.accuracy.toFixed(4)}\n`);
    }
    return 0;
  },
};
