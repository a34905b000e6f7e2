/**
 * The page's handles on its Comlink workers. Each worker is created once, lazily; jobs get increasing ids so a
 * view can cancel exactly the job it started.
 */
import * as Comlink from 'comlink';
import type { JobId } from '../abort';
import { jobs } from './jobs';
import type { SmokeApi } from '../../workers/smoke.worker';
import type { ModelApi } from '../../workers/model.worker';
import type { CompareApi } from '../../workers/compare.worker';
import type { TdaApi } from '../../workers/tda.worker';
import type { MapperJobApi } from '../../workers/mapper.worker';
import type { BundledDatasetApi } from '../../workers/bundledDataset.worker';
import type { MapperGraph, MapperOptions, MapperProgress } from '../mapper/index';
import type { PointCloud } from '../types';

export { Comlink };

/** A job id for a direct worker call (from the one counter, the job tracker's). */
export const newJobId = (): JobId => jobs.newJobId();

/**
 * A getter that starts the worker on first use. `create` must spell out `new Worker(new URL('…', import.meta.url))`
 * itself: that literal form is what Vite bundles as a worker.
 */
function lazyRemote<T>(create: () => Worker): () => Comlink.Remote<T> {
  let remote: Comlink.Remote<T> | null = null;
  return () => (remote ??= Comlink.wrap<T>(create()));
}

export const smokeWorker = lazyRemote<SmokeApi>(() => new Worker(new URL('../../workers/smoke.worker.ts', import.meta.url), { type: 'module' }));
export const modelWorker = lazyRemote<ModelApi>(() => new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module' }));
export const compareWorker = lazyRemote<CompareApi>(() => new Worker(new URL('../../workers/compare.worker.ts', import.meta.url), { type: 'module' }));
/** The page's TDA workers: two, one a core of a typical laptop; all-layer persistence spreads over them (tdaPool). */
const TDA_WORKERS = 2;
const tdaRemotes = Array.from({ length: TDA_WORKERS }, () =>
  lazyRemote<TdaApi>(() => new Worker(new URL('../../workers/tda.worker.ts', import.meta.url), { type: 'module' })),
);

/**
 * Persistence on the least busy TDA worker (the first wins ties, so a lone job always lands on the same worker and
 * the second starts only when two jobs overlap); a cancel goes to the worker that runs the job.
 */
export const tdaPool = (() => {
  const busy = new Array<number>(TDA_WORKERS).fill(0);
  const workerOf = new Map<JobId, number>();
  /** Run `call` on the least busy worker, filed under `jobId` until it settles (for cancel). */
  const onLeastBusy = <T>(jobId: JobId, call: (remote: Comlink.Remote<TdaApi>) => Promise<T>): Promise<T> => {
    const w = busy.indexOf(Math.min(...busy));
    busy[w]++;
    workerOf.set(jobId, w);
    return call(tdaRemotes[w]()).finally(() => {
      busy[w]--;
      workerOf.delete(jobId);
    });
  };
  return {
    size: TDA_WORKERS,
    persistence(...args: Parameters<TdaApi['persistence']>): ReturnType<TdaApi['persistence']> {
      return onLeastBusy(args[2] ?? 0, (remote) => remote.persistence(...args));
    },
    /** A loop is short work: it goes to the least busy worker and is not spread. */
    loop(...args: Parameters<TdaApi['loop']>): ReturnType<TdaApi['loop']> {
      return onLeastBusy(args[3] ?? 0, (remote) => remote.loop(...args));
    },
    cancel(jobId: JobId): void {
      const w = workerOf.get(jobId);
      if (w !== undefined) void tdaRemotes[w]().cancel(jobId);
    },
  };
})();
/**
 * Called before the first render: the model worker's script (TF.js) takes most of a second to load and the probe
 * follows, and a TDA worker's first job would otherwise wait for its script too; both are on the first diagram's
 * path, so they start loading while React renders (issue 15). The probe's answer is cached in the worker.
 */
export function warmUpWorkers(): void {
  modelWorker()
    .probeBackends()
    .catch(() => undefined); // the page asks again and shows the error
  tdaRemotes[0]();
}

export const bundledDatasetWorker = lazyRemote<BundledDatasetApi>(() => new Worker(new URL('../../workers/bundledDataset.worker.ts', import.meta.url), { type: 'module' }));
const mapperRemote = lazyRemote<MapperJobApi>(() => new Worker(new URL('../../workers/mapper.worker.ts', import.meta.url), { type: 'module' }));

/** The Mapper worker with the page's conventions: numeric job ids and progress as one fraction. */
export function mapperWorker() {
  const remote = mapperRemote();
  return {
    mapper(cloud: PointCloud, options: MapperOptions, jobId: number, onProgress: (f: number) => void): Promise<MapperGraph> {
      // Neighbour search (the knee) is about a third of the work, the intervals the rest.
      const progress = (p: MapperProgress) => onProgress(p.total > 0 ? (p.phase === 'neighbours' ? 0.3 : 0.3 + 0.7 * (p.done / p.total)) : 0);
      return remote.run(jobId, cloud, options, Comlink.proxy(progress));
    },
    cancel(jobId: number): void {
      void remote.cancel(jobId);
    },
  };
}
