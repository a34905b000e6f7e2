import { useEffect, useMemo, useRef, useState } from 'react';
import { toKeplerJson, type MapperGraph } from '../../mapper/index';
import { CLUSTERERS, LENSES, METRICS, type MapperParams, type ViewState } from '../../state/viewState';
import { renderLineChart } from '../charts/lineChart';
import { downloadBlob, downloadText } from '../charts/export';
import { ExportableChart } from '../Chart';
import { ExportMenu } from '../ExportMenu';
import { debugHandle } from '../debugHandle';
import { asCloud, mapperKey, mapperOptions, useMapper } from '../data';
import { renderMapperGraph, type MapperGraphHandle } from '../mapper/cytoscapeGraph';
import { attachGraphKeyboard } from '../mapper/graphKeyboard';
import { nodeInWords } from '../mapper/nodeWords';
import { classColor } from '../palette';
import { Thumb } from '../thumbnails';
import { mapperWorker } from '../../state/workers';
import { JobCancelled, jobs } from '../../state/jobs';
import { useJob } from '../useJob';
import type { ViewProps } from '../viewContext';
import type { ImageDataset } from '../../types';
import { Term } from '../Term';

const TOOLTIP_THUMBS = 24;

/** The selected layer's Mapper graph: pies of class labels, hover for member images, click for the full node. */
export function MapperView({ view, update, dataset, model, clouds, cloudsKey }: ViewProps) {
  const labels = useMemo(() => dataset?.labels, [dataset]);
  const graph = useMapper(cloudsKey, clouds, view.layer, view, labels);
  const [highlight, setHighlight] = useState<number[]>([]);
  const [hover, setHover] = useState<{ id: string; x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const handle = useRef<MapperGraphHandle | null>(null);
  const nodeById = useMemo(() => new Map(graph.data?.nodes.map((n) => [n.id, n]) ?? []), [graph.data]);
  const nClasses = dataset?.classNames.length ?? 0;

  // (Re)draw when the graph changes; selection and highlights update in place.
  useEffect(() => {
    if (!box.current || !graph.data) return;
    const h = renderMapperGraph(box.current, graph.data, nClasses, {
      onHover: (id, pos) => setHover(id ? { id, ...pos } : null),
      onSelect: (id) => update((v) => void (v.node = id ?? '')),
      highlightClasses: highlight,
      selected: view.node,
    });
    handle.current = h;
    debugHandle().cy = h.cy;
    return () => {
      h.destroy();
      handle.current = null;
      debugHandle().cy = undefined;
    };
  }, [graph.data, nClasses]); // eslint-disable-line react-hooks/exhaustive-deps -- highlight and the selected node go through update() below; rebuilding would lose the layout
  useEffect(() => handle.current?.update({ highlightClasses: highlight, selected: view.node }), [highlight, view.node]);
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
  }, [graph.data, nClasses]); // eslint-disable-line react-hooks/exhaustive-deps -- as above: attached once per drawn graph

  const setParam = <K extends keyof MapperParams>(k: K, value: MapperParams[K]) =>
    update((v) => {
      v.mapper = { ...v.mapper, [k]: value };
      // Linkage needs a cut height: start from the knee distance DBSCAN found.
      if (k === 'clusterer' && value !== 'dbscan' && v.mapper.eps === 'knee' && graph.data?.eps) v.mapper.eps = Number(graph.data.eps.toPrecision(4));
      v.node = '';
    });

  if (!model || !dataset) return <div className="muted">Loading…</div>;
  if (view.cloud === 'channel') return <div className="muted">Mapper colours nodes by image classes; choose a per-image cloud (the channel cloud's points are channels).</div>;
  const selected = view.node ? nodeById.get(view.node) : undefined;
  const hovered = hover ? nodeById.get(hover.id) : undefined;
  const cloud = clouds?.find((c) => c.layer === view.layer);
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
                <strong data-testid="mapper-purity">{graph.data.purity ? graph.data.purity.graph.toFixed(3) : 'n/a'}</strong>
                {graph.data.eps !== null && <> · eps {graph.data.eps.toPrecision(4)}</>}
              </span>
            ) : (
              <span className="muted small">{graph.error ? <span className="error">{graph.error}</span> : clouds ? 'Building the Mapper graph…' : 'Computing activations…'}</span>
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
          />
          {hovered && (
            <NodeTooltip ds={dataset} members={hovered.members} counts={hovered.classCounts} x={hover!.x} y={hover!.y} imageOf={imageOf} />
          )}
        </div>
        <ClassLegend ds={dataset} highlight={highlight} setHighlight={setHighlight} />
      </div>
      {selected && graph.data && (
        <NodePanel ds={dataset} node={selected} title={nodeInWords(graph.data, selected, dataset.classNames, view.mapper.lens)} imageOf={imageOf} lensName={view.mapper.lens} onClose={() => update((v) => void (v.node = ''))} />
      )}
      <PurityAcrossLayers view={view} clouds={clouds} cloudsKey={cloudsKey} labels={labels} />
    </div>
  );
}

function MapperParamsPanel({ params, setParam, eps }: { params: MapperParams; setParam: <K extends keyof MapperParams>(k: K, v: MapperParams[K]) => void; eps: number | null }) {
  const [epsText, setEpsText] = useState(String(params.eps));
  useEffect(() => setEpsText(String(params.eps)), [params.eps]);
  return (
    <div className="mapper-params" data-testid="mapper-params">
      <label className="field">
        <span>
          <Term id={params.lens === 'l2norm' ? 'l2norm' : 'lens-other'}>lens</Term>
        </span>
        <select aria-label="lens" value={params.lens} onChange={(e) => setParam('lens', e.target.value as MapperParams['lens'])}>
          {LENSES.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>
          <Term id="intervals">intervals</Term>
        </span>
        <input aria-label="intervals" type="number" min={1} max={500} value={params.intervals} onChange={(e) => setParam('intervals', Math.max(1, Math.min(500, Math.floor(Number(e.target.value) || 1))))} />
      </label>
      <label className="field">
        <span>overlap</span>
        <input aria-label="overlap" type="number" min={0} max={0.95} step={0.05} value={params.overlap} onChange={(e) => setParam('overlap', Math.max(0, Math.min(0.95, Number(e.target.value) || 0)))} />
      </label>
      <label className="field">
        <span>clusterer</span>
        <select aria-label="clusterer" value={params.clusterer} onChange={(e) => setParam('clusterer', e.target.value as MapperParams['clusterer'])}>
          {CLUSTERERS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
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
      <label className="field">
        <span>metric</span>
        <select aria-label="metric" value={params.metric} onChange={(e) => setParam('metric', e.target.value as MapperParams['metric'])}>
          {METRICS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
    </div>
  );
}

function percentages(counts: Int32Array | null, total: number, names: string[]) {
  if (!counts) return [];
  return Array.from(counts, (c, k) => ({ k, name: names[k], pct: (100 * c) / total })).filter((x) => x.pct > 0).sort((a, b) => b.pct - a.pct);
}

function NodeTooltip({ ds, members, counts, x, y, imageOf }: { ds: ImageDataset; members: Int32Array; counts: Int32Array | null; x: number; y: number; imageOf: (p: number) => number }) {
  const shown = Array.from(members.subarray(0, TOOLTIP_THUMBS));
  return (
    <div className="mapper-tooltip" data-testid="mapper-tooltip" style={{ left: x + 16, top: y + 16 }}>
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
function PurityAcrossLayers({ view, clouds, cloudsKey, labels }: { view: ViewState; clouds: ViewProps['clouds']; cloudsKey: string | null; labels: Int32Array | undefined }) {
  // Starts with the view (after the selected layer's own graph, which the worker received first).
  const key = clouds && labels && cloudsKey ? `purity|${mapperKey(cloudsKey, 0, view)}` : null;
  const run = useJob<(number | null)[]>(
    key,
    'Mapper purity of every layer',
    async ({ onProgress, cancelled }) => {
      const out: (number | null)[] = [];
      for (const c of clouds!) {
        if (cancelled()) throw new JobCancelled();
        const k = mapperKey(cloudsKey, c.layer, view)!;
        let g: MapperGraph | undefined = jobs.peek<MapperGraph>(k);
        if (!g) {
          const req = jobs.request(k, `Mapper graph of layer ${c.layer}`, (ctx) => mapperWorker().mapper(asCloud(c), mapperOptions(view, labels!), ctx.jobId, ctx.onProgress), (id) => mapperWorker().cancel(id));
          try {
            g = (await req.promise) as MapperGraph;
          } finally {
            req.release();
          }
        }
        out.push(g!.purity ? g!.purity.graph : null);
        onProgress(out.length / clouds!.length);
      }
      return out;
    },
    () => {},
  );
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
