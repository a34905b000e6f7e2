/**
 * `convtopo cka --a A --b B [--debiased]`: linear CKA between two representations of the same images
 * (text or .npy, one row per image), printed as a number.
 */
import type { Command } from '../command';
import { InputError } from '../args';
import { readRepresentationPair, REPRESENTATION_PAIR_OPTIONS } from '../files';
import { linearCka } from '../../similarity/cka';

const NAME = 'cka';

export const ckaCommand: Command = {
  name: NAME,
  summary: 'linear (or debiased) CKA between two representations of the same images',
  options: {
    ...REPRESENTATION_PAIR_OPTIONS,
    debiased: { type: 'flag', description: 'use the debiased HSIC estimator (needs at least 4 images)' },
  },
  async run(opts, io) {
    const { a, b } = readRepresentationPair(opts, NAME, 'CKA', io.stdin);
    if (opts.debiased && a.n < 4) throw new InputError(`--debiased needs at least 4 rows (got ${a.n})`);
    let value: number;
    try {
      value = linearCka(a, b, { debiased: opts.debiased === true });
    } catch (err) {
      // The n × n Gram matrices do not fit a typed array (or memory) for very many images.
      if (err instanceof RangeError) {
        throw new InputError(`${a.n} rows are too many for CKA's n × n Gram matrices (${((16 * a.n * a.n) / 2 ** 30).toFixed(1)} GB); use fewer images`);
      }
      throw err;
    }
    if (!Number.isFinite(value)) throw new InputError(`CKA is undefined here: a representation is constant across the images (zero variance)`);
    io.stdout(`${value}\n`);
    return 0;
  },
};
