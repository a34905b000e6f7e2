/**
 * `convtopo evaluate --model PATH --dataset PATH`: top-1 accuracy of a model on an image dataset. The model and the
 * dataset are read by the CLI's one loaders (src/cli/load/), so every format the page reads is accepted; a user's
 * dataset is used whole unless --per-class caps it.
 */
import type { Command } from '../command';
import { InputError, numberOption } from '../args';
import { loadDataset } from '../load/dataset';
import { modelDatasetOptions, modelDatasetRequest, runNormalization } from '../load/options';

const NAME = 'evaluate';

export const evaluateCommand: Command = {
  name: NAME,
  summary: 'top-1 accuracy of a model on an image dataset',
  options: {
    ...modelDatasetOptions('all'),
    batch: { type: 'string', description: 'images per forward pass, integer 1–10000', default: '100' },
    json: { type: 'flag', description: 'print {"accuracy","correct","n","seconds"} as JSON instead of the bare accuracy' },
  },
  async run(opts, io) {
    const req = modelDatasetRequest(opts, NAME);
    const batch = numberOption(opts, 'batch', NAME, { min: 1, max: 10000, integer: true, text: 'an integer from 1 to 10000' })!;
    const t0 = performance.now();
    const dataset = await loadDataset(req.datasetPath, { perClassCap: req.perClassCap, seed: req.seed, limit: req.limit, stdin: io.stdin });
    const { loadModel } = await import('../load/model');
    const model = await loadModel(req.modelPath, { backend: req.backend, onnxRuntime: req.onnxRuntime, inputSize: [dataset.height, dataset.width] });
    const { evaluateAccuracy } = await import('../../model/loadModel');
    let result;
    try {
      const normalization = runNormalization(req, model);
      if (model.predict) {
        // A model with its own runtime (ONNX): top-1 from its logits output.
        const predictions = await model.predict(dataset, normalization, batch);
        let correct = 0;
        for (let i = 0; i < dataset.n; i++) if (predictions[i] === dataset.labels[i]) correct++;
        result = { n: dataset.n, correct, accuracy: correct / dataset.n, predictions };
      } else {
        if (!model.classifier) throw new InputError(`${NAME}: --model ${req.modelPath} (${model.format}) cannot classify images`);
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
