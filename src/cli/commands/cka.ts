/**
 * `convtopo cka --a A --b B [--debiased]`: linear CKA between two representations of the same images
 * (text or .npy, one row per image), printed as a number.
 */
import { readFileSync } from 'node:fs';
import type { Command } from '../command';
import { InputError, requireString } from '../args';
import { parseMatrixFile } from '../../io/pointCloudFile';
import { linearCka } from '../../similarity/cka';
import type { PointCloud } from '../../types';

const NAME = 'cka';

function readCloud(path: string, option: string): PointCloud {
  try {
    return parseMatrixFile(new Uint8Array(readFileSync(path)), 'row');
  } catch (err) {
    throw new InputError(`--${option} ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export const ckaCommand: Command = {
  name: NAME,
  summary: 'linear (or debiased) CKA between two representations of the same images',
  options: {
    a: { type: 'string', description: 'first representation: one row per image (text or .npy)' },
    b: { type: 'string', description: 'second representation, same images in the same order' },
    debiased: { type: 'flag', description: 'use the debiased HSIC estimator (needs at least 4 images)' },
  },
  async run(opts, io) {
    const a = readCloud(requireString(opts, 'a', NAME), 'a');
    const b = readCloud(requireString(opts, 'b', NAME), 'b');
    if (a.n !== b.n) throw new InputError(`--a has ${a.n} rows and --b has ${b.n}; CKA needs the same images in both`);
    if (opts.debiased && a.n < 4) throw new InputError(`--debiased needs at least 4 rows (got ${a.n})`);
    io.stdout(`${linearCka(a, b, { debiased: opts.debiased === true })}\n`);
    return 0;
  },
};
