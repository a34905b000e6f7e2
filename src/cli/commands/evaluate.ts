/**
 * `convtopo evaluate --model PATH --dataset PATH`: top-1 accuracy of a model on an image dataset. The model and the
 * dataset are read by the CLI's one loaders (src/cli/load/), so every format the page reads is accepted; a user's
 * dataset is used whole unless --per-class caps it.
 */
import type { Command } from '../command';
import { InputError, numberOption, requireString } from '../args';
import { LIMITS } from '../limits';
import { loadDataset } from '../load/dataset';
import { backendOption, modelDatasetOptions, normalizationOptions, perClassOption } from '../load/options';

const NAME = 'evaluate';

export const evaluateCommand: Command = {
  name: NAME,
  summary: 'top-1 accuracy of a model on an image dataset',
  options: {
    ...modelDatasetOptions('all'),
    batch: { type: 'string', description: 'images per forward pass, integer 1–10000', default: '100' },
    limit: { type: 'string', description: 'evaluate only the first N images, integer ≥ 1' },
    seed: { type: 'string', description: 'seed of the per-class sampling, integer ≥ 0', default: '0' },
    mean: { type: 'string', description: 'normalisation mean of pixel/255, one or one per channel (overrides card.json / NAME.preprocess.json; default 0)' },
    std: { type: 'string', description: 'normalisation std of pixel/255, one or one per channel, > 0 (overrides card.json / NAME.preprocess.json; default 1)' },
    json: { type: 'flag', description: 'print {"accuracy","correct","n","seconds"} as JSON instead of the bare accuracy' },
  },
  async run(opts, io) {
    const modelPath = requireString(opts, 'model', NAME);
    const datasetPath = requireString(opts, 'dataset', NAME);
    const batch = numberOption(opts, 'batch', NAME, { min: 1, max: 10000, integer: true, text: 'an integer from 1 to 10000' })!;
    const limit = numberOption(opts, 'limit', NAME, { min: 1, max: LIMITS.images, integer: true, text: `an integer from 1 to ${LIMITS.images}` });
    const seed = numberOption(opts, 'seed', NAME, { min: 0, max: 2 ** 32 - 1, integer: true, text: 'an integer from 0 to 4294967295' })!;
    const { mean, std } = normalizationOptions(opts, NAME);
    const perClassCap = perClassOption(opts, NAME);
    const backend = backendOption(opts, NAME);
    const t0 = performance.now();
    const dataset = await loadDataset(datasetPath, { perClassCap, seed, limit, stdin: io.stdin });
    const { loadModel } = await import('../load/model');
    const model = await loadModel(modelPath, { backend, inputSize: [dataset.height, dataset.width] });
    const { evaluateAccuracy } = await import('../../model/loadModel');
    let result;
    try {
      const normalization = { mean: mean ?? model.normalization?.mean ?? 0, std: std ?? model.normalization?.std ?? 1 };
      if (model.predict) {
        // A model with its own runtime (ONNX): top-1 from its logits output.
        const predictions = await model.predict(dataset, normalization, batch);
        let correct = 0;
        for (let i = 0; i < dataset.n; i++) if (predictions[i] === dataset.labels[i]) correct++;
        result = { n: dataset.n, correct, accuracy: correct / dataset.n, predictions };
      } else {
        if (!model.classifier) throw new InputError(`${NAME}: --model ${modelPath} (${model.format}) cannot classify images`);
        if (typeof normalization.mean !== 'number' || typeof normalization.std !== 'number') {
          throw new InputError(`${NAME}: per-channel normalisation is not supported by evaluate for TF.js models; give one --mean and one --std`);
        }
        result = await evaluateAccuracy(model.classifier as Parameters<typeof evaluateAccuracy>[0], dataset, normalization as { mean: number; std: number }, { batch });
      }
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
