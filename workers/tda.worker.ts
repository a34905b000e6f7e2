/**
 * Persistent homology and diagram distances in a Web Worker: exposes src/tda/jobs.ts through Comlink. The page
 * calls `persistence(input, options, jobId, Comlink.proxy(onProgress))` and `cancel(jobId)`; the core's generator
 * yields every ~50 ms so the cancel message is delivered, and a cancelled run rejects with an AbortError.
 * With `options.threads` > 1 on a cross-origin isolated page, one run shares its distances and apparent-edge test
 * with helper workers (tdaHelper.worker.ts) started from here; elsewhere it runs on this thread alone.
 */
import * as Comlink from 'comlink';
import { createTdaJobApi, type TdaJobApi } from '../src/tda/jobs';
import { canShareMemory, type PhTask, type PhThreads } from '../src/tda/parallel';

function helperThreads(threads: number): PhThreads | undefined {
  if (!canShareMemory()) return undefined;
  let helpers: Worker[];
  try {
    helpers = Array.from({ length: threads - 1 }, () => new Worker(new URL('./tdaHelper.worker.ts', import.meta.url), { type: 'module' }));
  } catch {
    return undefined; // a browser without nested workers: this thread alone
  }
  // A helper that fails to load or throws gets no more tasks, so later runs do not wait STALL_MS for it (parallel.ts).
  let stopped = false;
  for (const w of helpers) w.onerror = w.onmessageerror = () => void (stopped = true);
  return {
    helpers: helpers.length,
    post: (task: PhTask) => {
      if (!stopped) for (const w of helpers) w.postMessage(task);
    },
  };
}

// Results move their typed arrays (packed cocycles) instead of cloning them.
const api: TdaJobApi = createTdaJobApi(helperThreads, (value, buffers) => Comlink.transfer(value, buffers));
Comlink.expose(api);

export type TdaApi = TdaJobApi;
