/** Options shared by the commands that load a model and a dataset, declared once. */
import { numberOption, UsageError, type OptionSpecs, type ParsedOptions } from '../args';
import { LIMITS } from '../limits';

export const BACKENDS = ['wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

export function backendOption(opts: ParsedOptions, command: string): Backend {
  const b = opts.backend;
  if (!BACKENDS.includes(b as Backend)) throw new UsageError(`${command}: --backend must be ${BACKENDS.join(' or ')} (got "${String(b)}")`);
  return b as Backend;
}

/** `--per-class N|all`: at most N images per class of a user's dataset. */
export function perClassOption(opts: ParsedOptions, command: string): number {
  if (opts['per-class'] === 'all') return Infinity;
  return numberOption(opts, 'per-class', command, { min: 1, max: LIMITS.images, integer: true, text: `an integer from 1 to ${LIMITS.images} or all` })!;
}

/** The option specs of a model + dataset command; `perClass` is the default cap (the page's 100, or all). */
export function modelDatasetOptions(perClass: string): OptionSpecs {
  return {
    model: { type: 'string', description: 'a TF.js model directory (model.json + shards, optional card.json), its model.json, or an .onnx file' },
    dataset: { type: 'string', description: 'bundled dataset dir, class-folder dir, .zip (- for stdin), images + CSV, IDX dir or CIFAR-10 dir' },
    'per-class': { type: 'string', description: "users' datasets: at most N images per class, drawn with --seed (integer ≥ 1 or all)", default: perClass },
    backend: { type: 'string', description: `TF.js backend: ${BACKENDS.join(' or ')}`, default: 'wasm' },
  };
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
