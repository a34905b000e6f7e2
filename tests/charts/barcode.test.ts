// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, emptyBody } from '../helpers/dom';
import { renderBarcode } from '../../src/charts/barcode';
import type { Diagram } from '../../src/types';

const dgms: Diagram[] = [
  [{ birth: 0, death: 0.3 }, { birth: 0, death: Infinity }, { birth: 0, death: 0.1 }],
  [{ birth: 0.5, death: 0.9 }, { birth: 0.2, death: 0.4 }],
];

afterEach(emptyBody);

const rows = (el: HTMLElement) =>
  [...el.querySelectorAll('.bc-bar')].map((b) => [Number(b.getAttribute('data-dim')), Number(b.getAttribute('data-index'))]);
const y = (el: Element) => Number(el.getAttribute('y'));

describe('renderBarcode', () => {
  it('orders bars by dimension, then birth, top to bottom', () => {
    const el = mount();
    renderBarcode(el, { dgms, dims: [0, 1] }, { width: 400 });
    expect(el.querySelector('svg')!.getAttribute('data-testid')).toBe('barcode');
    // H0: births tie at 0, so by death: 0.1 (idx 2), 0.3 (idx 0), ∞ (idx 1); H1: birth 0.2 (idx 1) then 0.5 (idx 0).
    expect(rows(el)).toEqual([[0, 2], [0, 0], [0, 1], [1, 1], [1, 0]]);
    const ys = [...el.querySelectorAll('.bc-bar')].map(y);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it('orders longest first with sortBy persistence', () => {
    const el = mount();
    renderBarcode(el, { dgms, dims: [0, 1] }, { width: 400, sortBy: 'persistence' });
    expect(rows(el)).toEqual([[0, 1], [0, 0], [0, 2], [1, 0], [1, 1]]);
  });

  it('runs essential bars to the right edge with an arrow head', () => {
    const el = mount();
    renderBarcode(el, { dgms, dims: [0, 1] }, { width: 400 });
    const ess = el.querySelector('.bc-bar[data-essential]')!;
    const finite = el.querySelector('.bc-bar[data-dim="0"][data-index="0"]')!;
    const right = (b: Element) => Number(b.getAttribute('x')) + Number(b.getAttribute('width'));
    expect(right(ess)).toBeGreaterThan(right(finite));
    expect(el.querySelectorAll('.bc-arrow').length).toBe(1);
  });

  it('keeps the maxBars longest bars per dimension and says so', () => {
    const el = mount();
    const many: Diagram = Array.from({ length: 50 }, (_, i) => ({ birth: 0, death: i + 1 }));
    renderBarcode(el, { dgms: [many, dgms[1]], dims: [0, 1] }, { width: 400, maxBars: 10 });
    const h0 = el.querySelectorAll('.bc-bar[data-dim="0"]');
    expect(h0.length).toBe(10);
    // the 10 longest are deaths 41..50 = indices 40..49
    expect([...h0].map((b) => Number(b.getAttribute('data-index'))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => 40 + i),
    );
    expect(el.querySelectorAll('.bc-bar[data-dim="1"]').length).toBe(2);
    const notes = [...el.querySelectorAll('.bc-note')].map((n) => n.textContent);
    expect(notes).toEqual(['H0: showing 10 of 50 (longest)']);
  });

  it('caps at 300 bars per dimension by default', () => {
    const el = mount();
    const many: Diagram = Array.from({ length: 1000 }, (_, i) => ({ birth: 0, death: (i % 97) + 1 }));
    renderBarcode(el, { dgms: [many], dims: [0] }, { width: 400, height: 500 });
    expect(el.querySelectorAll('.bc-bar').length).toBe(300);
    expect(el.querySelector('.bc-note')!.textContent).toContain('showing 300 of 1000');
  });

  it('shows the tooltip on hover and reports (dim, index) on click', () => {
    const el = mount();
    const onClick = vi.fn();
    renderBarcode(el, { dgms, dims: [0, 1] }, { width: 400, onClick });
    const bar = el.querySelector('.bc-bar[data-dim="1"][data-index="0"]')!;
    bar.dispatchEvent(new MouseEvent('mouseenter'));
    const tip = el.querySelector('.chart-tooltip')!;
    expect(tip.textContent).toContain('birth: 0.5');
    expect(tip.textContent).toContain('death: 0.9');
    expect(tip.textContent).toContain('persistence: 0.4');
    bar.dispatchEvent(new MouseEvent('click'));
    expect(onClick).toHaveBeenCalledWith(1, 0);
  });

  it('update() replaces bars without duplicates; destroy() empties the container', () => {
    const el = mount();
    const h = renderBarcode(el, { dgms, dims: [0, 1] }, { width: 400 });
    h.update({ dgms, dims: [1] });
    expect(el.querySelectorAll('.bc-bar').length).toBe(2);
    expect(el.querySelectorAll('svg').length).toBe(1);
    h.destroy();
    expect(el.innerHTML).toBe('');
  });

  it('rejects maxBars < 1, naming it', () => {
    expect(() => renderBarcode(mount(), { dgms, dims: [0] }, { width: 400, maxBars: 0 })).toThrow(/maxBars/);
  });
});
