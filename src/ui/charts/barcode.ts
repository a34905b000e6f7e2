import * as d3 from 'd3';
import type { Diagram, PersistencePair } from '../../types';
import { type A11yOptions, type ChartHandle, createFrame, redrawOnChange, requirePositive, sizeSvg } from './frame';
import { dimLabel, fmt } from './format';
import { cssVar, dimColor } from './theme';

export interface BarcodeData {
  dgms: Diagram[];
  /** Dimensions shown, top to bottom. */
  dims: number[];
  title?: string;
}

export interface BarcodeOptions extends A11yOptions {
  width: number;
  /** Total height; by default grows with the number of bars (4 px per bar). */
  height?: number;
  /** At most this many bars per dimension, the longest ones (default 300): thousands of H0 bars are unreadable. */
  maxBars?: number;
  /** Order within a dimension: by birth (default) or longest first. */
  sortBy?: 'birth' | 'persistence';
  onHover?(p: PersistencePair | null, dim: number, index: number): void;
  /** `index` is the position in that dimension's diagram (not the row on screen). */
  onClick?(dim: number, index: number): void;
}

interface Bar {
  p: PersistencePair;
  dim: number;
  index: number;
  row: number;
}

const ROW = 4; // default px per bar
const DIM_GAP = 10; // px between dimension groups
const ARROW = 7; // px reserved right of the finite range for essential arrows

/** Horizontal bars [birth, death), grouped by dimension; essential bars run to the right edge with an arrow. */
export function renderBarcode(container: HTMLElement, data: BarcodeData, options: BarcodeOptions): ChartHandle<BarcodeData, BarcodeOptions> {
  const frame = createFrame(container, 'barcode');
  const { svg, tooltip } = frame;
  let opts = options;
  let current = data;

  function draw(): void {
    const { width, sortBy = 'birth' } = opts;
    const maxBars = opts.maxBars ?? 300;
    requirePositive('width', width);
    if (!Number.isInteger(maxBars) || maxBars < 1) throw new RangeError(`maxBars must be an integer ≥ 1, got ${maxBars}`);
    if (sortBy !== 'birth' && sortBy !== 'persistence') throw new RangeError(`sortBy must be 'birth' or 'persistence', got ${String(sortBy)}`);
    svg.selectAll('*').remove();
    tooltip.hide();

    // Per dimension: keep the maxBars longest (essential first), then order them for display.
    const bars: Bar[] = [];
    const notes: string[] = [];
    const groups: { dim: number; first: number; count: number }[] = [];
    for (const dim of current.dims) {
      const dgm = current.dgms[dim] ?? [];
      let idx = dgm.map((_, i) => i);
      const pers = (i: number) => dgm[i].death - dgm[i].birth;
      if (idx.length > maxBars) {
        idx = idx.sort((a, b) => pers(b) - pers(a) || a - b).slice(0, maxBars);
        notes.push(`${dimLabel(dim)}: showing ${maxBars} of ${dgm.length} (longest)`);
      }
      if (sortBy === 'birth') idx.sort((a, b) => dgm[a].birth - dgm[b].birth || dgm[a].death - dgm[b].death || a - b);
      else idx.sort((a, b) => pers(b) - pers(a) || a - b);
      groups.push({ dim, first: bars.length, count: idx.length });
      for (const i of idx) bars.push({ p: dgm[i], dim, index: i, row: bars.length });
    }

    const top = (current.title ? 20 : 4) + notes.length * 14 + 4;
    const margin = { top, right: 14, bottom: 34, left: 36 };
    const gaps = Math.max(0, groups.length - 1) * DIM_GAP;
    const height = opts.height ?? margin.top + margin.bottom + gaps + Math.max(1, bars.length) * ROW;
    requirePositive('height', height);
    sizeSvg(svg, width, height);
    frame.describe(opts.ariaLabel ?? current.title ?? 'Barcode', describeBars(current, notes));
    const step = Math.max(0.5, (height - margin.top - margin.bottom - gaps) / Math.max(1, bars.length));
    const x0 = margin.left, xInf = width - margin.right, x1 = xInf - ARROW - 4;

    let lo = 0, hi = -Infinity;
    for (const { p } of bars) {
      lo = Math.min(lo, p.birth);
      hi = Math.max(hi, p.birth, Number.isFinite(p.death) ? p.death : -Infinity);
    }
    if (!(hi > lo)) hi = lo + 1;
    const x = d3.scaleLinear().domain([lo, hi]).range([x0, x1]).nice();
    const groupOf = new Map(groups.map((g, k) => [g.dim, k]));
    const yOf = (b: Bar) => margin.top + b.row * step + (groupOf.get(b.dim) ?? 0) * DIM_GAP;

    if (current.title) {
      svg.append('text').attr('x', x0).attr('y', 14).style('font-weight', '600').style('font-size', '12px')
        .style('fill', cssVar('fg')).text(current.title);
    }
    svg.selectAll('text.bc-note').data(notes).join('text').attr('class', 'bc-note')
      .attr('x', x0).attr('y', (_, k) => (current.title ? 20 : 4) + 11 + k * 14)
      .style('fill', cssVar('muted')).text((t) => t);

    const axisY = height - margin.bottom + 4;
    svg.append('g').attr('transform', `translate(0,${axisY})`).style('color', cssVar('muted'))
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor((x1 - x0) / 70))));
    svg.append('text').attr('x', (x0 + x1) / 2).attr('y', height - 4).attr('text-anchor', 'middle')
      .style('fill', cssVar('fg')).text('filtration value');

    for (const g of groups) {
      if (!g.count) continue;
      const yMid = margin.top + (g.first + g.count / 2) * step + (groupOf.get(g.dim) ?? 0) * DIM_GAP;
      svg.append('text').attr('class', 'bc-dim-label').attr('x', x0 - 8).attr('y', yMid).attr('dy', '0.32em')
        .attr('text-anchor', 'end').style('fill', dimColor(g.dim)).style('font-weight', '600').text(dimLabel(g.dim));
    }

    const thick = Math.max(0.5, step * 0.75);
    const barsG = svg.append('g').attr('class', 'bc-bars');
    barsG.selectAll<SVGRectElement, Bar>('rect.bc-bar').data(bars).join('rect')
      .attr('class', 'bc-bar')
      .attr('data-dim', (b) => b.dim)
      .attr('data-index', (b) => b.index)
      .attr('data-essential', (b) => (Number.isFinite(b.p.death) ? null : 'true'))
      .attr('x', (b) => x(b.p.birth))
      .attr('y', yOf)
      // Finite bars get at least 1 px so zero-length ones are still hoverable.
      .attr('width', (b) => Math.max(1, (Number.isFinite(b.p.death) ? x(b.p.death) : xInf - ARROW) - x(b.p.birth)))
      .attr('height', thick)
      .style('fill', (b) => dimColor(b.dim))
      .style('cursor', 'pointer')
      .on('mouseenter', (event: MouseEvent, b) => {
        tooltip.show([dimLabel(b.dim), `birth: ${fmt(b.p.birth)}`, `death: ${fmt(b.p.death)}`,
          `persistence: ${fmt(b.p.death - b.p.birth)}`], event);
        opts.onHover?.(b.p, b.dim, b.index);
      })
      .on('mouseleave', (_event: MouseEvent, b) => {
        tooltip.hide();
        opts.onHover?.(null, b.dim, b.index);
      })
      .on('click', (_event: MouseEvent, b) => opts.onClick?.(b.dim, b.index));

    // Arrow heads at the right edge mark bars that never die.
    const ah = Math.max(thick, 5);
    barsG.selectAll('path.bc-arrow').data(bars.filter((b) => !Number.isFinite(b.p.death))).join('path')
      .attr('class', 'bc-arrow')
      .attr('d', (b) => {
        const yc = yOf(b) + thick / 2;
        return `M${xInf - ARROW},${yc - ah / 2}L${xInf},${yc}L${xInf - ARROW},${yc + ah / 2}Z`;
      })
      .style('fill', (b) => dimColor(b.dim))
      .style('pointer-events', 'none');
  }

  draw();
  return {
    update: redrawOnChange(() => ({ data: current, opts }), (d, o) => { current = d; opts = o; }, draw),
    destroy: () => frame.destroy(),
    svg: () => svg.node() as SVGSVGElement,
  };
}

/** Bars per dimension, the essential ones and the longest finite bar, in words. */
function describeBars({ dgms, dims }: BarcodeData, notes: string[]): string {
  const parts = dims.map((dim) => {
    const d = dgms[dim] ?? [];
    const essential = d.filter((p) => !Number.isFinite(p.death)).length;
    let longest: PersistencePair | null = null;
    for (const p of d) if (Number.isFinite(p.death) && (!longest || p.death - p.birth > longest.death - longest.birth)) longest = p;
    return `${dimLabel(dim)}: ${d.length} bars${essential ? `, ${essential} essential` : ''}${longest ? `, longest [${fmt(longest.birth)}, ${fmt(longest.death)})` : ''}`;
  });
  return `${parts.join('. ')}.${notes.length ? ` ${notes.join('; ')}.` : ''} The persistence diagram beside it holds the same pairs and can be browsed with the keyboard.`;
}
