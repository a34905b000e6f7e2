import { useRef, useState, type DragEvent } from 'react';
import { filesFromDataTransfer, filesFromFileList } from '../data/loaders/fromDataTransfer';
import { readBytes, type LoaderFile } from '../data/loaders/types';
import { BUNDLED_MODELS, isBundledModel } from '../state/catalog';
import { jobs } from '../state/jobs';
import { modelKey } from '../state/keys';
import type { ViewState } from '../state/viewState';
import { modelWorker } from '../state/workers';
import type { ModelSummary } from '../types';

/** Models the user dropped this session, by id. */
const userModels = new Map<string, ModelSummary>();

/** Choose a bundled model (trained, early checkpoint, initial weights) or drop a TF.js model.json with its shards. */
export function ModelPanel({ view, update, model }: { view: ViewState; update: (c: (v: ViewState) => void) => void; model: ModelSummary | undefined }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  const open = async (files: LoaderFile[]) => {
    setBusy(true);
    setError(null);
    try {
      const withBytes = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: await readBytes(f) })));
      const summary = await modelWorker().openUserModel(withBytes, [28, 28]);
      userModels.set(summary.id, summary);
      jobs.put(modelKey(summary.id), summary);
      update((v) => {
        v.model = summary.id;
        v.layer = 1;
        v.compare = '';
      });
    } catch (err) {
      // The current model stays loaded; the message says what was wrong with the dropped files.
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    await open(await filesFromDataTransfer(e.dataTransfer));
  };

  const waitingForDrop = !isBundledModel(view.model) && !userModels.has(view.model);
  return (
    <section>
      <h2>Model</h2>
      <select aria-label="model" value={view.model} onChange={(e) => update((v) => void (v.model = e.target.value))}>
        {BUNDLED_MODELS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.label}
          </option>
        ))}
        {[...userModels.values()].map((m) => (
          <option key={m.id} value={m.id}>
            dropped model ({m.layers.length} layers)
          </option>
        ))}
        {waitingForDrop && <option value={view.model}>dropped model (drop it again)</option>}
      </select>
      {model?.card ? (
        <div className="muted small">
          {model.card.epochs} epochs, test accuracy {(100 * model.card.testAccuracy).toFixed(1)} %, {model.layers.length} layers
        </div>
      ) : model ? (
        <div className="muted small">
          input {model.inputShape.map((s) => s ?? 'any').join('×')}, {model.layers.length} layers
        </div>
      ) : null}
      <div
        className="drop"
        data-testid="model-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
        onClick={() => picker.current?.click()}
        role="button"
        tabIndex={0}
      >
        {busy ? 'Loading the model…' : 'Drop a TF.js model.json with its weight shards, or click to pick them'}
      </div>
      <input ref={picker} type="file" multiple hidden data-testid="model-input" onChange={(e) => e.target.files && void open(filesFromFileList(e.target.files))} />
      {error && (
        <div className="error small" role="alert" data-testid="model-error">
          {error}
        </div>
      )}
    </section>
  );
}
