/**
 * The one cancel protocol (docs/architecture.md, "How a job flows"): an `AbortSignal` travels from the page's job
 * to the hot loop; a cancelled run rejects with the Error `abortError()` makes (name 'AbortError', which Comlink
 * keeps across the worker boundary). Pure and DOM-free: the core, the workers and the CLI all use it.
 */

/** The page's and the workers' job id: one number per requested job. */
export type JobId = number;

/** The only place an AbortError is made. */
export function abortError(message = 'the job was cancelled'): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Throw abortError() when `signal` is aborted (a plain `{aborted}` object is accepted too). */
export function throwIfAborted(signal?: { readonly aborted: boolean } | null, message?: string): void {
  if (signal?.aborted) throw abortError(message);
}

/**
 * A single-threaded worker only receives a cancel message while its job yields. `yielder(signal)` gives a `tick()`
 * to call inside long loops: every `everyMs` of work it yields to the event loop once, and it throws abortError()
 * as soon as the signal is aborted.
 */
export function yielder(signal?: AbortSignal, everyMs = 50): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last >= everyMs) {
      await new Promise((r) => setTimeout(r, 0));
      last = performance.now();
    }
    throwIfAborted(signal);
  };
}

/**
 * Jobs by id inside one worker (Comlink-free, testable in Node): `run(id, job)` gives the job an AbortSignal,
 * `cancel(id)` aborts it. A new run under a running id aborts the old one; finished ids are forgotten.
 */
export function jobRegistry() {
  const running = new Map<JobId, AbortController>();
  return {
    async run<T>(id: JobId, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
      running.get(id)?.abort();
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return await job(controller.signal);
      } finally {
        if (running.get(id) === controller) running.delete(id);
      }
    },
    cancel(id: JobId): void {
      running.get(id)?.abort();
    },
  };
}
