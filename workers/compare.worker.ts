/**
 * Comparing layers: the layer × layer sliced-Wasserstein matrix on H1 beside the CKA matrix, the same layer across
 * models, and the PC-removal sensitivity curves (method.md §5). Pure code from src/, exposed with progress and cancel.
 */
import * as Comlink from 'comlink';
import { ckaMatrix, linearCka } from '../src/similarity/cka';
import { principalDirections, removeTopComponents } from '../src/similarity/pcRemoval';
import { computePersistenceAsync, slicedDistance, slicedWasserstein, type SlicedKind } from '../src/tda/index';
import type { Diagram, PointCloud } from '../src/types';
import type { LayerMatrices } from '../src/analysis/layerMatrices';
import type { Sensitivity } from '../src/analysis/sensitivity';
import { cancelJob, checkpoint, isCancelled, runJob } from './jobs';

export interface CompareApi {
  layerMatrices(clouds: PointCloud[], h1: Diagram[], options: { debiased: boolean; M: number; kind?: SlicedKind }, jobId: number, onProgress?: (f: number) => void): Promise<LayerMatrices>;
  diagramDistances(pairs: [Diagram, Diagram][], M: number): Promise<number[]>;
  sensitivity(cloud: PointCloud, options: { maxRemoved: number; M: number }, jobId: number, onProgress?: (f: number) => void): Promise<Sensitivity>;
  cancel(jobId: number): void;
}

const api: CompareApi = {
  layerMatrices(clouds, h1, { debiased, M, kind = 'persim' }, jobId, onProgress) {
    return runJob(jobId, async () => {
      const k = clouds.length;
      const sw = new Float64Array(k * k);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < i; j++) sw[i * k + j] = sw[j * k + i] = slicedDistance(kind, h1[i], h1[j], M);
        onProgress?.((0.3 * (i + 1)) / k);
        await checkpoint(jobId);
      }
      // CKA clouds must be per image; the channel cloud (points = channels) is compared on its transpose's rows.
      const cka = ckaMatrix(clouds, { debiased, onProgress: (f) => onProgress?.(0.3 + 0.7 * f) });
      return Comlink.transfer({ k, sw, cka, debiased }, [sw.buffer, cka.buffer]);
    });
  },

  async diagramDistances(pairs, M) {
    return pairs.map(([a, b]) => slicedWasserstein(a, b, M));
  },

  sensitivity(cloud, { maxRemoved, M }, jobId, onProgress) {
    return runJob(jobId, async () => {
      const pcs = principalDirections(cloud);
      const top = Math.min(maxRemoved, pcs.count);
      const shouldCancel = () => isCancelled(jobId);
      const base = await computePersistenceAsync(cloud, { maxdim: 1, shouldCancel });
      const out: Sensitivity = { removed: [], sw: [], oneMinusCka: [] };
      for (let k = 0; k <= top; k++) {
        await checkpoint(jobId);
        const reduced = removeTopComponents(cloud, k, pcs);
        const r = await computePersistenceAsync(reduced, { maxdim: 1, shouldCancel });
        out.removed.push(k);
        out.sw.push(slicedWasserstein(base.dgms[1], r.dgms[1], M));
        out.oneMinusCka.push(1 - linearCka(cloud, reduced));
        onProgress?.((k + 1) / (top + 1));
      }
      return out;
    });
  },

  cancel: cancelJob,
};

Comlink.expose(api);
