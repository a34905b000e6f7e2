import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured, scratchDir } from '../helpers/cli';
import { ripserOracle } from '../helpers/oracle';
import { rawNpy } from '../helpers/npy';
import { diagramDifference, gaussianCloud, ripser, SEED, writeCloud } from '../tda/helpers';
import type { Diagram } from '../../src/types';

const { dir, file } = scratchDir('convtopo-cli-ph-');
const cli = runCliCaptured;

function toDiagrams(json: { dgms: (number | null)[][][] }): Diagram[] {
  return json.dgms.map((d) => d.map(([b, e]) => ({ birth: b as number, death: e === null ? Infinity : (e as number) })));
}

/** A float64 C-order .npy, written independently of src/io/npy.ts. */
function npy(data: number[], shape: number[]): Uint8Array {
  return rawNpy('<f8', shape, new Uint8Array(Float64Array.from(data).buffer));
}

describe('convtopo ph', () => {
  const square = file('square.txt', '0 0\n1 0\n1 1\n0 1\n');

  it('prints JSON diagrams with null for the essential class', async () => {
    const r = await cli(['ph', '--input', square]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.dgms[0]).toContainEqual([0, null]);
    expect(json.dgms[1]).toHaveLength(1);
    expect(json.dgms[1][0][0]).toBe(1);
    expect(json.cocycles).toBeUndefined();
  });

  it('--cocycles adds the H1 cocycle with its loop', async () => {
    const json = JSON.parse((await cli(['ph', '--input', square, '--cocycles'])).stdout);
    expect(json.cocycles).toHaveLength(1);
    expect([...json.cocycles[0].cycle].sort()).toEqual([0, 1, 2, 3]);
  });

  it('a distance matrix as a full square, a strict lower triangle and a lower triangle with diagonal agree', async () => {
    const s2 = Math.SQRT2;
    const full = file('full.txt', `0 1 ${s2} 1\n1 0 1 ${s2}\n${s2} 1 0 1\n1 ${s2} 1 0\n`);
    const strict = file('strict.txt', `1\n${s2},1\n1,${s2},1\n`);
    const diag = file('diag.txt', `0\n1 0\n${s2} 1 0\n1 ${s2} 1 0\n`);
    const ref = JSON.parse((await cli(['ph', '--input', square])).stdout);
    for (const f of [full, strict, diag]) {
      const r = await cli(['ph', '--input', f, '--format', 'distance']);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expect(json.dgms[1][0][0]).toBeCloseTo(ref.dgms[1][0][0], 6);
      expect(json.dgms[1][0][1]).toBeCloseTo(ref.dgms[1][0][1], 6);
      expect(json.dgms[0]).toHaveLength(4);
    }
  });

  it('reads .npy point clouds', async () => {
    const f = file('square.npy', npy([0, 0, 1, 0, 1, 1, 0, 1], [4, 2]));
    const r = await cli(['ph', '--input', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).dgms[1]).toHaveLength(1);
  });

  it.runIf(ripserOracle().available)(`matches ripser on a random cloud with --maxdim 2 (seed ${SEED})`, async () => {
    const cloud = gaussianCloud(SEED + 500, 50, 3);
    const f = writeCloud(cloud);
    const ours = toDiagrams(JSON.parse((await cli(['ph', '--input', f, '--maxdim', '2'])).stdout));
    const theirs = ripser(f, 'point-cloud', 2);
    for (let k = 0; k <= 2; k++) expect(diagramDifference(ours[k], theirs[k])).toBeNull();
  });

  const bad: [string, () => string[], RegExp][] = [
    ['NaN in a row', () => ['--input', file('nan.txt', '0 0\n1 NaN\n')], /line 2.*not a finite number/],
    ['Inf in a row', () => ['--input', file('inf.txt', '0 0\n1 Infinity\n')], /line 2.*not a finite number/],
    ['ragged rows', () => ['--input', file('ragged.txt', '0 0\n1 2 3\n')], /line 2.*ragged/],
    ['an empty file', () => ['--input', file('empty.txt', '\n# nothing\n')], /empty/],
    ['an unreadable .npy', () => ['--input', file('bad.npy', new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 9]))], /./],
    ['a missing file', () => ['--input', join(dir, 'nope.txt')], /nope\.txt/],
    ['a bad --maxdim', () => ['--input', square, '--maxdim', '-1'], /--maxdim/],
    ['a bad --metric', () => ['--input', square, '--metric', 'cheb'], /--metric/],
    ['a bad --threshold', () => ['--input', square, '--threshold', 'abc'], /--threshold/],
    ['a bad --format', () => ['--input', square, '--format', 'csv'], /--format/],
    ['a ragged distance matrix', () => ['--input', file('rd.txt', '1\n2 3 4\n'), '--format', 'distance'], /line 2/],
    ['a negative distance', () => ['--input', file('neg.txt', '1\n2 -3\n'), '--format', 'distance'], /negative/],
    ['an asymmetric square matrix', () => ['--input', file('asym.txt', '0 1\n2 0\n'), '--format', 'distance'], /symmetric/],
  ];
  for (const [what, args, msg] of bad) {
    it(`exits 2 with one line naming the problem for ${what}`, async () => {
      const r = await cli(['ph', ...args()]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    });
  }
});
