/**
 * The PC-removal sensitivity test (method.md §5, after Ding, Denain & Steinhardt 2021): remove a layer's top-k
 * principal components for k = 0, 1, …, and see how far each similarity measure moves.
 */
import { throwIfAborted } from '../abort';
import { linearCka } from '../similarity/cka';
import { principalDirections, removeTopComponents } from '../similarity/pcRemoval';
import { computePersistenceAsync, slicedWasserstein, SW_DIRECTIONS } from '../tda/index';
import type { Diagram, PointCloud } from '../types';
import type { RunOptions } from './layerMatrices';

export interface Sensitivity {
  /** Number of top principal components removed: 0, 1, …, min(maxRemoved, number of components). */
  removed: number[];
  /** SW between the H1 diagram of the original cloud and of the reduced one. */
  sw: number[];
  /** 1 − linear CKA between the original cloud and the reduced one. */
  oneMinusCka: number[];
}

/** The paper's largest number of removed components in our curves. */
export const SENSITIVITY_MAX_REMOVED = 10;

export async function pcRemovalSensitivity(
  cloud: PointCloud,
  {
    maxRemoved = SENSITIVITY_MAX_REMOVED,
    M = SW_DIRECTIONS,
    base,
    signal,
    onProgress,
  }: RunOptions & {
    maxRemoved?: number;
    M?: number;
    /** The original cloud's H1 diagram when the caller has it already. */
    base?: Diagram;
  } = {},
): Promise<Sensitivity> {
  const shouldCancel = () => signal?.aborted ?? false;
  const h1 = async (c: PointCloud) => (await computePersistenceAsync(c, { maxdim: 1, shouldCancel })).dgms[1];
  const pcs = principalDirections(cloud);
  const top = Math.min(maxRemoved, pcs.count);
  const original = base ?? (await h1(cloud));
  const out: Sensitivity = { removed: [], sw: [], oneMinusCka: [] };
  for (let k = 0; k <= top; k++) {
    throwIfAborted(signal);
    const reduced = removeTopComponents(cloud, k, pcs);
    out.removed.push(k);
    out.sw.push(slicedWasserstein(original, await h1(reduced), M));
    out.oneMinusCka.push(1 - linearCka(cloud, reduced));
    onProgress?.((k + 1) / (top + 1));
  }
  return out;
}
