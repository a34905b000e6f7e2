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
    model: { type: 'string', description: 'a TF.js model directory (model.json + shards, optional card.json) or its model.json' },
    dataset: { type: 'string', description: 'bundled dataset dir, class-folder dir, .zip (- for stdin), images + CSV, IDX dir or CIFAR-10 dir' },
    'per-class': { type: 'string', description: "users' datasets: at most N images per class, drawn with --seed (integer ≥ 1 or all)", default: perClass },
    backend: { type: 'string', description: `TF.js backend: ${BACKENDS.join(' or ')}`, default: 'wasm' },
  };
}
