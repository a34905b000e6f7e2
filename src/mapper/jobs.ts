/**
 * The Mapper job API that workers/mapper.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): run(jobId, …) builds a graph, reporting progress through a callback; cancel(jobId) makes
 * that run reject with an Error named 'AbortError' at its next yield (every ~50 ms). Other jobs are unaffected
 * and the API stays usable. The graph comes back with its layout (layout.ts), computed here, off the page's thread.
 */
import type { PointCloud } from '../types';
import { layoutMapperGraph } from './layout';
import { buildMapper, type MapperGraph, type MapperOptions, type MapperProgress } from './mapper';

export interface MapperJobApi {
  run(jobId: string, cloud: PointCloud, options?: MapperOptions, onProgress?: (p: MapperProgress) => void): Promise<MapperGraph>;
  cancel(jobId: string): void;
}

export function createMapperJobApi(): MapperJobApi {
  const running = new Map<string, AbortController>();
  return {
    async run(jobId, cloud, options = {}, onProgress) {
      const controller = new AbortController();
      running.get(jobId)?.abort(); // a new run under the same id replaces the old one
      running.set(jobId, controller);
      try {
        const graph = await buildMapper(cloud, options, { signal: controller.signal, onProgress: onProgress ? (p) => void onProgress(p) : undefined });
        return { ...graph, layout: layoutMapperGraph(graph) };
      } finally {
        if (running.get(jobId) === controller) running.delete(jobId);
      }
    },
    cancel(jobId) {
      running.get(jobId)?.abort();
    },
  };
}
