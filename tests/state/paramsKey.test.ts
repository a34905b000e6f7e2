import { describe, expect, it } from 'vitest';
import { paramsKey } from '../../src/state/paramsKey';
import { DEFAULT_MAPPER } from '../../src/state/viewState';

describe('paramsKey', () => {
  it('names every field, whatever the declaration order, so any change of any field changes the key', () => {
    const base = paramsKey(DEFAULT_MAPPER);
    expect(paramsKey({ ...DEFAULT_MAPPER })).toBe(base);
    expect(paramsKey(Object.fromEntries(Object.entries(DEFAULT_MAPPER).reverse()))).toBe(base);
    for (const [k, v] of Object.entries(DEFAULT_MAPPER)) {
      const changed = { ...DEFAULT_MAPPER, [k]: typeof v === 'number' ? v + 1 : `${String(v)}x` };
      expect(paramsKey(changed), k).not.toBe(base);
    }
    expect(paramsKey({ ...DEFAULT_MAPPER, newParameter: 1 })).not.toBe(base);
  });
});
