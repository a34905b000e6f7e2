/**
 * How a model's layers relate (method.md §5): the layer × layer sliced-Wasserstein matrix of their H1 diagrams
 * beside the CKA matrix of their clouds, and what the report reads off them (rank agreement, stage structure).
 * The page's compare worker and the reproduction both call these.
 */
import { yielder } from '../abort';
import { ckaMatrix } from '../similarity/cka';
import { spearman, upperTriangle } from '../similarity/rank';
import { slicedDistance, SW_DIRECTIONS, type SlicedKind } from '../tda/index';
import type { Diagram, PointCloud } from '../types';

export interface LayerMatrices {
  k: number;
  /** Sliced Wasserstein (M directions) between the layers' H1 diagrams, k × k row-major. */
  sw: Float64Array;
  /** Linear (or debiased) CKA between the layers' clouds, k × k row-major. */
  cka: Float64Array;
  debiased: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Fraction done, 0…1. */
  onProgress?: (fraction: number) => void;
}

/** SW between every pair of diagrams, k × k row-major (symmetric, zero diagonal); kind 'exact' = the integral. */
export async function swMatrix(dgms: Diagram[], M = SW_DIRECTIONS, { signal, onProgress, kind = 'persim' }: RunOptions & { kind?: SlicedKind } = {}): Promise<Float64Array> {
  const k = dgms.length;
  const sw = new Float64Array(k * k);
  const tick = yielder(signal);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) sw[i * k + j] = sw[j * k + i] = slicedDistance(kind, dgms[i], dgms[j], M);
    onProgress?.((i + 1) / k);
    await tick();
  }
  return sw;
}

/** Both matrices of the Layers view: SW on the H1 diagrams (first 30 % of the progress), then CKA. */
export async function layerMatrices(
  clouds: PointCloud[],
  h1: Diagram[],
  { debiased = false, M = SW_DIRECTIONS, kind = 'persim', signal, onProgress }: RunOptions & { debiased?: boolean; M?: number; kind?: SlicedKind } = {},
): Promise<LayerMatrices> {
  const sw = await swMatrix(h1, M, { signal, kind, onProgress: (f) => onProgress?.(0.3 * f) });
  const cka = ckaMatrix(clouds, { debiased, onProgress: (f) => onProgress?.(0.3 + 0.7 * f) });
  return { k: clouds.length, sw, cka, debiased };
}

/** What the report reads off the matrices, over the layer pairs i < j. */
export interface LayerPairStats {
  pairs: number;
  /** Spearman between SW and 1 − CKA (and 1 − debiased CKA): do the two distances rank the pairs alike? */
  spearmanSwCka: number;
  spearmanSwCkaDebiased: number;
  /** Spearman between each distance and the layer gap |i − j| (do distances grow with depth apart?). */
  spearmanSwLayerGap: number;
  spearmanCkaLayerGap: number;
  /** Mean SW (and 1 − CKA) over pairs in the same stage / in different stages. */
  swWithinStage: number;
  swBetweenStages: number;
  oneMinusCkaWithinStage: number;
  oneMinusCkaBetweenStages: number;
}

/** Rank agreement and stage structure of k × k SW and CKA matrices for layers with these indices and stages. */
export function layerPairStats(layers: { index: number; stage: string }[], sw: Float64Array, cka: Float64Array, ckaDebiased: Float64Array): LayerPairStats {
  const L = layers.length;
  const swU = upperTriangle(sw, L);
  const oneMinus = (m: Float64Array) => upperTriangle(m, L).map((v) => 1 - v);
  const gap = new Float64Array(swU.length);
  const sameStage: boolean[] = [];
  for (let i = 0, t = 0; i < L; i++) for (let j = i + 1; j < L; j++, t++) {
    gap[t] = Math.abs(layers[i].index - layers[j].index);
    sameStage.push(layers[i].stage === layers[j].stage);
  }
  const meanWhere = (v: ArrayLike<number>, want: boolean) => {
    let s = 0, n = 0;
    for (let t = 0; t < v.length; t++) if (sameStage[t] === want) { s += v[t]; n++; }
    return n > 0 ? s / n : NaN;
  };
  const ckaDist = oneMinus(cka);
  const pairs = swU.length;
  const sp = (a: ArrayLike<number>, b: ArrayLike<number>) => (pairs >= 2 ? spearman(a, b) : NaN);
  return {
    pairs,
    spearmanSwCka: sp(swU, ckaDist),
    spearmanSwCkaDebiased: sp(swU, oneMinus(ckaDebiased)),
    spearmanSwLayerGap: sp(swU, gap),
    spearmanCkaLayerGap: sp(ckaDist, gap),
    swWithinStage: meanWhere(swU, true),
    swBetweenStages: meanWhere(swU, false),
    oneMinusCkaWithinStage: meanWhere(ckaDist, true),
    oneMinusCkaBetweenStages: meanWhere(ckaDist, false),
  };
}
