/**
 * Node only (the browser build never imports this file): worker threads that share one persistence computation's
 * distances and apparent-edge test (see parallel.ts). The threads boot while this thread starts on the distances;
 * a task posted before a helper is up simply waits in its queue, and this thread takes every chunk it can meanwhile.
 *
 * Use: computePersistenceInThreads(input, options), or nodePersistenceThreads() passed as `threads` to
 * computePersistence / persistenceSteps (close() it after).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PhTask, PhThreads } from './parallel';
import { computePersistence, type PersistenceInput, type PersistenceOptions, type PersistenceResult, type RunHooks } from './ripser';

// Named as `new URL('./x.worker.ts', import.meta.url)`: the CLI's esbuild bundle builds it as an extra entry point
// and rewrites this reference to the built .js sibling. From the sources a worker thread has no TypeScript loader,
// so phThread.boot.cjs registers tsx there first.
const WORKER_ENTRY = new URL('./phThread.worker.ts', import.meta.url);

function startWorker(): Worker {
  const w = WORKER_ENTRY.pathname.endsWith('.ts')
    ? new Worker(new URL('phThread.boot.cjs', WORKER_ENTRY), { workerData: { entry: WORKER_ENTRY.href }, execArgv: [] })
    : new Worker(WORKER_ENTRY);
  // An idle helper must not keep the process alive.
  w.unref();
  return w;
}

/** The default: every core, at most 2 (the page and the bench machine have two). */
export function defaultThreads(): number {
  return Math.min(2, availableParallelism());
}

export interface NodePersistenceThreads extends PhThreads {
  close(): Promise<void>;
}

/** `threads` threads in all, this one included (integer ≥ 1; default: defaultThreads()). */
export function nodePersistenceThreads(threads = defaultThreads()): NodePersistenceThreads {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be an integer ≥ 1 (got ${threads})`);
  let workers = Array.from({ length: threads - 1 }, startWorker);
  // Without an 'error' listener a helper's crash would be thrown in this thread. A stopped helper gets no more tasks,
  // so later runs do not wait STALL_MS for it (parallel.ts); this thread then takes every chunk.
  let stopped = false;
  for (const w of workers) w.on('exit', () => (stopped = true)).on('error', () => (stopped = true));
  return {
    helpers: workers.length,
    post(task: PhTask): void {
      if (!stopped) for (const w of workers) w.postMessage(task);
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.terminate()));
      workers = [];
    },
  };
}

/**
 * computePersistence on `threads` threads (default: defaultThreads()); the same result as on one. Below
 * THREADS_FROM_POINTS points one thread is used unless `threads` is given: booting a thread costs more than it saves.
 */
export async function computePersistenceInThreads(
  input: PersistenceInput,
  options: Omit<PersistenceOptions, 'threads'> & RunHooks & { threads?: number } = {},
): Promise<PersistenceResult> {
  const { threads, ...rest } = options;
  const count = threads ?? (input.n >= THREADS_FROM_POINTS ? defaultThreads() : 1);
  if (count <= 1) return computePersistence(input, rest);
  const pool = nodePersistenceThreads(count);
  try {
    return computePersistence(input, { ...rest, threads: pool });
  } finally {
    await pool.close();
  }
}

/**
 * Below this a computation takes well under a second and a helper's start-up (tens of ms) is a large share of it.
 * Chosen, not yet measured on a quiet machine (the bench's app-cloud rows are the place to check it).
 */
export const THREADS_FROM_POINTS = 400;
