/**
 * Models of the same architecture trained from different seeds, compared as the paper's code release does
 * (method.md §5): the "cross" block — model A's k layers against model B's k layers — beside the within-model
 * k × k matrix, and the question the block answers: is a layer closer to *the same layer of another seed* than to
 * the other layers of its own model?
 *
 * Distances are SW between H1 diagrams and 1 − linear CKA between clouds (CKA compares the same images, so both
 * models must see the same images in the same order). The within-model matrices come from layerMatrices.ts.
 */
import { linearCka } from '../similarity/cka';
import { slicedWasserstein, SW_DIRECTIONS } from '../tda/index';
import type { Diagram, PointCloud } from '../types';

/** k × k row-major: entry (i, j) = SW(A's layer i, B's layer j) on H1. Not symmetric in general. */
export function swCrossBlock(a: Diagram[], b: Diagram[], M = SW_DIRECTIONS): Float64Array {
  if (a.length !== b.length) throw new Error(`the cross block needs the same layer count: ${a.length} and ${b.length}`);
  const k = a.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = slicedWasserstein(a[i], b[j], M);
  return out;
}

/** k × k row-major: entry (i, j) = linear CKA(A's layer i, B's layer j). */
export function ckaCrossBlock(a: PointCloud[], b: PointCloud[]): Float64Array {
  if (a.length !== b.length) throw new Error(`the cross block needs the same layer count: ${a.length} and ${b.length}`);
  const k = a.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = linearCka(a[i], b[j]);
  return out;
}

/** Is the same layer closer across seeds than different layers within one model? One distance's answer. */
export interface SameLayerCloser {
  /** Mean over layers and seed pairs of d(A_i, B_i). */
  sameLayerAcrossSeeds: number;
  /** Mean over i ≠ j of d(A_i, A_j), averaged over the models. */
  differentLayersWithinModel: number;
  /** Layers i (1-based positions in the list) where d(A_i, B_i) < min over j ≠ i of d(A_i, A_j), for every pair. */
  layersCloserThanEveryOtherLayer: number;
  /** Per layer: mean over seed pairs of d(A_i, B_i), and mean over models of min over j ≠ i of d(A_i, A_j). */
  perLayer: { same: number; nearestOther: number }[];
}

/**
 * From within-model distance matrices (one per model, k × k) and cross-seed same-layer distances (one vector of k
 * per pair of models, with the pair's two model indices): the numbers of the statement.
 */
export function sameLayerCloser(within: Float64Array[], pairs: { a: number; b: number; same: number[] }[]): SameLayerCloser {
  if (within.length === 0 || pairs.length === 0) throw new Error('needs at least two models');
  const k = pairs[0].same.length;
  const nearest = (m: Float64Array, i: number) => {
    let best = Infinity;
    for (let j = 0; j < k; j++) if (j !== i && m[i * k + j] < best) best = m[i * k + j];
    return best;
  };
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  let offSum = 0, offN = 0;
  for (const m of within) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) { offSum += m[i * k + j]; offN++; }
  const perLayer = Array.from({ length: k }, (_, i) => ({
    same: mean(pairs.map((p) => p.same[i])),
    nearestOther: mean(within.map((m) => nearest(m, i))),
  }));
  // Strict per pair, both ways: layer i of A is closer to B_i than to any other layer of A, and B_i likewise in B.
  let closer = 0;
  for (let i = 0; i < k; i++) {
    if (pairs.every((p) => p.same[i] < nearest(within[p.a], i) && p.same[i] < nearest(within[p.b], i))) closer++;
  }
  return {
    sameLayerAcrossSeeds: mean(pairs.flatMap((p) => p.same)),
    differentLayersWithinModel: offN > 0 ? offSum / offN : NaN,
    layersCloserThanEveryOtherLayer: closer,
    perLayer,
  };
}
