import { useEffect, useState, useSyncExternalStore } from 'react';
import { isAbort, jobs, type JobContext, type JobInfo } from '../state/jobs';

export interface JobState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
}

/**
 * The result of the tracked job named by `key` (null: nothing to compute yet). When the key changes or the
 * component unmounts, this view stops waiting, and a job nobody else waits for is cancelled in its worker.
 */
export function useJob<T>(
  key: string | null,
  label: string,
  run: (ctx: JobContext) => Promise<T>,
  cancelWorker: (jobId: number) => void,
): JobState<T> {
  const [state, setState] = useState<JobState<T>>(() => ({
    data: key ? jobs.peek<T>(key) : undefined,
    error: null,
    loading: key !== null && !jobs.has(key),
  }));
  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    const cached = jobs.peek<T>(key);
    if (cached !== undefined) {
      setState({ data: cached, error: null, loading: false });
      return;
    }
    setState((s) => ({ data: s.data, error: null, loading: true }));
    const { promise, release } = jobs.request(key, label, run, cancelWorker);
    let live = true;
    promise.then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: unknown) => {
        if (!live || isAbort(err)) return;
        setState({ data: undefined, error: err instanceof Error ? err.message : String(err), loading: false });
      },
    );
    return () => {
      live = false;
      release();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `run` and `label` are described by `key`; a new closure with the same key is the same job
  }, [key]);
  return key === null ? { data: undefined, error: null, loading: false } : state;
}

export function useRunningJobs(): JobInfo[] {
  return useSyncExternalStore(jobs.subscribe, jobs.jobs);
}
