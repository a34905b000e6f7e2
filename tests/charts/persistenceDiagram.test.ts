// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, emptyBody } from '../helpers/dom';
import { renderPersistenceDiagram } from '../../src/charts/persistenceDiagram';
import type { Diagram } from '../../src/types';

const dgms: Diagram[] = [
  [{ birth: 0, death: 0.5 }, { birth: 0, death: 1.25 }, { birth: 0, death: Infinity }],
  [{ birth: 0.123456, death: 0.987654 }, { birth: 0.4, death: 0.6 }],
];

afterEach(emptyBody);

const points = (el: HTMLElement, dim: number) => el.querySelectorAll(`.pd-point[data-dim="${dim}"]`);

describe('renderPersistenceDiagram', () => {
  it('draws one point per pair, per shown dimension, under the persistence-diagram test id', () => {
    const el = mount();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    expect(el.querySelector('svg')?.getAttribute('data-testid')).toBe('persistence-diagram');
    expect(points(el, 0).length).toBe(3);
    expect(points(el, 1).length).toBe(2);
  });

  it('omits dimensions not listed in dims', () => {
    const el = mount();
    renderPersistenceDiagram(el, { dgms, dims: [1] }, { width: 300, height: 300 });
    expect(points(el, 0).length).toBe(0);
    expect(points(el, 1).length).toBe(2);
  });

  it('puts essential points on the dashed ∞ line and finite ones below it, above the diagonal', () => {
    const el = mount();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    const infY = Number(el.querySelector('.pd-inf-line')!.getAttribute('y1'));
    const ess = el.querySelector('.pd-point[data-dim="0"][data-index="2"]')!;
    expect(Number(ess.getAttribute('cy'))).toBe(infY);
    const diag = el.querySelector('.pd-diagonal')!;
    const [ax, ay, bx, by] = ['x1', 'y1', 'x2', 'y2'].map((a) => Number(diag.getAttribute(a)));
    const finite = el.querySelectorAll('.pd-point:not([data-essential])');
    expect(finite.length).toBe(4);
    for (const p of finite) {
      const cx = Number(p.getAttribute('cx')), cy = Number(p.getAttribute('cy'));
      expect(cy).toBeGreaterThan(infY); // lower on screen than the ∞ line
      const diagYAtCx = ay + ((by - ay) * (cx - ax)) / (bx - ax);
      expect(cy).toBeLessThan(diagYAtCx); // death > birth → above the diagonal (screen y grows down)
    }
  });

  it('shows birth, death and persistence with 4 significant digits on hover, and hides on leave', () => {
    const el = mount();
    const onHover = vi.fn();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300, onHover });
    const p = el.querySelector('.pd-point[data-dim="1"][data-index="0"]')!;
    p.dispatchEvent(new MouseEvent('mouseenter'));
    const tip = el.querySelector<HTMLElement>('.chart-tooltip')!;
    expect(tip.style.display).toBe('block');
    expect(tip.textContent).toContain('H1');
    expect(tip.textContent).toContain('birth: 0.1235');
    expect(tip.textContent).toContain('death: 0.9877');
    expect(tip.textContent).toContain('persistence: 0.8642');
    expect(onHover).toHaveBeenLastCalledWith(dgms[1][0], 1, 0, 0);
    p.dispatchEvent(new MouseEvent('mouseleave'));
    expect(tip.style.display).toBe('none');
    expect(onHover).toHaveBeenLastCalledWith(null, 1, 0, 0);
  });

  it('reports ∞ death and persistence for an essential class', () => {
    const el = mount();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    el.querySelector('.pd-point[data-dim="0"][data-index="2"]')!.dispatchEvent(new MouseEvent('mouseenter'));
    const text = el.querySelector('.chart-tooltip')!.textContent!;
    expect(text).toContain('death: ∞');
    expect(text).toContain('persistence: ∞');
  });

  it('calls onClick with the dimension and the index within that dimension', () => {
    const el = mount();
    const onClick = vi.fn();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300, onClick });
    el.querySelector('.pd-point[data-dim="1"][data-index="1"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onClick).toHaveBeenCalledWith(1, 1, 0);
  });

  it('colours H0, H1 and H2 differently', () => {
    const el = mount();
    const three: Diagram[] = [[{ birth: 0, death: 1 }], [{ birth: 0.2, death: 0.5 }], [{ birth: 0.3, death: 0.4 }]];
    renderPersistenceDiagram(el, { dgms: three, dims: [0, 1, 2] }, { width: 300, height: 300 });
    const fills = [0, 1, 2].map((d) => (points(el, d)[0] as SVGElement).style.fill);
    expect(new Set(fills).size).toBe(3);
  });

  it('zooms in on wheel and resets on double-click', () => {
    const el = mount();
    renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    const p = el.querySelector('.pd-point[data-dim="0"][data-index="1"]')!;
    const before = p.getAttribute('cx');
    const plot = el.querySelector('.pd-plot')!;
    plot.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 60, clientY: 250, bubbles: true, cancelable: true }));
    expect(p.getAttribute('cx')).not.toBe(before);
    plot.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    expect(p.getAttribute('cx')).toBe(before);
  });

  it('highlight() rings exactly one point and highlight(null) clears it', () => {
    const el = mount();
    const h = renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    h.highlight(1, 1);
    const hl = el.querySelectorAll('.pd-highlight');
    expect(hl.length).toBe(1);
    expect(hl[0].getAttribute('data-dim')).toBe('1');
    expect(hl[0].getAttribute('data-index')).toBe('1');
    h.highlight(null);
    expect(el.querySelectorAll('.pd-highlight').length).toBe(0);
  });

  it('overlays two series with circles and triangles and a legend entry for each', () => {
    const el = mount();
    const onClick = vi.fn();
    renderPersistenceDiagram(
      el,
      { dgms: [], dims: [1], series: [{ label: 'layer 3', dgms }, { label: 'layer 9', dgms: [[], [{ birth: 0.1, death: 0.3 }]] }] },
      { width: 300, height: 300, onClick },
    );
    expect(el.querySelectorAll('circle.pd-point').length).toBe(2);
    const tri = el.querySelectorAll('path.pd-point[data-series="1"]');
    expect(tri.length).toBe(1);
    expect(el.querySelector('.pd-legend')!.textContent).toContain('layer 9');
    tri[0].dispatchEvent(new MouseEvent('mouseenter'));
    expect(el.querySelector('.chart-tooltip')!.textContent).toContain('layer 9 · H1');
    tri[0].dispatchEvent(new MouseEvent('click'));
    expect(onClick).toHaveBeenCalledWith(1, 0, 1);
  });

  it('update() replaces the points without duplicating elements; destroy() empties the container', () => {
    const el = mount();
    const h = renderPersistenceDiagram(el, { dgms, dims: [0, 1] }, { width: 300, height: 300 });
    h.update({ dgms: [[{ birth: 0, death: 2 }], []], dims: [0, 1] });
    h.update({ dgms: [[{ birth: 0, death: 2 }], []], dims: [0, 1] }, { width: 200 });
    expect(el.querySelectorAll('svg').length).toBe(1);
    expect(el.querySelectorAll('.pd-point').length).toBe(1);
    expect(el.querySelectorAll('.chart-tooltip').length).toBe(1);
    expect(h.svg().getAttribute('width')).toBe('200');
    h.destroy();
    expect(el.childNodes.length).toBe(0);
  });

  it('update() with the same data and only a new callback keeps the DOM (and zoom) and uses the new callback', () => {
    const el = mount();
    const first = vi.fn(), second = vi.fn();
    const data = { dgms, dims: [0, 1] };
    const h = renderPersistenceDiagram(el, data, { width: 300, height: 300, onClick: first });
    const node = el.querySelector('.pd-point[data-dim="1"][data-index="0"]')!;
    h.update(data, { width: 300, height: 300, onClick: second });
    expect(el.querySelector('.pd-point[data-dim="1"][data-index="0"]')).toBe(node);
    node.dispatchEvent(new MouseEvent('click'));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(1, 0, 0);
    h.update(data, { height: 250 });
    expect(el.querySelector('.pd-point[data-dim="1"][data-index="0"]')).not.toBe(node);
  });

  it('rejects a non-positive width, naming the parameter', () => {
    expect(() => renderPersistenceDiagram(mount(), { dgms, dims: [0] }, { width: 0, height: 300 })).toThrow(/width/);
  });
});
