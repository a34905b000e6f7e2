import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCliCaptured, scratchDir } from '../helpers/cli';
import { writeNpy } from '../../src/io/npy';

const run = runCliCaptured;

describe('convtopo cka', () => {
  const { dir, file } = scratchDir('cka-');
  // b is a scaled copy of a (CKA 1); c has a different row count.
  const a = file('a.txt', '1 0\n0 2\n3 1\n2 2\n5 -1\n');
  const b = file('b.npy', writeNpy(new Float32Array([2, 0, 0, 4, 6, 2, 4, 4, 10, -2]), [5, 2]));
  const c = file('c.txt', '1 2\n3 4\n');

  it('prints 1 for a representation and a scaled copy, in text and .npy', async () => {
    const r = await run(['cka', '--a', a, '--b', b]);
    expect(r.code).toBe(0);
    expect(Number(r.stdout)).toBeCloseTo(1, 6);
    const d = await run(['cka', '--a', a, '--b', b, '--debiased']);
    expect(Number(d.stdout)).toBeCloseTo(1, 6);
  });

  it('exits 2 with one line when the row counts differ or a file is missing', async () => {
    const r = await run(['cka', '--a', a, '--b', c]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['convtopo cka: --a has 5 rows and --b has 2; CKA needs the same images in both']);
    const m = await run(['cka', '--a', join(dir, 'nope.txt'), '--b', a]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/^convtopo cka: --a .*nope\.txt does not exist\n$/);
  });
});
