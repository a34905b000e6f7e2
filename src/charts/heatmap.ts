import * as d3 from 'd3';
import { type A11yOptions, type ChartHandle, createFrame, makeFocusable, optionsChanged, pointerAt, requirePositive, sizeSvg, uid } from './frame';
import { fmt } from './format';
import { cssVar } from './theme';

export interface HeatmapData {
  /** k × k, row-major. Infinity and NaN are drawn hatched ("no data"). */
  values: Float64Array;
  /** k row/column names (layer names). */
  labels: string[];
  title: string;
  /**
   * 'distance': small = similar; 'similarity': large = similar. Either way similar pairs are drawn bright
   * (Cividis yellow), so the SW and CKA matrices can be read side by side.
   */
  colorScheme: 'distance' | 'similarity';
  /** Colour-scale domain; defaults to the finite min and max of `values`. */
  domain?: [number, number];
}

export interface HeatmapOptions extends A11yOptions {
  /** data-testid of the root svg, e.g. 'distance-matrix' or 'cka-matrix'. */
  testId: string;
  /** Side of the matrix in px (default: 22 px per cell, clamped to 160–440). */
  size?: number;
  onCellClick?(i: number, j: number): void;
  /** Outlined cell [row, column]; a click also moves the outline. */
  selected?: [number, number] | null;
}

interface Cell {
  i: number;
  j: number;
  v: number;
}

/** Square matrix of layer-by-layer values with a sequential colour scale and a colour legend. */
export function renderHeatmap(container: HTMLElement, data: HeatmapData, options: HeatmapOptions): ChartHandle<HeatmapData, HeatmapOptions> {
  const frame = createFrame(container, options.testId);
  const { svg, tooltip } = frame;
  const hatchId = uid('hm-hatch');
  const gradId = uid('hm-grad');
  let opts = options;
  let current = data;
  let selected = options.selected ?? null;
  // Keyboard cursor [row, column], drawn as a dashed outline; null when the chart has no focus.
  let cursor: [number, number] | null = null;
  let drawCursor: () => void = () => {};
  let drawOutline: () => void = () => {};
  const cellWords = (i: number, j: number) => {
    const { labels, values } = current;
    return `${labels[i]} × ${labels[j]}: ${fmt(values[i * labels.length + j])}`;
  };
  makeFocusable(
    svg,
    (e) => {
      const k = current.labels.length;
      if (k === 0) return false;
      const [i, j] = cursor ?? selected ?? [0, 0];
      const clamp = (v: number) => Math.max(0, Math.min(k - 1, v));
      let next: [number, number] | null = [i, j];
      // The first arrow shows the cursor where it starts (the selected cell, else the top-left one).
      if (!cursor && e.key.startsWith('Arrow')) next = [i, j];
      else if (e.key === 'ArrowRight') next = [i, clamp(j + 1)];
      else if (e.key === 'ArrowLeft') next = [i, clamp(j - 1)];
      else if (e.key === 'ArrowDown') next = [clamp(i + 1), j];
      else if (e.key === 'ArrowUp') next = [clamp(i - 1), j];
      else if (e.key === 'Home') next = [i, 0];
      else if (e.key === 'End') next = [i, k - 1];
      else if ((e.key === 'Enter' || e.key === ' ') && cursor) {
        selected = cursor;
        drawCursor();
        opts.onCellClick?.(cursor[0], cursor[1]);
        frame.announce(`${cellWords(cursor[0], cursor[1])} selected`);
        return true;
      } else if (e.key === 'Escape' && cursor) next = null;
      else return false;
      cursor = next;
      drawCursor();
      if (cursor) frame.announce(`${current.title}, ${cellWords(cursor[0], cursor[1])}${opts.onCellClick ? '. Enter selects.' : ''}`);
      return true;
    },
    () => {
      cursor = null;
      drawCursor();
    },
  );

  function draw(): void {
    const { values, labels, colorScheme } = current;
    const k = labels.length;
    if (values.length !== k * k) throw new RangeError(`values must have labels.length² = ${k * k} entries, got ${values.length}`);
    if (colorScheme !== 'distance' && colorScheme !== 'similarity') {
      throw new RangeError(`colorScheme must be 'distance' or 'similarity', got ${String(colorScheme)}`);
    }
    const size = opts.size ?? Math.min(440, Math.max(160, k * 22));
    requirePositive('size', size);
    svg.attr('data-testid', opts.testId);
    svg.selectAll('*').remove();
    tooltip.hide();

    const cell = size / Math.max(1, k);
    const font = Math.max(7, Math.min(11, cell * 0.8));
    // No text measuring without layout: estimate label width from the longest label.
    const labelW = Math.min(140, 8 + font * 0.6 * Math.max(0, ...labels.map((l) => l.length)));
    let [lo, hi] = current.domain ?? [Infinity, -Infinity];
    if (!current.domain) for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; } // all cells without data
    // Room for the colour bar (14 px gap, 12 px bar) and its longest tick label (about 6.6 px a character at 11 px).
    const legendW = 14 + 12 + 4 + 6.6 * Math.max(fmt(lo).length, fmt(hi).length) + 6;
    const margin = { top: 24, left: labelW, bottom: labelW, right: Math.max(70, Math.ceil(legendW)) };
    const width = margin.left + size + margin.right;
    const height = margin.top + size + margin.bottom;
    sizeSvg(svg, width, height);

    const t = (v: number) => (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5);
    const color = (v: number) => d3.interpolateCividis(colorScheme === 'distance' ? 1 - t(v) : t(v));

    const defs = svg.append('defs');
    const hatch = defs.append('pattern').attr('id', hatchId).attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 6).attr('height', 6).attr('patternTransform', 'rotate(45)');
    hatch.append('rect').attr('width', 6).attr('height', 6).style('fill', cssVar('border'));
    hatch.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6).style('stroke', cssVar('muted')).style('stroke-width', 2);

    svg.append('text').attr('x', margin.left).attr('y', 15).style('font-weight', '600').style('font-size', '12px')
      .style('fill', cssVar('fg')).text(current.title);

    const cells: Cell[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cells.push({ i, j, v: values[i * k + j] });
    const grid = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
    grid.selectAll<SVGRectElement, Cell>('rect.hm-cell').data(cells).join('rect')
      .attr('class', (c) => (Number.isFinite(c.v) ? 'hm-cell' : 'hm-cell hm-nodata'))
      .attr('data-i', (c) => c.i)
      .attr('data-j', (c) => c.j)
      .attr('x', (c) => c.j * cell)
      .attr('y', (c) => c.i * cell)
      .attr('width', cell)
      .attr('height', cell)
      .style('fill', (c) => (Number.isFinite(c.v) ? color(c.v) : `url(#${hatchId})`))
      .style('cursor', opts.onCellClick ? 'pointer' : 'default')
      .on('mouseenter', (event: MouseEvent, c) => tooltip.show([`${labels[c.i]} × ${labels[c.j]}: ${fmt(c.v)}`], event))
      .on('mouseleave', () => tooltip.hide())
      .on('click', (_event: MouseEvent, c) => {
        selected = [c.i, c.j];
        outline();
        opts.onCellClick?.(c.i, c.j);
      });
    const outlineRect = grid.append('rect').attr('class', 'hm-selected').attr('width', cell).attr('height', cell)
      .style('fill', 'none').style('stroke', cssVar('fg')).style('stroke-width', 2).style('pointer-events', 'none');
    function outline(): void {
      const ok = selected && selected[0] >= 0 && selected[0] < k && selected[1] >= 0 && selected[1] < k;
      outlineRect.style('display', ok ? 'inline' : 'none');
      if (ok) outlineRect.attr('x', selected![1] * cell).attr('y', selected![0] * cell);
    }
    outline();
    drawOutline = outline;
    const cursorRect = grid.append('rect').attr('class', 'hm-cursor').attr('width', cell).attr('height', cell)
      .style('fill', 'none').style('stroke', cssVar('accent')).style('stroke-width', 3).style('stroke-dasharray', '4 2')
      .style('pointer-events', 'none').style('display', 'none');
    drawCursor = () => {
      outline();
      const ok = cursor && cursor[0] < k && cursor[1] < k;
      cursorRect.style('display', ok ? 'inline' : 'none');
      if (!ok) {
        tooltip.hide();
        return;
      }
      cursorRect.attr('x', cursor![1] * cell).attr('y', cursor![0] * cell);
      tooltip.show([cellWords(cursor![0], cursor![1])], pointerAt(cursorRect.node()!));
    };
    cursor = null;
    frame.describe(opts.ariaLabel ?? current.title, describeMatrix(current));

    grid.selectAll('text.hm-row-label').data(labels).join('text').attr('class', 'hm-row-label')
      .attr('x', -4).attr('y', (_, i) => (i + 0.5) * cell).attr('dy', '0.32em').attr('text-anchor', 'end')
      .style('font-size', `${font}px`).style('fill', cssVar('fg')).text((l) => l);
    grid.selectAll('text.hm-col-label').data(labels).join('text').attr('class', 'hm-col-label')
      .attr('transform', (_, j) => `translate(${(j + 0.5) * cell},${size + 4}) rotate(-90)`)
      .attr('dy', '0.32em').attr('text-anchor', 'end')
      .style('font-size', `${font}px`).style('fill', cssVar('fg')).text((l) => l);

    // Colour legend: a vertical gradient bar, max at the top, with min/max ticks.
    const grad = defs.append('linearGradient').attr('id', gradId).attr('x1', 0).attr('y1', 1).attr('x2', 0).attr('y2', 0);
    for (let s = 0; s <= 10; s++) {
      grad.append('stop').attr('offset', `${s * 10}%`).attr('stop-color', color(lo + ((hi - lo) * s) / 10));
    }
    const lx = margin.left + size + 14;
    const legend = svg.append('g').attr('class', 'hm-legend').attr('transform', `translate(${lx},${margin.top})`);
    legend.append('rect').attr('width', 12).attr('height', size).style('fill', `url(#${gradId})`)
      .style('stroke', cssVar('border'));
    legend.append('text').attr('class', 'hm-legend-max').attr('x', 16).attr('y', 0).attr('dy', '0.71em')
      .style('fill', cssVar('fg')).text(fmt(hi));
    legend.append('text').attr('class', 'hm-legend-min').attr('x', 16).attr('y', size)
      .style('fill', cssVar('fg')).text(fmt(lo));
  }

  draw();
  return {
    update(nextData, nextOptions) {
      const next = nextOptions ? { ...opts, ...nextOptions } : opts;
      // A new selection only moves the outline: redrawing k² cells per click made a click a long task.
      const redraw = nextData !== current || optionsChanged({ ...opts, selected: null }, { ...next, selected: null });
      if (nextOptions && 'selected' in nextOptions) selected = nextOptions.selected ?? null;
      current = nextData;
      opts = next;
      if (redraw) draw();
      else drawOutline();
    },
    destroy: () => frame.destroy(),
    svg: () => svg.node() as SVGSVGElement,
  };
}

/** The key numbers in words: the range, the most and least similar pair of distinct rows, and each row's neighbours. */
function describeMatrix({ values, labels, title, colorScheme }: HeatmapData): string {
  const k = labels.length;
  let best: [number, number, number] | null = null, worst: [number, number, number] | null = null;
  // "Similar" is small for a distance, large for a similarity.
  const better = (a: number, b: number) => (colorScheme === 'distance' ? a < b : a > b);
  const next: string[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const v = values[i * k + j];
      if (!Number.isFinite(v)) continue;
      if (!best || better(v, best[2])) best = [i, j, v];
      if (!worst || better(worst[2], v)) worst = [i, j, v];
    }
    if (i + 1 < k) next.push(`${labels[i]}–${labels[i + 1]} ${fmt(values[i * k + i + 1])}`);
  }
  if (!best || !worst) return `${title}: ${k} × ${k} matrix without data.`;
  const word = colorScheme === 'distance' ? 'distance' : 'similarity';
  return (
    `${title}: ${k} × ${k} matrix of ${word}s between layers. Most similar pair ${labels[best[0]]} and ${labels[best[1]]} (${fmt(best[2])}), ` +
    `least similar ${labels[worst[0]]} and ${labels[worst[1]]} (${fmt(worst[2])}). Consecutive layers: ${next.join(', ')}. ` +
    'Focus the matrix and use the arrow keys to read cells; Enter selects one.'
  );
}
