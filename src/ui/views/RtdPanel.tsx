import { useEffect, useMemo, useRef, useState } from 'react';
import { renderBarcode } from '../../charts/barcode';
import { renderHeatmap } from '../../charts/heatmap';
import { RTD_QUICK } from '../../analysis/rtd';
import type { CrossBarcodes } from '../../analysis/jobs';
import type { LayerMatrices } from '../../analysis/layerMatrices';
import { spearman } from '../../similarity/rank';
import { crossBarcodeKey, rtdKey, type RtdSampling } from '../../state/keys';
import { Comlink, compareWorker } from '../../state/workers';
import { Chart, ExportableChart } from '../Chart';
import { asCloud, type CloudSet } from '../data';
import { debugHandle } from '../debugHandle';
import { useJob } from '../useJob';
import { Term } from '../Term';

/** Progress of the running RTD job and the time left, extrapolated from the pairs done so far. */
function useEstimate() {
  const [state, setState] = useState<{ fraction: number; left: number } | null>(null);
  const started = useRef(0);
  const track = (onProgress: (f: number) => void) => {
    started.current = performance.now();
    setState({ fraction: 0, left: NaN });
    return (f: number) => {
      onProgress(f);
      const spent = (performance.now() - started.current) / 1000;
      setState({ fraction: f, left: f > 0 ? (spent * (1 - f)) / f : NaN });
    };
  };
  return { state, track };
}

function progressWords(p: { fraction: number; left: number } | null, pairs: number): string {
  if (!p) return 'Starting…';
  const done = Math.round(p.fraction * pairs);
  return `${done} of ${pairs} pairs${Number.isFinite(p.left) ? `, about ${Math.max(1, Math.round(p.left))} s left` : ''}`;
}

/** Spearman ρ over the pairs i < j where both matrices have a value. */
function rho(a: Float64Array, b: Float64Array, k: number, transformB: (v: number) => number = (v) => v): number {
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) {
    const u = a[i * k + j], v = b[i * k + j];
    if (Number.isFinite(u) && Number.isFinite(v)) { x.push(u); y.push(transformB(v)); }
  }
  return x.length >= 3 ? spearman(x, y) : NaN;
}

/**
 * RTD in the Layers view: the selected layer against every other layer on demand, the whole matrix on request, its
 * rank agreement with the SW and CKA matrices, and a clicked cell's cross-barcodes. Every result is keyed by the
 * clouds' key and the sampling, so it is never shown for other inputs.
 */
export function RtdPanel({ clouds, layer, matrices, labels }: { clouds: CloudSet | undefined; layer: number; matrices: LayerMatrices | undefined; labels: string[] }) {
  // The row and the full matrix are asked for separately (by key): asking for the matrix keeps the row shown meanwhile.
  const [askedRow, setAskedRow] = useState<string | null>(null);
  const [askedAll, setAskedAll] = useState<string | null>(null);
  // The last clicked cell: a computed one opens its cross-barcodes, a hatched (not computed) one says why nothing opens.
  const [cell, setCell] = useState<{ key: string; i: number; j: number } | null>(null);
  const k = clouds?.layers.length ?? 0;
  const n = clouds?.layers[0]?.n ?? 0;
  const sampling: RtdSampling = useMemo(() => ({ sample: Math.min(RTD_QUICK.sample, n), trials: RTD_QUICK.trials, seed: RTD_QUICK.seed }), [n]);
  const row = clouds ? clouds.layers.findIndex((c) => c.layer === layer) : -1;
  // Per-image clouds only: RTD compares image by image.
  const perImage = !!clouds && k > 1 && row >= 0 && n >= 4 && n === clouds.dataset.n && clouds.layers.every((c) => c.n === n);
  const rowKey = perImage ? rtdKey(clouds!.key, row, sampling) : null;
  const allKey = perImage ? rtdKey(clouds!.key, 'all', sampling) : null;
  const rowEst = useEstimate();
  const allEst = useEstimate();
  const run = (rows: number[] | undefined, est: ReturnType<typeof useEstimate>) => ({ jobId, onProgress }: { jobId: number; onProgress: (f: number) => void }) =>
    compareWorker().rtdMatrix(clouds!.layers.map(asCloud), { ...sampling, rows }, jobId, Comlink.proxy(est.track(onProgress)));
  const cancel = (id: number) => void compareWorker().cancel(id);
  const rowJob = useJob<Float64Array>(rowKey !== null && askedRow === rowKey ? rowKey : null, `RTD of layer ${layer} against every layer`, run([row], rowEst), cancel);
  const allJob = useJob<Float64Array>(allKey !== null && askedAll === allKey ? allKey : null, `RTD of every pair of the ${k} layers`, run(undefined, allEst), cancel);
  // The full matrix when there is one, else the selected layer's row and column.
  const shown = allJob.data ?? rowJob.data;
  const shownKey = allJob.data ? allKey : rowJob.data ? rowKey : null;
  useEffect(() => {
    // The RTD matrix shown, for tests: its key, k and the values row-major (null = not computed).
    debugHandle().rtd = shown ? { key: shownKey, k, values: Array.from(shown) } : undefined;
  }, [shown, shownKey, k]);

  const stats = useMemo(() => {
    if (!shown || !matrices || matrices.k !== k) return null;
    return { sw: rho(shown, matrices.sw, k), cka: rho(shown, matrices.cka, k, (v) => 1 - v) };
  }, [shown, matrices, k]);

  const clicked = cell && cell.key === shownKey && shown ? cell : null;
  const selected = clicked && Number.isFinite(shown![clicked.i * k + clicked.j]) ? clicked : null;
  const hatched = clicked && !selected ? clicked : null;
  const xKey = selected && clouds ? crossBarcodeKey(clouds.key, selected.i, selected.j, sampling) : null;
  const xbar = useJob<CrossBarcodes>(
    xKey,
    selected ? `cross-barcodes of layers ${labels[selected.i]} and ${labels[selected.j]}` : 'cross-barcodes',
    ({ jobId }) => compareWorker().crossBarcodes(asCloud(clouds!.layers[selected!.i]), asCloud(clouds!.layers[selected!.j]), { sample: sampling.sample, seed: sampling.seed }, jobId),
    cancel,
  );

  useEffect(() => {
    // The cross-barcodes shown, for tests: the pair, both RTD values and both bar counts.
    debugHandle().crossBarcode = xbar.data && selected ? { i: selected.i, j: selected.j, rtdAB: xbar.data.rtdAB, rtdBA: xbar.data.rtdBA, bars: [xbar.data.ab.length, xbar.data.ba.length] } : undefined;
  }, [xbar.data]); // eslint-disable-line react-hooks/exhaustive-deps -- the result's key names the pair

  const heat = useMemo(() => shown && { values: shown, labels, title: `RTD (${sampling.sample} images × ${sampling.trials} trial)`, colorScheme: 'distance' as const }, [shown, labels, sampling]);
  const heatOpts = useMemo(
    () => ({
      testId: 'rtd-matrix',
      selected: selected ? ([selected.i, selected.j] as [number, number]) : null,
      onCellClick: (i: number, j: number) => {
        if (i !== j && shown) setCell({ key: shownKey!, i, j });
      },
      ariaLabel: `RTD between the layers on ${sampling.sample} images; hatched cells are not computed`,
    }),
    [selected?.i, selected?.j, shown, shownKey, k, sampling.sample], // eslint-disable-line react-hooks/exhaustive-deps -- selected is a new object each render; its indices are the key
  );
  const bars = (d: CrossBarcodes['ab'], title: string) => ({ dgms: [[], d], dims: [1], title });
  const barOpts = useMemo(() => ({ width: 320, ariaLabel: 'cross-barcode: H1 bars of the filtration RTD sums' }), []);

  if (!perImage) {
    return (
      <section className="panel">
        <h4><Term id="rtd" /> between layers</h4>
        <div className="muted">{clouds && n < 4 ? 'RTD needs at least 4 images.' : 'RTD needs one point per image in every layer (a per-image cloud).'}</div>
      </section>
    );
  }
  const rowPairs = k - 1, allPairs = (k * (k - 1)) / 2;
  return (
    <section className="panel" data-testid="rtd-panel">
      <h4>
        <Term id="rtd" /> of layer {layer} against the other layers
      </h4>
      <p className="muted small">
        On {sampling.sample} of the {n} images (seed {sampling.seed}, {sampling.trials} trial; the RTD paper uses 500 × 10, minutes per pair here), every pair on the same images.
      </p>
      <div className="view-head">
        <button type="button" data-testid="rtd-row" disabled={rowJob.loading || !!rowJob.data || !!allJob.data} onClick={() => setAskedRow(rowKey)}>
          {rowJob.loading ? `Computing: ${progressWords(rowEst.state, rowPairs)}` : `RTD row of layer ${layer} (${rowPairs} pairs)`}
        </button>
        <button type="button" data-testid="rtd-all" disabled={allJob.loading || !!allJob.data} onClick={() => setAskedAll(allKey)}>
          {allJob.loading ? `Computing: ${progressWords(allEst.state, allPairs)}` : `Full matrix (${allPairs} pairs, about ${Math.round(allPairs / rowPairs)}× the row)`}
        </button>
        {stats && (
          <span className="muted small" data-testid="rtd-correlation">
            <Term id="spearman-rho" /> of RTD with SW: <strong>{Number.isFinite(stats.sw) ? stats.sw.toFixed(3) : 'n/a'}</strong>, with 1 − CKA: <strong>{Number.isFinite(stats.cka) ? stats.cka.toFixed(3) : 'n/a'}</strong> over the pairs computed
          </span>
        )}
      </div>
      {(rowJob.error || allJob.error) && <div className="error">{rowJob.error ?? allJob.error}</div>}
      {heat && (
        <div className="chart-row">
          <figure>
            <Chart render={renderHeatmap} data={heat} options={heatOpts} />
            <figcaption>Click a computed cell for that pair's <Term id="cross-barcode" />.</figcaption>
          </figure>
          {hatched && (
            <div className="muted" data-testid="cross-barcode-hatched" role="status">
              RTD of layers {labels[hatched.i]} and {labels[hatched.j]} is not computed yet: compute the full matrix, then click the cell for its cross-barcodes.
            </div>
          )}
          {selected && (
            <div data-testid="cross-barcode">
              {xbar.data ? (
                <div className="chart-row">
                  <ExportableChart render={renderBarcode} data={bars(xbar.data.ab, `RTD(${labels[selected.i]}, ${labels[selected.j]}) = ${xbar.data.rtdAB.toPrecision(4)}`)} options={barOpts} filename={`cross-barcode-${labels[selected.i]}-${labels[selected.j]}`} caption={`r₁ from layer ${labels[selected.i]}: ${xbar.data.ab.length} bars`} />
                  <ExportableChart render={renderBarcode} data={bars(xbar.data.ba, `RTD(${labels[selected.j]}, ${labels[selected.i]}) = ${xbar.data.rtdBA.toPrecision(4)}`)} options={barOpts} filename={`cross-barcode-${labels[selected.j]}-${labels[selected.i]}`} caption={`r₁ from layer ${labels[selected.j]}: ${xbar.data.ba.length} bars`} />
                </div>
              ) : xbar.error ? (
                <div className="error">{xbar.error}</div>
              ) : (
                <div className="muted">Computing the cross-barcodes of layers {labels[selected.i]} and {labels[selected.j]}…</div>
              )}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
