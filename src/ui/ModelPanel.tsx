import { useRef, useState, type DragEvent } from 'react';
import { filesFromDataTransfer } from '../data/loaders/fromDataTransfer';
import { readBytes, type LoaderFile } from '../data/loaders/types';
import { BUNDLED_MODELS, isBundledModel } from '../state/catalog';
import { jobs } from '../state/jobs';
import { modelKey } from '../state/keys';
import type { ViewState } from '../state/viewState';
import { modelWorker } from '../state/workers';
import type { ModelSummary } from '../types';
import { activateOnKey } from './keys';
import { FilePicker } from './FilePicker';

/** Models the user dropped this session, by id. */
const userModels = new Map<string, ModelSummary>();
/** The files of each dropped ONNX model, so the mean/std form can open it again with a new sidecar. */
const onnxFiles = new Map<string, { name: string; bytes: Uint8Array }[]>();

function parseList(text: string): number[] | null {
  const xs = text.split(',').map((t) => Number(t.trim()));
  return xs.length > 0 && xs.every((x) => Number.isFinite(x)) && text.trim() !== '' ? xs : null;
}

/** The input contract of an ONNX model and a small form for per-channel mean and std (written as a sidecar). */
function OnnxInput({ model, reopen }: { model: ModelSummary; reopen: (mean: number[], std: number[]) => void }) {
  const [h, w, c] = model.inputShape;
  const norm = model.normalization ?? { mean: [0], std: [1] };
  const [mean, setMean] = useState(norm.mean.join(', '));
  const [std, setStd] = useState(norm.std.join(', '));
  const [bad, setBad] = useState<string | null>(null);
  const tensors = [...new Set(model.layers.map((l) => l.tensor).filter((t): t is string => !!t))];
  return (
    <div className="muted small" data-testid="onnx-contract">
      <div>
        ONNX: NCHW float input {c}×{h ?? 'any'}×{w ?? 'any'}; images resized to {h && w ? `${h}×${w}` : 'their own size'}, {c === 3 ? 'RGB' : 'grey'};
        (pixel/255 − mean)/std. Layers: {tensors.join('; ')}.
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const m = parseList(mean);
          const s = parseList(std);
          if (!m || !s || s.some((x) => !(x > 0)) || ![1, c].includes(m.length) || ![1, c].includes(s.length)) {
            setBad(`mean and std need 1 or ${c} numbers (std > 0), separated by commas`);
            return;
          }
          setBad(null);
          reopen(m, s);
        }}
      >
        <label>
          mean <input aria-label="mean" size={14} value={mean} onChange={(e) => setMean(e.target.value)} />
        </label>{' '}
        <label>
          std <input aria-label="std" size={14} value={std} onChange={(e) => setStd(e.target.value)} />
        </label>{' '}
        <button type="submit" className="small-btn">
          apply
        </button>
        {bad && <div className="error">{bad}</div>}
      </form>
    </div>
  );
}

/** Choose a bundled model (trained, early checkpoint, initial weights) or drop a TF.js model.json with its shards or an .onnx file. */
export function ModelPanel({ view, update, model }: { view: ViewState; update: (c: (v: ViewState) => void) => void; model: ModelSummary | undefined }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);

  const open = async (files: LoaderFile[]) => {
    setBusy(true);
    setError(null);
    try {
      const withBytes = await Promise.all(files.map(async (f) => ({ name: f.path, bytes: await readBytes(f) })));
      await openBytes(withBytes);
    } catch (err) {
      // The current model stays loaded; the message says what was wrong with the dropped files.
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const openBytes = async (withBytes: { name: string; bytes: Uint8Array }[]) => {
    const summary = await modelWorker().openUserModel(withBytes, [28, 28]);
    if (summary.onnxBackend) onnxFiles.set(summary.id, withBytes);
    userModels.set(summary.id, summary);
    jobs.put(modelKey(summary.id), summary);
    update((v) => {
      v.model = summary.id;
      v.layer = 1;
      v.compare = '';
    });
  };

  const reopenOnnx = async (id: string, mean: number[], std: number[]) => {
    const files = onnxFiles.get(id);
    if (!files) return;
    const onnx = files.find((f) => /\.onnx$/i.test(f.name))!;
    const sidecar = { name: onnx.name.replace(/\.onnx$/i, '') + '.preprocess.json', bytes: new TextEncoder().encode(JSON.stringify({ mean, std })) };
    setBusy(true);
    setError(null);
    try {
      await openBytes([...files.filter((f) => !/\.preprocess\.json$/i.test(f.name)), sidecar]);
    } catch (err) {
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
      {model?.onnxBackend && <OnnxInput key={model.id} model={model} reopen={(m, s) => void reopenOnnx(model.id, m, s)} />}
      <div
        className="drop"
        data-testid="model-drop"
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
        onClick={() => picker.current?.click()}
        onKeyDown={activateOnKey(() => picker.current?.click())}
        role="button"
        tabIndex={0}
      >
        {busy ? 'Loading the model…' : 'Drop a TF.js model.json with its weight shards, or an .onnx file (plus its .preprocess.json), or click to pick them'}
      </div>
      <FilePicker inputRef={picker} testId="model-input" onFiles={(files) => void open(files)} />
      {error && (
        <div className="error small" role="alert" data-testid="model-error">
          {error}
        </div>
      )}
    </section>
  );
}
