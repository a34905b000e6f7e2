/**
 * Node only (the browser build never imports this file): buildMapper's two expensive stages on every core.
 *
 * One worker thread per extra core boots while this thread builds the blocks, then
 * - the knee's kNN: this thread does the warm start, then it and the workers take rows of the block sweep from a
 *   shared counter, each thread keeping its own best lists, merged at the end (every block pair is still visited
 *   once, so the result equals kNearest's);
 * - DBSCAN: the threads take cover sets, largest first, from a shared counter.
 * Workers are mapperThread.worker.ts (knnRunner and dbscanCore on their own distance tiles); they get the compiled
 * kernel and copies of the rows. Results equal the single-thread ones exactly.
 *
 * Use: buildMapperInThreads(cloud, options), or pass nodeThreads()'s kNearest / clusterSets as buildMapper hooks.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PointCloud } from '../types';
import { leafBlocks, nearBlocks, type LeafBlocks } from './blocks';
import { dbscanCore } from './dbscan';
import { distanceTilesModule } from './distanceTiles';
import { knnFinish, knnPrepare, knnRunner, mergeKnnLists, type KNearest } from './knn';
import { buildMapper, type ClusterSetsJob, type MapperGraph, type MapperHooks, type MapperOptions } from './mapper';
import type { BlocksMessage, DbscanMessage, KnnMessage } from './mapperThread.worker';
import { squaredRadius, type MetricSpace } from './space';

// The worker entry, named as `new URL('./x.ts', import.meta.url)`: the CLI's esbuild bundle builds it as an extra
// entry point and rewrites this reference to the built .js sibling. From the sources (tsx, vitest) a worker thread
// has no TypeScript loader, so mapperThread.boot.cjs registers tsx there first.
const WORKER_ENTRY = new URL('./mapperThread.worker.ts', import.meta.url);

function startWorker(): Worker {
  if (!WORKER_ENTRY.pathname.endsWith('.ts')) return new Worker(WORKER_ENTRY);
  return new Worker(new URL('mapperThread.boot.cjs', WORKER_ENTRY), { workerData: { entry: WORKER_ENTRY.href }, execArgv: [] });
}

export interface NodeThreadsOptions {
  /** Threads in all, this one included, integer ≥ 1. Default: 2, or 1 on a single core. */
  threads?: number;
  /** Whether this thread takes work too (false leaves every row and set to the workers; for tests). Default true. */
  mainThreadWorks?: boolean;
}

export interface NodeThreads {
  kNearest: NonNullable<MapperHooks['kNearest']>;
  clusterSets: NonNullable<MapperHooks['clusterSets']>;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

/** buildMapper hooks that share the kNN sweep and the cover sets' DBSCAN with worker threads. */
export function nodeThreads(options: NodeThreadsOptions = {}): NodeThreads {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  const mainWorks = options.mainThreadWorks ?? true;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1 (got ${threads})`);
  if (!mainWorks && threads < 2) throw new RangeError('mainThreadWorks = false needs threads ≥ 2');
  let workers: Worker[] = [];
  let shipped: LeafBlocks | null = null;
  // Workers start at the first call, before the blocks are built, so that they boot meanwhile.
  const start = (): void => {
    if (workers.length === 0) workers = Array.from({ length: threads - 1 }, startWorker);
  };
  const ship = (blocks: LeafBlocks): void => {
    if (shipped === blocks) return;
    shipped = blocks;
    const module = blocks.tiles.kind === 'wasm-simd' ? distanceTilesModule() : null;
    const { n, nb, perm, pos, blockOf, sqMax, sq32Max, tiles } = blocks;
    const { rows, centre, nRows } = tiles;
    const payload = { n, nb, d: blocks.space.d, perm, pos, blockOf, sqMax, sq32Max, nRows, rows, centre, maxA: tiles.ia.length, maxB: tiles.ib.length };
    const message: BlocksMessage = { type: 'blocks', module, blocks: payload, x: blocks.space.x };
    for (const w of workers) w.postMessage(message);
  };
  const reply = <T>(w: Worker): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: T): void => { off(); resolve(m); };
      const onError = (e: Error): void => { off(); reject(e); };
      const onExit = (code: number): void => { off(); reject(new Error(`Mapper worker thread exited early (code ${code})`)); };
      const off = (): void => { w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit); };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
    });
  const counter = (): Int32Array => new Int32Array(new SharedArrayBuffer(4));

  return {
    async kNearest(makeBlocks: () => LeafBlocks, k: number): Promise<KNearest> {
      start();
      const blocks = makeBlocks();
      ship(blocks);
      const { state } = knnPrepare(blocks, k);
      const runner = knnRunner(state, blocks.tiles);
      runner.warm();
      const next = counter();
      const results = workers.map((w) => reply<{ bi: Int32Array; bd: Float64Array }>(w));
      const message: KnnMessage = { type: 'knn', state: { ...state }, counter: next };
      for (const w of workers) w.postMessage(message);
      if (mainWorks) for (let A = Atomics.add(next, 0, 1); A < state.nb; A = Atomics.add(next, 0, 1)) runner.row(A);
      for (const r of await Promise.all(results)) mergeKnnLists(state, r.bi, r.bd);
      return knnFinish(blocks.space, state, blocks.perm);
    },

    async clusterSets({ blocks, sets, eps, minSamples, knn }: ClusterSetsJob): Promise<Int32Array[]> {
      start();
      ship(blocks);
      const r2 = squaredRadius(eps, blocks.space.metric);
      // Largest sets first, so that the threads finish together.
      const order = Int32Array.from(sets.keys()).sort((a, b) => sets[b].length - sets[a].length);
      const near = nearBlocks(blocks, Math.sqrt(r2));
      const next = counter();
      const results = workers.map((w) => reply<[number, Int32Array][]>(w));
      const message: DbscanMessage = { type: 'dbscan', r2, minSamples, knn, near, sets, order, counter: next };
      for (const w of workers) w.postMessage(message);
      const labels: Int32Array[] = new Array(sets.length);
      if (mainWorks) {
        const { space, tiles } = blocks;
        for (let t = Atomics.add(next, 0, 1); t < order.length; t = Atomics.add(next, 0, 1)) {
          const s = order[t];
          labels[s] = dbscanCore({ subset: sets[s], minSamples, r2, x: space.x, d: space.d, blocks, tiles, near, knn });
        }
      }
      for (const r of await Promise.all(results)) for (const [s, l] of r) labels[s] = l;
      return labels;
    },

    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
      workers = [];
    },
  };
}

/**
 * Below this many coordinates (n × d) a worker thread costs more than it saves: booting it and copying the rows
 * compete with this thread for the same two cores (measured: 10 000 × 64 ran 15–40 % slower on two threads,
 * 50 000 × 128 30 % faster).
 */
export const THREADS_FROM_COORDINATES = 2_000_000;

/**
 * buildMapper with its kNN sweep and DBSCAN shared by worker threads (Node), for clouds of at least
 * THREADS_FROM_COORDINATES coordinates unless threadOptions.threads says otherwise. Same graph as buildMapper.
 */
export async function buildMapperInThreads(
  cloud: PointCloud,
  options: MapperOptions = {},
  hooks: Omit<MapperHooks, 'kNearest' | 'clusterSets'> = {},
  threadOptions: NodeThreadsOptions = {},
): Promise<MapperGraph> {
  if (threadOptions.threads === undefined && cloud.n * cloud.d < THREADS_FROM_COORDINATES) return buildMapper(cloud, options, hooks);
  const t = nodeThreads(threadOptions);
  try {
    return await buildMapper(cloud, options, { ...hooks, kNearest: t.kNearest, clusterSets: t.clusterSets });
  } finally {
    void t.close();
  }
}

/** Exact k nearest neighbours of every point (as kNearest), on several threads. */
export async function kNearestThreaded(cloud: MetricSpace | LeafBlocks, k: number, options: NodeThreadsOptions = {}): Promise<KNearest> {
  const t = nodeThreads(options);
  try {
    return await t.kNearest(() => ('tiles' in cloud ? cloud : leafBlocks(cloud)), k);
  } finally {
    void t.close();
  }
}
