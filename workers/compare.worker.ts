/**
 * Comparing layers in a Web Worker (method.md §5): exposes src/analysis/jobs.ts through Comlink, transferring the
 * matrices' buffers back instead of copying them.
 */
import * as Comlink from 'comlink';
import { createCompareApi, type CompareApi } from '../src/analysis/jobs';

const core = createCompareApi();
const api: CompareApi = {
  ...core,
  async layerMatrices(...args) {
    const r = await core.layerMatrices(...args);
    return Comlink.transfer(r, [r.sw.buffer, r.cka.buffer]);
  },
  async rtdMatrix(...args) {
    const r = await core.rtdMatrix(...args);
    return Comlink.transfer(r, [r.buffer]);
  },
};
Comlink.expose(api);

export type { CompareApi };
