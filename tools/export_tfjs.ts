/**
 * Export the PyTorch checkpoints written by tools/train_resnet.py to TF.js layers models.
 *
 *   npx tsx tools/export_tfjs.ts            # all three: init, epoch1, final
 *   npx tsx tools/export_tfjs.ts final      # just one
 *
 * Reads tools/.cache/weights-{init,epoch1,final}.npz (np.savez: an uncompressed zip of .npy files) and
 * tools/.cache/train-summary.json; writes public/models/resnet18q-{NAME}/{model.json, group1-shard1of1.bin, card.json}.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { readNpy, type NpyArray } from '../src/io/npy';
import { bnName, buildResNet18Q, convName, STUDIED_LAYER_NAMES } from '../src/model/resnet';
import { useNodeBackend } from '../src/model/loadModelNode';
import type { ModelCard } from '../src/model/loadModel';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Overridable so the exporter can be tried on a scratch copy without touching the shipped models.
const CACHE = process.env.EXPORT_CACHE ?? join(ROOT, 'tools', '.cache');
const OUT = process.env.EXPORT_OUT ?? join(ROOT, 'public', 'models');
const SHARD = 'group1-shard1of1.bin';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

interface TrainSummary {
  seed: number;
  epochs: number;
  batch: number;
  optimizer: string;
  weight_decay: number;
  lr_schedule: string;
  augmentation: string;
  normalisation: { mean: number; std: number };
  test_accuracy: { init: number; epoch1: number; final: number };
  train_seconds: number;
  torch_version: string;
}

async function readNpz(path: string): Promise<Map<string, NpyArray>> {
  const files = unzipSync(new Uint8Array(await readFile(path)));
  const out = new Map<string, NpyArray>();
  for (const [name, bytes] of Object.entries(files)) out.set(name.replace(/\.npy$/, ''), readNpy(bytes));
  return out;
}

function tensorOf(arrays: Map<string, NpyArray>, key: string): tf.Tensor {
  const a = arrays.get(key);
  if (!a) throw new Error(`checkpoint has no array "${key}"`);
  if (a.dtype !== 'f4') throw new Error(`checkpoint array "${key}" is ${a.dtype}, expected float32`);
  return tf.tensor(a.data as Float32Array, a.shape, 'float32');
}

/** PyTorch module prefix of studied conv k (1-based) and of the BatchNorm that follows it. */
function torchPrefixes(k: number): { conv: string; bn: string } {
  if (k === 1) return { conv: 'conv1', bn: 'bn1' };
  const block = Math.floor((k - 2) / 2);
  const which = (k - 2) % 2 === 0 ? '1' : '2';
  return { conv: `blocks.${block}.conv${which}`, bn: `blocks.${block}.bn${which}` };
}

/** Copy every trainable parameter and BN running statistic into the TF.js model. */
function setTorchWeights(model: tf.LayersModel, arrays: Map<string, NpyArray>): void {
  let used = 0;
  for (let k = 1; k <= STUDIED_LAYER_NAMES.length; k++) {
    const p = torchPrefixes(k);
    tf.tidy(() => {
      // PyTorch conv weight [out, in, kh, kw] → TF.js kernel [kh, kw, in, out].
      const w = tensorOf(arrays, `${p.conv}.weight`).transpose([2, 3, 1, 0]);
      model.getLayer(convName(k)).setWeights([w]);
      const bn = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => tensorOf(arrays, `${p.bn}.${s}`));
      model.getLayer(bnName(k)).setWeights(bn); // gamma, beta, movingMean, movingVariance
    });
    used += 5;
  }
  tf.tidy(() => {
    // Linear [out, in] → Dense kernel [in, out].
    model.getLayer('logits').setWeights([tensorOf(arrays, 'fc.weight').transpose(), tensorOf(arrays, 'fc.bias')]);
  });
  used += 2;
  if (used !== arrays.size) {
    throw new Error(`checkpoint has ${arrays.size} arrays but ${used} were mapped: architecture mismatch`);
  }
}

async function saveModel(model: tf.LayersModel, dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = tf.io.concatenateArrayBuffers(artifacts.weightData ?? new ArrayBuffer(0));
      bytes = data.byteLength;
      const modelJSON = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'convtopo tools/export_tfjs.ts (from PyTorch, tools/train_resnet.py)',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [SHARD], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJSON));
      await writeFile(join(dir, SHARD), new Uint8Array(data));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes } };
    }),
  );
  return bytes;
}

interface EpochLog {
  epoch: number;
  loss: number;
  train_acc: number;
  test_acc: number;
  seconds: number;
}

async function readTrainLog(): Promise<EpochLog[]> {
  const text = await readFile(join(CACHE, 'train-log.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as EpochLog);
}

async function exportOne(which: 'init' | 'epoch1' | 'final', summary: TrainSummary, log: EpochLog[]): Promise<void> {
  const arrays = await readNpz(join(CACHE, `weights-${which}.npz`));
  const model = buildResNet18Q();
  setTorchWeights(model, arrays);
  // EXPORT_NAME names another run's final weights (e.g. resnet18q-seed2); the shipped run is resnet18q-<which>.
  const name = process.env.EXPORT_NAME && which === 'final' ? process.env.EXPORT_NAME : `resnet18q-${which}`;
  const dir = join(OUT, name);
  const bytes = await saveModel(model, dir);
  const epochs = which === 'init' ? 0 : which === 'epoch1' ? 1 : summary.epochs;
  const card: ModelCard = {
    name,
    description:
      which === 'init'
        ? 'The network before any training step (same random initialisation the training run started from).'
        : which === 'epoch1'
          ? 'Early checkpoint: the training run after its first epoch.'
          : process.env.EXPORT_NAME
            ? `The trained network of another run of the same recipe, from seed ${summary.seed} (for the cross-seed comparison).`
            : 'The trained network.',
    architecture:
      'CIFAR-style ResNet-18 at quarter width: 3x3 stem conv 16 ch (stride 1, no max-pool), BN, ReLU; ' +
      '4 stages x 2 BasicBlocks, widths 16/32/64/128, first block of stages 2-4 stride 2 (28->14->7->4); ' +
      'option-A shortcuts (subsample + zero-pad channels); global average pool; linear 10. Convs without bias.',
    dataset: 'Fashion-MNIST (60 000 training images; accuracy on the 10 000 test images)',
    epochs,
    seed: summary.seed,
    testAccuracy: summary.test_accuracy[which],
    testAccuracyMeasuredBy: `PyTorch ${summary.torch_version}, eval mode, tools/train_resnet.py`,
    inputShape: [28, 28, 1],
    normalization: summary.normalisation,
    classNames: FASHION_MNIST_CLASSES,
    studiedLayers: STUDIED_LAYER_NAMES,
    output: 'logits (no softmax), layer "logits"',
    training: {
      epochs: summary.epochs,
      batch: summary.batch,
      optimizer: summary.optimizer,
      weightDecay: summary.weight_decay,
      lrSchedule: summary.lr_schedule,
      augmentation: summary.augmentation,
      trainSeconds: summary.train_seconds,
      // Test accuracy after each epoch of the run these weights come from (PyTorch, eval mode).
      perEpoch: log.map((e) => ({ epoch: e.epoch, trainLoss: round(e.loss, 4), testAccuracy: e.test_acc, seconds: e.seconds })),
    },
    trainableParameters: model.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((x, y) => x * y, 1), 0),
    // All stored values: trainable parameters + BN running statistics + the fixed option-A shortcut kernels.
    storedValues: model.countParams(),
    weightBytes: bytes,
    license: 'MIT (weights trained for convtopo, same licence as the project)',
    dataLicense: 'Fashion-MNIST: MIT, Copyright (c) 2017 Zalando SE, https://github.com/zalandoresearch/fashion-mnist',
  };
  await writeFile(join(dir, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(`${name}: ${model.countParams()} params, ${bytes} weight bytes, PyTorch test accuracy ${card.testAccuracy}`);
  model.dispose();
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

async function main(): Promise<void> {
  await useNodeBackend('cpu');
  const summary = JSON.parse(await readFile(join(CACHE, 'train-summary.json'), 'utf8')) as TrainSummary;
  const log = await readTrainLog();
  const all = ['init', 'epoch1', 'final'] as const;
  const picked = process.argv.slice(2);
  for (const which of all) {
    if (picked.length === 0 || picked.includes(which)) await exportOne(which, summary, log);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
