/**
 * Figures of the reproduction report as plain SVG strings: small pure functions, data in, text out, no DOM (Node has
 * none). Colour-blind-safe throughout: Okabe–Ito colours for series, each series also told apart by its marker and
 * dash pattern; Cividis for heatmaps (similar pairs bright in both the distance and the similarity matrix, like the
 * app's heatmap). Every figure has a white background, a title, axis labels and a legend, so it reads on its own.
 */
import { interpolateCividis, ticks as d3ticks } from 'd3';
import type { Diagram } from '../types';

/** Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4', '4 2 1 2', '3 3'];
const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'circle-open', 'square-open', 'triangle-open'] as const;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** XML-escape text for element content and attributes. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A short number for labels: 3 significant digits, no trailing zeros, exponent only for tiny/huge values. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

function r2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function svgDoc(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">\n` +
    `<title>${esc(title)}</title>\n<rect width="${width}" height="${height}" fill="#ffffff"/>\n` +
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>\n` +
    body +
    '</svg>\n'
  );
}

/** A linear scale [d0, d1] → [r0, r1]; a degenerate domain maps to the middle of the range. */
function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (!(d1 > d0)) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Domain padded to nice tick bounds; a constant series gets a small window around its value. */
function niceDomain(lo: number, hi: number, includeZero = false): [number, number] {
  if (includeZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi === lo) { const d = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1; lo -= d; hi += d; }
  const t = d3ticks(lo, hi, 6);
  const step = t.length > 1 ? t[1] - t[0] : hi - lo;
  return [Math.min(lo, Math.floor(lo / step) * step), Math.max(hi, Math.ceil(hi / step) * step)];
}

function marker(kind: (typeof MARKERS)[number], x: number, y: number, color: string): string {
  const s = 3.5;
  const open = kind.endsWith('-open');
  const fill = open ? '#ffffff' : color;
  const base = kind.replace('-open', '');
  const st = `fill="${fill}" stroke="${color}" stroke-width="1.3"`;
  switch (base) {
    case 'square':
      return `<rect x="${r2(x - s)}" y="${r2(y - s)}" width="${2 * s}" height="${2 * s}" ${st}/>`;
    case 'triangle':
      return `<path d="M${r2(x)},${r2(y - s - 1)}L${r2(x + s + 0.5)},${r2(y + s)}L${r2(x - s - 0.5)},${r2(y + s)}Z" ${st}/>`;
    case 'diamond':
      return `<path d="M${r2(x)},${r2(y - s - 1)}L${r2(x + s + 1)},${r2(y)}L${r2(x)},${r2(y + s + 1)}L${r2(x - s - 1)},${r2(y)}Z" ${st}/>`;
    case 'cross':
      return `<path d="M${r2(x - s)},${r2(y - s)}L${r2(x + s)},${r2(y + s)}M${r2(x - s)},${r2(y + s)}L${r2(x + s)},${r2(y - s)}" stroke="${color}" stroke-width="1.8"/>`;
    default:
      return `<circle cx="${r2(x)}" cy="${r2(y)}" r="${s}" ${st}/>`;
  }
}

// ------------------------------------------------------------------------------------------------ line chart

export interface LineSeries {
  name: string;
  x: number[];
  /** null = no value (a gap in the line). */
  y: (number | null)[];
  /** Draw the connecting line (default true); false = a scatter of markers. */
  line?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
  /** Only integer x ticks (layer numbers, k). Default true. */
  integerX?: boolean;
  /** Force the y axis to include 0. Default false. */
  yIncludeZero?: boolean;
  /** Fixed y domain (e.g. [0, 1] for purity). */
  yDomain?: [number, number];
  /** Horizontal reference lines with a label (e.g. chance level). */
  references?: { y: number; label: string }[];
}

/** A line chart with markers, axes, grid and a legend on the right. */
export function lineChartSvg(o: LineChartOptions): string {
  const width = o.width ?? 720, height = o.height ?? 400;
  const legendW = Math.min(260, 40 + 7 * Math.max(8, ...o.series.map((s) => s.name.length), ...(o.references ?? []).map((r) => r.label.length)));
  const m = { left: 70, right: legendW + 16, top: 36, bottom: 52 };
  const xs = o.series.flatMap((s) => s.x);
  const ys = o.series.flatMap((s) => s.y.filter((v): v is number => v !== null && Number.isFinite(v)));
  for (const r of o.references ?? []) ys.push(r.y);
  const xd: [number, number] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const yd = o.yDomain ?? niceDomain(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, o.yIncludeZero);
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const pad = xd[1] > xd[0] ? 0.03 * (xd[1] - xd[0]) : 0.5;
  const sx = scale(xd[0] - pad, xd[1] + pad, m.left, m.left + pw);
  const sy = scale(yd[0], yd[1], m.top + ph, m.top);
  const parts: string[] = [];
  // Grid and y ticks.
  for (const t of d3ticks(yd[0], yd[1], 6)) {
    const y = sy(t);
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${r2(y)}" y2="${r2(y)}" stroke="#e3e3e3"/>`);
    parts.push(`<text x="${m.left - 6}" y="${r2(y + 4)}" text-anchor="end">${esc(fmt(t))}</text>`);
  }
  const integerX = o.integerX ?? true;
  let xt = d3ticks(xd[0], xd[1], integerX ? Math.min(17, Math.max(2, Math.round(xd[1] - xd[0]) + 1)) : 6);
  if (integerX) xt = xt.filter((t) => Number.isInteger(t));
  for (const t of xt) {
    const x = sx(t);
    parts.push(`<line x1="${r2(x)}" x2="${r2(x)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    parts.push(`<text x="${r2(x)}" y="${m.top + ph + 18}" text-anchor="middle">${esc(fmt(t))}</text>`);
  }
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${m.left + pw / 2}" y="${height - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  for (const r of o.references ?? []) {
    const y = sy(r.y);
    parts.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${r2(y)}" y2="${r2(y)}" stroke="#777" stroke-dasharray="1 3" stroke-width="1.5"/>`);
  }
  o.series.forEach((s, i) => {
    const color = OKABE_ITO[i % OKABE_ITO.length];
    let d = '';
    let pen = false;
    s.x.forEach((x, j) => {
      const y = s.y[j];
      if (y === null || !Number.isFinite(y)) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${r2(sx(x))},${r2(sy(y))}`;
      pen = true;
    });
    const dash = DASHES[i % DASHES.length];
    if (s.line ?? true) parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    s.x.forEach((x, j) => {
      const y = s.y[j];
      if (y !== null && Number.isFinite(y)) parts.push(marker(MARKERS[i % MARKERS.length], sx(x), sy(y), color));
    });
  });
  // Legend.
  const lx = width - legendW;
  o.series.forEach((s, i) => {
    const color = OKABE_ITO[i % OKABE_ITO.length];
    const y = m.top + 10 + i * 20;
    const dash = DASHES[i % DASHES.length];
    if (s.line ?? true) parts.push(`<line x1="${lx}" x2="${lx + 28}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(marker(MARKERS[i % MARKERS.length], lx + 14, y, color));
    parts.push(`<text x="${lx + 36}" y="${y + 4}">${esc(s.name)}</text>`);
  });
  (o.references ?? []).forEach((r, i) => {
    const y = m.top + 10 + (o.series.length + i) * 20;
    parts.push(`<line x1="${lx}" x2="${lx + 28}" y1="${y}" y2="${y}" stroke="#777" stroke-dasharray="1 3" stroke-width="1.5"/>`);
    parts.push(`<text x="${lx + 36}" y="${y + 4}">${esc(r.label)}</text>`);
  });
  return svgDoc(width, height, o.title, parts.join('\n') + '\n');
}

// --------------------------------------------------------------------------------------------------- heatmap

export interface HeatmapOptions {
  title: string;
  /** Row and column labels (square matrix). */
  labels: string[];
  /** k × k row-major values; NaN = no data (hatched). */
  values: ArrayLike<number>;
  /** What the colour means, shown above the colour bar. */
  valueLabel: string;
  /** 'distance': small values are similar (bright); 'similarity': large values are similar (bright). */
  kind: 'distance' | 'similarity';
  /** Colour domain; default the finite off-diagonal range for distances, [min, 1] for similarities. */
  domain?: [number, number];
  /** Write the value in each cell (good up to ~20 × 20). Default true. */
  annotate?: boolean;
  axisLabel?: string;
}

/** A square matrix as coloured cells with labels and a colour bar. */
export function heatmapSvg(o: HeatmapOptions): string {
  const k = o.labels.length;
  if (o.values.length !== k * k) throw new Error(`heatmap: ${o.values.length} values for a ${k} × ${k} matrix`);
  const cell = Math.max(18, Math.min(36, Math.floor(560 / Math.max(1, k))));
  const m = { left: 70, top: 40, right: 110, bottom: 60 };
  const width = m.left + k * cell + m.right, height = m.top + k * cell + m.bottom;
  const finite: number[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    const v = o.values[i * k + j];
    if (Number.isFinite(v) && (i !== j || k === 1)) finite.push(v);
  }
  const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 1;
  const domain = o.domain ?? (o.kind === 'distance' ? [Math.min(0, lo), hi] : [lo, Math.max(1, hi)]);
  const t = scale(domain[0], domain[1], 0, 1);
  const colorOf = (v: number) => {
    const u = Math.max(0, Math.min(1, t(v)));
    return interpolateCividis(o.kind === 'distance' ? 1 - u : u);
  };
  const parts: string[] = [
    '<defs><pattern id="nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs>',
  ];
  const annotate = o.annotate ?? true;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = o.values[i * k + j];
      const x = m.left + j * cell, y = m.top + i * cell;
      const fill = Number.isFinite(v) ? colorOf(v) : 'url(#nodata)';
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff" stroke-width="0.5"><title>${esc(`${o.labels[i]} × ${o.labels[j]}: ${fmt(v)}`)}</title></rect>`);
      if (annotate && Number.isFinite(v) && cell >= 24) {
        const u = Math.max(0, Math.min(1, t(v)));
        const bright = o.kind === 'distance' ? 1 - u : u;
        const txt = Math.abs(v) < 10 ? v.toFixed(2).replace(/^0\./, '.').replace(/^-0\./, '−.') : fmt(v);
        parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 3}" text-anchor="middle" font-size="${cell >= 32 ? 9 : 8}" fill="${bright > 0.6 ? '#000' : '#fff'}">${esc(txt)}</text>`);
      }
    }
    parts.push(`<text x="${m.left - 6}" y="${m.top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(o.labels[i])}</text>`);
    parts.push(`<text x="${m.left + i * cell + cell / 2}" y="${m.top + k * cell + 16}" text-anchor="middle">${esc(o.labels[i])}</text>`);
  }
  if (o.axisLabel) {
    parts.push(`<text x="${m.left + (k * cell) / 2}" y="${m.top + k * cell + 40}" text-anchor="middle">${esc(o.axisLabel)}</text>`);
    parts.push(`<text transform="translate(16 ${m.top + (k * cell) / 2}) rotate(-90)" text-anchor="middle">${esc(o.axisLabel)}</text>`);
  }
  // Colour bar: value at top = domain max.
  const bx = m.left + k * cell + 30, bh = Math.min(240, k * cell), steps = 40;
  parts.push(`<text x="${bx - 4}" y="${m.top - 6}" font-size="11">${esc(o.valueLabel)}</text>`);
  for (let s = 0; s < steps; s++) {
    const v = domain[1] - ((s + 0.5) / steps) * (domain[1] - domain[0]);
    parts.push(`<rect x="${bx}" y="${r2(m.top + (s * bh) / steps)}" width="16" height="${r2(bh / steps + 0.5)}" fill="${colorOf(v)}"/>`);
  }
  parts.push(`<rect x="${bx}" y="${m.top}" width="16" height="${bh}" fill="none" stroke="#333"/>`);
  const sb = scale(domain[0], domain[1], m.top + bh, m.top);
  for (const tv of d3ticks(domain[0], domain[1], 5)) {
    parts.push(`<line x1="${bx + 16}" x2="${bx + 20}" y1="${r2(sb(tv))}" y2="${r2(sb(tv))}" stroke="#333"/>`);
    parts.push(`<text x="${bx + 23}" y="${r2(sb(tv) + 4)}">${esc(fmt(tv))}</text>`);
  }
  parts.push(`<text x="${bx}" y="${m.top + bh + 18}" font-size="10" fill="#555">${o.kind === 'distance' ? 'bright = similar' : 'bright = similar'}</text>`);
  return svgDoc(width, height, o.title, parts.join('\n') + '\n');
}

// --------------------------------------------------------------------------------------- persistence diagram

export interface DiagramPanel {
  title: string;
  /** dgms[k] = H_k pairs; death Infinity = essential. */
  dgms: Diagram[];
}

/** One diagram drawn inside the box (x, y, size); returns SVG elements. H0 blue round dots, H1 orange squares. */
function diagramPanel(p: DiagramPanel, x0: number, y0: number, size: number): string {
  const m = { left: 44, top: 22, right: 10, bottom: 34 };
  const pw = size - m.left - m.right, ph = size - m.top - m.bottom;
  let max = 0;
  for (const d of p.dgms) for (const q of d) {
    if (Number.isFinite(q.death)) max = Math.max(max, q.death);
    max = Math.max(max, q.birth);
  }
  if (!(max > 0)) max = 1;
  const top = max * 1.12; // room for the ∞ line
  const s = scale(0, top, 0, 1);
  const X = (v: number) => x0 + m.left + s(v) * pw, Y = (v: number) => y0 + m.top + ph - s(v) * ph;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + m.left + pw / 2}" y="${y0 + 14}" text-anchor="middle" font-size="12" font-weight="bold">${esc(p.title)}</text>`);
  parts.push(`<rect x="${x0 + m.left}" y="${y0 + m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(`<line x1="${r2(X(0))}" y1="${r2(Y(0))}" x2="${r2(X(top))}" y2="${r2(Y(top))}" stroke="#999"/>`);
  const inf = max * 1.06;
  parts.push(`<line x1="${r2(X(0))}" x2="${r2(X(top))}" y1="${r2(Y(inf))}" y2="${r2(Y(inf))}" stroke="#999" stroke-dasharray="3 3"/>`);
  parts.push(`<text x="${r2(X(0) + 2)}" y="${r2(Y(inf) - 2)}" font-size="9" fill="#555">∞</text>`);
  for (const t of d3ticks(0, max, 3)) {
    parts.push(`<text x="${r2(X(t))}" y="${y0 + m.top + ph + 12}" text-anchor="middle" font-size="9">${esc(fmt(t))}</text>`);
    parts.push(`<text x="${x0 + m.left - 3}" y="${r2(Y(t) + 3)}" text-anchor="end" font-size="9">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text x="${x0 + m.left + pw / 2}" y="${y0 + size - 6}" text-anchor="middle" font-size="10">birth</text>`);
  parts.push(`<text transform="translate(${x0 + 11} ${y0 + m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="10">death</text>`);
  // Thousands of points per layer: each dimension is ONE path of zero-length round-capped segments (a dot each),
  // with points that fall on the same half pixel drawn once, so the file stays small.
  p.dgms.forEach((d, dim) => {
    const color = OKABE_ITO[dim % OKABE_ITO.length];
    const seen = new Set<string>();
    let path = '';
    for (const q of d) {
      const px = Math.round(X(q.birth) * 2) / 2, py = Math.round(Y(Number.isFinite(q.death) ? q.death : inf) * 2) / 2;
      const key = `${px},${py}`;
      if (seen.has(key)) continue;
      seen.add(key);
      path += `M${key}h0`;
    }
    if (path) parts.push(`<path d="${path}" stroke="${color}" stroke-opacity="${dim === 0 ? 0.55 : 0.7}" stroke-width="${dim === 0 ? 3.5 : 3}" stroke-linecap="${dim === 0 ? 'round' : 'square'}"/>`);
  });
  return parts.join('\n');
}

/** Persistence diagrams as small multiples (one panel per layer), each on its own scale, with one legend. */
export function persistenceGridSvg(o: { title: string; panels: DiagramPanel[]; columns?: number; panelSize?: number }): string {
  const cols = Math.max(1, Math.min(o.columns ?? 6, o.panels.length));
  const size = o.panelSize ?? 190;
  const rows = Math.ceil(o.panels.length / cols);
  const width = cols * size + 20, height = 56 + rows * size;
  const parts: string[] = [];
  o.panels.forEach((p, i) => parts.push(diagramPanel(p, 10 + (i % cols) * size, 50 + Math.floor(i / cols) * size, size)));
  // Legend under the title.
  const lx = width / 2 - 170;
  parts.push(`<circle cx="${lx}" cy="36" r="3" fill="${OKABE_ITO[0]}"/><text x="${lx + 8}" y="40">H0 (round dots)</text>`);
  parts.push(`<rect x="${lx + 110}" y="33" width="6" height="6" fill="${OKABE_ITO[1]}"/><text x="${lx + 120}" y="40">H1 (squares)</text>`);
  parts.push(`<line x1="${lx + 210}" x2="${lx + 234}" y1="36" y2="36" stroke="#999" stroke-dasharray="3 3"/><text x="${lx + 238}" y="40">essential (∞)</text>`);
  return svgDoc(width, height, o.title, parts.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------- mapper graph

export interface MapperFigureGraph {
  title: string;
  /** Per node: lens value (x), member count, members per group. */
  nodes: { lens: number; size: number; groups: number[] }[];
  edges: { source: number; target: number }[];
  components: ArrayLike<number>;
}

/**
 * Mapper graphs drawn as the 1-D lens suggests: x = the node's mean lens value, nodes of one component kept on
 * nearby rows so branches read as separate strands; each node a pie of its members' groups (super-classes).
 */
export function mapperGraphsSvg(o: { title: string; graphs: MapperFigureGraph[]; groupNames: string[]; xLabel: string }): string {
  const pw = 420, ph = 260;
  const cols = Math.min(2, Math.max(1, o.graphs.length));
  const rows = Math.ceil(o.graphs.length / cols);
  const width = cols * (pw + 20) + 20, height = 70 + rows * (ph + 50);
  const parts: string[] = [];
  o.graphs.forEach((g, gi) => {
    const x0 = 20 + (gi % cols) * (pw + 20), y0 = 64 + Math.floor(gi / cols) * (ph + 50);
    parts.push(`<text x="${x0 + pw / 2}" y="${y0 - 6}" text-anchor="middle" font-weight="bold">${esc(g.title)}</text>`);
    parts.push(`<rect x="${x0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#ccc"/>`);
    if (g.nodes.length === 0) {
      parts.push(`<text x="${x0 + pw / 2}" y="${y0 + ph / 2}" text-anchor="middle">no nodes</text>`);
      return;
    }
    const lo = Math.min(...g.nodes.map((n) => n.lens)), hi = Math.max(...g.nodes.map((n) => n.lens));
    const sx = scale(lo, hi, x0 + 24, x0 + pw - 24);
    // Rows: components ordered by size, each component's nodes at one x share rows in order of majority group.
    const compOf = (t: number) => g.components[t];
    const nComp = Math.max(...Array.from(g.components)) + 1;
    const compSize = new Array(nComp).fill(0);
    g.nodes.forEach((n, t) => (compSize[compOf(t)] += n.size));
    const order = Array.from({ length: nComp }, (_, c) => c).sort((a, b) => compSize[b] - compSize[a]);
    const slot = new Array(g.nodes.length).fill(0);
    const bands: number[] = [];
    let used = 0;
    for (const c of order) {
      const byX = new Map<string, number[]>();
      g.nodes.forEach((n, t) => {
        if (compOf(t) !== c) return;
        const key = sx(n.lens).toFixed(0);
        (byX.get(key) ?? byX.set(key, []).get(key)!).push(t);
      });
      let depth = 1;
      for (const ts of byX.values()) {
        ts.sort((a, b) => argmax(g.nodes[a].groups) - argmax(g.nodes[b].groups));
        ts.forEach((t, r) => (slot[t] = used + r));
        depth = Math.max(depth, ts.length);
      }
      bands.push(used);
      used += depth;
    }
    const rowH = Math.min(40, (ph - 20) / Math.max(1, used));
    const Y = (t: number) => y0 + 12 + rowH * (slot[t] + 0.5);
    const maxSize = Math.max(...g.nodes.map((n) => n.size));
    const R = (t: number) => 2 + Math.sqrt(g.nodes[t].size / maxSize) * Math.min(9, rowH * 0.45 + 2);
    for (const e of g.edges) {
      parts.push(`<line x1="${r2(sx(g.nodes[e.source].lens))}" y1="${r2(Y(e.source))}" x2="${r2(sx(g.nodes[e.target].lens))}" y2="${r2(Y(e.target))}" stroke="#888" stroke-width="1"/>`);
    }
    g.nodes.forEach((n, t) => parts.push(pie(sx(n.lens), Y(t), R(t), n.groups)));
    parts.push(`<text x="${x0 + pw / 2}" y="${y0 + ph + 16}" text-anchor="middle" font-size="11">${esc(o.xLabel)} (${esc(fmt(lo))} … ${esc(fmt(hi))})</text>`);
  });
  // Legend.
  let lx = 20;
  o.groupNames.forEach((name, i) => {
    parts.push(`<rect x="${lx}" y="30" width="12" height="12" fill="${OKABE_ITO[i % OKABE_ITO.length]}"/>`);
    parts.push(`<text x="${lx + 16}" y="40">${esc(name)}</text>`);
    lx += 24 + name.length * 7;
  });
  return svgDoc(width, height, o.title, parts.join('\n') + '\n');
}

function argmax(v: number[]): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
  return b;
}

/** A pie chart of group counts at (cx, cy). */
function pie(cx: number, cy: number, r: number, counts: number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return '';
  const nonzero = counts.map((c, i) => [c, i]).filter(([c]) => c > 0);
  if (nonzero.length === 1) {
    return `<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(r)}" fill="${OKABE_ITO[nonzero[0][1] % OKABE_ITO.length]}" stroke="#333" stroke-width="0.5"/>`;
  }
  let a = -Math.PI / 2;
  const out: string[] = [];
  for (const [c, i] of nonzero) {
    const b = a + (2 * Math.PI * c) / total;
    const large = b - a > Math.PI ? 1 : 0;
    out.push(
      `<path d="M${r2(cx)},${r2(cy)}L${r2(cx + r * Math.cos(a))},${r2(cy + r * Math.sin(a))}A${r2(r)},${r2(r)} 0 ${large} 1 ${r2(cx + r * Math.cos(b))},${r2(cy + r * Math.sin(b))}Z" fill="${OKABE_ITO[i % OKABE_ITO.length]}"/>`,
    );
    a = b;
  }
  out.push(`<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(r)}" fill="none" stroke="#333" stroke-width="0.5"/>`);
  return out.join('');
}
