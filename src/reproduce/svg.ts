/**
 * The one report figure the page has no renderer for: Mapper graphs laid out by their 1-D lens (x = a node's mean
 * lens value, components on separate strands), each node a pie of its members' super-classes. Written as an SVG
 * string; colours and number format are the charts' (src/charts).
 */
import { arc, pie as d3pie } from 'd3';
import { argmax } from '../arrays';
import { escapeXml as esc, fmt } from '../charts/format';
import { SERIES_COLORS } from '../charts/theme';

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const groupColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length];


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
    parts.push(`<rect x="${lx}" y="30" width="12" height="12" fill="${groupColor(i)}"/>`);
    parts.push(`<text x="${lx + 16}" y="40">${esc(name)}</text>`);
    lx += 24 + name.length * 7;
  });
  return svgDoc(width, height, o.title, parts.join('\n') + '\n');
}

/** A pie chart of group counts at (cx, cy), slices by d3.pie / d3.arc as on the page. */
function pie(cx: number, cy: number, r: number, counts: number[]): string {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return '';
  const nonzero = counts.map((c, i) => [c, i]).filter(([c]) => c > 0);
  const ring = `<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(r)}" fill="none" stroke="#333" stroke-width="0.5"/>`;
  if (nonzero.length === 1) return `<circle cx="${r2(cx)}" cy="${r2(cy)}" r="${r2(r)}" fill="${groupColor(nonzero[0][1])}"/>` + ring;
  const slice = arc<{ startAngle: number; endAngle: number }>().innerRadius(0).outerRadius(r).digits(2);
  const slices = d3pie<number[]>().value(([c]) => c).sort(null)(nonzero);
  return slices.map((s) => `<path transform="translate(${r2(cx)},${r2(cy)})" d="${slice(s)}" fill="${groupColor(s.data[1])}"/>`).join('') + ring;
}
