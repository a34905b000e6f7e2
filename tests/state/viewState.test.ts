import { describe, expect, it } from 'vitest';
import { cloneView, decodeViewState, DEFAULT_VIEW, encodeViewState } from '../../src/state/viewState';
import { MAPPER_PAGE_LIMITS } from '../../src/mapper/limits';

describe('view state in the URL', () => {
  it('writes nothing for the defaults and decodes an empty query to the defaults', () => {
    expect(encodeViewState(DEFAULT_VIEW)).toBe('');
    expect(decodeViewState('')).toEqual({ state: DEFAULT_VIEW, invalid: [], unknown: [], clamped: [] });
  });

  it('round-trips every field that shapes the view', () => {
    const s = cloneView(DEFAULT_VIEW);
    Object.assign(s, { layer: 17, view: 'mapper', cloud: 'pca', pcaDim: 16, n: 500, seed: 7, dims: [1, 2], maxdim: 2, node: 'cube3_cluster0', compare: 'resnet18q-init', debiasedCka: true, cell: '3,5' });
    s.mapper = { lens: 'density', intervals: 25, overlap: 0.3, clusterer: 'average', eps: 0.125, minSamples: 3, metric: 'cosine' };
    const query = encodeViewState(s);
    expect(query).toContain('layer=17');
    expect(decodeViewState('?' + query)).toEqual({ state: s, invalid: [], unknown: [], clamped: [] });
  });

  it('falls back field by field on tampered values and names each bad field', () => {
    const { state, invalid, unknown } = decodeViewState('layer=abc&overlap=1.5&view=mapper&eps=-1&dims=9&bogus=1&intervals=0');
    expect(invalid).toEqual(['layer', 'dims', 'intervals', 'overlap', 'eps']);
    expect(unknown).toEqual(['bogus']);
    expect(state.view).toBe('mapper');
    expect(state.layer).toBe(DEFAULT_VIEW.layer);
    expect(state.mapper.overlap).toBe(0.4);
    expect(state.mapper.eps).toBe('knee');
  });

  it('brings Mapper parameters beyond the limits of the page to the limit and says so', () => {
    const { state, invalid, clamped } = decodeViewState('intervals=500&overlap=0.99');
    expect(invalid).toEqual([]);
    expect(state.mapper.intervals).toBe(MAPPER_PAGE_LIMITS.nIntervals.max);
    expect(state.mapper.overlap).toBe(MAPPER_PAGE_LIMITS.overlap.max);
    expect(clamped).toEqual([
      { field: 'intervals', asked: '500', used: String(MAPPER_PAGE_LIMITS.nIntervals.max) },
      { field: 'overlap', asked: '0.99', used: String(MAPPER_PAGE_LIMITS.overlap.max) },
    ]);
    // Nonsense is still nonsense: overlap 1 or more, a fractional interval count.
    expect(decodeViewState('overlap=1&intervals=2.5').invalid).toEqual(['intervals', 'overlap']);
  });
});
