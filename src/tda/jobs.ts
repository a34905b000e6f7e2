/**
 * The persistence job API that workers/tda.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): persistence(input, options, jobId, onProgress) runs the core's computePersistenceAsync, which
 * yields every ~50 ms so a cancel(jobId) can arrive; the run then rejects with an AbortError and the API stays usable.
 * Progress is one number in 0…1: distances 0–0.1, H0 0.1–0.2, then each dimension's column reduction in equal shares.
 */
import { jobRegistry, type JobId } from '../abort';
import type { Diagram } from '../types';
import { bottleneck, slicedWasserstein, totalPersistence, wasserstein } from './diagramDistance';
import { computePersistenceAsync, type PersistenceInput, type PersistenceOptions, type PersistenceProgress, type PersistenceResult } from './ripser';

/** The overall fraction done for one step of the engine. */
export function persistenceFraction(p: PersistenceProgress, maxdim: number): number {
  const f = p.stage === 'distances' ? 0.1 * p.fraction : p.stage === 'H0' ? 0.2 : 0.2 + (0.8 * (p.dim - 1 + p.fraction)) / Math.max(1, maxdim);
  return Math.min(1, f);
}

export function createTdaJobApi() {
  const jobs = jobRegistry();
  return {
    persistence(input: PersistenceInput, options: PersistenceOptions = {}, jobId: JobId = 0, onProgress?: (fraction: number) => void): Promise<PersistenceResult> {
      const maxdim = options.maxdim ?? 1;
      return jobs.run(jobId, async (signal) => {
        let last = 0;
        const r = await computePersistenceAsync(input, {
          ...options,
          shouldCancel: () => signal.aborted,
          // Steps come thousands of times a second; a few reports a second are enough (and cross a thread each).
          onProgress: onProgress && ((p) => {
            const now = performance.now();
            if (now - last >= 50) {
              last = now;
              onProgress(persistenceFraction(p, maxdim));
            }
          }),
        });
        onProgress?.(1);
        return r;
      });
    },
    cancel(jobId: JobId): void {
      jobs.cancel(jobId);
    },
    bottleneck: (a: Diagram, b: Diagram) => bottleneck(a, b),
    wasserstein: (a: Diagram, b: Diagram, p = 1) => wasserstein(a, b, p),
    slicedWasserstein: (a: Diagram, b: Diagram, M?: number) => slicedWasserstein(a, b, M),
    totalPersistence: (d: Diagram, p = 1) => totalPersistence(d, p),
  };
}

export type TdaJobApi = ReturnType<typeof createTdaJobApi>;
