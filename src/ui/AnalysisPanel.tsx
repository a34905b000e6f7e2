import { type ViewState } from '../state/viewState';
import { CLOUD_METHODS, cloudMethodInfo } from '../model/cloudMethods';
import { Term } from './Term';
import { ChoiceField } from './ChoiceField';


/** How a layer becomes a point cloud, how many images, the seed, and the highest homology dimension. */
export function AnalysisPanel({ view, update }: { view: ViewState; update: (c: (v: ViewState) => void) => void }) {
  return (
    <section>
      <h2>Point cloud</h2>
      <ChoiceField
        label={<Term id={cloudMethodInfo(view.cloud).term}>per image</Term>}
        name="cloud method"
        value={view.cloud}
        choices={CLOUD_METHODS}
        onChange={(id) => update((v) => void (v.cloud = id))}
      />
      {view.cloud === 'pca' && (
        <label className="field">
          <span>PCA dims</span>
          <input type="number" min={1} max={512} value={view.pcaDim} onChange={(e) => update((v) => void (v.pcaDim = Math.max(1, Math.min(512, Number(e.target.value) || 1))))} />
        </label>
      )}
      <label className="field">
        <span>images (0 = all)</span>
        <input type="number" min={0} step={100} value={view.n} onChange={(e) => update((v) => void (v.n = Math.max(0, Math.floor(Number(e.target.value) || 0))))} />
      </label>
      <label className="field">
        <span>seed</span>
        <input type="number" min={0} value={view.seed} onChange={(e) => update((v) => void (v.seed = Math.max(0, Math.floor(Number(e.target.value) || 0))))} />
      </label>
      <label className="field">
        <span>homology up to</span>
        <select aria-label="max dimension" value={view.maxdim} onChange={(e) => update((v) => void (v.maxdim = Number(e.target.value) as 1 | 2))}>
          <option value={1}>H1</option>
          <option value={2}>H2 (slower)</option>
        </select>
      </label>
    </section>
  );
}
