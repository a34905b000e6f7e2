/**
 * `convtopo rtd --a A.npy --b B.npy [--sample N|all] [--trials T] [--seed S] [--barcode]`: Representation
 * Topology Divergence between two layers' representations of the same images (src/analysis/rtd.ts), printed as
 * JSON {"ab": …, "ba": …, "rtd": …, "trials": [{"ab", "ba", "rtd", "images"}, …]} — means over the trials, then
 * each trial; with --barcode each trial also carries its two R-Cross-Barcodes (H1 pairs [birth, death]).
 */
import type { Command } from '../command';
import { InputError, numberOption, UsageError } from '../args';
import { readRepresentationPair, REPRESENTATION_PAIR_OPTIONS } from '../files';
import { RTD_DEFAULTS, rtd } from '../../analysis/rtd';

const NAME = 'rtd';

export const rtdCommand: Command = {
  name: NAME,
  summary: 'Representation Topology Divergence between two representations of the same images (JSON)',
  options: {
    ...REPRESENTATION_PAIR_OPTIONS,
    sample: { type: 'string', description: `images per trial, an integer ≥ 2, or all (default ${RTD_DEFAULTS.sample} or all if fewer)` },
    trials: { type: 'string', description: `trials averaged, an integer ≥ 1 (default ${RTD_DEFAULTS.trials}; 1 with --sample all)` },
    seed: { type: 'string', description: 'seed of the image sampling, an integer ≥ 0', default: String(RTD_DEFAULTS.seed) },
    barcode: { type: 'flag', description: "also print each trial's two R-Cross-Barcodes" },
  },
  async run(opts, io) {
    const { a, b } = readRepresentationPair(opts, NAME, 'RTD', io.stdin);
    let sample: number | 'all' | undefined;
    if (opts.sample === 'all') sample = 'all';
    else sample = numberOption(opts, 'sample', NAME, { min: 2, integer: true, text: 'an integer ≥ 2 or all' });
    if (typeof sample === 'number' && sample > a.n) throw new UsageError(`${NAME}: --sample must be at most the ${a.n} rows, or all (got "${sample}")`);
    const trials = numberOption(opts, 'trials', NAME, { min: 1, max: 10_000, integer: true, text: 'an integer in 1…10000' });
    const seed = numberOption(opts, 'seed', NAME, { min: 0, max: 2 ** 31 - 1, integer: true, text: 'an integer in 0…2147483647' })!;
    let r;
    try {
      r = rtd(a, b, { sample, trials, seed, barcode: opts.barcode === true });
    } catch (err) {
      // e.g. a layer whose distances' 0.9 quantile is 0 (most images identical there).
      throw new InputError(err instanceof Error ? err.message : String(err));
    }
    const pairs = (d: { birth: number; death: number }[]) => d.map((p) => [p.birth, p.death]);
    const json = {
      ab: r.ab,
      ba: r.ba,
      rtd: r.rtd,
      trials: r.trials.map((t) => ({
        ab: t.ab,
        ba: t.ba,
        rtd: t.rtd,
        images: t.images,
        ...(t.barcode ? { barcode: { ab: pairs(t.barcode.ab), ba: pairs(t.barcode.ba) } } : {}),
      })),
    };
    io.stdout(JSON.stringify(json) + '\n');
    return 0;
  },
};
