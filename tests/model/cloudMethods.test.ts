import { describe, expect, it } from 'vitest';
import { CLOUD_METHODS } from '../../src/model/cloudMethods';
import { cloudMethodLabel, parseCloudMethod } from '../../src/model/pointClouds';
import { decodeViewState, DEFAULT_VIEW, encodeViewState } from '../../src/state/viewState';

describe('the cloud-method registry', () => {
  it('every spelling parses to its id, and its label spells it back', () => {
    for (const m of CLOUD_METHODS) {
      const text = m.spelling.replace(':D', ':3');
      const parsed = parseCloudMethod(text, 7);
      expect(parsed.kind).toBe(m.id);
      expect(cloudMethodLabel(parsed)).toBe(text);
    }
    expect(() => parseCloudMethod('nope')).toThrow(/cloud must be one of top-l2, random, gap, channel, pca:D/);
  });

  it('every id round-trips through the URL state', () => {
    for (const m of CLOUD_METHODS) {
      const v = { ...DEFAULT_VIEW, cloud: m.id };
      expect(decodeViewState(encodeViewState(v)).state.cloud).toBe(m.id);
    }
  });
});
