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
