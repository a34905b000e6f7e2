/**
 * The parts of one persistence computation that threads share, and the kernels they run (pure: typed arrays and
 * Atomics only; the threads themselves are started elsewhere — nodeThreads.ts in Node, a worker in the page).
 *
 * On the app's clouds (top-L2 ReLU activations, n = 2000) about half of the time goes before the reduction:
 * the distances, and the apparent-pair test of every edge, which scans up to n vertices per edge looking for the
 * edge's zero-persistence cofacet (short edges scan far). Both are independent per row of the distance matrix,
 * as in Ripser++ (Zhang, Xiao & Wang 2020), which finds all apparent pairs in parallel before the reduction.
 * A task is cut into chunks of rows; every thread, this one included, takes the next chunk from a shared counter
 * (so a thread slowed down by a busy machine just takes fewer chunks) and counts the chunks it finished; the
 * caller waits until all are done. The result is the same bytes whichever thread did which row.
 */
import { distanceRows, type Metric } from './distances';

/** ctrl[0]: the next chunk to take; ctrl[1]: chunks finished; ctrl[2 + c]: 1 once chunk c is finished. */
interface TaskBase {
  ctrl: Int32Array;
  chunks: number;
  rowsPerChunk: number;
  n: number;
}

export interface DistancesTask extends TaskBase {
  kind: 'distances';
  d: number;
  data: Float32Array;
  metric: Metric;
  norms: Float64Array | null;
  D: Float32Array;
}

/** Mark every edge (i, j), j < i, of diameter ≤ threshold that is in an apparent pair: bit C(i, 2) + j of `flags`. */
export interface ApparentEdgesTask extends TaskBase {
  kind: 'apparent-edges';
  D: Float32Array;
  threshold: number;
  flags: Int32Array;
}

export type PhTask = DistancesTask | ApparentEdgesTask;

/**
 * Helper threads for one computation: `post` hands a task (whose arrays are on SharedArrayBuffers) to every helper,
 * which runs `runTask` on it. The calling thread takes chunks too, so `helpers` may be 0.
 */
export interface PhThreads {
  readonly helpers: number;
  post(task: PhTask): void;
}

/** Whether arrays can be shared with other threads here (a page that is not cross-origin isolated cannot). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** A zeroed Float32Array / Int32Array, on a SharedArrayBuffer when `shared`. */
export function float32(length: number, shared: boolean): Float32Array {
  return new Float32Array(shared ? new SharedArrayBuffer(4 * length) : new ArrayBuffer(4 * length));
}
export function int32(length: number, shared: boolean): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(4 * length) : new ArrayBuffer(4 * length));
}

export function taskControl(n: number, rowsPerChunk: number, shared: boolean): Pick<TaskBase, 'ctrl' | 'chunks' | 'rowsPerChunk' | 'n'> {
  const chunks = Math.ceil(n / rowsPerChunk);
  return { ctrl: int32(2 + chunks, shared), chunks, rowsPerChunk, n };
}

/** Run one chunk (rows chunk·rowsPerChunk …). */
export function runChunk(task: PhTask, chunk: number): void {
  const from = chunk * task.rowsPerChunk;
  const to = Math.min(task.n, from + task.rowsPerChunk);
  if (task.kind === 'distances') distanceRows({ n: task.n, d: task.d, data: task.data }, task.metric, task.norms, task.D, from, to);
  else apparentEdgeRows(task.D, task.n, task.threshold, task.flags, from, to);
  Atomics.store(task.ctrl, 2 + chunk, 1);
}

/** Take chunks until none is left; returns how many this thread ran. What a helper thread does with a task. */
export function runTask(task: PhTask): number {
  let ran = 0;
  for (let c = Atomics.add(task.ctrl, 0, 1); c < task.chunks; c = Atomics.add(task.ctrl, 0, 1)) {
    runChunk(task, c);
    ran++;
    Atomics.add(task.ctrl, 1, 1);
    Atomics.notify(task.ctrl, 1);
  }
  return ran;
}

/**
 * How long the caller waits for chunks other threads hold without any of them finishing before it runs those
 * chunks itself. A helper that crashed (or is descheduled on a busy machine) would otherwise hang the run: its
 * crash event cannot even arrive while this thread blocks. Chunks are idempotent (the same distances; apparent-edge
 * bits are or-ed), so running one twice, even at the same time as a slow helper, leaves the result unchanged.
 */
export const STALL_MS = 2000;

/**
 * This thread's share of a task as steps (one per chunk, yielding the chunks finished by all threads), then a wait
 * for the chunks other threads still hold.
 */
export function* shareTask(task: PhTask, threads: PhThreads | undefined): Generator<number, void, undefined> {
  if (threads && threads.helpers > 0) threads.post(task);
  const { ctrl, chunks } = task;
  for (let c = Atomics.add(ctrl, 0, 1); c < chunks; c = Atomics.add(ctrl, 0, 1)) {
    runChunk(task, c);
    yield Atomics.add(ctrl, 1, 1) + 1;
  }
  let last = Atomics.load(ctrl, 1), since = Date.now();
  for (let done = last; done < chunks; done = Atomics.load(ctrl, 1)) {
    if (done !== last) [last, since] = [done, Date.now()];
    else if (Date.now() - since > STALL_MS) {
      for (let c = 0; c < chunks; c++) {
        if (Atomics.load(ctrl, 2 + c) === 1) continue;
        runChunk(task, c);
        yield done;
      }
      return;
    }
    // Atomics.wait is refused on a browser's main thread; there the loop spins on the load instead.
    try {
      Atomics.wait(ctrl, 1, done, 100);
    } catch {
      /* spin */
    }
  }
}

/**
 * Rows from … to − 1 of the apparent-edge test. Edge (i, j), j < i, of diameter d: its zero-persistence pivot
 * cofacet is the triangle {i, j, k} with the largest k such that d(i, k) ≤ d and d(j, k) ≤ d (Ripser's cofacets come
 * in descending k); the edge is apparent when it is that triangle's zero-persistence pivot facet, the first facet of
 * diameter d in Ripser's order (removing the largest vertex first). The facets before {i, j} (the one without k) are
 * those without a vertex larger than k: without i, {j, k}, when i > k; without j, {i, k}, when j > k.
 * Same answer as RipsEngine's zeroApparentCofacet(edge) ≠ −1, without decoding indices.
 */
export function apparentEdgeRows(D: Float32Array, n: number, threshold: number, flags: Int32Array, from: number, to: number): void {
  for (let i = Math.max(1, from); i < to; i++) {
    const ri = i * n;
    const base = (i * (i - 1)) / 2;
    // Bits of this row go into words base >>> 5 …; a word may be shared with the next row (another thread): Atomics.or.
    let word = base >>> 5, bits = 0;
    for (let j = 0; j < i; j++) {
      const d = D[ri + j];
      if (!(d <= threshold)) continue;
      const rj = j * n;
      let k = n - 1;
      for (; k >= 0; k--) {
        if (D[ri + k] <= d && D[rj + k] <= d && k !== i && k !== j) break;
      }
      if (k < 0) continue;
      if ((i > k && D[rj + k] === d) || (j > k && D[ri + k] === d)) continue;
      const bit = base + j;
      if (bit >>> 5 !== word) {
        if (bits) Atomics.or(flags, word, bits);
        word = bit >>> 5;
        bits = 0;
      }
      bits |= 1 << (bit & 31);
    }
    if (bits) Atomics.or(flags, word, bits);
  }
}

/** Whether edge `idx` was marked apparent. */
export function isApparentEdge(flags: Int32Array, idx: number): boolean {
  return (flags[idx >>> 5] & (1 << (idx & 31))) !== 0;
}
