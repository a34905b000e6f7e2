/**
 * The page's handles on its Comlink workers. Each worker is created once, lazily; jobs get increasing ids so a
 * view can cancel exactly the job it started.
 */
import * as Comlink from 'comlink';
import type { SmokeApi } from '../../workers/smoke.worker';
import type { ModelApi } from '../../workers/model.worker';

let nextJobId = 1;
export function newJobId(): number {
  return nextJobId++;
}

let smoke: Comlink.Remote<SmokeApi> | null = null;
export function smokeWorker(): Comlink.Remote<SmokeApi> {
  smoke ??= Comlink.wrap<SmokeApi>(new Worker(new URL('../../workers/smoke.worker.ts', import.meta.url), { type: 'module' }));
  return smoke;
}

let model: Comlink.Remote<ModelApi> | null = null;
export function modelWorker(): Comlink.Remote<ModelApi> {
  model ??= Comlink.wrap<ModelApi>(new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module' }));
  return model;
}

export { Comlink };

import type { CompareApi } from '../../workers/compare.worker';
let compare: Comlink.Remote<CompareApi> | null = null;
export function compareWorker(): Comlink.Remote<CompareApi> {
  compare ??= Comlink.wrap<CompareApi>(new Worker(new URL('../../workers/compare.worker.ts', import.meta.url), { type: 'module' }));
  return compare;
}

import type { TdaApi } from '../../workers/tda.worker';
let tda: Comlink.Remote<TdaApi> | null = null;
export function tdaWorker(): Comlink.Remote<TdaApi> {
  tda ??= Comlink.wrap<TdaApi>(new Worker(new URL('../../workers/tda.worker.ts', import.meta.url), { type: 'module' }));
  return tda;
}

import type { MapperJobApi } from '../../workers/mapper.worker';
import type { MapperGraph, MapperOptions, MapperProgress } from '../mapper/index';
import type { PointCloud } from '../types';
let mapperRemote: Comlink.Remote<MapperJobApi> | null = null;

/** The Mapper worker with the page's conventions: numeric job ids and progress as one fraction. */
export function mapperWorker() {
  mapperRemote ??= Comlink.wrap<MapperJobApi>(new Worker(new URL('../../workers/mapper.worker.ts', import.meta.url), { type: 'module' }));
  const remote = mapperRemote;
  return {
    mapper(cloud: PointCloud, options: MapperOptions, jobId: number, onProgress: (f: number) => void): Promise<MapperGraph> {
      // Neighbour search (the knee) is about a third of the work, the intervals the rest.
      const progress = (p: MapperProgress) => onProgress(p.total > 0 ? (p.phase === 'neighbours' ? 0.3 : 0.3 + 0.7 * (p.done / p.total)) : 0);
      return remote.run(String(jobId), cloud, options, Comlink.proxy(progress));
    },
    cancel(jobId: number): void {
      void remote.cancel(String(jobId));
    },
  };
}
