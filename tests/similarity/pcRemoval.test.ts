import { describe, expect, it } from 'vitest';
import { principalDirections, removeTopComponents } from '../../src/similarity/pcRemoval';

describe('removing top principal components', () => {
  it('removes the dominant axis of an elongated cloud first, leaving the minor one', () => {
    // Points spread 10× more along (1, 1)/√2 than along (1, −1)/√2.
    const n = 200;
    const data = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = 10 * Math.sin(i * 1.7), b = Math.cos(i * 2.3);
      data[2 * i] = (a + b) / Math.SQRT2 + 3;
      data[2 * i + 1] = (a - b) / Math.SQRT2 - 1;
    }
    const cloud = { data, n, d: 2 };
    const pcs = principalDirections(cloud);
    expect(Math.abs(pcs.directions[0] * Math.SQRT1_2 + pcs.directions[1] * Math.SQRT1_2)).toBeCloseTo(1, 2);
    const reduced = removeTopComponents(cloud, 1, pcs);
    // What is left has no component along the first direction: every centred point is orthogonal to it.
    const [u0, u1] = [pcs.directions[0], pcs.directions[1]];
    for (let i = 0; i < n; i++) {
      expect((reduced.data[2 * i] - pcs.mean[0]) * u0 + (reduced.data[2 * i + 1] - pcs.mean[1]) * u1).toBeCloseTo(0, 4);
    }
    const none = removeTopComponents(cloud, 0, pcs);
    expect(Array.from(none.data).map((v) => +v.toFixed(4))).toEqual(Array.from(data).map((v) => +v.toFixed(4)));
    expect(() => removeTopComponents(cloud, 3, pcs)).toThrow(/k must be an integer in 0…2/);
  });
});
