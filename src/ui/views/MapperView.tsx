import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { toKeplerJson, type MapperGraph } from '../../mapper/index';
import { CLUSTERERS, METRICS, type MapperParams, type ViewState } from '../../state/viewState';
import { MAPPER_PAGE_LIMITS } from '../../mapper/limits';
import { LENSES } from '../../mapper/lens';
import { renderLineChart } from '../../charts/lineChart';
import { downloadBlob, downloadText } from '../../charts/export';
import { ExportableChart } from '../Chart';
import { ExportMenu } from '../ExportMenu';
import { debugHandle } from '../debugHandle';
import { useMapper, usePurityAcrossLayers } from '../data';
import type { MapperGraphHandle } from '../mapper/cytoscapeGraph';
import { isLargeGraph } from '../mapper/largeGraph';
import { attachGraphKeyboard } from '../mapper/graphKeyboard';
import { nodeInWords } from '../mapper/nodeWords';
import { classColor } from '../../charts/theme';
import { Thumb } from '../thumbnails';
import type { ViewProps } from '../viewContext';
import type { ImageDataset } from '../../types';
import { Term } from '../Term';
import { ChoiceField } from '../ChoiceField';
import { pointsAreImages } from '../../model/cloudMethods';

const TOOLTIP_THUMBS = 24;

/** cytoscape and the renderer over it, loaded once, on first use (not at page start). */
let graphRenderer: Promise<typeof import('../mapper/cytoscapeGraph')> | null = null;
const loadGraphRenderer = () => (graphRenderer ??= import('../mapper/cytoscapeGraph'));

/** The selected layer's Mapper graph: pies of class labels, hover for member images, click for the full node. */
export function MapperView({ view, update, model, clouds, inputsLabel }: ViewProps) {
  const perImage = pointsAreImages(view.cloud);
  const graph = useMapper(clouds, view.layer, view.mapper, perImage);
  // Labels, thumbnails and class names come from the images the clouds were computed from.
  const dataset = clouds?.dataset;
  const [highlight, setHighlight] = useState<number[]>([]);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const handle = useRef<MapperGraphHandle | null>(null);
  const nodeById = useMemo(() => new Map(graph.data?.nodes.map((n) => [n.id, n]) ?? []), [graph.data]);
  const nClasses = dataset?.classNames.length ?? 0;

  // The renderer's module is fetched and run while the graph is still computing in its worker.
  useEffect(() => void loadGraphRenderer(), []);
  // (Re)draw when the graph changes; selection and highlights update in place.
  const [drawn, setDrawn] = useState(0);
  useEffect(() => {
    if (!box.current || !graph.data) return;
    const container = box.current;
    const data = graph.data;
    let h: MapperGraphHandle | null = null;
    let live = true;
    // cytoscape is loaded when the view first shows (its module runs in a task of its own, see below), and the graph is
    // drawn in short tasks after the view's commit (renderMapperGraph): cytoscape's start-up, styling and first frame
    // of a whole graph in one task held the main thread for over a second on a busy machine.
    void loadGraphRenderer()
      .then(({ renderMapperGraph }) =>
        live
          ? renderMapperGraph(
              container,
              data,
              nClasses,
              {
                onHover: (id, pos) => setHover(id ? { id, ...pos } : null),
                onSelect: (id) => {
                  // The panel below shows the node now; a tooltip left over the graph would only hide it.
                  setHover(null);
                  update((v) => void (v.node = id ?? ''));
                },
                highlightClasses: highlight,
                selected: view.node,
              },
              () => live,
            )
          : null,
      )
      .then((drawnHandle) => {
        if (!drawnHandle) return;
        if (!live) return drawnHandle.destroy();
        h = drawnHandle;
        handle.current = h;
        debugHandle().cy = h.cy;
        debugHandle().mapper = { key: graph.key, nodes: data.nodes.length, edges: data.edges.length, members: data.nodes.map((n) => n.members.length) };
        setDrawn((k) => k + 1);
      });
    return () => {
      live = false;
      h?.destroy();
      handle.current = null;
      debugHandle().cy = undefined;
      debugHandle().mapper = undefined;
    };
  }, [graph.data, nClasses]); // eslint-disable-line react-hooks/exhaustive-deps -- highlight and the selected node go through update() below; rebuilding would lose the layout
  useEffect(() => handle.current?.update({ highlightClasses: highlight, selected: view.node }), [highlight, view.node, drawn]);
  // The keyboard path through the graph (after the effect above has drawn it): arrows move, Enter selects.
  useEffect(() => {
    const g = graph.data;
    if (!box.current || !handle.current || !g) return;
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    return attachGraphKeyboard(box.current, handle.current.cy, {
      describe: (id) => (byId.has(id) ? nodeInWords(g, byId.get(id)!, dataset?.classNames ?? [], view.mapper.lens) : id),
      onCursor: (id, pos) => setHover(id ? { id, ...pos } : null),
      onSelect: (id) => update((v) => void (v.node = id ?? '')),
    });
  }, [drawn]); // eslint-disable-line react-hooks/exhaustive-deps -- attached once per drawn graph (drawn counts the draws)

  const setParam = <K extends keyof MapperParams>(k: K, value: MapperParams[K]) =>
    update((v) => {
      v.mapper = { ...v.mapper, [k]: value };
      // Linkage needs a cut height: start from the knee distance DBSCAN found.
      if (k === 'clusterer' && value !== 'dbscan' && v.mapper.eps === 'knee' && graph.data?.eps) v.mapper.eps = Number(graph.data.eps.toPrecision(4));
      v.node = '';
    });

  if (!model) return <div className="muted">Loading the model…</div>;
  if (!dataset) return <div className="muted placeholder" data-testid="mapper-pending">Computing activations for {inputsLabel}…</div>;
  if (!perImage) return <div className="muted">Mapper colours nodes by image classes; choose a per-image cloud (the channel cloud's points are channels).</div>;
  const selected = view.node ? nodeById.get(view.node) : undefined;
  const hovered = hover ? nodeById.get(hover.id) : undefined;
  const cloud = clouds?.layers.find((c) => c.layer === view.layer);
  const imageOf = (point: number) => (cloud ? cloud.imageIndices[point] : point);
  const base = `layer${String(view.layer).padStart(2, '0')}-mapper`;

  return (
    <div className="mapper-view">
      <MapperParamsPanel params={view.mapper} setParam={setParam} eps={graph.data?.eps ?? null} />
      <div className="mapper-main">
        <div className="mapper-graph-box">
          <div className="mapper-head">
            {graph.data ? (
              <span className="small" data-testid="mapper-summary">
                {graph.data.nodes.length} nodes · {graph.data.edges.length} edges · {graph.data.nComponents} components · <Term id="purity" />{' '}
                <strong data-testid="mapper-purity">{graph.data.purity && Number.isFinite(graph.data.purity.graph) ? graph.data.purity.graph.toFixed(3) : graph.data.nodes.length === 0 ? 'none (no nodes)' : 'n/a'}</strong>
                {graph.data.eps !== null && <> · eps {graph.data.eps.toPrecision(4)}</>}
                {isLargeGraph(graph.data) && !graph.data.layout && <span className="muted"> · large graph: laid out by lens interval</span>}
              </span>
            ) : (
              <span className="muted small">{graph.error ? <span className="error">{graph.error}</span> : `Building the Mapper graph of layer ${view.layer} for ${inputsLabel}…`}</span>
            )}
            {graph.data && (
              <ExportMenu
                items={[
                  { label: 'JSON', run: () => downloadText(JSON.stringify(toKeplerJson(graph.data!)), `${base}.json`, 'application/json') },
                  { label: 'PNG', run: () => handle.current && downloadBlob(handle.current.png(), `${base}.png`) },
                ]}
              />
            )}
          </div>
          <div
            ref={box}
            className="mapper-graph"
            data-testid="mapper-graph"
            role="application"
            aria-roledescription="graph"
            aria-label={
              graph.data
                ? `Mapper graph of layer ${view.layer}: ${graph.data.nodes.length} nodes, ${graph.data.edges.length} edges, ${graph.data.nComponents} components. Arrow keys move between nodes, Enter opens one, Escape clears.`
                : `Mapper graph of layer ${view.layer}, being built`
            }
            onMouseLeave={() => setHover(null)}
          />
          {graph.data && graph.data.nodes.length === 0 && (
            <div className="mapper-empty muted" data-testid="mapper-empty">
              No nodes: in every interval the clusterer found only noise ({cloud?.n ?? 0} points, {view.mapper.intervals} intervals, min samples {view.mapper.minSamples}). Try fewer
              intervals, more overlap, a larger eps or fewer min samples.
            </div>
          )}
          {hovered && (
            <NodeTooltip ds={dataset} members={hovered.members} counts={hovered.classCounts} x={hover!.x} y={hover!.y} imageOf={imageOf} box={box.current} />
          )}
        </div>
        <ClassLegend ds={dataset} highlight={highlight} setHighlight={setHighlight} />
      </div>
      {selected && graph.data && (
        <NodePanel ds={dataset} node={selected} title={nodeInWords(graph.data, selected, dataset.classNames, view.mapper.lens)} imageOf={imageOf} lensName={view.mapper.lens} onClose={() => update((v) => void (v.node = ''))} />
      )}
      <PurityAcrossLayers view={view} clouds={clouds} />
    </div>
  );
}

function MapperParamsPanel({ params, setParam, eps }: { params: MapperParams; setParam: <K extends keyof MapperParams>(k: K, v: MapperParams[K]) => void; eps: number | null }) {
  const [epsText, setEpsText] = useState(String(params.eps));
  useEffect(() => setEpsText(String(params.eps)), [params.eps]);
  return (
    <div className="mapper-params" data-testid="mapper-params">
      <ChoiceField
        label={<Term id={params.lens === 'l2norm' ? 'l2norm' : 'lens-other'}>lens</Term>}
        name="lens"
        value={params.lens}
        choices={LENSES}
        onChange={(id) => setParam('lens', id)}
      />
      <label className="field">
        <span>
          <Term id="intervals">intervals</Term>
        </span>
        <input
          aria-label="intervals"
          type="number"
          min={1}
          max={MAPPER_PAGE_LIMITS.nIntervals.max}
          value={params.intervals}
          title={`1 to ${MAPPER_PAGE_LIMITS.nIntervals.max}`}
          onChange={(e) => setParam('intervals', Math.max(1, Math.min(MAPPER_PAGE_LIMITS.nIntervals.max, Math.floor(Number(e.target.value) || 1))))}
        />
      </label>
      <label className="field">
        <span>overlap</span>
        <input
          aria-label="overlap"
          type="number"
          min={0}
          max={MAPPER_PAGE_LIMITS.overlap.max}
          step={0.05}
          value={params.overlap}
          title={`0 to ${MAPPER_PAGE_LIMITS.overlap.max}`}
          onChange={(e) => setParam('overlap', Math.max(0, Math.min(MAPPER_PAGE_LIMITS.overlap.max, Number(e.target.value) || 0)))}
        />
      </label>
      <ChoiceField label="clusterer" name="clusterer" value={params.clusterer} choices={CLUSTERERS} onChange={(id) => setParam('clusterer', id)} />
      <label className="field">
        <span>{params.clusterer === 'dbscan' ? 'eps' : 'cut height'}</span>
        <input
          aria-label="eps"
          value={epsText}
          onChange={(e) => setEpsText(e.target.value)}
          onBlur={() => {
            const v = epsText.trim() === 'knee' ? 'knee' : Number(epsText);
            if (v === 'knee' || (Number.isFinite(v) && v > 0)) setParam('eps', v);
            else setEpsText(String(params.eps));
          }}
          title="'knee' or a positive number"
        />
      </label>
      <div className="muted small">
        <Term id="knee-eps" />: {eps !== null ? eps.toPrecision(4) : '—'}
      </div>
      <label className="field">
        <span>
          <Term id="min-samples">min samples</Term>
        </span>
        <input aria-label="min samples" type="number" min={1} max={1000} value={params.minSamples} onChange={(e) => setParam('minSamples', Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
      </label>
      <ChoiceField label="metric" name="metric" value={params.metric} choices={METRICS} onChange={(id) => setParam('metric', id)} />
    </div>
  );
}

function percentages(counts: Int32Array | null, total: number, names: string[]) {
  if (!counts) return [];
  return Array.from(counts, (c, k) => ({ k, name: names[k], pct: (100 * c) / total })).filter((x) => x.pct > 0).sort((a, b) => b.pct - a.pct);
}

const TOOLTIP_GAP = 16;

/**
 * Where a tooltip of size w × h goes beside the point (x, y) of `box` (coordinates inside the box): right of and
 * below the pointer, flipped left or up when that would leave the window.
 */
function placeTooltip(x: number, y: number, w: number, h: number, box: DOMRect): { left: number; top: number } {
  let left = x + TOOLTIP_GAP;
  if (box.left + left + w > window.innerWidth - 4) left = Math.max(-box.left + 4, x - TOOLTIP_GAP - w);
  let top = y + TOOLTIP_GAP;
  if (box.top + top + h > window.innerHeight - 4) top = Math.max(-box.top + 4, y - TOOLTIP_GAP - h);
  return { left, top };
}

function NodeTooltip({
  ds,
  members,
  counts,
  x,
  y,
  imageOf,
  box,
}: {
  ds: ImageDataset;
  members: Int32Array;
  counts: Int32Array | null;
  x: number;
  y: number;
  imageOf: (p: number) => number;
  box: HTMLElement | null;
}) {
  const shown = Array.from(members.subarray(0, TOOLTIP_THUMBS));
  const el = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x + TOOLTIP_GAP, top: y + TOOLTIP_GAP });
  // Measured before paint, so the tooltip never shows off screen first.
  useLayoutEffect(() => {
    if (!el.current || !box) return;
    const r = el.current.getBoundingClientRect();
    setPos(placeTooltip(x, y, r.width, r.height, box.getBoundingClientRect()));
  }, [x, y, box, members]);
  return (
    <div ref={el} className="mapper-tooltip" data-testid="mapper-tooltip" style={pos}>
      <div className="small">
        <strong>{members.length}</strong> images
      </div>
      <div className="tooltip-pcts small">
        {percentages(counts, members.length, ds.classNames).map((p) => (
          <div key={p.k}>
            <span className="swatch" style={{ background: classColor(p.k) }} /> {p.name} {p.pct.toFixed(0)} %
          </div>
        ))}
      </div>
      <div className="thumbs">
        {shown.map((m) => (
          <Thumb key={m} ds={ds} index={imageOf(m)} size={32} />
        ))}
      </div>
      {members.length > TOOLTIP_THUMBS && <div className="muted small">+ {members.length - TOOLTIP_THUMBS} more (click the node)</div>}
    </div>
  );
}

function NodePanel({ ds, node, title, imageOf, lensName, onClose }: { ds: ImageDataset; node: MapperGraph['nodes'][number]; title: string; imageOf: (p: number) => number; lensName: string; onClose: () => void }) {
  const panel = useRef<HTMLElement>(null);
  // A newly selected node's panel may open below the fold: bring it into view (smoothly unless motion is reduced).
  useEffect(() => {
    const reduce = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    panel.current?.scrollIntoView?.({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
  }, [node.id]);
  return (
    <section className="panel node-panel" data-testid="node-panel" ref={panel} aria-label={`Selected node: ${title}`}>
      <div className="view-head">
        <h4>
          Node: {title} <code className="muted small">{node.id}</code>
        </h4>
        <button type="button" className="link" onClick={onClose}>
          close
        </button>
      </div>
      <div className="small">
        {node.members.length} members · mean {lensName} {node.meanLens.map((v) => v.toPrecision(4)).join(', ')}
      </div>
      <div className="tooltip-pcts small">
        {percentages(node.classCounts, node.members.length, ds.classNames).map((p) => (
          <span key={p.k} className="pct">
            <span className="swatch" style={{ background: classColor(p.k) }} /> {p.name} {p.pct.toFixed(1)} %
          </span>
        ))}
      </div>
      <div className="thumbs">
        {Array.from(node.members, (m) => (
          <Thumb key={m} ds={ds} index={imageOf(m)} size={36} />
        ))}
      </div>
    </section>
  );
}

function ClassLegend({ ds, highlight, setHighlight }: { ds: ImageDataset; highlight: number[]; setHighlight: (h: number[]) => void }) {
  return (
    <div className="legend" data-testid="class-legend">
      <div className="muted small">classes (click to highlight)</div>
      {ds.classNames.map((name, k) => (
        <button
          type="button"
          key={k}
          className={highlight.includes(k) ? 'legend-item on' : 'legend-item'}
          onClick={() => setHighlight(highlight.includes(k) ? highlight.filter((x) => x !== k) : [...highlight, k])}
        >
          <span className="swatch" style={{ background: classColor(k) }} /> {name}
        </button>
      ))}
    </div>
  );
}

/** Graph purity of every layer with the same parameters: the paper's "classes separate with depth" as one curve. */
function PurityAcrossLayers({ view, clouds }: { view: ViewState; clouds: ViewProps['clouds'] }) {
  // Starts after the selected layer's own graph, which the worker received first.
  const run = usePurityAcrossLayers(clouds, view.mapper, pointsAreImages(view.cloud));
  const data = useMemo(() => run.data && { x: run.data.map((_, i) => i + 1), xLabel: 'layer', yLabel: 'graph purity', yDomain: [0, 1] as [number, number], series: [{ label: 'purity', values: run.data }] }, [run.data]);
  const opts = useMemo(() => ({ testId: 'purity-chart', width: 520, height: 220, highlightX: view.layer, ariaLabel: 'Mapper graph purity of every layer, same parameters' }), [view.layer]);
  return (
    <section className="panel">
      <h4>
        <Term id="purity">Purity</Term> across layers
      </h4>
      {data ? <ExportableChart render={renderLineChart} data={data} options={opts} filename="mapper-purity-by-layer" /> : <div className="muted small">Computing the Mapper graph of every layer…</div>}
      {run.error && <div className="error">{run.error}</div>}
    </section>
  );
}
