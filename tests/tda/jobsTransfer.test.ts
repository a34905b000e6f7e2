/**
 * Results cross the worker boundary by transfer, not clone: the TDA job API hands its `transfer` every buffer of a
 * result's packed cocycles (and nothing else is a large array), so the page's main thread never deserialises them.
 */
import { describe, expect, it } from 'vitest';
import { createTdaJobApi } from '../../src/tda/jobs';
import { SEED, circleCloud } from './helpers';

describe('the TDA job API’s result message', () => {
  it('carries the packed cocycles’ buffers as transferables, whole buffers of exactly their size', async () => {
    const handed: ArrayBuffer[][] = [];
    const api = createTdaJobApi(undefined, (value, buffers) => {
      handed.push(buffers);
      return value;
    });
    const r = await api.persistence(circleCloud(SEED, 150, 0.1), { maxdim: 1, cocycles: true, loops: false });
    expect(handed, `seed ${SEED}`).toHaveLength(1);
    const cc = r.cocycles!;
    expect(handed[0]).toEqual([cc.offsets.buffer, cc.edges.buffer]);
    expect(handed[0][0]).toBe(cc.offsets.buffer);
    expect(handed[0][1]).toBe(cc.edges.buffer);
    expect(cc.offsets.byteLength).toBe(cc.offsets.buffer.byteLength);
    expect(cc.edges.byteLength).toBe(cc.edges.buffer.byteLength);
    await api.persistence(circleCloud(SEED, 50, 0.1), { maxdim: 1 });
    expect(handed[1]).toEqual([]);
  });
});
