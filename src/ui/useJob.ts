import { useEffect, useState, useSyncExternalStore } from 'react';
import { isAbort, jobs, type JobContext, type JobInfo } from '../state/jobs';

export interface JobState<T> {
  /** The key of the inputs asked for (null: nothing to compute yet). */
  key: string | null;
  /** The result for exactly `key`: never another key's, so a view cannot show an old result as current. */
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

interface Held<T> {
  key: string | null;
  data: T | undefined;
  error: string | null;
}

/**
 * The result of the tracked job named by `key`. The state remembers which key its result belongs to, and the
 * hook hands out a result only for the key asked for now. When the key changes or the component unmounts, this
 * view stops waiting, and a job nobody else waits for is cancelled in its worker.
 */
export function useJob<T>(
  key: string | null,
  label: string,
  run: (ctx: JobContext) => Promise<T>,
  cancelWorker: (jobId: number) => void,
  bytes?: (v: T) => number,
): JobState<T> {
  const [held, setHeld] = useState<Held<T>>(() => ({ key, data: key ? jobs.peek<T>(key) : undefined, error: null }));
  useEffect(() => {
    if (key === null) return;
    const cached = jobs.peek<T>(key);
    if (cached !== undefined) {
      setHeld({ key, data: cached, error: null });
      return;
    }
    const { promise, release } = jobs.request(key, label, run, cancelWorker, bytes);
    let live = true;
    promise.then(
      (data) => live && setHeld({ key, data, error: null }),
      (err: unknown) => {
        if (!live || isAbort(err)) return;
        setHeld({ key, data: undefined, error: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      live = false;
      release();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `run`, `label` and `bytes` are described by `key`; a new closure with the same key is the same job
  }, [key]);
  if (key === null) return { key, data: undefined, error: null, loading: false };
  if (held.key === key) {
    // A result put in the cache from elsewhere (the files of a linked dataset dropped again) supersedes a failure.
    const data = held.data ?? (held.error !== null ? jobs.peek<T>(key) : undefined);
    const error = data === undefined ? held.error : null;
    return { key, data, error, loading: data === undefined && error === null };
  }
  // The key just changed: a cached result is current at once; what we hold belongs to the previous key, never shown.
  const cached = jobs.has(key) ? jobs.peek<T>(key) : undefined;
  return { key, data: cached, error: null, loading: cached === undefined };
}

export function useRunningJobs(): JobInfo[] {
  return useSyncExternalStore(jobs.subscribe, jobs.jobs);
}

/**
 * The keys of the running jobs, as one string: it changes when a job starts or ends but not on a progress update,
 * so a component that only needs "a job ended" (the App's strip figures) is not re-rendered, with the whole page
 * under it, a few times a second per running job (a progress tick was a 0.2–0.4 s main-thread task at 4000 images).
 */
export function useRunningKeys(): string {
  return useSyncExternalStore(jobs.subscribe, runningKeys);
}

let lastJobs: JobInfo[] | null = null;
let lastKeys = '';
function runningKeys(): string {
  const list = jobs.jobs();
  if (list !== lastJobs) [lastJobs, lastKeys] = [list, list.map((j) => j.key).join('\n')];
  return lastKeys;
}
