/**
 * Long work the page asks of its workers, tracked in one place: results are cached by a key that names every input
 * (dataset, model, layer, cloud, parameters), a second request for a running key shares the running job, and each
 * running job shows progress and can be cancelled. A view whose key changes cancels the job it no longer needs.
 *
 * The cache holds at most `budgetBytes` of results: the least recently used are evicted first (a running job is
 * not in the cache, so it is never evicted). Sizes come from `byteSize`, which counts every typed array (each
 * buffer once) and the plain arrays and objects around them, so no long-lived array escapes the budget.
 */
import { abortError, type JobId } from '../abort';
import { byteSize } from './byteSize';

export { isAbort } from '../abort';

/** Default cache budget: a few hundred MB, well under a tab's limit with the workers' own memory beside it. */
export const DEFAULT_CACHE_BYTES = 300 * 1024 * 1024;

export interface JobInfo {
  key: string;
  label: string;
  /** 0…1, or NaN when unknown. */
  fraction: number;
  cancel(): void;
}

export interface JobContext {
  /** Worker-side id to pass along so the worker can cancel this exact job. */
  jobId: JobId;
  onProgress(fraction: number): void;
  /** Aborted once the job is cancelled: page-side loops (one job made of several) stop early (throwIfAborted). */
  signal: AbortSignal;
}

interface Running<T> {
  info: JobInfo;
  promise: Promise<T>;
  /** Views currently waiting for it; the job is cancelled when the last one leaves. */
  waiters: number;
  cancelled: boolean;
}

type Listener = () => void;


interface Cached {
  value: unknown;
  bytes: number;
}

export class JobTracker {
  /** In least- to most-recently-used order (a Map keeps insertion order; a use re-inserts). */
  private cache = new Map<string, Cached>();
  private cachedBytes = 0;
  private running = new Map<string, Running<unknown>>();
  private listeners = new Set<Listener>();
  private nextJobId = 1;
  private snapshot: JobInfo[] = [];

  constructor(readonly budgetBytes = DEFAULT_CACHE_BYTES) {}

  /** The page's one job-id counter (ids name jobs in their worker; a direct worker call takes one here too). */
  newJobId(): JobId {
    return this.nextJobId++;
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** The running jobs (a stable array between changes, for useSyncExternalStore). */
  jobs = (): JobInfo[] => this.snapshot;

  private changed(): void {
    this.snapshot = [...this.running.values()].map((r) => r.info);
    for (const l of this.listeners) l();
  }

  /** The cached result for `key` (and marks it recently used). */
  peek<T>(key: string): T | undefined {
    const c = this.cache.get(key);
    if (!c) return undefined;
    this.cache.delete(key);
    this.cache.set(key, c);
    return c.value as T;
  }

  has(key: string): boolean {
    return this.cache.has(key);
  }

  /** Bytes held by cached results. */
  bytes(): number {
    return this.cachedBytes;
  }

  /** Put a result computed elsewhere into the cache. */
  put<T>(key: string, value: T, bytes: (v: T) => number = byteSize): void {
    this.store(key, value, bytes(value));
  }

  private store(key: string, value: unknown, bytes: number): void {
    const old = this.cache.get(key);
    if (old) {
      this.cachedBytes -= old.bytes;
      this.cache.delete(key);
    }
    this.cache.set(key, { value, bytes });
    this.cachedBytes += bytes;
    // Oldest first; the entry just stored stays even when it alone is over the budget (a view is showing it).
    for (const [k, c] of this.cache) {
      if (this.cachedBytes <= this.budgetBytes || k === key) break;
      this.cache.delete(k);
      this.cachedBytes -= c.bytes;
    }
  }

  /**
   * The cached result for `key`, or the running job's, or a new job. `release()` says the caller no longer waits;
   * a job nobody waits for is cancelled (through `cancelWorker`).
   */
  request<T>(
    key: string,
    label: string,
    run: (ctx: JobContext) => Promise<T>,
    cancelWorker: (jobId: JobId) => void,
    bytes: (v: T) => number = byteSize,
  ): { promise: Promise<T>; release: () => void } {
    if (this.cache.has(key)) return { promise: Promise.resolve(this.peek<T>(key) as T), release: () => {} };
    let job = this.running.get(key) as Running<T> | undefined;
    if (!job) {
      const jobId = this.newJobId();
      const controller = new AbortController();
      const info: JobInfo = {
        key,
        label,
        fraction: NaN,
        cancel: () => {
          const r = this.running.get(key);
          if (!r || r.cancelled) return;
          r.cancelled = true;
          controller.abort();
          cancelWorker(jobId);
          this.running.delete(key);
          this.changed();
        },
      };
      let lastReport = 0;
      const ctx: JobContext = {
        jobId,
        signal: controller.signal,
        onProgress: (f) => {
          info.fraction = f;
          // Progress can arrive thousands of times a second; the page needs a few updates a second.
          const now = performance.now();
          if (now - lastReport > 100 || f >= 1) {
            lastReport = now;
            this.changed();
          }
        },
      };
      const started = performance.now();
      // On the page's Performance timeline, for the first-diagram bench (bench/sections/firstdiagram.ts).
      const measure = () => performance.measure?.(`job: ${label}`, { start: started });
      const promise = run(ctx).then(
        (value) => {
          measure();
          if (this.running.get(key) === job) {
            this.store(key, value, bytes(value));
            this.running.delete(key);
            this.changed();
          }
          if (job!.cancelled) throw abortError();
          return value;
        },
        (err: unknown) => {
          measure();
          if (this.running.get(key) === job) {
            this.running.delete(key);
            this.changed();
          }
          throw job!.cancelled ? abortError() : err;
        },
      );
      job = { info, promise, waiters: 0, cancelled: false };
      // Nobody may be waiting when it fails; keep unhandled-rejection noise out of the console.
      promise.catch(() => {});
      this.running.set(key, job as Running<unknown>);
      this.changed();
    }
    const j = job;
    j.waiters++;
    let released = false;
    return {
      promise: j.promise,
      release: () => {
        if (released) return;
        released = true;
        j.waiters--;
        if (j.waiters <= 0 && this.running.get(key) === j) j.info.cancel();
      },
    };
  }
}

export const jobs = new JobTracker();
