/**
 * A Node worker thread of nodeThreads.ts (one file per worker entry). It gets the run's blocks once (the compiled
 * kernel, the tile rows, the metric space's rows), then sweeps kNN block rows or clusters cover sets, taking work
 * from a counter shared with the other threads, and posts its share back.
 *
 * Started from the sources through mapperThread.boot.cjs (which registers tsx first); in the CLI's esbuild bundle
 * as its own built entry point (see docs/design-notes.md, "Worker threads").
 */
import { parentPort } from 'node:worker_threads';
import type { LeafBlocks, NearBlocks } from './blocks';
import { dbscanCore } from './dbscan';
import { makeDistanceTiles, type DistanceTiles } from './distanceTiles';
import type { KNearest, KnnState } from './knn';
import { knnRunner } from './knn';

/** What the main thread ships once per run: the blocks as plain data, and the rows of the metric space. */
export interface BlocksMessage {
  type: 'blocks';
  module: WebAssembly.Module | null;
  blocks: Pick<LeafBlocks, 'n' | 'nb' | 'perm' | 'pos' | 'blockOf' | 'sqMax' | 'sq32Max'> & {
    d: number;
    nRows: number;
    rows: Float64Array;
    centre: Float64Array;
    maxA: number;
    maxB: number;
  };
  x: Float64Array;
}

/** Sweep rows of the kNN's block sweep (A = counter, counter + 1, …) on a copy of the state; reply its best lists. */
export interface KnnMessage {
  type: 'knn';
  state: KnnState;
  counter: Int32Array;
}

/** Cluster cover sets order[counter], order[counter + 1], …; reply [set, labels] pairs. */
export interface DbscanMessage {
  type: 'dbscan';
  r2: number;
  minSamples: number;
  knn?: KNearest;
  near: NearBlocks;
  sets: Int32Array[];
  order: Int32Array;
  counter: Int32Array;
}

export type ThreadMessage = BlocksMessage | KnnMessage | DbscanMessage;

let shipped: { blocks: BlocksMessage['blocks']; tiles: DistanceTiles; x: Float64Array } | null = null;

/** The blocks' tiles rebuilt in this thread's own kernel memory. */
function receiveBlocks(msg: BlocksMessage): void {
  const { blocks, module, x } = msg;
  const tiles = makeDistanceTiles(module, blocks.nRows, blocks.d, blocks.maxA, blocks.maxB);
  tiles.rows.set(blocks.rows);
  tiles.centre.set(blocks.centre);
  tiles.commit(0, blocks.nRows);
  shipped = { blocks, tiles, x };
}

function sweepKnn({ state, counter }: KnnMessage): void {
  const runner = knnRunner(state, shipped!.tiles);
  for (let A = Atomics.add(counter, 0, 1); A < state.nb; A = Atomics.add(counter, 0, 1)) runner.row(A);
  // The lists came in a structured clone, so their buffers are this thread's own to hand back.
  parentPort!.postMessage({ bi: state.bi, bd: state.bd }, [state.bi.buffer as ArrayBuffer, state.bd.buffer as ArrayBuffer]);
}

function clusterSets({ r2, minSamples, knn, near, sets, order, counter }: DbscanMessage): void {
  const { blocks, tiles, x } = shipped!;
  const done: [number, Int32Array][] = [];
  for (let t = Atomics.add(counter, 0, 1); t < order.length; t = Atomics.add(counter, 0, 1)) {
    const s = order[t];
    done.push([s, dbscanCore({ subset: sets[s], minSamples, r2, x, d: blocks.d, blocks, tiles, near, knn })]);
  }
  parentPort!.postMessage(done);
}

parentPort!.on('message', (msg: ThreadMessage) => {
  if (msg.type === 'blocks') receiveBlocks(msg);
  else if (msg.type === 'knn') sweepKnn(msg);
  else clusterSets(msg);
});
