/**
 * Node only (the browser build never imports this file): the knee's k nearest neighbours on several threads.
 * The main thread builds the blocks and does the warm start, then it and each worker thread take rows of the
 * block sweep from one shared counter, every thread keeping its own best lists; the lists are merged at the end.
 * Every block pair is still visited exactly once, so the result equals kNearest's.
 *
 * Pass it to buildMapper as a hook: buildMapper(cloud, options, { kNearest: (space, k) => kNearestThreaded(space, k) }).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LeafBlocks } from './blocks';
import { distanceTilesBytes, makeDistanceTiles } from './distanceTiles';
import { knnFinish, knnPrepare, knnRunner, mergeKnnLists, type KNearest, type KnnState } from './knn';
import type { MetricSpace } from './space';

// The worker runs knnRunner and makeDistanceTiles from their source text (both are self-contained), so no
// TypeScript loader is needed in the worker; it gets the kernel's bytes and its own copy of the tile rows.
// __name: the helper esbuild-based loaders (tsx) may reference inside transpiled function bodies.
const workerSource = `
const __name = (f) => f;
const makeDistanceTiles = ${makeDistanceTiles.toString()};
const knnRunner = ${knnRunner.toString()};
const { parentPort } = require('node:worker_threads');
parentPort.once('message', ({ state, counter, bytes }) => {
  const tiles = makeDistanceTiles(bytes, state.rows, state.n + state.nb, state.d, state.maxA, state.maxB);
  const runner = knnRunner(state, tiles);
  for (let A = Atomics.add(counter, 0, 1); A < state.nb; A = Atomics.add(counter, 0, 1)) runner.row(A);
  parentPort.postMessage({ bi: state.bi, bd: state.bd }, [state.bi.buffer, state.bd.buffer]);
});
`;

export interface ThreadedKnnOptions {
  /** Threads in all, this one included, integer ≥ 1. Default: 2, or 1 on a single core. */
  threads?: number;
  /** Whether this thread sweeps rows too (false leaves every row to the workers; for tests). Default true. */
  mainThreadSweeps?: boolean;
}

/** Exact k nearest neighbours of every point (as kNearest), on several threads. */
export async function kNearestThreaded(cloud: MetricSpace | LeafBlocks, k: number, options: ThreadedKnnOptions = {}): Promise<KNearest> {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  const mainSweeps = options.mainThreadSweeps ?? true;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1 (got ${threads})`);
  if (!mainSweeps && threads < 2) throw new RangeError('mainThreadSweeps = false needs threads ≥ 2');
  // Start the workers first: they boot while this thread builds the tree.
  const workers = Array.from({ length: threads - 1 }, () => new Worker(workerSource, { eval: true }));
  try {
    const { state, blocks } = knnPrepare(cloud, k);
    const runner = knnRunner(state, blocks.tiles);
    runner.warm();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const results = workers.map(
      (w) =>
        new Promise<{ bi: Int32Array; bd: Float64Array }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`kNN worker exited early (code ${code})`)));
        }),
    );
    const shipped: KnnState = { ...state };
    const bytes = blocks.tiles.kind === 'wasm-simd' ? distanceTilesBytes() : null;
    for (const w of workers) w.postMessage({ state: shipped, counter, bytes });
    if (mainSweeps) for (let A = Atomics.add(counter, 0, 1); A < state.nb; A = Atomics.add(counter, 0, 1)) runner.row(A);
    for (const r of await Promise.all(results)) mergeKnnLists(state, r.bi, r.bd);
    return knnFinish(blocks.space, state, blocks.perm);
  } finally {
    for (const w of workers) void w.terminate();
  }
}
