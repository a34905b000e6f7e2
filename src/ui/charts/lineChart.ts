import * as d3 from 'd3';
import { type A11yOptions, type ChartHandle, createFrame, redrawOnChange, requirePositive, sizeSvg } from './frame';
import { fmt } from './format';
import { cssVar, SERIES_COLORS } from './theme';

export interface LineSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
  color?: string;
  /** Which y axis the series is read against (default 'left'); any 'right' series adds a twin axis. */
  axis?: 'left' | 'right';
}

export interface LineChartData {
  series: LineSeries[];
  /** Numbers give a linear x axis; strings (layer names) give evenly spaced categories. */
  x: number[] | string[];
  xLabel: string;
  yLabel: string;
  yDomain?: [number, number];
  /** Label and domain of the right axis (twin-axis charts). */
  y2Label?: string;
  y2Domain?: [number, number];
  title?: string;
}

export interface LineChartOptions extends A11yOptions {
  /** data-testid of the root svg (default 'line-chart'). */
  testId?: string;
  width?: number;
  height?: number;
  onPointClick?(seriesIndex: number, i: number): void;
  /** An x value (e.g. the selected layer) marked with a vertical rule. */
  highlightX?: number | string | null;
}

interface Dot {
  s: number;
  i: number;
  v: number;
}

/** Small multi-series line chart with dots, a legend, a tooltip and an optional twin y axis. */
export function renderLineChart(container: HTMLElement, data: LineChartData, options: LineChartOptions = {}): ChartHandle<LineChartData, LineChartOptions> {
  const frame = createFrame(container, options.testId ?? 'line-chart');
  const { svg, tooltip } = frame;
  let opts = options;
  let current = data;

  function draw(): void {
    const { series, x: xs } = current;
    const width = opts.width ?? 480, height = opts.height ?? 260;
    requirePositive('width', width);
    requirePositive('height', height);
    series.forEach((s, k) => {
      if (s.values.length !== xs.length) throw new RangeError(`series[${k}].values must have x.length = ${xs.length} entries, got ${s.values.length}`);
    });
    svg.attr('data-testid', opts.testId ?? 'line-chart');
    svg.selectAll('*').remove();
    sizeSvg(svg, width, height);
    tooltip.hide();
    frame.describe(opts.ariaLabel ?? current.title ?? `${current.yLabel} by ${current.xLabel}`, describeLines(current));

    const twin = series.some((s) => s.axis === 'right');
    // Long category names (layer names) are rotated so they don't overlap; the bottom margin grows to fit them.
    const longest = typeof xs[0] === 'string' ? Math.max(0, ...(xs as string[]).map((n) => n.length)) : 0;
    const rotate = longest * 6.2 > (width - 104) / Math.max(1, xs.length);
    const margin = { top: (current.title ? 22 : 6) + 18, right: twin ? 52 : 14, bottom: rotate ? 30 + Math.min(90, longest * 4.6) : 38, left: 52 };
    const x0 = margin.left, x1 = width - margin.right, y0 = height - margin.bottom, y1 = margin.top;

    const xAxis = xScaleFor(xs, x0, x1);
    const xPos = xAxis.pos;

    const yScale = (side: 'left' | 'right', fixed?: [number, number]) => {
      const vals = series.filter((s) => (s.axis ?? 'left') === side).flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
      let [a, b] = fixed ?? (d3.extent(vals) as [number | undefined, number | undefined]).map((v) => v ?? 0);
      if (a === b) { a -= 1; b += 1; }
      const sc = d3.scaleLinear().domain([a, b]).range([y0, y1]);
      return fixed ? sc : sc.nice();
    };
    const yL = yScale('left', current.yDomain);
    const yR = twin ? yScale('right', current.y2Domain) : yL;
    const yOf = (s: number) => (series[s].axis === 'right' ? yR : yL);
    const colorOf = (s: number) => series[s].color ?? SERIES_COLORS[s % SERIES_COLORS.length];

    if (current.title) {
      svg.append('text').attr('x', x0).attr('y', 14).style('font-weight', '600').style('font-size', '12px')
        .style('fill', cssVar('fg')).text(current.title);
    }
    const muted = cssVar('muted');
    const gx = svg.append('g').attr('class', 'lc-x-axis').attr('transform', `translate(0,${y0})`).style('color', muted).call(xAxis.draw);
    if (rotate) gx.selectAll('text').attr('transform', 'rotate(-40)').attr('dx', '-0.4em').attr('dy', '0.6em').style('text-anchor', 'end');
    svg.append('g').attr('class', 'lc-y-axis').attr('transform', `translate(${x0},0)`).style('color', muted).call(d3.axisLeft(yL).ticks(5));
    svg.append('text').attr('x', (x0 + x1) / 2).attr('y', height - 6).attr('text-anchor', 'middle').style('fill', cssVar('fg')).text(current.xLabel);
    svg.append('text').attr('transform', `translate(12,${(y0 + y1) / 2}) rotate(-90)`).attr('text-anchor', 'middle')
      .style('fill', cssVar('fg')).text(current.yLabel);
    if (twin) {
      svg.append('g').attr('class', 'lc-y2-axis').attr('transform', `translate(${x1},0)`).style('color', muted).call(d3.axisRight(yR).ticks(5));
      svg.append('text').attr('transform', `translate(${width - 8},${(y0 + y1) / 2}) rotate(90)`).attr('text-anchor', 'middle')
        .style('fill', cssVar('fg')).text(current.y2Label ?? '');
    }

    const hx = opts.highlightX;
    const hxPos = hx === null || hx === undefined ? null : xAxis.ofValue(hx);
    if (hxPos !== null && Number.isFinite(hxPos)) {
      svg.append('line').attr('class', 'lc-highlight').attr('x1', hxPos).attr('x2', hxPos).attr('y1', y1).attr('y2', y0)
        .style('stroke', cssVar('accent')).style('stroke-width', 2).style('opacity', 0.5);
    }

    const lines = svg.append('g').attr('class', 'lc-lines');
    series.forEach((s, k) => {
      const line = d3.line<number | null>()
        .defined((v) => v !== null && Number.isFinite(v))
        .x((_, i) => xPos(i))
        .y((v) => yOf(k)(v as number));
      lines.append('path').attr('class', 'lc-line').attr('data-series', k).attr('d', line(s.values))
        .style('fill', 'none').style('stroke', colorOf(k)).style('stroke-width', 1.5)
        .style('stroke-dasharray', s.axis === 'right' ? '5 3' : 'none');
    });

    const dots: Dot[] = series.flatMap((s, k) =>
      s.values.flatMap((v, i) => (v !== null && Number.isFinite(v) ? [{ s: k, i, v }] : [])),
    );
    svg.append('g').attr('class', 'lc-dots').selectAll<SVGCircleElement, Dot>('circle').data(dots).join('circle')
      .attr('class', 'lc-dot')
      .attr('data-series', (d) => d.s)
      .attr('data-i', (d) => d.i)
      .attr('cx', (d) => xPos(d.i))
      .attr('cy', (d) => yOf(d.s)(d.v))
      .attr('r', 3)
      .style('fill', (d) => colorOf(d.s))
      .style('cursor', opts.onPointClick ? 'pointer' : 'default')
      .on('mouseenter', (event: MouseEvent, d) => {
        const yl = series[d.s].axis === 'right' ? current.y2Label ?? current.yLabel : current.yLabel;
        tooltip.show([series[d.s].label, `${current.xLabel}: ${xs[d.i]}`, `${yl}: ${fmt(d.v)}`], event);
      })
      .on('mouseleave', () => tooltip.hide())
      .on('click', (_event: MouseEvent, d) => opts.onPointClick?.(d.s, d.i));

    // Legend on one row above the plot; dashed swatch = right axis.
    const legend = svg.append('g').attr('class', 'lc-legend').attr('transform', `translate(${x0},${margin.top - 12})`);
    let lx = 0;
    series.forEach((s, k) => {
      legend.append('line').attr('x1', lx).attr('x2', lx + 14).style('stroke', colorOf(k)).style('stroke-width', 2)
        .style('stroke-dasharray', s.axis === 'right' ? '4 2' : 'none');
      const text = twin ? `${s.label} (${s.axis === 'right' ? 'right' : 'left'})` : s.label;
      legend.append('text').attr('x', lx + 18).attr('dy', '0.32em').style('fill', cssVar('fg')).text(text);
      lx += 30 + text.length * 6.2; // no text measuring without layout
    });
  }
  draw();
  return {
    update: redrawOnChange(() => ({ data: current, opts }), (d, o) => { current = d; opts = o; }, draw),
    destroy: () => frame.destroy(),
    svg: () => svg.node() as SVGSVGElement,
  };
}

interface XAxis {
  pos(i: number): number;
  /** Screen x of an x value (for highlightX), or null when it is not on the axis. */
  ofValue(v: number | string): number | null;
  draw(g: d3.Selection<SVGGElement, unknown, null, undefined>): void;
}

/** Linear axis for numeric x, evenly spaced categories for names. */
function xScaleFor(xs: number[] | string[], x0: number, x1: number): XAxis {
  if (xs.length > 0 && typeof xs[0] === 'number') {
    const nums = xs as number[];
    const [a = 0, b = 1] = d3.extent(nums);
    const sc = d3.scaleLinear().domain(a === b ? [a - 1, b + 1] : [a, b]).range([x0, x1]);
    const integers = nums.every(Number.isInteger); // e.g. "k removed components": no 0.5 ticks
    const ticks = Math.min(Math.max(2, Math.floor((x1 - x0) / 60)), integers ? Math.max(1, b - a) : Infinity);
    return {
      pos: (i) => sc(nums[i]),
      ofValue: (v) => (typeof v === 'number' ? sc(v) : null),
      draw: (g) => void g.call(d3.axisBottom(sc).ticks(ticks, integers ? 'd' : undefined)),
    };
  }
  const names = (xs as string[]).map(String);
  const sc = d3.scalePoint<string>().domain(names).range([x0, x1]).padding(0.5);
  return {
    pos: (i) => sc(names[i])!,
    ofValue: (v) => sc(String(v)) ?? null,
    draw: (g) => void g.call(d3.axisBottom(sc)),
  };
}

/** Every value in words (these charts have a few dozen points at most): "purity: layer 1 0.41, layer 2 0.45, …". */
function describeLines({ series, x, xLabel, yLabel }: LineChartData): string {
  const lines = series.map((s) => `${s.label}: ${s.values.map((v, i) => `${xLabel} ${x[i]} ${fmt(v)}`).join(', ')}`);
  return `${yLabel} against ${xLabel}. ${lines.join('. ')}.`;
}
