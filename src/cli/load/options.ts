/** Options shared by the commands that load a model and a dataset, declared once. */
import { numberOption, requireString, UsageError, type OptionSpecs, type ParsedOptions } from '../args';
import { LIMITS } from '../limits';

export const BACKENDS = ['wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

export function backendOption(opts: ParsedOptions, command: string): Backend {
  const b = opts.backend;
  if (!BACKENDS.includes(b as Backend)) throw new UsageError(`${command}: --backend must be ${BACKENDS.join(' or ')} (got "${String(b)}")`);
  return b as Backend;
}

/** Who runs an ONNX model's graph: `auto` is tfjs when the TF.js-op runtime knows every op, else onnxruntime. */
export const ONNX_RUNTIMES = ['auto', 'tfjs', 'onnxruntime'] as const;
export type OnnxRuntimeOption = (typeof ONNX_RUNTIMES)[number];

export function onnxRuntimeOption(opts: ParsedOptions, command: string): OnnxRuntimeOption {
  const r = opts['onnx-runtime'];
  if (!ONNX_RUNTIMES.includes(r as OnnxRuntimeOption)) throw new UsageError(`${command}: --onnx-runtime must be ${ONNX_RUNTIMES.join(', ')} (got "${String(r)}")`);
  return r as OnnxRuntimeOption;
}

/** `--per-class N|all`: at most N images per class of a user's dataset. */
export function perClassOption(opts: ParsedOptions, command: string): number {
  if (opts['per-class'] === 'all') return Infinity;
  return numberOption(opts, 'per-class', command, { min: 1, max: LIMITS.images, integer: true, text: `an integer from 1 to ${LIMITS.images} or all` })!;
}

/**
 * The option specs of a model + dataset command; `perClass` is the default cap (the page's 100, or all) and
 * `seedUse` says what else the seed draws besides the per-class sample.
 */
export function modelDatasetOptions(perClass: string, seedUse = ''): OptionSpecs {
  return {
    model: { type: 'string', description: 'a TF.js model directory (model.json + shards, optional card.json), its model.json, or an .onnx file' },
    dataset: { type: 'string', description: 'bundled dataset dir, class-folder dir, .zip (- for stdin), images + CSV, IDX dir or CIFAR-10 dir' },
    'per-class': { type: 'string', description: "users' datasets: at most N images per class, drawn with --seed (integer ≥ 1 or all)", default: perClass },
    backend: { type: 'string', description: `TF.js backend: ${BACKENDS.join(' or ')}`, default: 'wasm' },
    'onnx-runtime': {
      type: 'string',
      description: 'ONNX models: tfjs (the graph as TF.js ops on --backend), onnxruntime (onnxruntime-web wasm, one thread) or auto (tfjs when it knows every op)',
      default: 'auto',
    },
    seed: { type: 'string', description: `seed of the per-class sampling${seedUse}, integer ≥ 0`, default: '0' },
    limit: { type: 'string', description: 'use only the first N images, integer ≥ 1' },
    mean: { type: 'string', description: 'normalisation mean of pixel/255, one or one per channel (overrides card.json / NAME.preprocess.json; default 0)' },
    std: { type: 'string', description: 'normalisation std of pixel/255, one or one per channel, > 0 (overrides card.json / NAME.preprocess.json; default 1)' },
  };
}

/** What the options of modelDatasetOptions ask for, checked. */
export interface ModelDatasetRequest {
  modelPath: string;
  datasetPath: string;
  perClassCap: number;
  seed: number;
  limit: number | undefined;
  backend: Backend;
  onnxRuntime: OnnxRuntimeOption;
  mean?: number | number[];
  std?: number | number[];
}

export function modelDatasetRequest(opts: ParsedOptions, command: string): ModelDatasetRequest {
  return {
    modelPath: requireString(opts, 'model', command),
    datasetPath: requireString(opts, 'dataset', command),
    perClassCap: perClassOption(opts, command),
    seed: numberOption(opts, 'seed', command, { min: 0, max: 2 ** 32 - 1, integer: true, text: 'an integer from 0 to 4294967295' })!,
    limit: numberOption(opts, 'limit', command, { min: 1, max: LIMITS.images, integer: true, text: `an integer from 1 to ${LIMITS.images}` }),
    backend: backendOption(opts, command),
    onnxRuntime: onnxRuntimeOption(opts, command),
    ...normalizationOptions(opts, command),
  };
}

/** The normalisation a run uses: --mean / --std, else the model's card or sidecar, else 0 and 1. */
export function runNormalization(req: Pick<ModelDatasetRequest, 'mean' | 'std'>, model: { normalization?: { mean: number | number[]; std: number | number[] } }): { mean: number | number[]; std: number | number[] } {
  return { mean: req.mean ?? model.normalization?.mean ?? 0, std: req.std ?? model.normalization?.std ?? 1 };
}

/**
 * `--mean` / `--std`: one number, or one per input channel ("0.485,0.456,0.406"); the input is (pixel/255 − mean)/std.
 * Undefined when not given (the model's card or sidecar, else 0 and 1).
 */
export function normalizationOptions(opts: ParsedOptions, command: string): { mean?: number | number[]; std?: number | number[] } {
  const parse = (name: 'mean' | 'std'): number | number[] | undefined => {
    const v = opts[name];
    if (v === undefined) return undefined;
    const parts = typeof v === 'string' ? v.split(',').map((p) => p.trim()) : [];
    const xs = parts.map(Number);
    const bad = parts.length === 0 || parts.some((p) => p === '') || xs.some((x) => !Number.isFinite(x)) || (name === 'std' && xs.some((x) => !(x > 0)));
    if (bad) {
      throw new UsageError(`${command}: --${name} must be ${name === 'std' ? 'a number > 0' : 'a number'} or a comma list of one per channel (got "${String(v)}")`);
    }
    return xs.length === 1 ? xs[0] : xs;
  };
  return { mean: parse('mean'), std: parse('std') };
}
