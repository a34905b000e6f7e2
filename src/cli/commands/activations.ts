/**
 * `convtopo activations --model DIR --dataset PATH --layer K|all --cloud METHOD --out FILE.npy`:
 * point clouds of a model's layers, written as float32 .npy (n × d) plus the image labels.
 *
 * Output files: with one layer, FILE.npy; with --layer all (or a list), FILE-01.npy, FILE-02.npy, … numbered by layer
 * index. Always FILE.labels.txt: one class index per line for the n images (for the channel cloud, whose points are
 * channels, these label the coordinates), and FILE.classes.txt: the class names, one per line.
 * MODEL and DATASET are read by the CLI's one model and dataset loaders (src/cli/load/): every format the page reads.
 * A model that takes any image size is measured at the dataset's size, as in the page.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { checkOutputFile, rethrowFileError } from '../files';
import { loadDataset } from '../load/dataset';
import { modelDatasetOptions, modelDatasetRequest, runNormalization } from '../load/options';
import { CLOUD_METHODS } from '../../model/cloudMethods';

const NAME = 'activations';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function parseLayerOption(text: string): 'all' | (number | string)[] {
  if (text === 'all') return 'all';
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export const activationsCommand: Command = {
  name: NAME,
  summary: "point clouds of a model's layers (top-L2, random, GAP, channel, PCA) as .npy",
  options: {
    ...modelDatasetOptions('100', ' and of the random positions'),
    layer: { type: 'string', description: 'layer index (1-based), name, comma list, or all', default: 'all' },
    cloud: { type: 'string', description: CLOUD_METHODS.map((m) => m.spelling).join(' | '), default: CLOUD_METHODS[0].spelling },
    batch: { type: 'string', description: 'images per forward pass, integer 1–4096', default: '64' },
    out: { type: 'string', description: 'output FILE.npy (several layers: FILE-01.npy, FILE-02.npy, …)' },
  },
  async run(opts, io) {
    const req = modelDatasetRequest(opts, NAME);
    const { seed, backend } = req;
    const out = requireString(opts, 'out', NAME);
    if (!out.endsWith('.npy')) throw new UsageError(`${NAME}: --out must end with .npy (got "${out}")`);
    const batchSize = numberOption(opts, 'batch', NAME, { min: 1, max: 4096, integer: true, text: 'an integer from 1 to 4096' })!;
    const stem = out.slice(0, -'.npy'.length);
    // Every output is checked before the computation, which may take minutes.
    for (const f of [out, `${stem}.labels.txt`, `${stem}.classes.txt`]) checkOutputFile(f, 'out');

    const { parseCloudMethod, cloudMethodLabel } = await import('../../model/pointClouds');
    let cloud;
    try {
      cloud = parseCloudMethod(String(opts.cloud), seed);
    } catch (err) {
      throw new UsageError(`${NAME}: --${message(err)}`);
    }
    const dataset = await loadDataset(req.datasetPath, { perClassCap: req.perClassCap, seed, limit: req.limit, stdin: io.stdin });
    if (cloud.kind === 'pca' && cloud.dims > dataset.n) {
      throw new UsageError(`${NAME}: --cloud pca:${cloud.dims} needs D ≤ the number of images (${dataset.n})`);
    }
    const { loadModel } = await import('../load/model');
    const model = await loadModel(req.modelPath, { backend, onnxRuntime: req.onnxRuntime, inputSize: [dataset.height, dataset.width] });
    const [{ selectLayers }, { computeLayerClouds }, { writeNpy }] = await Promise.all([
      import('../../model/layers'),
      import('../../model/activations'),
      import('../../io/npy'),
    ]);
    try {
      let layers;
      try {
        layers = selectLayers(model.layers, parseLayerOption(String(opts.layer)));
      } catch (err) {
        throw new UsageError(`${NAME}: --${message(err)}`);
      }
      const normalization = runNormalization(req, model);
      const t0 = performance.now();
      let clouds;
      try {
        clouds = await computeLayerClouds(model.source, dataset, layers, { cloud, batchSize, normalization });
      } catch (err) {
        // What the model cannot take (an input size, a channel count) is the user's input to fix.
        if (err instanceof RangeError || /expects|channels|shape|size/i.test(message(err))) throw new InputError(`${NAME}: ${message(err)}`);
        throw err;
      }
      const seconds = (performance.now() - t0) / 1000;
      const width = Math.max(2, String(model.layers.length).length);
      const write = (file: string, bytes: Uint8Array | string) => {
        try {
          writeFileSync(file, bytes);
        } catch (err) {
          rethrowFileError(err, 'out', file);
        }
      };
      for (const c of clouds) {
        const file = clouds.length === 1 && opts.layer !== 'all' ? out : `${stem}-${String(c.layer.index).padStart(width, '0')}.npy`;
        write(file, writeNpy(c.cloud.data, [c.cloud.n, c.cloud.d]));
        io.stdout(`${file}\t${c.layer.name}\t${c.cloud.n}×${c.cloud.d}\n`);
      }
      write(`${stem}.labels.txt`, Array.from(dataset.labels, String).join('\n') + '\n');
      write(`${stem}.classes.txt`, dataset.classNames.join('\n') + '\n');
      io.stdout(`${stem}.labels.txt\t${dataset.n} labels\n`);
      const skipped = dataset.errors.length;
      io.stderr(
        `${NAME}: ${clouds.length} layer(s), ${dataset.n} images, ${cloudMethodLabel(cloud)} on ${model.runtime}, ${seconds.toFixed(2)} s` +
          (skipped ? `; ${skipped} file${skipped > 1 ? 's' : ''} skipped (first: ${dataset.errors[0].file}: ${dataset.errors[0].reason})` : '') +
          '\n',
      );
    } finally {
      model.dispose();
    }
    return 0;
  },
};
