/**
 * The report's figures from a results object: file name → SVG text, drawn by the page's renderers (src/charts) on a
 * jsdom document (render.ts); only the Mapper figure laid out by lens has no page counterpart (svg.ts). No fs:
 * run.ts writes them.
 */
import { renderHeatmap } from '../charts/heatmap';
import { renderLineChart, type LineChartData } from '../charts/lineChart';
import { renderPersistenceDiagram } from '../charts/persistenceDiagram';
import type { ReproductionResults } from './pipeline';
import { fromJsonPairs } from './pipeline';
import { figureDocument, gridSvg, renderInto, renderSvg } from './render';
import { mapperGraphsSvg } from './svg';

/** A report series: its own x values (layers, k removed) and one y per x; line: false draws dots only. */
interface LineSeries {
  name: string;
  x: number[];
  y: (number | null)[];
  line?: boolean;
}

/** Report line charts as the page's LineChartData: series on the union of their x values (gaps are null). */
function lineData(o: { title: string; xLabel: string; yLabel: string; series: LineSeries[] } & Pick<LineChartData, 'yDomain' | 'yIncludeZero' | 'references'>): LineChartData {
  const scatter = o.series.length === 1 && o.series[0].line === false;
  const x = scatter ? o.series[0].x : [...new Set(o.series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const series = o.series.map((s) => ({
    label: s.name,
    line: s.line,
    values: scatter ? s.y : x.map((v) => {
      const i = s.x.indexOf(v);
      return i >= 0 ? s.y[i] : null;
    }),
  }));
  return { title: o.title, xLabel: o.xLabel, yLabel: o.yLabel, x, series, yDomain: o.yDomain, yIncludeZero: o.yIncludeZero, references: o.references };
}

/** The figure files, in the order the report shows them. */
export const FIGURE_NAMES = {
  diagrams: 'persistence-diagrams.svg',
  totals: 'h1-total-persistence.svg',
  h0: 'h0-total-persistence.svg',
  sw: 'sw-matrix.svg',
  cka: 'cka-matrix.svg',
  scatter: 'sw-vs-cka.svg',
  ckptSw: 'checkpoints-sw.svg',
  ckptCka: 'checkpoints-cka.svg',
  sensSw: 'sensitivity-sw.svg',
  sensCka: 'sensitivity-cka.svg',
  purity: 'mapper-purity.svg',
  separation: 'mapper-separation.svg',
  graphs: 'mapper-graphs.svg',
  rtd: 'rtd-matrix.svg',
  rtdScatter: 'rtd-vs-sw.svg',
  seedsSw: 'seeds-same-layer-sw.svg',
  seedsCka: 'seeds-same-layer-cka.svg',
  crossSw: 'seeds-cross-block-sw.svg',
  protocol: 'pc-removal-protocol.svg',
} as const;

const flat = (m: number[][]) => m.flat();

/** Layers shown as Mapper graphs: first, the separation layer (if any), a middle one and the last. */
export function mapperFigureLayers(r: ReproductionResults): number[] {
  const idx = r.config.layers;
  const pick = [idx[0], idx[Math.floor((idx.length - 1) / 2)], r.mapper.separatedFromLayer ?? -1, idx[idx.length - 1]];
  return [...new Set(pick.filter((k) => idx.includes(k)))].sort((a, b) => a - b);
}

export function buildFigures(r: ReproductionResults): Record<string, string> {
  const out: Record<string, string> = {};
  const layers = r.config.layers;
  const who = `${r.model.id}, ${r.dataset.n} images`;
  const doc = figureDocument();
  const lineChartSvg = (o: Parameters<typeof lineData>[0] & { width?: number }) =>
    renderSvg(doc, renderLineChart, lineData(o), { width: o.width ?? 640, height: 320, testId: 'report-line-chart' });
  const heatmapSvg = (data: Parameters<typeof renderHeatmap>[1]) => renderSvg(doc, renderHeatmap, data, { testId: 'report-heatmap', size: 360 });

  out[FIGURE_NAMES.diagrams] = gridSvg(
    doc,
    `Persistence diagrams (H0, H1) of the top-L2 cloud of each layer — ${who}`,
    r.persistence.topL2.map((p) => renderInto(doc, renderPersistenceDiagram, { title: `layer ${p.layer}`, dgms: p.dgms.map(fromJsonPairs), dims: [0, 1] }, { width: 240, height: 240 })),
    5,
  );

  const totals: LineSeries[] = [{ name: 'top-L2 cloud', x: layers, y: r.persistence.topL2.map((p) => p.h1.total) }];
  const h0: LineSeries[] = [{ name: 'top-L2 cloud', x: layers, y: r.persistence.topL2.map((p) => p.h0.total) }];
  if (r.persistence.random) {
    totals.push({ name: 'random-position cloud', x: layers, y: r.persistence.random.map((p) => p.h1.total) });
    h0.push({ name: 'random-position cloud', x: layers, y: r.persistence.random.map((p) => p.h0.total) });
  }
  out[FIGURE_NAMES.totals] = lineChartSvg({ title: `Total H1 persistence per layer — ${who}`, xLabel: 'layer', yLabel: 'Σ (death − birth), H1', series: totals, yIncludeZero: true });
  out[FIGURE_NAMES.h0] = lineChartSvg({ title: `Total H0 persistence per layer (finite bars) — ${who}`, xLabel: 'layer', yLabel: 'Σ (death − birth), H0', series: h0, yIncludeZero: true });

  const lc = r.layerComparison;
  out[FIGURE_NAMES.sw] = heatmapSvg({
    title: `Sliced Wasserstein distance between layers' H1 diagrams (M = ${r.config.swM})`,
    labels: lc.layers.map((l) => `layer ${l}`),
    values: Float64Array.from(flat(lc.sw)),
    colorScheme: 'distance',
  });
  out[FIGURE_NAMES.cka] = heatmapSvg({
    title: 'Linear CKA between layers (same images)',
    labels: lc.layers.map((l) => `layer ${l}`),
    values: Float64Array.from(flat(lc.cka)),
    colorScheme: 'similarity',
    domain: [Math.min(0, ...flat(lc.cka).filter(Number.isFinite)), 1],
  });
  const sx: number[] = [], sy: number[] = [];
  const k = lc.layers.length;
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) { sx.push(1 - lc.cka[i][j]); sy.push(lc.sw[i][j]); }
  out[FIGURE_NAMES.scatter] = lineChartSvg({
    title: `SW (H1) against 1 − CKA over the ${lc.pairs} layer pairs (Spearman ρ = ${lc.spearmanSwCka.toFixed(2)})`,
    xLabel: '1 − linear CKA',
    yLabel: 'sliced Wasserstein (H1)',
    series: [{ name: 'layer pair', x: sx, y: sy, line: false }],
    yIncludeZero: true,
  });

  if (r.checkpoints) {
    const pairName = (p: { a: string; b: string }) => `${p.a} vs ${p.b}`;
    out[FIGURE_NAMES.ckptSw] = lineChartSvg({
      title: 'Same layer across checkpoints: SW between H1 diagrams',
      xLabel: 'layer',
      yLabel: 'sliced Wasserstein (H1)',
      series: r.checkpoints.pairs.map((p) => ({ name: pairName(p), x: layers, y: p.sw })),
      yIncludeZero: true,
    });
    out[FIGURE_NAMES.ckptCka] = lineChartSvg({
      title: 'Same layer across checkpoints: linear CKA',
      xLabel: 'layer',
      yLabel: 'linear CKA',
      series: r.checkpoints.pairs.map((p) => ({ name: pairName(p), x: layers, y: p.cka })),
      yDomain: [0, 1],
    });
  }

  out[FIGURE_NAMES.sensSw] = lineChartSvg({
    title: 'Sensitivity: SW(original, top-k PCs removed) on H1',
    xLabel: 'k (principal components removed)',
    yLabel: 'sliced Wasserstein (H1)',
    series: r.sensitivity.map((s) => ({ name: `layer ${s.layer}`, x: s.k, y: s.sw })),
    yIncludeZero: true,
  });
  out[FIGURE_NAMES.sensCka] = lineChartSvg({
    title: 'Sensitivity: 1 − CKA(original, top-k PCs removed)',
    xLabel: 'k (principal components removed)',
    yLabel: '1 − linear CKA',
    series: r.sensitivity.map((s) => ({ name: `layer ${s.layer}`, x: s.k, y: s.oneMinusCka })),
    yDomain: [0, 1],
  });

  if (r.rtdMatrix && r.rtd) {
    out[FIGURE_NAMES.rtd] = heatmapSvg({
      title: `RTD between layers (${r.rtd.sample} images × ${r.rtd.trials} trial${r.rtd.trials === 1 ? '' : 's'})`,
      labels: lc.layers.map((l) => `layer ${l}`),
      values: Float64Array.from(flat(r.rtdMatrix)),
      colorScheme: 'distance',
    });
    const rx: number[] = [], ry: number[] = [];
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) { rx.push(lc.sw[i][j]); ry.push(r.rtdMatrix[i][j]); }
    out[FIGURE_NAMES.rtdScatter] = lineChartSvg({
      title: `RTD against SW (H1) over the ${lc.pairs} layer pairs (Spearman ρ = ${r.rtd.spearmanRtdSw.toFixed(2)})`,
      xLabel: 'sliced Wasserstein (H1)',
      yLabel: 'RTD',
      series: [{ name: 'layer pair', x: rx, y: ry, line: false }],
      yIncludeZero: true,
    });
  }

  if (r.seeds) {
    const s = r.seeds;
    const ids = s.models.map((x) => x.id);
    // The statement's two curves per layer: the same layer across seeds (mean over pairs) and the nearest other layer of the model.
    const closerSeries = (c: NonNullable<typeof s.closer.sw>) => [
      { name: `same layer, other seed (mean over ${s.sameLayer.length} pair${s.sameLayer.length === 1 ? '' : 's'})`, x: layers, y: c.perLayer.map((p) => p.same) },
      { name: 'nearest other layer, same model (mean over models)', x: layers, y: c.perLayer.map((p) => p.nearestOther) },
    ];
    out[FIGURE_NAMES.seedsSw] = lineChartSvg({
      title: `Same layer across ${ids.length} seeds vs the nearest other layer: SW (H1)`,
      xLabel: 'layer',
      yLabel: 'sliced Wasserstein (H1)',
      series: closerSeries(s.closer.sw),
      yIncludeZero: true,
      width: 760,
    });
    out[FIGURE_NAMES.seedsCka] = lineChartSvg({
      title: `Same layer across ${ids.length} seeds vs the nearest other layer: 1 − linear CKA`,
      xLabel: 'layer',
      yLabel: '1 − linear CKA',
      series: closerSeries(s.closer.oneMinusCka),
      yDomain: [0, 1],
      width: 760,
    });
    out[FIGURE_NAMES.crossSw] = heatmapSvg({
      title: `Cross block: SW (H1), ${ids[s.crossBlock.a]} layers (rows) × ${ids[s.crossBlock.b]} layers (columns)`,
      labels: layers.map((l) => `layer ${l}`),
      values: Float64Array.from(flat(s.crossBlock.sw)),
      colorScheme: 'distance',
    });
  }

  if (r.pcRemovalProtocol.length > 0) {
    // One panel per layer and measure: each layer has its own k / C grid, so the curves are not overlaid.
    const panels = r.pcRemovalProtocol.flatMap((p) => {
      const measures: [string, number[] | null, [number, number] | undefined][] = [['SW (H1) to original', p.sw, undefined], ['1 − CKA to original', p.oneMinusCka, [0, 1]], ['RTD to original', p.rtd, undefined]];
      return measures.filter(([, v]) => v !== null).map(([name, v, dom]) =>
        renderInto(doc, renderLineChart, lineData({ title: `layer ${p.layer} (C = ${p.channels}): ${name}`, xLabel: 'fraction of channels removed', yLabel: name.split(' to ')[0], series: [{ name, x: p.fraction, y: v! }], yDomain: dom, yIncludeZero: true }), { width: 330, height: 240 }));
    });
    const cols = r.pcRemovalProtocol[0].rtd ? 3 : 2;
    out[FIGURE_NAMES.protocol] = gridSvg(doc, `PC removal as the paper did it: k = 4, 8, … ≤ C top components removed — ${who}`, panels, cols);
  }

  const m = r.mapper;
  out[FIGURE_NAMES.purity] = lineChartSvg({
    title: 'Mapper graph purity per layer (l2norm lens, 40 intervals, 40 % overlap, DBSCAN at the knee)',
    xLabel: 'layer',
    yLabel: 'graph purity',
    series: [
      { name: 'super-class purity', x: layers, y: m.layers.map((l) => l.superPurity) },
      { name: 'class purity', x: layers, y: m.layers.map((l) => l.purity) },
    ],
    references: [
      { y: m.chanceSuperPurity, label: `chance, super-classes (${m.chanceSuperPurity.toFixed(2)})` },
      { y: m.chancePurity, label: `chance, classes (${m.chancePurity.toFixed(2)})` },
    ],
    yDomain: [0, 1],
    width: 820,
  });
  const [a, b] = m.superclasses.pair;
  out[FIGURE_NAMES.separation] = lineChartSvg({
    title: `Mixing of ${m.superclasses.names[a]} and ${m.superclasses.names[b]} in the Mapper graph`,
    xLabel: 'layer',
    yLabel: 'count',
    series: [
      { name: 'mixed nodes', x: layers, y: m.layers.map((l) => l.mixedNodes) },
      { name: 'cross edges', x: layers, y: m.layers.map((l) => l.crossEdges) },
      { name: 'mixed components', x: layers, y: m.layers.map((l) => l.mixedComponents) },
    ],
    yIncludeZero: true,
    width: 780,
  });

  const groups = m.superclasses.names.length;
  out[FIGURE_NAMES.graphs] = mapperGraphsSvg({
    title: 'Mapper graphs, nodes as pies of super-classes',
    xLabel: 'mean L2 norm of the node (lens)',
    groupNames: m.superclasses.names,
    graphs: mapperFigureLayers(r).map((layer) => {
      const s = m.layers.find((l) => l.layer === layer)!;
      return {
        title: `layer ${layer}: ${s.nodes} nodes, ${s.components} components`,
        nodes: s.graph.lens.map((lens, t) => {
          const g = new Array(groups).fill(0);
          s.graph.classCounts[t].forEach((cnt, cls) => (g[m.superclasses.ofClass[cls]] += cnt));
          return { lens, size: s.graph.size[t], groups: g };
        }),
        edges: s.graph.edges.map(([source, target]) => ({ source, target })),
        components: s.graph.components,
      };
    }),
  });
  return out;
}
