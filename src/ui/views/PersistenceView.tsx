import { useEffect, useMemo, useRef, useState } from 'react';
import { renderPersistenceDiagram, type PersistenceDiagramHandle } from '../../charts/persistenceDiagram';
import { renderBarcode } from '../../charts/barcode';
import { diagramsToCsv, diagramsToJson, downloadBlob } from '../../charts/export';
import { writeNpy } from '../../io/npy';
import type { PersistencePair } from '../../types';
import { Chart } from '../Chart';
import { chartExports, ExportMenu, textExport } from '../ExportMenu';
import { useLoop, usePersistence } from '../data';
import { LandmarkPrompt } from '../LandmarkPrompt';
import { debugHandle } from '../debugHandle';
import { Thumb } from '../thumbnails';
import type { ViewProps } from '../viewContext';
import { Term } from '../Term';
import { pointsAreImages } from '../../model/cloudMethods';

/** The selected layer's persistence diagram and barcode; click an H1 point to see the images on its loop. */
export function PersistenceView({ view, update, model, clouds, plan, inputsLabel }: ViewProps) {
  const ph = usePersistence(clouds, view.layer, view.maxdim, plan);
  // Thumbnails come from the images these clouds were computed from.
  const dataset = clouds?.dataset;
  const [hover, setHover] = useState<{ p: PersistencePair; dim: number } | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const diagram = useRef<PersistenceDiagramHandle | null>(null);
  const bars = useRef<{ svg(): SVGSVGElement } | null>(null);
  const layer = model?.layers[view.layer - 1];
  const cloud = clouds?.layers.find((c) => c.layer === view.layer);
  // A picked loop belongs to one diagram: a new diagram starts with none.
  const [pickedFor, setPickedFor] = useState(ph.key);
  if (pickedFor !== ph.key) {
    setPickedFor(ph.key);
    setPicked(null);
  }
  useEffect(() => {
    // What the diagram shows, for tests: bars per dimension and the threshold, with the key they belong to.
    debugHandle().persistence = ph.data ? { key: ph.key, layer: view.layer, bars: ph.data.dgms.map((d) => d.length), threshold: ph.data.threshold } : undefined;
  }, [ph.data, ph.key, view.layer]);
  const dims = view.dims.filter((d) => d <= view.maxdim);
  // The picked class's loop is its own job (closing every class's loop with the diagram would be O(n³)).
  const loop = useLoop(cloud, ph.key, ph.data, view.cloud === 'channel' ? null : picked);

  const data = useMemo(() => (ph.data ? { dgms: ph.data.dgms, dims } : null), [ph.data, dims.join()]); // eslint-disable-line react-hooks/exhaustive-deps -- dims is a new array each render; its content is the key
  const options = useMemo(
    () => ({
      width: 460,
      height: 420,
      onHover: (p: PersistencePair | null, dim: number) => setHover(p ? { p, dim } : null),
      onClick: (dim: number, index: number) => {
        if (dim === 1) setPicked(index);
      },
      ariaLabel: `Persistence diagram of layer ${view.layer}${layer ? ` (${layer.name})` : ''}`,
    }),
    [view.layer, layer?.name], // eslint-disable-line react-hooks/exhaustive-deps -- layer is a new object per model; its name is the key
  );
  const barOptions = useMemo(
    () => ({ width: 460, height: 440, maxBars: 100, onClick: (dim: number, index: number) => dim === 1 && setPicked(index), ariaLabel: `Barcode of layer ${view.layer}${layer ? ` (${layer.name})` : ''}` }),
    [view.layer, layer?.name], // eslint-disable-line react-hooks/exhaustive-deps -- as above
  );

  if (!layer) return <div className="muted">Loading the model…</div>;
  const bar = picked !== null ? ph.data?.dgms[1]?.[picked] : undefined;
  // Loop vertices are point indices (of the landmarks, on a landmark run); the image of point i is imageIndices[i].
  const lm = ph.data?.landmarks;
  const loopImages = loop.data && cloud && pointsAreImages(view.cloud) ? loop.data.cycle.map((v) => cloud.imageIndices[lm ? lm.indices[v] : v]) : [];
  const base = `layer${String(view.layer).padStart(2, '0')}-${layer.name}`;

  return (
    <div className="persistence-view">
      <div className="view-head">
        <h3>
          Layer {view.layer} <code>{layer.name}</code> <span className="muted">{layer.shape.join('×')} → {cloud ? `${cloud.n} points in R^${cloud.d}` : '…'}</span>
        </h3>
        <span className="dim-toggles">
          {[0, 1, 2].map((d) => (
            <label key={d} className={d > view.maxdim ? 'disabled' : ''} title={d > view.maxdim ? 'Set "homology up to" to H2' : ''}>
              <input
                type="checkbox"
                data-testid={`dim-${d}`}
                disabled={d > view.maxdim}
                checked={view.dims.includes(d)}
                onChange={(e) =>
                  update((v) => {
                    v.dims = e.target.checked ? [...new Set([...v.dims, d])].sort() : v.dims.filter((x) => x !== d);
                  })
                }
              />
              H{d}
            </label>
          ))}
        </span>
      </div>
      {ph.error && <div className="error">Persistence failed: {ph.error}</div>}
      {plan?.kind === 'ask' ? (
        <LandmarkPrompt plan={plan} update={update} />
      ) : !data ? (
        <div className="muted placeholder" data-testid="ph-pending">
          {ph.error ? '' : clouds ? `Computing persistent homology of layer ${view.layer} for ${inputsLabel}…` : `Computing activations for ${inputsLabel}…`}
        </div>
      ) : (
        <>
          <div className="chart-row">
            <figure>
              <Chart render={renderPersistenceDiagram} data={data} options={options} onHandle={(h) => (diagram.current = h)} />
              <figcaption>
                Persistence diagram: birth and death of each class; <Term id="persistence" /> is the distance above the diagonal (drag to pan, wheel to zoom, double-click resets).{' '}
                <ExportMenu
                  items={[
                    ...chartExports(() => diagram.current?.svg(), `${base}-diagram`),
                    textExport('JSON', `${base}-dgms.json`, 'application/json', () => diagramsToJson(ph.data!.dgms)),
                    textExport('CSV', `${base}-dgms.csv`, 'text/csv', () => diagramsToCsv(ph.data!.dgms)),
                    {
                      label: 'cloud .npy',
                      run: () => cloud && downloadBlob(new Blob([writeNpy(cloud.data, [cloud.n, cloud.d]) as BlobPart]), `${base}-cloud.npy`),
                    },
                  ]}
                />
              </figcaption>
            </figure>
            <figure>
              <Chart render={renderBarcode} data={data} options={barOptions} onHandle={(h) => (bars.current = h)} />
              <figcaption>
                Barcode. <ExportMenu items={chartExports(() => bars.current?.svg(), `${base}-barcode`)} />
              </figcaption>
            </figure>
          </div>
          <div className="stats muted small" data-testid="ph-stats">
            {ph.data!.dgms.map((d, k) => `H${k}: ${d.length} bars`).join(' · ')} · threshold {ph.data!.threshold.toPrecision(4)}
            {lm && (
              <span data-testid="landmark-readout">
                {' '}
                · on {lm.indices.length} of {lm.n} points as landmarks, cover radius ε = {lm.radius.toPrecision(4)}: bottleneck distance to the exact diagram ≤ 2ε ={' '}
                {(2 * lm.radius).toPrecision(4)}{' '}
                <button type="button" className="link" data-testid="landmarks-change" onClick={() => update((v) => void (v.landmarks = 'ask'))}>
                  change
                </button>
              </span>
            )}
            {hover && (
              <span data-testid="hover-readout">
                {' '}
                · H{hover.dim} birth {hover.p.birth.toPrecision(4)}, death {Number.isFinite(hover.p.death) ? hover.p.death.toPrecision(4) : '∞'}, persistence{' '}
                {Number.isFinite(hover.p.death) ? (hover.p.death - hover.p.birth).toPrecision(4) : '∞'}
              </span>
            )}
          </div>
          <div className="loop" data-testid="loop-images">
            {picked === null ? (
              <span className="muted">Click an H1 point (or focus the diagram, move with the arrow keys and press Enter) to see the images on its loop.</span>
            ) : view.cloud === 'channel' ? (
              <span className="muted">In the channel cloud the points are channels, not images.</span>
            ) : (
              <>
                <div className="small" data-testid="loop-caption">
                  H1 class born {bar?.birth.toPrecision(4)}, dies {bar && Number.isFinite(bar.death) ? bar.death.toPrecision(4) : '∞'}
                  {loop.error ? `: the loop could not be closed (${loop.error})` : loop.data ? `: a loop through ${loopImages.length} images, in order` : ': closing its loop…'}
                </div>
                <div className="thumbs">{dataset && loopImages.map((img, i) => <Thumb key={i} ds={dataset} index={img} size={44} />)}</div>
              </>
            )}
          </div>
        </>
      )}
    </div>
  );
}
