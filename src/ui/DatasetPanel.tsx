import { useRef, useState, type DragEvent } from 'react';
import { DatasetLoadError, type LoaderFile, type LoadProgress } from '../data/loaders/index';
import { loadDatasetOffThread, SupersededLoad } from '../data/loaders/offThread';
import { filesFromDataTransfer } from '../data/loaders/fromDataTransfer';
import { FilePicker } from './FilePicker';
import { BUNDLED_DATASETS, isBundledDataset } from '../state/catalog';
import type { ViewState } from '../state/viewState';
import type { DatasetNote, ImageDataset } from '../types';
import { addUserDataset, userDatasets } from './data';
import type { Notice } from './Notices';
import { activateOnKey } from './keys';
import { classColor } from '../charts/theme';

interface Props {
  view: ViewState;
  update: (c: (v: ViewState) => void) => void;
  dataset: ImageDataset | undefined;
  loading: boolean;
  addNotice: (n: Notice) => void;
  /** The model's input [H, W, C]: dropped images are resized to it (H, W null: the images keep their size). */
  inputSize?: [number | null, number | null, number];
  /** The dataset fingerprint of the link this page was opened from ('' when none, or once checked). */
  linkFingerprint: string;
  /** Called after the first drop has been checked against the link's fingerprint. */
  onLinkChecked: () => void;
}

/**
 * Choose a bundled dataset or drop one's own (a folder of class folders, a .zip, images + CSV, IDX, CIFAR-10).
 * Files that cannot be used are listed with the reason; the rest loads. A failed drop keeps the current dataset.
 */
export function DatasetPanel({ view, update, dataset, loading, addNotice, inputSize, linkFingerprint, onLinkChecked }: Props) {
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [cap, setCap] = useState(100);
  const [dropError, setDropError] = useState<string | null>(null);
  const [fileErrors, setFileErrors] = useState<{ file: string; reason: string }[]>([]);
  const [notes, setNotes] = useState<DatasetNote[]>([]);
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  // The files of the last successful drop: a new "images per class" applies to them at once.
  const lastFiles = useRef<LoaderFile[] | null>(null);
  // Loads can overlap (typing "50" asks for 5, then 50): only the latest one is applied.
  const loadSeq = useRef(0);
  const filePicker = useRef<HTMLInputElement>(null);

  const load = async (files: LoaderFile[], perClassCap = cap) => {
    const seq = ++loadSeq.current;
    setBusy(true);
    setDropError(null);
    try {
      const size: [number, number] | undefined = inputSize && inputSize[0] && inputSize[1] ? [inputSize[0], inputSize[1]] : undefined;
      setProgress(null);
      // Unzipped, decoded and fingerprinted in a worker: the page stays responsive however large the drop.
      const ds = await loadDatasetOffThread(files, { perClassCap, seed: view.seed, size }, setProgress);
      if (seq !== loadSeq.current) return;
      const { dataset: named, fingerprint: fp } = addUserDataset(ds);
      lastFiles.current = files;
      setFileErrors(ds.errors);
      setNotes(ds.notes ?? []);
      // Only a page opened from a link naming a dropped dataset expects particular files, and only on its first drop.
      if (linkFingerprint) {
        if (linkFingerprint !== fp) {
          addNotice({ id: 'fingerprint', kind: 'error', text: `These files are not the dataset of the link (fingerprint ${fp.slice(0, 12)}…, the link expects ${linkFingerprint.slice(0, 12)}…); showing them anyway.` });
        } else {
          addNotice({ id: 'fingerprint', kind: 'info', text: 'The dropped files match the dataset of the link.' });
        }
        onLinkChecked();
      }
      update((v) => {
        v.dataset = named.id;
        v.fingerprint = fp;
      });
    } catch (err) {
      if (seq !== loadSeq.current || err instanceof SupersededLoad) return; // a newer drop is loading
      // The current dataset stays; the files of the failed drop are listed, each once.
      setDropError(err instanceof Error ? err.message : String(err));
      setFileErrors(err instanceof DatasetLoadError ? err.errors : []);
      setNotes([]);
    } finally {
      if (seq === loadSeq.current) setBusy(false);
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
        title={BUNDLED_DATASETS.find((d) => d.id === view.dataset)?.label ?? userDatasets.get(view.dataset)?.dataset.name}
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
        {[...userDatasets.values()].map(({ dataset: d }) => (
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
      <FilePicker inputRef={filePicker} testId="dataset-files-input" onFiles={(files) => void load(files)} />
      <FilePicker inputRef={picker} testId="dataset-input" folders onFiles={(files) => void load(files)} />
      <label className="field small">
        <span>images per class</span>
        <input
          type="number"
          min={1}
          value={cap}
          data-testid="per-class-cap"
          onChange={(e) => {
            const next = Math.max(1, Math.floor(Number(e.target.value) || 1));
            setCap(next);
            // The dropped dataset follows the new cap (a bundled one has no cap).
            if (lastFiles.current && view.dataset.startsWith('user:')) void load(lastFiles.current, next);
          }}
        />
      </label>
      {dropError && (
        <div className="error small" role="alert" data-testid="dataset-error">
          The dropped files could not be used: {dropError}
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
            {errors.length === 1 ? '1 file was' : `${errors.length} files were`} left out
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
