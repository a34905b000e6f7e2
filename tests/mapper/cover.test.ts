import { describe, expect, it } from 'vitest';
import { cover, intervals1d } from '../../src/mapper/cover';

describe('cover (KeplerMapper CubicalCover semantics)', () => {
  // Hand-check: lens range [0, 10], n = 4, overlap 0.5 → inset 10/8 = 1.25, centres linspace(1.25, 8.75, 4) =
  // 1.25, 3.75, 6.25, 8.75, half-width 10 / (2·4·0.5) = 2.5: intervals [−1.25, 3.75], [1.25, 6.25], [3.75, 8.75],
  // [6.25, 11.25]. All these numbers are exact in binary, so the edges are tested exactly.
  const lens = Float64Array.of(0, 1.25, 3.75, 5, 6.25, 8.75, 10);

  it('puts the centres and half-width where the formula says', () => {
    const { centers, radius } = intervals1d(lens, 4, 0.5);
    expect(Array.from(centers)).toEqual([1.25, 3.75, 6.25, 8.75]);
    expect(radius).toBe(2.5);
  });

  it('puts a point on an interval edge into every interval whose closed range contains it', () => {
    const c = cover(lens, { nIntervals: 4, overlap: 0.5 });
    const memberships = Array.from(lens, (_, i) => c.sets.filter((s) => s.members.includes(i)).map((s) => s.index));
    expect(memberships).toEqual([[0], [0, 1], [0, 1, 2], [1, 2], [1, 2, 3], [2, 3], [3]]);
  });

  it('with no overlap, intervals touch only at their edges', () => {
    // range 8, n = 4 → centres 1, 3, 5, 7, half-width 1: [0, 2], [2, 4], [4, 6], [6, 8].
    const c = cover(Float64Array.of(0, 2, 3, 8), { nIntervals: 4, overlap: 0 });
    expect(c.sets.map((s) => Array.from(s.members))).toEqual([[0, 1], [1, 2], [], [3]]);
  });

  it('gives a constant lens one interval holding every point, not a crash', () => {
    const c = cover(new Float64Array(5).fill(3), { nIntervals: 40, overlap: 0.4 });
    expect(c.sets.length).toBe(1);
    expect(Array.from(c.sets[0].members)).toEqual([0, 1, 2, 3, 4]);
  });

  it('covers a 2-D lens by products of intervals, first dimension slowest', () => {
    const a = Float64Array.of(0, 0, 4, 4), b = Float64Array.of(0, 4, 0, 4);
    const c = cover([a, b], { nIntervals: 2, overlap: 0 });
    expect(c.sets.map((s) => s.cell)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(c.sets.map((s) => Array.from(s.members))).toEqual([[0], [1], [2], [3]]);
  });

  it('refuses bad parameters with the parameter name and its range', () => {
    expect(() => cover(lens, { overlap: 1 })).toThrow(/overlap must be a number from 0 to 0.99/);
    expect(() => cover(lens, { overlap: -0.1 })).toThrow(/overlap must be a number from 0 to 0.99/);
    expect(() => cover(lens, { nIntervals: 0 })).toThrow(/nIntervals must be an integer from 1 to 10000 \(got 0\)/);
  });
});
