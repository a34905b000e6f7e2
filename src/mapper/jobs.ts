/**
 * The Mapper job API that workers/mapper.worker.ts exposes with Comlink (kept here, free of Comlink, so it is
 * testable in Node): run(jobId, …) builds a graph, reporting progress through a callback; cancel(jobId) makes
 * that run reject with an Error named 'AbortError' at its next yield (every ~50 ms). Other jobs are unaffected
 * and the API stays usable. The graph comes back with its layout (layout.ts), computed here, off the page's thread.
 */
import { jobRegistry, type JobId } from '../abort';
import type { PointCloud } from '../types';
import { layoutMapperGraph } from './layout';
import { buildMapper, type MapperGraph, type MapperOptions, type MapperProgress } from './mapper';

export interface MapperJobApi {
  run(jobId: JobId, cloud: PointCloud, options?: MapperOptions, onProgress?: (p: MapperProgress) => void): Promise<MapperGraph>;
  cancel(jobId: JobId): void;
}

export function createMapperJobApi(): MapperJobApi {
  const jobs = jobRegistry(); // a new run under a running id replaces the old one
  return {
    run: (jobId, cloud, options = {}, onProgress) =>
      jobs.run(jobId, async (signal) => {
        const graph = await buildMapper(cloud, options, { signal, onProgress: onProgress ? (p) => void onProgress(p) : undefined });
        return { ...graph, layout: layoutMapperGraph(graph) };
      }),
    cancel: (jobId) => jobs.cancel(jobId),
  };
}
