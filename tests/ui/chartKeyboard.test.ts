// @vitest-environment jsdom
/**
 * The charts' keyboard path and text alternative: random diagrams and matrices each run (CONVTOPO_SEED replays
 * one); what the cursor reaches and what the summary says are checked against a direct computation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, emptyBody } from '../helpers/dom';
import { renderHeatmap } from '../../src/charts/heatmap';
import { renderPersistenceDiagram } from '../../src/charts/persistenceDiagram';
import { nextInDirection } from '../../src/ui/mapper/graphKeyboard';
import { mulberry32 } from '../../src/random';
import type { PersistencePair } from '../../src/types';

const SEED = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rnd = mulberry32(SEED);
const tag = `(seed ${SEED}, CONVTOPO_SEED=${SEED} to reproduce)`;

afterEach(emptyBody);
const key = (svg: Element, k: string) => svg.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

function randomDiagram(n: number): PersistencePair[] {
  return Array.from({ length: n }, () => {
    const birth = rnd() * 2;
    return { birth, death: birth + 0.01 + rnd() * 3 };
  });
}

describe(`chart keyboard and summaries ${tag}`, () => {
  it('the diagram cursor visits points longest-lived first, Page Down jumps to H1, Enter selects it', () => {
    const h0 = [...randomDiagram(8).map((p) => ({ birth: 0, death: p.death })), { birth: 0, death: Infinity }];
    const h1 = randomDiagram(5 + Math.floor(rnd() * 10));
    const onHover = vi.fn();
    const onClick = vi.fn();
    const el = mount();
    renderPersistenceDiagram(el, { dgms: [h0, h1], dims: [0, 1] }, { width: 300, height: 300, onHover, onClick, ariaLabel: 'Persistence diagram of layer 3 (conv03)' });
    const svg = el.querySelector('svg')!;
    expect(svg.getAttribute('tabindex')).toBe('0');
    expect(svg.getAttribute('aria-label')).toBe('Persistence diagram of layer 3 (conv03)');
    const desc = document.getElementById(svg.getAttribute('aria-describedby')!)!.textContent!;
    expect(desc).toContain(`H0: ${h0.length - 1} finite points and 1 essential`);
    expect(desc).toContain(`H1: ${h1.length} finite points`);

    const byPersistence = (d: PersistencePair[]) => d.map((p, i) => ({ i, pers: p.death - p.birth })).sort((a, b) => b.pers - a.pers);
    expect(key(svg, 'ArrowRight')).toBe(false); // handled: default prevented
    expect(onHover).toHaveBeenLastCalledWith(h0[h0.length - 1], 0, h0.length - 1, 0); // the essential class first
    key(svg, 'PageDown');
    const h1Order = byPersistence(h1);
    expect(onHover).toHaveBeenLastCalledWith(h1[h1Order[0].i], 1, h1Order[0].i, 0);
    key(svg, 'ArrowDown');
    expect(onHover).toHaveBeenLastCalledWith(h1[h1Order[1].i], 1, h1Order[1].i, 0);
    key(svg, 'Enter');
    expect(onClick).toHaveBeenCalledWith(1, h1Order[1].i, 0);
    expect(el.querySelectorAll('.pd-cursor')).toHaveLength(1);
    key(svg, 'End');
    expect(onHover).toHaveBeenLastCalledWith(h1[h1Order[h1Order.length - 1].i], 1, h1Order[h1Order.length - 1].i, 0);
    key(svg, 'Escape');
    expect(el.querySelectorAll('.pd-cursor')).toHaveLength(0);
    // Keys with a modifier are left to the browser.
    expect(key(svg, 'ArrowRight')).toBe(false);
    expect(svg.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', ctrlKey: true, cancelable: true }))).toBe(true);
  });

  it('the matrix summary names the most and least similar pairs; arrows and Enter select a cell', () => {
    const k = 4 + Math.floor(rnd() * 6);
    const values = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) values[i * k + j] = values[j * k + i] = Math.round(rnd() * 1e4) / 1e4 + 1e-6 * (i * k + j);
    const labels = Array.from({ length: k }, (_, i) => `L${i + 1}`);
    const onCellClick = vi.fn();
    const el = mount();
    renderHeatmap(el, { values, labels, title: 'SW', colorScheme: 'distance' }, { testId: 'm', onCellClick, ariaLabel: 'SW between layers' });
    const svg = el.querySelector('svg')!;
    expect(svg.getAttribute('aria-label')).toBe('SW between layers');
    let lo = [0, 1], hi = [0, 1];
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
      if (values[i * k + j] < values[lo[0] * k + lo[1]]) lo = [i, j];
      if (values[i * k + j] > values[hi[0] * k + hi[1]]) hi = [i, j];
    }
    const desc = document.getElementById(svg.getAttribute('aria-describedby')!)!.textContent!;
    expect(desc).toContain(`Most similar pair L${lo[0] + 1} and L${lo[1] + 1}`);
    expect(desc).toContain(`least similar L${hi[0] + 1} and L${hi[1] + 1}`);
    const i = Math.floor(rnd() * k), j = Math.floor(rnd() * k);
    key(svg, 'ArrowDown'); // shows the cursor at the top-left cell
    for (let s = 0; s < i; s++) key(svg, 'ArrowDown');
    for (let s = 0; s < j; s++) key(svg, 'ArrowRight');
    key(svg, 'Enter');
    expect(onCellClick).toHaveBeenLastCalledWith(i, j);
    // Clamped at the edges.
    for (let s = 0; s < k + 2; s++) key(svg, 'ArrowUp');
    key(svg, 'End');
    key(svg, ' ');
    expect(onCellClick).toHaveBeenLastCalledWith(0, k - 1);
    expect(el.querySelector('.hm-selected')!.getAttribute('x')).toBe(el.querySelector('.hm-cursor')!.getAttribute('x'));
  });

  it('the Mapper cursor goes to the nearest node in the pressed direction', () => {
    // A 5 × 5 grid with jitter smaller than a quarter of the spacing: each arrow reaches the grid neighbour.
    const pts: { id: string; x: number; y: number }[] = [];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) pts.push({ id: `${r},${c}`, x: c * 10 + (rnd() - 0.5) * 4, y: r * 10 + (rnd() - 0.5) * 4 });
    const at = (r: number, c: number) => pts[r * 5 + c];
    const others = (p: { id: string }) => pts.filter((q) => q !== p);
    const r = 1 + Math.floor(rnd() * 3), c = 1 + Math.floor(rnd() * 3);
    const p = at(r, c);
    expect(nextInDirection(p, [1, 0], others(p))).toBe(`${r},${c + 1}`);
    expect(nextInDirection(p, [-1, 0], others(p))).toBe(`${r},${c - 1}`);
    expect(nextInDirection(p, [0, 1], others(p))).toBe(`${r + 1},${c}`);
    expect(nextInDirection(p, [0, -1], others(p))).toBe(`${r - 1},${c}`);
    // Past the last column only a node further right (outside the 45° cone) can be reached, else none.
    const edge = nextInDirection(at(0, 4), [1, 0], others(at(0, 4)));
    if (edge !== null) expect(pts.find((q) => q.id === edge)!.x).toBeGreaterThan(at(0, 4).x);
    expect(nextInDirection({ x: 100, y: 0 }, [1, 0], pts)).toBeNull();
  });
});
