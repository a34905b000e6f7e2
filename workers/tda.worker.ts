/**
 * Persistent homology and diagram distances in a Web Worker: exposes src/tda/jobs.ts through Comlink. The page
 * calls `persistence(input, options, jobId, Comlink.proxy(onProgress))` and `cancel(jobId)`; the core's generator
 * yields every ~50 ms so the cancel message is delivered, and a cancelled run rejects with an AbortError.
 */
import * as Comlink from 'comlink';
import { createTdaJobApi, type TdaJobApi } from '../src/tda/jobs';

const api: TdaJobApi = createTdaJobApi();
Comlink.expose(api);

export type TdaApi = TdaJobApi;
