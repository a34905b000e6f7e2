/**
 * The compare job API that workers/compare.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): each call runs under the page's job id; cancel(jobId) aborts that run's signal, which
 * rejects it with an AbortError at its next yield. The API stays usable after a cancel.
 */
import { jobRegistry, type JobId } from '../abort';
import { unpackDiagram, type PackedDiagram, type SlicedKind } from '../tda/index';
import type { Diagram, PointCloud } from '../types';
import { sameLayerDistances } from './checkpoints';
import { layerMatrices, type LayerMatrices } from './layerMatrices';
import { pcRemovalSensitivity, type Sensitivity } from './sensitivity';
import { rtd, rtdMatrixAsync, type RtdOptions } from './rtd';
import { ckaCrossBlock, swCrossBlock } from './crossSeed';
import { linearCka } from '../similarity/cka';

/** Two models on the same images, layer by layer and the paper's cross block (A's layers × B's layers). */
export interface AcrossModels {
  k: number;
  /** Same layer: SW between H1 diagrams, linear CKA between clouds. */
  sw: number[];
  cka: number[];
  /** k × k row-major: (i, j) = SW(A_i, B_j), CKA(A_i, B_j). */
  crossSw: Float64Array;
  crossCka: Float64Array;
}

/** One pair's R-Cross-Barcodes (H1 of VR(M)) both ways, and their bar-length sums (RTD(A, B), RTD(B, A)). */
export interface CrossBarcodes {
  ab: Diagram;
  ba: Diagram;
  rtdAB: number;
  rtdBA: number;
  /** Images (rows) the trial used. */
  images: number;
}

export interface CompareApi {
  /** `h1` packed (packDiagram): the page sends 17 diagrams of up to 10 000 points, as objects a long clone on its main thread. */
  layerMatrices(clouds: PointCloud[], h1: PackedDiagram[], options: { debiased: boolean; M?: number; kind?: SlicedKind }, jobId: JobId, onProgress?: (f: number) => void): Promise<LayerMatrices>;
  /** SW between a[i] and b[i] for every layer i. */
  sameLayerDistances(a: Diagram[], b: Diagram[], M?: number): Promise<number[]>;
  sensitivity(cloud: PointCloud, options: { maxRemoved: number; M?: number }, jobId: JobId, onProgress?: (f: number) => void): Promise<Sensitivity>;
  /** RTD between layers, k × k (NaN where not computed): only the pairs touching `rows` when given. */
  rtdMatrix(clouds: PointCloud[], options: RtdOptions & { rows?: number[] }, jobId: JobId, onProgress?: (f: number) => void): Promise<Float64Array>;
  /** The cross-barcodes of one pair on one trial of sampled images. */
  crossBarcodes(a: PointCloud, b: PointCloud, options: Pick<RtdOptions, 'sample' | 'seed'>, jobId: JobId): Promise<CrossBarcodes>;
  /** The same layers of two models (same images, same layer order) and their cross blocks. */
  acrossModels(a: { h1: Diagram[]; clouds: PointCloud[] }, b: { h1: Diagram[]; clouds: PointCloud[] }, jobId: JobId, M?: number): Promise<AcrossModels>;
  cancel(jobId: JobId): void;
}

export function createCompareApi(): CompareApi {
  const jobs = jobRegistry();
  return {
    layerMatrices: (clouds, h1, options, jobId, onProgress) => jobs.run(jobId, (signal) => layerMatrices(clouds, h1.map(unpackDiagram), { ...options, signal, onProgress })),
    sameLayerDistances: async (a, b, M) => sameLayerDistances(a, b, M),
    sensitivity: (cloud, options, jobId, onProgress) => jobs.run(jobId, (signal) => pcRemovalSensitivity(cloud, { ...options, signal, onProgress })),
    rtdMatrix: (clouds, options, jobId, onProgress) => jobs.run(jobId, (signal) => rtdMatrixAsync(clouds, { ...options, signal, onProgress })),
    crossBarcodes: (a, b, options, jobId) =>
      jobs.run(jobId, async (signal) => {
        const t = rtd(a, b, { ...options, trials: 1, barcode: true, shouldCancel: () => signal.aborted }).trials[0];
        return { ab: t.barcode!.ab, ba: t.barcode!.ba, rtdAB: t.ab, rtdBA: t.ba, images: t.images.length };
      }),
    acrossModels: (a, b, jobId, M) =>
      jobs.run(jobId, async () => ({
        k: a.h1.length,
        sw: sameLayerDistances(a.h1, b.h1, M),
        cka: a.clouds.map((c, i) => linearCka(c, b.clouds[i])),
        crossSw: swCrossBlock(a.h1, b.h1, M),
        crossCka: ckaCrossBlock(a.clouds, b.clouds),
      })),
    cancel: (jobId) => jobs.cancel(jobId),
  };
}
