// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderSparkline, sparklineSvg } from '../../src/charts/sparkline';

const parse = (s: string) => new DOMParser().parseFromString(s, 'image/svg+xml');

describe('sparkline', () => {
  it('fills value / max of the width and clamps to [0, width]', () => {
    const bar = (v: number) => Number(parse(sparklineSvg(v, { max: 4, width: 40 })).querySelector('.sparkline-bar')!.getAttribute('width'));
    expect(bar(1)).toBe(10);
    expect(bar(4)).toBe(40);
    expect(bar(9)).toBe(40);
    expect(bar(-1)).toBe(0);
  });

  it('draws only the track for a missing value, titled n/a', () => {
    const doc = parse(sparklineSvg(null, { max: 1 }));
    expect(doc.querySelector('.sparkline-bar')).toBeNull();
    expect(doc.querySelector('title')!.textContent).toBe('n/a');
  });

  it('is well-formed XML even with markup in the title', () => {
    const doc = parse(sparklineSvg(0.5, { max: 1, title: '<b>"a" & b</b>' }));
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelector('title')!.textContent).toBe('<b>"a" & b</b>');
  });

  it('renderSparkline updates in place and destroy() empties the element', () => {
    const el = document.createElement('span');
    const h = renderSparkline(el, 0.25, { max: 1, width: 20 });
    h.update(0.5);
    expect(el.querySelectorAll('svg').length).toBe(1);
    expect(h.svg().querySelector('.sparkline-bar')!.getAttribute('width')).toBe('10');
    h.destroy();
    expect(el.innerHTML).toBe('');
  });

  it('rejects max ≤ 0, naming it', () => {
    expect(() => sparklineSvg(1, { max: 0 })).toThrow(/max/);
  });
});
