import * as d3 from 'd3';
import type { Diagram, PersistencePair } from '../../types';
import { type A11yOptions, type ChartHandle, createFrame, makeFocusable, pointerAt, redrawOnChange, requirePositive, sizeSvg, uid } from './frame';
import { dimLabel, fmt } from './format';
import { cssVar, dimColor } from './theme';

/** One layer's diagrams in an overlay (e.g. the two layers of a clicked matrix cell). */
export interface DiagramSeries {
  label: string;
  dgms: Diagram[];
  /** Overrides the per-dimension colour for every point of this series. */
  color?: string;
}

export interface PersistenceDiagramData {
  /** dgms[k] = the H_k diagram. Ignored when `series` is non-empty. */
  dgms: Diagram[];
  /** Dimensions shown, e.g. [0, 1]. */
  dims: number[];
  title?: string;
  /** Overlay mode: each series gets its own marker shape (circle, triangle, square, …) and a legend entry. */
  series?: DiagramSeries[];
}

export interface PersistenceDiagramOptions extends A11yOptions {
  width: number;
  height: number;
  /** Called with the point under the pointer, or null (and the point just left) when it leaves. */
  onHover?(p: PersistencePair | null, dim: number, index: number, series: number): void;
  /** `index` is the position in that dimension's diagram (of that series). */
  onClick?(dim: number, index: number, series: number): void;
}

export interface PersistenceDiagramHandle extends ChartHandle<PersistenceDiagramData, PersistenceDiagramOptions> {
  /** Rings one point (dim, index of series); `highlight(null)` clears. */
  highlight(dim: number | null, index?: number, series?: number): void;
}

interface Mark {
  p: PersistencePair;
  dim: number;
  index: number;
  series: number;
}

const SHAPES = [d3.symbolCircle, d3.symbolTriangle, d3.symbolSquare, d3.symbolDiamond];
const R = 3.5;
const INF_GAP = 16; // px between the ∞ line and the top of the finite range, so essential points never sit on a finite value

/**
 * Birth/death scatter with the diagonal; essential classes (death = ∞) sit on a dashed line above the plot.
 * Zoom and pan with the wheel / drag on the plot area, double-click resets.
 */
export function renderPersistenceDiagram(
  container: HTMLElement,
  data: PersistenceDiagramData,
  options: PersistenceDiagramOptions,
): PersistenceDiagramHandle {
  const frame = createFrame(container, 'persistence-diagram');
  const { svg, tooltip } = frame;
  const clipId = uid('pd-clip');
  let opts = options;
  let current = data;
  let highlighted: { dim: number; index: number; series: number } | null = null;
  let marks: d3.Selection<SVGElement, Mark, SVGGElement, unknown> | null = null;
  // Keyboard cursor: an index into `order` (points by dimension, then longest-lived first), or -1 for none.
  let order: Mark[] = [];
  let cursor = -1;
  const seriesName = (m: Mark) => (current.series?.length ? `${current.series[m.series].label} · ${dimLabel(m.dim)}` : dimLabel(m.dim));
  const pointWords = (m: Mark) =>
    `${seriesName(m)} point: birth ${fmt(m.p.birth)}, death ${fmt(m.p.death)}, persistence ${fmt(m.p.death - m.p.birth)}`;

  makeFocusable(
    svg,
    (e) => {
      if (order.length === 0) return false;
      const last = order.length - 1;
      const dimStart = (from: number, step: 1 | -1) => {
        // First point of the next (step 1) or previous (step -1) dimension.
        const d = order[Math.max(0, from)].dim;
        let i = Math.max(0, from);
        while (i >= 0 && i <= last && order[i].dim === d) i += step;
        if (i < 0 || i > last) return from;
        const d2 = order[i].dim;
        while (step === -1 && i > 0 && order[i - 1].dim === d2) i--;
        return i;
      };
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') moveCursor(cursor < 0 ? 0 : Math.min(last, cursor + 1));
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') moveCursor(cursor < 0 ? 0 : Math.max(0, cursor - 1));
      else if (e.key === 'Home') moveCursor(0);
      else if (e.key === 'End') moveCursor(last);
      else if (e.key === 'PageDown') moveCursor(dimStart(cursor, 1));
      else if (e.key === 'PageUp') moveCursor(dimStart(cursor, -1));
      else if ((e.key === 'Enter' || e.key === ' ') && cursor >= 0) {
        const m = order[cursor];
        opts.onClick?.(m.dim, m.index, m.series);
        frame.announce(`${pointWords(m)} selected`);
      } else if (e.key === 'Escape' && cursor >= 0) moveCursor(-1);
      else return false;
      return true;
    },
    () => moveCursor(-1),
  );

  function moveCursor(next: number): void {
    const prev = cursor >= 0 ? order[cursor] : null;
    cursor = next;
    const m = cursor >= 0 ? order[cursor] : null;
    marks?.classed('pd-cursor', (x) => x === m);
    if (prev && prev !== m) opts.onHover?.(null, prev.dim, prev.index, prev.series);
    if (!m) {
      tooltip.hide();
      return;
    }
    const el = marks?.filter((x) => x === m).raise().node();
    if (el) tooltip.show([seriesName(m), `birth: ${fmt(m.p.birth)}`, `death: ${fmt(m.p.death)}`, `persistence: ${fmt(m.p.death - m.p.birth)}`], pointerAt(el));
    opts.onHover?.(m.p, m.dim, m.index, m.series);
    frame.announce(`${cursor + 1} of ${order.length}. ${pointWords(m)}${m.dim === 1 && opts.onClick ? '. Enter shows its loop.' : ''}`);
  }

  function draw(): void {
    requirePositive('width', opts.width);
    requirePositive('height', opts.height);
    const { width, height } = opts;
    svg.selectAll('*').remove();
    sizeSvg(svg, width, height);
    tooltip.hide();

    const layers: DiagramSeries[] = current.series?.length ? current.series : [{ label: '', dgms: current.dgms }];
    const overlay = !!current.series?.length;
    const all: Mark[] = [];
    layers.forEach((layer, s) => {
      for (const dim of current.dims) (layer.dgms[dim] ?? []).forEach((p, index) => all.push({ p, dim, index, series: s }));
    });

    const margin = { top: (current.title ? 22 : 6) + 18, right: 12, bottom: 38, left: 50 };
    const x0 = margin.left, x1 = width - margin.right;
    const infY = margin.top + 4;
    const y0 = height - margin.bottom, y1 = infY + INF_GAP;

    // One domain for both axes so the diagonal is at 45° in data terms.
    let lo = 0, hi = -Infinity;
    for (const { p } of all) {
      lo = Math.min(lo, p.birth);
      hi = Math.max(hi, p.birth);
      if (Number.isFinite(p.death)) { lo = Math.min(lo, p.death); hi = Math.max(hi, p.death); }
    }
    if (!(hi > lo)) hi = lo + 1;
    const pad = (hi - lo) * 0.05;
    // Padding on both ends: H0 points all have birth 0 and would be half-clipped on the axis otherwise.
    const x = d3.scaleLinear().domain([lo - pad, hi + pad]).range([x0, x1]);
    const y = d3.scaleLinear().domain([lo - pad, hi + pad]).range([y0, y1]);

    if (current.title) {
      svg.append('text').attr('x', x0).attr('y', 14).style('font-weight', '600').style('font-size', '12px')
        .style('fill', cssVar('fg')).text(current.title);
    }
    drawLegend(svg, current.dims, overlay ? layers : [], x0, margin.top - 12);

    svg.append('defs').append('clipPath').attr('id', clipId).append('rect')
      .attr('x', x0).attr('y', infY - 8).attr('width', x1 - x0).attr('height', y0 - infY + 8);

    const gx = svg.append('g').attr('transform', `translate(0,${y0})`).style('color', cssVar('muted'));
    const gy = svg.append('g').attr('transform', `translate(${x0},0)`).style('color', cssVar('muted'));
    svg.append('text').attr('x', (x0 + x1) / 2).attr('y', height - 6).attr('text-anchor', 'middle')
      .style('fill', cssVar('fg')).text('birth');
    svg.append('text').attr('transform', `translate(12,${(y0 + y1) / 2}) rotate(-90)`).attr('text-anchor', 'middle')
      .style('fill', cssVar('fg')).text('death');
    svg.append('text').attr('class', 'pd-inf-label').attr('x', x0 - 6).attr('y', infY).attr('dy', '0.32em')
      .attr('text-anchor', 'end').style('fill', cssVar('fg')).text('∞');

    // The zoom listens on the plot group; its transparent background catches wheel/drag between points.
    const plot = svg.append('g').attr('class', 'pd-plot');
    plot.append('rect').attr('class', 'pd-bg').attr('x', x0).attr('y', infY - 8).attr('width', x1 - x0)
      .attr('height', y0 - infY + 8).style('fill', 'transparent');
    const clipped = plot.append('g').attr('clip-path', `url(#${clipId})`);
    const below = clipped.append('path').attr('class', 'pd-below').style('fill', cssVar('border')).style('opacity', 0.35);
    const diagonal = clipped.append('line').attr('class', 'pd-diagonal').style('stroke', cssVar('muted')).style('stroke-width', 1);
    clipped.append('line').attr('class', 'pd-inf-line').attr('x1', x0).attr('x2', x1).attr('y1', infY).attr('y2', infY)
      .style('stroke', cssVar('muted')).style('stroke-dasharray', '4 3');

    const pointsG = clipped.append('g').attr('class', 'pd-points');
    const seriesColor = (m: Mark) => layers[m.series].color ?? dimColor(m.dim);
    // Series 0 is drawn as <circle> (cx/cy are what tests and screen readers see); other shapes are <path>s.
    marks = pointsG.selectAll<SVGElement, Mark>('.pd-point')
      .data(all)
      .join((enter) => enter.append((m) => document.createElementNS('http://www.w3.org/2000/svg', m.series === 0 ? 'circle' : 'path')))
      .attr('class', 'pd-point')
      .attr('data-dim', (m) => m.dim)
      .attr('data-index', (m) => m.index)
      .attr('data-series', (m) => m.series)
      .attr('data-essential', (m) => (Number.isFinite(m.p.death) ? null : 'true'))
      .style('fill', seriesColor)
      // Overlay: the first series filled, the others hollow, so shape and fill both tell the layers apart.
      .style('fill-opacity', (m) => (!overlay ? 0.8 : m.series === 0 ? 0.7 : 0.12))
      .style('stroke', seriesColor)
      .style('stroke-width', (m) => (m.series === 0 ? 0.8 : 1.3))
      .style('cursor', 'pointer')
      .on('mouseenter', (event: MouseEvent, m) => {
        const name = overlay ? `${layers[m.series].label} · ${dimLabel(m.dim)}` : dimLabel(m.dim);
        tooltip.show([name, `birth: ${fmt(m.p.birth)}`, `death: ${fmt(m.p.death)}`,
          `persistence: ${fmt(m.p.death - m.p.birth)}`], event);
        opts.onHover?.(m.p, m.dim, m.index, m.series);
      })
      .on('mouseleave', (_event: MouseEvent, m) => {
        tooltip.hide();
        opts.onHover?.(null, m.dim, m.index, m.series);
      })
      .on('click', (event: MouseEvent, m) => {
        event.stopPropagation();
        opts.onClick?.(m.dim, m.index, m.series);
      });
    marks.filter('path').attr('d', (m) => d3.symbol(SHAPES[m.series % SHAPES.length], 60)());
    order = [...all].sort((a, b) => a.dim - b.dim || a.series - b.series || b.p.death - b.p.birth - (a.p.death - a.p.birth));
    cursor = -1;
    frame.describe(opts.ariaLabel ?? current.title ?? 'Persistence diagram', describeDiagram(layers, current.dims, overlay));
    marks.filter('circle').attr('r', R);

    function place(t: d3.ZoomTransform): void {
      const zx = t.rescaleX(x), zy = t.rescaleY(y);
      gx.call(d3.axisBottom(zx).ticks(Math.max(2, Math.floor((x1 - x0) / 70))));
      gy.call(d3.axisLeft(zy).ticks(Math.max(2, Math.floor((y0 - y1) / 50))));
      // The diagonal through the visible range, and the shaded half-plane below it (where no point can be).
      const [a, b] = zx.domain();
      diagonal.attr('x1', zx(a)).attr('y1', zy(a)).attr('x2', zx(b)).attr('y2', zy(b));
      below.attr('d', `M${zx(a)},${zy(a)}L${zx(b)},${zy(b)}L${zx(b)},${y0 + 1}L${zx(a)},${y0 + 1}Z`);
      const px = (m: Mark) => zx(m.p.birth);
      const py = (m: Mark) => (Number.isFinite(m.p.death) ? zy(m.p.death) : infY); // essential → pinned to ∞ line
      marks!.filter('circle').attr('cx', px).attr('cy', py);
      marks!.filter('path').attr('transform', (m) => `translate(${px(m)},${py(m)})`);
    }

    const zoom = d3.zoom<SVGGElement, unknown>()
      .scaleExtent([1, 64])
      .extent([[x0, y1], [x1, y0]]) // explicit: the default reads the svg's layout, which is absent in jsdom
      .on('zoom', (event: d3.D3ZoomEvent<SVGGElement, unknown>) => place(event.transform));
    plot.call(zoom).on('dblclick.zoom', null).on('dblclick', () => plot.call(zoom.transform, d3.zoomIdentity));
    place(d3.zoomIdentity);
    applyHighlight();
  }

  function applyHighlight(): void {
    if (!marks) return;
    const h = highlighted;
    const on = (m: Mark) => !!h && m.dim === h.dim && m.index === h.index && m.series === h.series;
    marks.classed('pd-highlight', on)
      .style('stroke', (m) => (on(m) ? cssVar('fg') : (current.series?.[m.series]?.color ?? dimColor(m.dim))))
      .style('stroke-width', (m) => (on(m) ? 2 : m.series === 0 ? 0.8 : 1.3));
    marks.filter('circle').attr('r', (m) => (on(m) ? R * 1.8 : R));
    marks.filter(on).raise();
  }

  draw();
  return {
    update: redrawOnChange(() => ({ data: current, opts }), (d, o) => { current = d; opts = o; }, draw),
    destroy() {
      frame.destroy();
      marks = null;
    },
    svg: () => svg.node() as SVGSVGElement,
    highlight(dim, index = -1, series = 0) {
      highlighted = dim === null ? null : { dim, index, series };
      applyHighlight();
    },
  };
}

/** The key numbers in words: per series and dimension the number of points and the longest-lived ones. */
function describeDiagram(layers: DiagramSeries[], dims: number[], overlay: boolean): string {
  const parts: string[] = [];
  for (const layer of layers) {
    for (const dim of dims) {
      const d = layer.dgms[dim] ?? [];
      const essential = d.filter((p) => !Number.isFinite(p.death)).length;
      const finite = d.filter((p) => Number.isFinite(p.death)).sort((a, b) => b.death - b.birth - (a.death - a.birth));
      const top = finite.slice(0, 3).map((p) => `${fmt(p.death - p.birth)} (born ${fmt(p.birth)})`);
      parts.push(
        `${overlay ? `${layer.label}, ` : ''}${dimLabel(dim)}: ${finite.length} finite point${finite.length === 1 ? '' : 's'}` +
          (essential ? ` and ${essential} essential` : '') +
          (top.length ? `; longest persistence ${top.join(', ')}` : ''),
      );
    }
  }
  return `${parts.join('. ')}. Focus the chart and use the arrow keys to go through the points, longest-lived first; Page Up/Down changes dimension; Enter selects.`;
}

/** Coloured dots per shown dimension, then (overlay) one grey marker shape per series. */
function drawLegend(
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
  dims: number[],
  series: DiagramSeries[],
  x: number,
  y: number,
): void {
  const g = svg.append('g').attr('class', 'pd-legend').attr('transform', `translate(${x},${y})`);
  let cx = 0;
  for (const dim of dims) {
    g.append('circle').attr('cx', cx + 4).attr('cy', 0).attr('r', 4).style('fill', dimColor(dim));
    g.append('text').attr('x', cx + 11).attr('dy', '0.32em').style('fill', cssVar('fg')).text(dimLabel(dim));
    cx += 36;
  }
  series.forEach((s, i) => {
    g.append('path').attr('transform', `translate(${cx + 4},0)`)
      .attr('d', d3.symbol(SHAPES[i % SHAPES.length], 50)())
      .style('fill', s.color ?? cssVar('muted'))
      .style('fill-opacity', i === 0 ? 1 : 0.12)
      .style('stroke', s.color ?? cssVar('muted'))
      .style('stroke-width', 1.3);
    // No text measuring in jsdom/export, so estimate the label's width from its length.
    g.append('text').attr('x', cx + 12).attr('dy', '0.32em').style('fill', cssVar('fg')).text(s.label);
    cx += 20 + s.label.length * 6.5;
  });
}
