import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { renderHeatmap } from '../../charts/heatmap';
import { renderLineChart } from '../../charts/lineChart';
import { renderPersistenceDiagram } from '../../charts/persistenceDiagram';
import { spearman, upperTriangle } from '../../similarity/rank';
import { BUNDLED_MODELS } from '../../state/catalog';
import { Comlink, compareWorker } from '../../state/workers';
import { SENSITIVITY_MAX_REMOVED, type Sensitivity } from '../../analysis/sensitivity';
import { SW_DIRECTIONS } from '../../tda/diagramDistance';
import { Chart, ExportableChart } from '../Chart';
import { chartExports, ExportMenu } from '../ExportMenu';
import { asCloud, useAllPersistence, useClouds, useLayerMatrices, useModel, usePersistencePlan } from '../data';
import { LandmarkPrompt } from '../LandmarkPrompt';
import { acrossModelsKey, sensitivityKey } from '../../state/keys';
import type { AcrossModels } from '../../analysis/jobs';
import { debugHandle } from '../debugHandle';
import { useJob } from '../useJob';
import type { ViewProps } from '../viewContext';
import { Term } from '../Term';
import { RtdPanel } from './RtdPanel';

/**
 * How layers relate: the sliced-Wasserstein matrix of H1 diagrams beside the CKA matrix (same order), a clicked
 * cell's two diagrams overlaid, the PC-removal sensitivity of the selected layer, and the same layer across models.
 */
export function LayersView({ view, update, source, model, clouds, all, plan, inputsLabel, addNotice }: ViewProps) {
  const matrices = useLayerMatrices(clouds, all, view.debiasedCka, view.slicedKind);
  useEffect(() => {
    // The matrices shown, for tests: k, both matrices row-major, and the key they belong to.
    debugHandle().matrices = matrices.data ? { key: matrices.key, k: matrices.data.k, sw: Array.from(matrices.data.sw), cka: Array.from(matrices.data.cka) } : undefined;
  }, [matrices.data, matrices.key]);
  const swChart = useRef<{ svg(): SVGSVGElement } | null>(null);
  const ckaChart = useRef<{ svg(): SVGSVGElement } | null>(null);
  const labels = useMemo(() => (model?.layers ?? []).map((l) => String(l.index)), [model?.layers]);
  const layers = model?.layers ?? [];
  const parsedCell = view.cell ? (view.cell.split(',').map(Number) as [number, number]) : null;
  // A cell beyond this model's layers (e.g. cell=999,999 in a link) is dropped, with a notice.
  const cellOutside = parsedCell !== null && layers.length > 0 && (parsedCell[0] >= layers.length || parsedCell[1] >= layers.length);
  const cell = cellOutside ? null : parsedCell;
  useEffect(() => {
    if (!cellOutside) return;
    addNotice({ id: 'cell', kind: 'error', text: `The link selects the matrix cell ${view.cell}, but this model has ${layers.length} layers; no cell is selected.` });
    update((v) => void (v.cell = ''));
  }, [cellOutside, view.cell, layers.length, addNotice, update]);
  // A transition: the click's own task stays short (the heatmap moves its outline at once; the overlay follows).
  const onCellClick = useMemo(() => (i: number, j: number) => startTransition(() => update((v) => void (v.cell = `${i},${j}`))), [update]);

  const swData = useMemo(() => matrices.data && { values: matrices.data.sw, labels, title: view.slicedKind === 'exact' ? 'Sliced Wasserstein (H1, exact)' : `Sliced Wasserstein (H1, M = ${SW_DIRECTIONS})`, colorScheme: 'distance' as const }, [matrices.data, labels, view.slicedKind]);
  const ckaData = useMemo(
    () => matrices.data && { values: matrices.data.cka, labels, title: `${matrices.data.debiased ? 'Debiased' : 'Linear'} CKA`, colorScheme: 'similarity' as const },
    [matrices.data, labels],
  );
  const k = labels.length;
  const swOpts = useMemo(() => ({ onCellClick, selected: cell, testId: 'distance-matrix', ariaLabel: `Sliced Wasserstein distance between the H1 diagrams of every pair of the ${k} layers` }), [onCellClick, view.cell, k]); // eslint-disable-line react-hooks/exhaustive-deps -- cell is parsed from view.cell each render; the string is its key
  const ckaOpts = useMemo(() => ({ onCellClick, selected: cell, testId: 'cka-matrix', ariaLabel: `${view.debiasedCka ? 'Debiased' : 'Linear'} CKA similarity between every pair of the ${k} layers` }), [onCellClick, view.cell, k, view.debiasedCka]); // eslint-disable-line react-hooks/exhaustive-deps -- as above

  const rho = useMemo(() => {
    if (!matrices.data) return null;
    const k = matrices.data.k;
    const oneMinus = upperTriangle(matrices.data.cka, k).map((c) => 1 - c);
    return spearman(upperTriangle(matrices.data.sw, k), oneMinus);
  }, [matrices.data]);

  const overlay = useMemo(() => {
    const dg = all?.value;
    if (!cell || !dg || !dg[cell[0]] || !dg[cell[1]]) return null;
    const [i, j] = cell;
    return {
      dgms: [],
      dims: [1],
      series: [
        { label: `layer ${i + 1}`, dgms: dg[i].dgms },
        { label: `layer ${j + 1}`, dgms: dg[j].dgms },
      ],
    };
  }, [cell?.[0], cell?.[1], all]); // eslint-disable-line react-hooks/exhaustive-deps -- cell is a new array each render; its two indices are the key
  const overlayOpts = useMemo(() => ({ width: 380, height: 340, ariaLabel: cell ? `H1 diagrams of layers ${cell[0] + 1} and ${cell[1] + 1} overlaid` : undefined }), [view.cell]); // eslint-disable-line react-hooks/exhaustive-deps -- view.cell is the key of cell

  if (!model) return <div className="muted">Loading the model…</div>;
  return (
    <div className="layers-view">
      <div className="view-head">
        <h3>Layer × layer</h3>
        <label className="inline">
          <input type="checkbox" checked={view.debiasedCka} onChange={(e) => update((v) => void (v.debiasedCka = e.target.checked))} /> <Term id="debiased-cka" />
        </label>
        <label className="inline" title="Carrière, Cuturi & Oudot's integral computed exactly, which persim's 50-direction value approximates">
          <input type="checkbox" checked={view.slicedKind === 'exact'} onChange={(e) => update((v) => void (v.slicedKind = e.target.checked ? 'exact' : 'persim'))} /> exact SW
        </label>
        {rho !== null && (
          <span className="muted small" data-testid="rank-correlation">
            <Term id="spearman-rho" /> between SW and 1 − CKA over layer pairs: <strong>{rho.toFixed(3)}</strong>
          </span>
        )}
      </div>
      {plan?.kind === 'ask' ? (
        <LandmarkPrompt plan={plan} update={update} />
      ) : !all ? (
        <div className="muted placeholder" data-testid="layers-pending">
          Computing the persistence of every layer for {inputsLabel}…
        </div>
      ) : !matrices.data ? (
        <div className="muted placeholder">{matrices.error ? <span className="error">{matrices.error}</span> : `Computing both matrices for ${inputsLabel}…`}</div>
      ) : (
        <div className="chart-row">
          <figure>
            <Chart render={renderHeatmap} data={swData!} options={swOpts} onHandle={(h) => (swChart.current = h)} />
            <figcaption>
              Topological distance between layers: <Term id="sw-h1" />; <Term id="sw-vs-cka" />. <ExportMenu items={chartExports(() => swChart.current?.svg(), 'sw-matrix')} />
            </figcaption>
          </figure>
          <figure>
            <Chart render={renderHeatmap} data={ckaData!} options={ckaOpts} onHandle={(h) => (ckaChart.current = h)} />
            <figcaption>
              Representational similarity (1 on the diagonal): <Term id={matrices.data.debiased ? 'debiased-cka' : 'linear-cka'} />; <Term id="low-cka">why consecutive layers can score low</Term>. <ExportMenu items={chartExports(() => ckaChart.current?.svg(), 'cka-matrix')} />
            </figcaption>
          </figure>
          {overlay && cell && (
            <div data-testid="cell-overlay">
              <ExportableChart
                render={renderPersistenceDiagram}
                data={overlay}
                options={overlayOpts}
                filename={`h1-layers-${cell[0] + 1}-${cell[1] + 1}`}
                caption={`H1 of layers ${cell[0] + 1} and ${cell[1] + 1}: SW ${matrices.data.sw[cell[0] * matrices.data.k + cell[1]].toPrecision(4)}, CKA ${matrices.data.cka[cell[0] * matrices.data.k + cell[1]].toFixed(3)}`}
              />
            </div>
          )}
        </div>
      )}
      <RtdPanel clouds={clouds} layer={view.layer} matrices={matrices.data} labels={labels} />
      <SensitivityPanel view={view} clouds={clouds} />
      <CompareModels view={view} update={update} source={source} all={all} clouds={clouds} layerCount={layers.length} />
    </div>
  );
}

function SensitivityPanel({ view, clouds }: Pick<ViewProps, 'view' | 'clouds'>) {
  const [asked, setAsked] = useState<string | null>(null);
  const cloud = clouds?.layers.find((c) => c.layer === view.layer);
  const key = cloud && clouds ? sensitivityKey(clouds.key, view.layer) : null;
  const run = useJob<Sensitivity>(
    key !== null && asked === key ? key : null,
    `PC-removal sensitivity of layer ${view.layer}`,
    ({ jobId, onProgress }) => compareWorker().sensitivity(asCloud(cloud!), { maxRemoved: Math.min(SENSITIVITY_MAX_REMOVED, cloud!.d - 1) }, jobId, Comlink.proxy(onProgress)),
    (id) => void compareWorker().cancel(id),
  );
  const data = useMemo(
    () =>
      run.data && {
        x: run.data.removed,
        xLabel: 'top principal components removed',
        yLabel: 'change',
        series: [
          { label: 'SW (H1) to original', values: run.data.sw, axis: 'left' as const },
          { label: '1 − CKA to original', values: run.data.oneMinusCka, axis: 'right' as const },
        ],
      },
    [run.data],
  );
  const opts = useMemo(() => ({ testId: 'sensitivity-plot', width: 520, height: 260, ariaLabel: `Change of layer ${view.layer} as its top principal components are removed` }), [view.layer]);
  return (
    <section className="panel">
      <h4>
        <Term id="pc-removal">Sensitivity</Term> of layer {view.layer} to removing its top principal components
      </h4>
      {data ? (
        <ExportableChart render={renderLineChart} data={data} options={opts} filename={`sensitivity-layer${view.layer}`} />
      ) : (
        <button type="button" disabled={!key || run.loading} onClick={() => setAsked(key)}>
          {run.loading ? 'Computing…' : 'Compute (11 persistence runs)'}
        </button>
      )}
      {run.error && <div className="error">{run.error}</div>}
    </section>
  );
}

function CompareModels({ view, update, source, all, clouds, layerCount }: Pick<ViewProps, 'view' | 'update' | 'source' | 'all' | 'clouds'> & { layerCount: number }) {
  const other = useModel(view.compare || view.model);
  const otherModel = view.compare && other.data ? other.data : undefined;
  const otherClouds = useClouds(otherModel ? source : undefined, otherModel, view);
  // The other model's clouds run the way the user chose for this one's (exactly, or on as many landmarks).
  const otherPlan = usePersistencePlan(otherClouds.data, view.maxdim, view.landmarks);
  const otherAll = useAllPersistence(otherClouds.data, view.maxdim, view.layer, otherPlan);
  const ownClouds = { data: clouds };
  // Both sides' clouds must be the ones their diagrams were computed from (the persistence keys name them).
  const ready = all && otherAll.data && otherAll.key && ownClouds.data && otherClouds.data && all.key.includes(`|${ownClouds.data.key}|`) && otherAll.key.includes(`|${otherClouds.data.key}|`);
  const across = useJob<AcrossModels>(
    ready && otherModel && otherModel.layers.length === layerCount ? acrossModelsKey(all.key, otherAll.key!) : null,
    'same layer across models',
    ({ jobId }) =>
      compareWorker().acrossModels(
        { h1: all!.value.map((r) => r.dgms[1] ?? []), clouds: ownClouds.data!.layers.map(asCloud) },
        { h1: otherAll.data!.map((r) => r?.dgms[1] ?? []), clouds: otherClouds.data!.layers.map(asCloud) },
        jobId,
      ),
    (id) => void compareWorker().cancel(id),
  );
  const data = useMemo(
    () =>
      across.data && {
        x: Array.from({ length: across.data.k }, (_, i) => i + 1),
        xLabel: 'layer',
        yLabel: 'SW (H1)',
        y2Label: 'linear CKA',
        y2Domain: [0, 1] as [number, number],
        series: [
          { label: `SW, ${view.model} vs ${view.compare}`, values: across.data.sw },
          { label: 'CKA (right axis)', values: across.data.cka, axis: 'right' as const },
        ],
      },
    [across.data, view.model, view.compare],
  );
  const opts = useMemo(
    () => ({ testId: 'compare-row', width: 520, height: 220, highlightX: view.layer, ariaLabel: `Sliced Wasserstein distance and CKA between each layer of ${view.model} and the same layer of ${view.compare}` }),
    [view.layer, view.model, view.compare],
  );
  const labels = useMemo(() => Array.from({ length: across.data?.k ?? 0 }, (_, i) => String(i + 1)), [across.data?.k]);
  const cross = useMemo(
    () => across.data && { values: across.data.crossSw, labels, title: `SW (H1): ${view.model} layers (rows) × ${view.compare} layers (columns)`, colorScheme: 'distance' as const },
    [across.data, labels, view.model, view.compare],
  );
  const crossOpts = useMemo(() => ({ testId: 'cross-block', ariaLabel: `Sliced Wasserstein distance between every layer of ${view.model} and every layer of ${view.compare}` }), [view.model, view.compare]);
  // Is the same layer closer across the two models than to any other layer of the model? (the paper's question)
  const closer = useMemo(() => {
    const a = across.data;
    if (!a) return null;
    let n = 0;
    for (let i = 0; i < a.k; i++) {
      let best = Infinity;
      for (let j = 0; j < a.k; j++) if (j !== i) best = Math.min(best, a.crossSw[i * a.k + j]);
      if (a.sw[i] < best) n++;
    }
    return n;
  }, [across.data]);
  return (
    <section className="panel">
      <h4>
        The same layer in another model{' '}
        <select aria-label="comparison model" value={view.compare} onChange={(e) => update((v) => void (v.compare = e.target.value))}>
          <option value="">choose…</option>
          {BUNDLED_MODELS.filter((m) => m.id !== view.model).map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </h4>
      {view.compare && otherModel && otherModel.layers.length !== layerCount && <div className="error">That model has {otherModel.layers.length} layers, this one {layerCount}.</div>}
      {across.error && <div className="error">{across.error}</div>}
      {data && cross ? (
        <div className="chart-row">
          <ExportableChart render={renderLineChart} data={data} options={opts} filename={`layers-${view.model}-vs-${view.compare}`} />
          <ExportableChart
            render={renderHeatmap}
            data={cross}
            options={crossOpts}
            filename={`cross-block-${view.model}-vs-${view.compare}`}
            caption={<span data-testid="cross-block-summary">The paper's cross block; the diagonal is the same layer. At {closer} of {across.data!.k} layers, layer i of {view.model} is closer (SW) to layer i of {view.compare} than to any other layer of {view.compare}.</span>}
          />
        </div>
      ) : view.compare ? (
        <div className="muted">Computing the other model's diagrams…</div>
      ) : null}
    </section>
  );
}
