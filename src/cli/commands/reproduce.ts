/**
 * `convtopo reproduce --model DIR --dataset DIR [--out DIR] [--docs DIR|none] …`: the paper's analyses (method.md
 * §§2–6) on one model in one command — per-layer persistence, the SW and CKA layer matrices and their rank
 * correlation, checkpoints, PC-removal sensitivity, Mapper purity and super-class separation — written as
 * OUT/results.json, OUT/figures/*.svg, OUT/report.md and OUT/mapper/layer-NN.json. With the default --out
 * (reproduction) the report and figures also refresh docs/reproduction.md and docs/figures/ (what `npm run reproduce`
 * does); elsewhere only with --docs DIR. Progress goes to stderr, the summary to stdout.
 */
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { join } from 'node:path';
import { checkOutputFile } from '../files';
import { LIMITS } from '../limits';
import { loadDataset } from '../load/dataset';
import { backendOption, BACKENDS, perClassOption } from '../load/options';
import { SW_DIRECTIONS } from '../../tda/diagramDistance';

const NAME = 'reproduce';
const DEFAULT_OUT = 'reproduction';

function intList(text: string, option: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new UsageError(`${NAME}: --${option} must be all or a comma list of layer numbers ≥ 1 (got "${text}")`);
  }
  return parts.map(Number);
}

export const reproduceCommand: Command = {
  name: NAME,
  summary: "the paper's analyses on a model in one run: persistence, SW/CKA/RTD, checkpoints, seeds, PC removal, Mapper",
  options: {
    model: { type: 'string', description: 'TF.js layers model directory (model.json, shards, card.json) or an .onnx file, e.g. public/models/resnet18q-final' },
    dataset: { type: 'string', description: 'any dataset the CLI reads, e.g. public/datasets/fashion-mnist-1000 (bundled)' },
    'per-class': { type: 'string', description: "users' datasets: at most N images per class (integer ≥ 1 or all)", default: '100' },
    backend: { type: 'string', description: `TF.js backend: ${BACKENDS.join(' or ')}`, default: 'wasm' },
    out: { type: 'string', description: 'output directory for results.json, figures/, report.md, mapper/', default: DEFAULT_OUT },
    docs: { type: 'string', description: 'also write DIR/reproduction.md and DIR/figures/ (default: docs when --out is reproduction, else none)' },
    layers: { type: 'string', description: 'all, or a comma list of layer numbers (1-based)', default: 'all' },
    limit: { type: 'string', description: 'use only the first N images, integer ≥ 4' },
    checkpoints: { type: 'string', description: "auto (the model's siblings NAME-init, NAME-epochK), none, or DIR,DIR,…", default: 'auto' },
    seeds: { type: 'string', description: "auto (the model's siblings trained from other seeds, e.g. NAME-seed2), none, or DIR,DIR,…", default: 'auto' },
    'skip-random': { type: 'flag', description: 'skip the random-position cloud' },
    'skip-rtd': { type: 'flag', description: 'skip RTD (the matrix, across seeds, in the PC-removal protocol)' },
    'rtd-sample': { type: 'string', description: 'RTD: images sampled per trial, integer ≥ 4 or all', default: '100' },
    'rtd-trials': { type: 'string', description: 'RTD: trials averaged, integer 1–100', default: '1' },
    'protocol-layers': { type: 'string', description: "layers of the paper's PC-removal protocol (k = 4, 8, … ≤ C; comma list)", default: '1,9,17' },
    'sensitivity-layers': { type: 'string', description: 'layers of the PC-removal test (comma list)', default: '1,9,17' },
    'max-k': { type: 'string', description: 'largest number of removed principal components, integer 0–64', default: '10' },
    m: { type: 'string', description: 'directions of the sliced Wasserstein distance, integer 1–10000', default: String(SW_DIRECTIONS) },
    'mix-threshold': { type: 'string', description: 'share above which a node mixes two super-classes, in [0, 0.5)', default: '0.1' },
    seed: { type: 'string', description: 'seed of the random positions, integer ≥ 0', default: '0' },
    batch: { type: 'string', description: 'images per forward pass, integer 1–4096', default: '64' },
  },
  async run(opts, io) {
    const model = requireString(opts, 'model', NAME);
    const dataset = requireString(opts, 'dataset', NAME);
    const out = requireString(opts, 'out', NAME);
    const docsOpt = typeof opts.docs === 'string' ? opts.docs : undefined;
    if (docsOpt === '') throw new UsageError(`${NAME}: --docs needs a directory or none`);
    const docs = docsOpt === 'none' ? null : docsOpt ?? (out.replace(/\/+$/, '') === DEFAULT_OUT ? 'docs' : null);
    const layers = opts.layers === 'all' ? 'all' : intList(String(opts.layers), 'layers');
    const limit = numberOption(opts, 'limit', NAME, { min: 4, max: LIMITS.images, integer: true, text: `an integer from 4 to ${LIMITS.images}` });
    const perClassCap = perClassOption(opts, NAME);
    const backend = backendOption(opts, NAME);
    const ck = String(opts.checkpoints);
    const checkpoints = ck === 'auto' ? 'auto' : ck === 'none' ? [] : ck.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (Array.isArray(checkpoints) && ck !== 'none' && checkpoints.length === 0) {
      throw new UsageError(`${NAME}: --checkpoints must be auto, none or a comma list of model directories`);
    }
    const sd = String(opts.seeds);
    const seeds = sd === 'auto' ? 'auto' : sd === 'none' ? [] : sd.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (Array.isArray(seeds) && sd !== 'none' && seeds.length === 0) throw new UsageError(`${NAME}: --seeds must be auto, none or a comma list of model directories`);
    const rtdSample = opts['rtd-sample'] === 'all' ? 'all' : numberOption(opts, 'rtd-sample', NAME, { min: 4, max: LIMITS.images, integer: true, text: `all or an integer from 4 to ${LIMITS.images}` })!;
    const rtdTrials = numberOption(opts, 'rtd-trials', NAME, { min: 1, max: 100, integer: true, text: 'an integer from 1 to 100' })!;
    const protocolLayers = intList(String(opts['protocol-layers']), 'protocol-layers');
    const sensitivityLayers = intList(String(opts['sensitivity-layers']), 'sensitivity-layers');
    const maxK = numberOption(opts, 'max-k', NAME, { min: 0, max: 64, integer: true, text: 'an integer from 0 to 64' })!;
    const swM = numberOption(opts, 'm', NAME, { min: 1, max: 10000, integer: true, text: 'an integer from 1 to 10000' })!;
    const mixThreshold = numberOption(opts, 'mix-threshold', NAME, { min: 0, max: 0.5, maxExclusive: true, text: 'a number in [0, 0.5)' })!;
    const randomSeed = numberOption(opts, 'seed', NAME, { min: 0, max: 2 ** 32 - 1, integer: true, text: 'an integer from 0 to 4294967295' })!;
    const batchSize = numberOption(opts, 'batch', NAME, { min: 1, max: 4096, integer: true, text: 'an integer from 1 to 4096' })!;

    // The outputs are checked before the run, which takes a minute or more.
    checkOutputFile(join(out, 'results.json'), 'out');
    if (docs) checkOutputFile(join(docs, 'reproduction.md'), 'docs');
    const t0 = performance.now();
    const [{ reproduceFromDisk, ReproduceInputError }, { loadModel }] = await Promise.all([import('../../reproduce/run'), import('../load/model')]);
    let res;
    try {
      res = await reproduceFromDisk({
        loadDataset: (path, n) => loadDataset(path, { perClassCap, seed: randomSeed, limit: n, stdin: io.stdin }),
        loadModel: async (dir, inputSize) => {
          const m = await loadModel(dir, { backend, inputSize, option: dir === model ? 'model' : 'checkpoints' });
          if (m.format === 'onnx') {
            return { id: m.id, source: dir, model: null, card: null, activations: m.source, normalization: m.normalization, dispose: () => m.dispose() };
          }
          if (m.format !== 'tfjs-layers') {
            m.dispose();
            throw new InputError(`${NAME}: ${dir} is a ${m.format} model; the reproduction needs a TF.js layers model or an .onnx file`);
          }
          return { id: m.id, source: dir, model: m.classifier as import('@tensorflow/tfjs').LayersModel, card: m.card };
        },
        model,
        dataset,
        out,
        docs,
        checkpoints,
        seeds,
        limit,
        config: { layers, random: !opts['skip-random'], randomSeed, swM, sensitivityLayers, maxK, mixThreshold, batchSize, rtd: !opts['skip-rtd'], rtdSample, rtdTrials, protocolLayers },
        log: (line) => io.stderr(`${NAME}: ${line}\n`),
      });
    } catch (err) {
      if (err instanceof ReproduceInputError) throw new InputError(`${NAME}: ${err.message}`);
      // Option values the pipeline refuses (e.g. a layer the model does not have) are usage errors.
      if (err instanceof RangeError) throw new UsageError(`${NAME}: ${err.message}`);
      throw err;
    }
    const { results: r, written } = res;
    const lc = r.layerComparison;
    const m = r.mapper;
    const last = m.layers[m.layers.length - 1];
    io.stdout(
      [
        `model ${r.model.id}${r.model.testAccuracy !== null ? ` (test accuracy ${r.model.testAccuracy})` : ''}, ${r.dataset.n} images, ${r.config.layers.length} layers`,
        `H1 total persistence: layer ${r.config.layers[0]} ${r.persistence.topL2[0].h1.total.toPrecision(4)}, layer ${r.config.layers[r.config.layers.length - 1]} ${r.persistence.topL2[r.persistence.topL2.length - 1].h1.total.toPrecision(4)}`,
        `Spearman(SW, 1 − CKA) over ${lc.pairs} layer pairs: ${Number.isFinite(lc.spearmanSwCka) ? lc.spearmanSwCka.toFixed(3) : 'n/a'}`,
        `Mapper purity at layer ${last.layer}: ${last.purity.toFixed(3)} (super-classes ${last.superPurity.toFixed(3)}); separated from layer: ${m.separatedFromLayer ?? 'never'}`,
        `wrote ${written.length} files: ${out}/results.json, ${out}/report.md, ${out}/figures/ (${written.filter((w) => w.endsWith('.svg')).length / (docs ? 2 : 1)} SVG)${docs ? `, ${docs}/reproduction.md` : ''}`,
        `total ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};
