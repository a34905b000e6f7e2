/**
 * Randomized oracle test of the PH engine on activation-like clouds (ReLU of a low-rank Gaussian plus noise, as a
 * CNN layer's top-L2 vectors look), against Debian ripser. Fresh clouds every run; the seed is in every message
 * and CONVTOPO_SEED=… replays a run. Whole diagrams are compared by a matching within tolerance (helpers.ts).
 */
import { describe, expect, it } from 'vitest';
import { computePersistence } from '../../src/tda/index';
import { ripserOracle } from '../helpers/oracle';
import { SEED, activationLikeCloud, diagramDifference, ripser, rng, writeCloud } from './helpers';

const oracle = ripserOracle();
const pick = <T>(r: () => number, list: readonly T[]) => list[Math.floor(r() * list.length)];

interface Case {
  n: number;
  d: number;
  rank: number;
  noise: number;
  maxdim: number;
  seed: number;
}

function cases(): Case[] {
  const r = rng(SEED + 900);
  const out: Case[] = [];
  // Widths of the bundled model's layers and the paper's (16 … 512), n up to 800, a few maxdim-2 small clouds.
  const dims = [16, 32, 64, 128, 256, 512];
  const ns = [200, 350, 500, 650, 800];
  for (let k = 0; k < 6; k++) {
    out.push({ n: k < 2 ? 800 : pick(r, ns), d: k === 0 ? 512 : pick(r, dims), rank: 2 + Math.floor(r() * 9), noise: 0.02 + 0.3 * r(), maxdim: 1, seed: SEED + 901 + k });
  }
  for (let k = 0; k < 2; k++) {
    out.push({ n: 90 + Math.floor(r() * 60), d: pick(r, [16, 64, 512]), rank: 2 + Math.floor(r() * 4), noise: 0.02 + 0.2 * r(), maxdim: 2, seed: SEED + 910 + k });
  }
  return out;
}

describe.runIf(oracle.available)(`persistence of activation-like clouds equals Debian ripser's (seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`, () => {
  for (const c of cases()) {
    const name = `ReLU(rank ${c.rank} Gaussian + ${c.noise.toFixed(3)} noise), n = ${c.n}, d = ${c.d}, maxdim ${c.maxdim}`;
    it(name, () => {
      const cloud = activationLikeCloud(c.seed, c.n, c.d, c.rank, c.noise);
      const ours = computePersistence(cloud, { maxdim: c.maxdim });
      const theirs = ripser(writeCloud(cloud), 'point-cloud', c.maxdim);
      for (let k = 0; k <= c.maxdim; k++) {
        expect(diagramDifference(ours.dgms[k], theirs[k]), `H${k} of ${name} (seed ${SEED}, CONVTOPO_SEED=${SEED})`).toBeNull();
      }
      expect(ours.dgms[1].length, 'a cloud with H1 bars').toBeGreaterThan(0);
    }, 60_000);
  }
});

describe('the diagram matching of the tests', () => {
  it('matches pairs whose order flips within the tolerance, where a greedy sorted pass would fail', () => {
    // Births tie in print (6 digits) but sort apart: a greedy matcher takes the wrong partner first.
    const a = [{ birth: 1.000001, death: 2.00001 }, { birth: 1.00004, death: 2.000011 }];
    const b = [{ birth: 1.00004, death: 2.000012 }, { birth: 1.000001, death: 2.0000105 }];
    expect(diagramDifference(a, b)).toBeNull();
    expect(diagramDifference(a, [b[0]])).toMatch(/no match/);
    expect(diagramDifference([...a, { birth: 0.5, death: 0.500001 }], b)).toBeNull(); // a near-diagonal extra pair
    expect(diagramDifference([{ birth: 0, death: Infinity }], [{ birth: 0, death: 5 }])).toMatch(/no match/);
  });
});
