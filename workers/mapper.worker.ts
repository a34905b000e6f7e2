/**
 * Mapper in a Web Worker: exposes createMapperJobApi() through Comlink. The page calls
 * run(jobId, cloud, options, Comlink.proxy(onProgress)) and cancel(jobId); a cancelled run rejects with an Error
 * named 'AbortError' (Comlink keeps the name) and the worker stays usable.
 */
import * as Comlink from 'comlink';
import { createMapperJobApi, type MapperJobApi } from '../src/mapper/jobs';

const api: MapperJobApi = createMapperJobApi();
Comlink.expose(api);

export type { MapperJobApi };
