/**
 * The persistence job API that workers/tda.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): persistence(input, options, jobId, onProgress) runs the core's computePersistenceAsync, which
 * yields every ~50 ms so a cancel(jobId) can arrive; the run then rejects with an AbortError and the API stays usable.
 * Progress is one number in 0…1: distances 0–0.1, H0 (the apparent-edge test, then Kruskal) 0.1–0.2, then each
 * dimension's column reduction in equal shares.
 * `options.threads` (default 1) asks for that many threads in one computation; the worker passes a `helpers` factory
 * that starts the extra ones (it returns undefined where memory cannot be shared: one thread then).
 * Cocycles come back packed in typed arrays (packedCocycles.ts; the engine packs them as it goes), handed to `transfer` (the worker's
 * Comlink.transfer) so they move instead of being cloned; their loops are closed one class at a time by `loop`.
 */
import { jobRegistry, throwIfAborted, type JobId } from '../abort';
import type { Diagram } from '../types';
import { bottleneck, slicedWasserstein, totalPersistence, wasserstein } from './diagramDistance';
import { greedyLandmarks, landmarkInput } from './landmarks';
import type { PhThreads } from './parallel';
import { edgePairs, type PackedCocycles } from './packedCocycles';
import { closeLoop, computePersistenceAsync, type H1Loop, type PersistenceInput, type PersistenceOptions, type PersistenceProgress, type PersistenceResult } from './ripser';
import type { Metric } from './distances';

/**
 * What the page may ask for: the engine's options, with threads as a count (plain data, it crosses a worker
 * boundary), and `landmarks`: compute on that many greedy-permutation landmarks of the cloud instead (in the worker:
 * picking them is O(n · count) distances).
 */
export type TdaJobOptions = Omit<PersistenceOptions, 'threads'> & { threads?: number; landmarks?: number };

/**
 * A run on landmarks: which points (the result's vertex numbers index `indices`) and the cover radius ε, so the
 * bottleneck distance to the exact diagrams is ≤ 2ε (landmarks.ts).
 */
export interface LandmarkRun {
  /** Points of the whole cloud. */
  n: number;
  indices: Int32Array;
  radius: number;
}

export type TdaJobResult = Omit<PersistenceResult, 'cocycles' | 'packedCocycles'> & { cocycles?: PackedCocycles; landmarks?: LandmarkRun };

/** Hands a result to the thread boundary with the buffers it may move (identity where nothing crosses). */
export type Transfer = <T>(value: T, buffers: ArrayBuffer[]) => T;

/** The overall fraction done for one step of the engine. */
export function persistenceFraction(p: PersistenceProgress, maxdim: number): number {
  const f = p.stage === 'distances' ? 0.1 * p.fraction : p.stage === 'H0' ? 0.1 + 0.1 * p.fraction : 0.2 + (0.8 * (p.dim - 1 + p.fraction)) / Math.max(1, maxdim);
  return Math.min(1, f);
}

export function createTdaJobApi(helpers?: (threads: number) => PhThreads | undefined, transfer: Transfer = (v) => v) {
  const jobs = jobRegistry();
  // Helper threads are started at the first run that asks for them and kept for the next ones.
  const pools = new Map<number, PhThreads | undefined>();
  const pool = (threads: number): PhThreads | undefined => {
    if (threads <= 1 || !helpers) return undefined;
    if (!pools.has(threads)) pools.set(threads, helpers(threads));
    return pools.get(threads);
  };
  return {
    persistence(input: PersistenceInput, options: TdaJobOptions = {}, jobId: JobId = 0, onProgress?: (fraction: number) => void): Promise<TdaJobResult> {
      const maxdim = options.maxdim ?? 1;
      const { threads = 1, landmarks: count, ...engineOptions } = options;
      if (!Number.isInteger(threads) || threads < 1) return Promise.reject(new RangeError(`threads must be an integer ≥ 1 (got ${threads})`));
      if (count !== undefined && !(Number.isInteger(count) && count >= 1)) return Promise.reject(new RangeError(`landmarks must be an integer ≥ 1 (got ${count})`));
      return jobs.run(jobId, async (signal) => {
        let last = 0;
        // Fewer landmarks than points: the diagrams of the landmarks' sub-cloud. As many or more: the exact run.
        const lm = count !== undefined && count < input.n ? greedyLandmarks(input, count, engineOptions.metric) : undefined;
        throwIfAborted(signal);
        const run = await computePersistenceAsync(lm ? landmarkInput(input, lm.indices) : input, {
          ...engineOptions,
          // Packed by the engine itself: no per-edge arrays in this worker's heap (hundreds of MB at 10 000 points).
          cocycles: engineOptions.cocycles ? 'packed' : false,
          threads: pool(threads),
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
        const r: TdaJobResult = { dgms: run.dgms, threshold: run.threshold };
        if (run.packedCocycles) r.cocycles = run.packedCocycles;
        if (lm) r.landmarks = { n: input.n, indices: lm.indices, radius: lm.radius };
        return transfer(r, r.cocycles ? [r.cocycles.offsets.buffer, r.cocycles.edges.buffer] : []);
      });
    },
    /**
     * The loop of one H1 class of a run (`closeLoop`): the cocycle's bar birth and edges (i, j pairs), from the same
     * cloud and metric; on a landmark run, `landmarks` are the run's indices (the loop's vertices index them).
     */
    loop(input: PersistenceInput, cocycle: { birth: number; edges: Int32Array }, options: { metric?: Metric; landmarks?: Int32Array } = {}, jobId: JobId = 0): Promise<H1Loop> {
      return jobs.run(jobId, async () => {
        const on = options.landmarks ? landmarkInput(input, options.landmarks) : input;
        return closeLoop(on, { birth: cocycle.birth, edges: edgePairs(cocycle.edges) }, options.metric);
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
