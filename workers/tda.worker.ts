/**
 * Persistent homology and diagram distances in a Web Worker, exposed with Comlink.
 *
 * The page calls `persistence(input, options, jobId, Comlink.proxy(onProgress))` and `cancel(jobId)`.
 * Cancelling while busy works without SharedArrayBuffer: the engine is a generator (`persistenceSteps`) that
 * pauses every 2048 reduced columns (and every 64 distance rows); between steps we call `checkpoint(jobId)`
 * every ~50 ms of work, which yields to the event loop (so the cancel message is delivered) and throws an
 * AbortError if the job was cancelled. The generator is then dropped, so its typed arrays are garbage, and the
 * worker stays usable. Progress is one number in 0…1: distances 0–0.1, H0 0.1–0.2, then the column reduction of
 * each dimension in equal shares.
 */
import * as Comlink from 'comlink';
import {
  bottleneck,
  persistenceSteps,
  slicedWasserstein,
  slicedWassersteinExact,
  totalPersistence,
  wasserstein,
  type PersistenceInput,
  type PersistenceOptions,
  type PersistenceResult,
} from '../src/tda/index';
import type { Diagram } from '../src/types';
import { cancelJob, checkpoint, runJob } from './jobs';

const SLICE_MS = 50;

async function persistence(
  input: PersistenceInput,
  options: PersistenceOptions = {},
  jobId = 0,
  onProgress?: (fraction: number) => void,
): Promise<PersistenceResult> {
  return runJob(jobId, async () => {
    const maxdim = options.maxdim ?? 1;
    const steps = persistenceSteps(input, options);
    let last = performance.now();
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) {
        onProgress?.(1);
        return r.value;
      }
      const p = r.value;
      if (performance.now() - last >= SLICE_MS) {
        const overall =
          p.stage === 'distances' ? 0.1 * p.fraction : p.stage === 'H0' ? 0.2 : 0.2 + (0.8 * (p.dim - 1 + p.fraction)) / Math.max(1, maxdim);
        onProgress?.(Math.min(1, overall));
        try {
          await checkpoint(jobId);
        } catch (err) {
          steps.return(undefined as never);
          throw err;
        }
        last = performance.now();
      }
    }
  });
}

const api = {
  persistence,
  cancel(jobId: number): void {
    cancelJob(jobId);
  },
  bottleneck: (a: Diagram, b: Diagram) => bottleneck(a, b),
  wasserstein: (a: Diagram, b: Diagram, p = 1) => wasserstein(a, b, p),
  slicedWasserstein: (a: Diagram, b: Diagram, M = 50) => slicedWasserstein(a, b, M),
  slicedWassersteinExact: (a: Diagram, b: Diagram) => slicedWassersteinExact(a, b),
  totalPersistence: (d: Diagram, p = 1) => totalPersistence(d, p),
};

export type TdaApi = typeof api;
Comlink.expose(api);
