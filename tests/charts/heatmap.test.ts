// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, emptyBody } from '../helpers/dom';
import { renderHeatmap } from '../../src/charts/heatmap';

afterEach(emptyBody);

// 3 × 3 distances with one missing (NaN) and one infinite entry.
const values = Float64Array.from([0, 1.5, Infinity, 1.5, 0, 2.25, NaN, 2.25, 0]);
const labels = ['conv1', 'layer2', 'layer3'];
const cell = (el: HTMLElement, i: number, j: number) => el.querySelector(`.hm-cell[data-i="${i}"][data-j="${j}"]`)!;

describe('renderHeatmap', () => {
  it('draws k² cells under the given test id, with row and column labels', () => {
    const el = mount();
    renderHeatmap(el, { values, labels, title: 'SW distance', colorScheme: 'distance' }, { testId: 'distance-matrix' });
    expect(el.querySelector('svg')!.getAttribute('data-testid')).toBe('distance-matrix');
    expect(el.querySelectorAll('rect.hm-cell').length).toBe(9);
    expect([...el.querySelectorAll('.hm-row-label')].map((t) => t.textContent)).toEqual(labels);
    expect([...el.querySelectorAll('.hm-col-label')].map((t) => t.textContent)).toEqual(labels);
  });

  it('marks Infinity and NaN cells as no-data and says ∞ / n/a in the tooltip', () => {
    const el = mount();
    renderHeatmap(el, { values, labels, title: 'SW', colorScheme: 'distance' }, { testId: 'distance-matrix' });
    expect([...el.querySelectorAll('.hm-nodata')].map((c) => [c.getAttribute('data-i'), c.getAttribute('data-j')])).toEqual([
      ['0', '2'],
      ['2', '0'],
    ]);
    const tip = el.querySelector('.chart-tooltip')!;
    cell(el, 0, 2).dispatchEvent(new MouseEvent('mouseenter'));
    expect(tip.textContent).toBe('conv1 × layer3: ∞');
    cell(el, 2, 0).dispatchEvent(new MouseEvent('mouseenter'));
    expect(tip.textContent).toBe('layer3 × conv1: n/a');
    cell(el, 1, 2).dispatchEvent(new MouseEvent('mouseenter'));
    expect(tip.textContent).toBe('layer2 × layer3: 2.25');
  });

  it('draws similar pairs bright in both schemes: small distance and large similarity share a colour', () => {
    const el = mount();
    const v = Float64Array.from([0, 1, 1, 0]);
    renderHeatmap(el, { values: v, labels: ['a', 'b'], title: 'd', colorScheme: 'distance' }, { testId: 'd' });
    const el2 = mount();
    renderHeatmap(el2, { values: Float64Array.from([1, 0, 0, 1]), labels: ['a', 'b'], title: 's', colorScheme: 'similarity' }, { testId: 's' });
    const fill = (e: HTMLElement, i: number, j: number) => (cell(e, i, j) as SVGElement).style.fill;
    expect(fill(el, 0, 0)).toBe(fill(el2, 0, 0));
    expect(fill(el, 0, 1)).toBe(fill(el2, 0, 1));
    expect(fill(el, 0, 0)).not.toBe(fill(el, 0, 1));
    expect(el.querySelector('.hm-legend-min')!.textContent).toBe('0');
    expect(el.querySelector('.hm-legend-max')!.textContent).toBe('1');
  });

  it('reports (row, column) on click and outlines the clicked cell', () => {
    const el = mount();
    const onCellClick = vi.fn();
    renderHeatmap(el, { values, labels, title: 'SW', colorScheme: 'distance' }, { testId: 'm', onCellClick, size: 300 });
    cell(el, 2, 1).dispatchEvent(new MouseEvent('click'));
    expect(onCellClick).toHaveBeenCalledWith(2, 1);
    const sel = el.querySelector<SVGElement>('.hm-selected')!;
    expect(sel.style.display).not.toBe('none');
    expect([sel.getAttribute('x'), sel.getAttribute('y')]).toEqual([cell(el, 2, 1).getAttribute('x'), cell(el, 2, 1).getAttribute('y')]);
  });

  it('outlines options.selected, and hides the outline when selected becomes null', () => {
    const el = mount();
    const h = renderHeatmap(el, { values, labels, title: 'SW', colorScheme: 'distance' }, { testId: 'm', selected: [0, 1] });
    const sel = () => el.querySelector<SVGElement>('.hm-selected')!;
    expect(sel().getAttribute('x')).toBe(cell(el, 0, 1).getAttribute('x'));
    h.update({ values, labels, title: 'SW', colorScheme: 'distance' }, { selected: null });
    expect(sel().style.display).toBe('none');
  });

  it('update() redraws a new size without duplicating cells; destroy() empties the container', () => {
    const el = mount();
    const h = renderHeatmap(el, { values, labels, title: 'SW', colorScheme: 'distance' }, { testId: 'm' });
    h.update({ values: Float64Array.from([0.2, 0.5, 0.5, 0.9]), labels: ['a', 'b'], title: 'CKA', colorScheme: 'similarity' });
    expect(el.querySelectorAll('.hm-cell').length).toBe(4);
    expect(el.querySelectorAll('svg').length).toBe(1);
    h.destroy();
    expect(el.innerHTML).toBe('');
  });

  it('rejects values whose length is not labels.length², naming values', () => {
    expect(() =>
      renderHeatmap(mount(), { values: new Float64Array(5), labels, title: 't', colorScheme: 'distance' }, { testId: 'm' }),
    ).toThrow(/values must have labels.length² = 9/);
  });
  it('moves only the outline when the selection changes, and redraws the cells when the data does', () => {
    const el = mount();
    const data = { values, labels, title: 'SW', colorScheme: 'distance' as const };
    const h = renderHeatmap(el, data, { testId: 'm', selected: [0, 1] });
    const before = cell(el, 1, 2);
    const outline = el.querySelector('.hm-selected')!;
    const x0 = outline.getAttribute('x'), y0 = outline.getAttribute('y');
    h.update(data, { testId: 'm', selected: [2, 1] });
    expect(cell(el, 1, 2)).toBe(before);
    expect(el.querySelector('.hm-selected')!.getAttribute('x')).toBe(x0);
    expect(el.querySelector('.hm-selected')!.getAttribute('y')).not.toBe(y0);
    h.update({ ...data, values: Float64Array.from(values, (v) => v * 2) }, { testId: 'm', selected: [2, 1] });
    expect(cell(el, 1, 2)).not.toBe(before);
    expect(el.querySelector('.hm-selected')!.getAttribute('y')).not.toBe(y0);
  });
});
