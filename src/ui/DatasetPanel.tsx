import { useRef, useState, type DragEvent } from 'react';
import { DatasetLoadError, type LoaderFile, type LoadProgress } from '../data/loaders/index';
import { loadDatasetOffThread, SupersededLoad } from '../data/loaders/offThread';
import { filesFromDataTransfer, filesFromFileList } from '../data/loaders/fromDataTransfer';
import { BUNDLED_DATASETS, isBundledDataset } from '../state/catalog';
import { jobs } from '../state/jobs';
import type { ViewState } from '../state/viewState';
import type { DatasetNote, ImageDataset } from '../types';
import { userDatasets } from './data';
import type { Notice } from './Notices';
import { activateOnKey } from './keys';
import { classColor } from './palette';

interface Props {
  view: ViewState;
  update: (c: (v: ViewState) => void) => void;
  dataset: ImageDataset | undefined;
  loading: boolean;
  addNotice: (n: Notice) => void;
  /** The model's input [H, W, C]: dropped images are resized to it (H, W null: the images keep their size). */
  inputSize?: [number | null, number | null, number];
}

/**
 * Choose a bundled dataset or drop one's own (a folder of class folders, a .zip, images + CSV, IDX, CIFAR-10).
 * Files that cannot be used are listed with the reason; the rest loads. A failed drop keeps the current dataset.
 */
export function DatasetPanel({ view, update, dataset, loading, addNotice, inputSize }: Props) {
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [cap, setCap] = useState(100);
  const [dropError, setDropError] = useState<string | null>(null);
  const [fileErrors, setFileErrors] = useState<{ file: string; reason: string }[]>([]);
  const [notes, setNotes] = useState<DatasetNote[]>([]);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const filePicker = useRef<HTMLInputElement>(null);
  const loads = useRef(0);

  const load = async (files: LoaderFile[]) => {
    const mine = ++loads.current;
    setBusy(true);
    setDropError(null);
    try {
      const size: [number, number] | undefined = inputSize && inputSize[0] && inputSize[1] ? [inputSize[0], inputSize[1]] : undefined;
      setProgress(null);
      // Unzipped, decoded and fingerprinted in a worker: the page stays responsive however large the drop.
      const ds = await loadDatasetOffThread(files, { perClassCap: cap, seed: view.seed, size }, setProgress);
      const id = ds.id;
      const fp = id.slice('user:'.length);
      const named: ImageDataset = { ...ds, id };
      userDatasets.set(id, named);
      jobs.put(`dataset|${id}`, named);
      setFileErrors(ds.errors);
      setNotes(ds.notes ?? []);
      if (view.fingerprint && view.dataset.startsWith('user:') && view.fingerprint !== fp) {
        addNotice({ id: 'fingerprint', kind: 'error', text: `These files are not the dataset of the link (fingerprint ${fp.slice(0, 12)}…, the link expects ${view.fingerprint.slice(0, 12)}…); showing them anyway.` });
      } else if (view.fingerprint === fp) {
        addNotice({ id: 'fingerprint', kind: 'info', text: 'The dropped files match the dataset of the link.' });
      }
      update((v) => {
        v.dataset = id;
        v.fingerprint = fp;
      });
    } catch (err) {
      if (err instanceof SupersededLoad) return; // a newer drop is loading
      // The current dataset stays; the files of the failed drop are listed, each once.
      setDropError(err instanceof Error ? err.message : String(err));
      setFileErrors(err instanceof DatasetLoadError ? err.errors : []);
      setNotes([]);
    } finally {
      if (loads.current === mine) setBusy(false);
    }
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    try {
      await load(await filesFromDataTransfer(e.dataTransfer));
    } catch (err) {
      setDropError(err instanceof Error ? err.message : String(err));
    }
  };

  const counts = dataset ? classCounts(dataset) : [];
  const waitingForDrop = !isBundledDataset(view.dataset) && !userDatasets.has(view.dataset);
  const errors = fileErrors;

  return (
    <section>
      <h2>Dataset</h2>
      <select
        aria-label="dataset"
        title={BUNDLED_DATASETS.find((d) => d.id === view.dataset)?.label ?? userDatasets.get(view.dataset)?.name}
        value={view.dataset}
        onChange={(e) => update((v) => {
          v.dataset = e.target.value;
          v.fingerprint = '';
        })}
      >
        {BUNDLED_DATASETS.map((d) => (
          <option key={d.id} value={d.id}>
            {d.label}
          </option>
        ))}
        {[...userDatasets.values()].map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} (dropped)
          </option>
        ))}
        {waitingForDrop && <option value={view.dataset}>dropped dataset (drop it again)</option>}
      </select>
      <div
        className={over ? 'drop over' : 'drop'}
        data-testid="dataset-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        onClick={() => filePicker.current?.click()}
        onKeyDown={activateOnKey(() => filePicker.current?.click())}
        role="button"
        tabIndex={0}
      >
        {busy ? readingText(progress) : waitingForDrop ? 'The link uses a dataset you dropped: drop the same files here, or pick them.' : 'Drop a folder of class folders, a .zip, images + CSV, IDX or CIFAR-10 files here — or click to pick files'}
      </div>
      <div className="drop-alt small">
        <span className="muted">A folder of class folders?</span>{' '}
        <button type="button" className="link" data-testid="dataset-folder-button" onClick={() => picker.current?.click()}>
          Pick a folder…
        </button>
      </div>
      {/* Files (zip, IDX, CIFAR, images + CSV) and a folder need two inputs: webkitdirectory picks folders only. */}
      <input
        ref={filePicker}
        type="file"
        multiple
        hidden
        data-testid="dataset-files-input"
        onChange={(e) => {
          if (e.target.files) void load(filesFromFileList(e.target.files));
          e.target.value = '';
        }}
      />
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="dataset-input"
        onChange={(e) => {
          if (e.target.files) void load(filesFromFileList(e.target.files));
          e.target.value = '';
        }}
        {...({ webkitdirectory: '' } as Record<string, string>)}
      />
      <label className="field small">
        <span>images per class</span>
        <input type="number" min={1} value={cap} onChange={(e) => setCap(Math.max(1, Math.floor(Number(e.target.value) || 1)))} />
      </label>
      {dropError && (
        <div className="error small" role="alert" data-testid="dataset-error">
          {dropError}
        </div>
      )}
      {notes.map((n, i) => (
        <details key={i} className={n.kind === 'warning' ? 'error-list' : 'note-list'} data-testid="dataset-note">
          <summary className={n.kind === 'warning' ? 'error' : 'muted small'}>{n.text}</summary>
          {n.files && (
            <ul>
              {n.files.slice(0, 50).map((f) => (
                <li key={f}>
                  <code>{f}</code>
                </li>
              ))}
              {n.files.length > 50 && <li>and {n.files.length - 50} more</li>}
            </ul>
          )}
        </details>
      ))}
      {errors.length > 0 && (
        <details className="error-list" data-testid="error-list" open>
          <summary className="error">
            {errors.length} file{errors.length > 1 ? 's' : ''} could not be used
          </summary>
          <ul>
            {errors.slice(0, 200).map((e, i) => (
              <li key={i}>
                <code>{e.file}</code>: {e.reason}
              </li>
            ))}
            {errors.length > 200 && <li>and {errors.length - 200} more</li>}
          </ul>
        </details>
      )}
      {dataset ? (
        <div className="class-counts" data-testid="class-counts">
          <div className="muted small">
            {dataset.n} images, {dataset.width}×{dataset.height}×{dataset.channels}, {dataset.classNames.length} classes
          </div>
          {counts.map((c, k) => (
            <div key={k} className="class-count">
              <span className="swatch" style={{ background: classColor(k) }} />
              <span className="class-name">{dataset.classNames[k]}</span>
              <span className="count">{c}</span>
            </div>
          ))}
        </div>
      ) : (
        <div className="muted small">{loading ? 'Loading…' : ''}</div>
      )}
    </section>
  );
}

function readingText(p: LoadProgress | null): string {
  if (!p) return 'Reading files…';
  return `${p.phase === 'unzipping' ? 'Unzipping' : 'Decoding images'}… ${p.done} of ${p.total}`;
}

function classCounts(ds: ImageDataset): number[] {
  const counts = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.n; i++) counts[ds.labels[i]]++;
  return counts;
}
