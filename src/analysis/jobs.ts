/**
 * The compare job API that workers/compare.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): each call runs under the page's job id; cancel(jobId) aborts that run's signal, which
 * rejects it with an AbortError at its next yield. The API stays usable after a cancel.
 */
import { jobRegistry, type JobId } from '../abort';
import type { SlicedKind } from '../tda/index';
import type { Diagram, PointCloud } from '../types';
import { sameLayerDistances } from './checkpoints';
import { layerMatrices, type LayerMatrices } from './layerMatrices';
import { pcRemovalSensitivity, type Sensitivity } from './sensitivity';

export interface CompareApi {
  layerMatrices(clouds: PointCloud[], h1: Diagram[], options: { debiased: boolean; M?: number; kind?: SlicedKind }, jobId: JobId, onProgress?: (f: number) => void): Promise<LayerMatrices>;
  /** SW between a[i] and b[i] for every layer i. */
  sameLayerDistances(a: Diagram[], b: Diagram[], M?: number): Promise<number[]>;
  sensitivity(cloud: PointCloud, options: { maxRemoved: number; M?: number }, jobId: JobId, onProgress?: (f: number) => void): Promise<Sensitivity>;
  cancel(jobId: JobId): void;
}

export function createCompareApi(): CompareApi {
  const jobs = jobRegistry();
  return {
    layerMatrices: (clouds, h1, options, jobId, onProgress) => jobs.run(jobId, (signal) => layerMatrices(clouds, h1, { ...options, signal, onProgress })),
    sameLayerDistances: async (a, b, M) => sameLayerDistances(a, b, M),
    sensitivity: (cloud, options, jobId, onProgress) => jobs.run(jobId, (signal) => pcRemovalSensitivity(cloud, { ...options, signal, onProgress })),
    cancel: (jobId) => jobs.cancel(jobId),
  };
}
