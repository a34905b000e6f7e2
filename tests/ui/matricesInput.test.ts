/**
 * What the Layers view sends the compare worker: a copy of every cloud and every packed H1 diagram, each buffer
 * in the transfer list (nothing left to structured-clone on the main thread), and the page's own clouds untouched.
 */
import { describe, expect, it } from 'vitest';
import { matricesInput, type CloudSet } from '../../src/ui/data';
import { createTdaJobApi } from '../../src/tda/jobs';
import { unpackDiagram } from '../../src/tda/packedDiagram';
import { SEED, gaussianCloud } from '../tda/helpers';

describe('the layer matrices’ request', () => {
  it('transfers copies of the clouds and the packed H1 diagrams, equal to the page’s', async () => {
    const api = createTdaJobApi();
    const clouds = [gaussianCloud(SEED, 80, 3), gaussianCloud(SEED + 1, 80, 5), gaussianCloud(SEED + 2, 80, 2)];
    const results = await Promise.all(clouds.map((c) => api.persistence(c, { maxdim: 1 })));
    const set = { layers: clouds.map((c, i) => ({ layer: i + 1, ...c, imageIndices: new Int32Array(c.n) })) } as unknown as CloudSet;
    const sent = await matricesInput(set, results, new AbortController().signal);
    const msg = `seed ${SEED}`;
    expect(sent.buffers).toHaveLength(2 * clouds.length);
    sent.clouds.forEach((c, i) => {
      expect(c.data, msg).toEqual(clouds[i].data);
      expect(c.data.buffer).not.toBe(clouds[i].data.buffer);
      expect(sent.buffers).toContain(c.data.buffer);
      expect(sent.buffers).toContain(sent.h1[i].buffer);
      expect(unpackDiagram(sent.h1[i]), msg).toEqual(results[i].dgms[1]);
    });
  });

  it('stops when its job is cancelled', async () => {
    const c = gaussianCloud(SEED, 10, 2);
    const set = { layers: [{ layer: 1, ...c, imageIndices: new Int32Array(10) }] } as unknown as CloudSet;
    const ac = new AbortController();
    ac.abort();
    await expect(matricesInput(set, [{ dgms: [[], []], threshold: 1 }], ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
