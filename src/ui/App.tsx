import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { BackendChoice } from '../model/backend';
import { cloneView, decodeViewState, DEFAULT_VIEW, encodeViewState, VIEWS, type View, type ViewState } from '../state/viewState';
import { isBundledDataset, isBundledModel } from '../state/catalog';
import { Comlink, modelWorker, newJobId, smokeWorker } from '../state/workers';
import { totalPersistence } from '../tda/index';
import { BackendPanel } from './BackendPanel';
import { debugHandle } from './debugHandle';
import { DatasetPanel } from './DatasetPanel';
import { ModelPanel } from './ModelPanel';
import { LayerStrip } from './LayerStrip';
import { Notices, type Notice } from './Notices';
import { ProgressPanel } from './ProgressPanel';
import { AnalysisPanel } from './AnalysisPanel';
import type { ModelSummary } from '../types';
import { persistenceKeyOf, useAllPersistence, usePersistencePlan, useClouds, useLayerCloudAhead, cloudsKeyOf, useDataset, useModel, analysedDataset, type LoadedDataset } from './data';
import { useRunningKeys } from './useJob';
import { jobs } from '../state/jobs';
import type { TdaJobResult } from '../tda/jobs';
import { VIEW_REGISTRY } from './views/index';

/** Changes closer together than this make one history entry. */
const HISTORY_MERGE_MS = 700;

/** Checks the worker path end to end: data out, progress back, result transferred back. */
async function workerSelfTest(): Promise<string | null> {
  const n = 1 << 16;
  const input = new Float32Array(n).fill(1);
  let progressCalls = 0;
  const out = await smokeWorker().runningSum(Comlink.transfer(input, [input.buffer]), newJobId(), Comlink.proxy(() => void progressCalls++));
  return out.length === n && out[n - 1] === n && progressCalls > 0 ? null : 'worker self-test returned wrong numbers';
}

function initialView(): { view: ViewState; notices: Notice[] } {
  const decoded = decodeViewState(window.location.search);
  const notices: Notice[] = [];
  if (decoded.invalid.length > 0) {
    notices.push({
      id: 'url',
      kind: 'error',
      text: `The link had invalid values for ${decoded.invalid.map((f) => `"${f}"`).join(', ')}; those fields use their defaults.`,
    });
  }
  if (decoded.clamped.length > 0) {
    notices.push({
      id: 'limits',
      kind: 'info',
      text: `The link asked for ${decoded.clamped.map((c) => `${c.field} ${c.asked}`).join(' and ')}; the page allows at most ${decoded.clamped.map((c) => `${c.field} ${c.used}`).join(' and ')}, which it uses.`,
    });
  }
  // Ids the page cannot know fall back to the defaults; a dropped dataset or model ('user:…') waits for its files.
  const state = decoded.state;
  const unknownIds: string[] = [];
  if (!isBundledDataset(state.dataset) && !state.dataset.startsWith('user:')) {
    unknownIds.push(`dataset "${state.dataset}"`);
    state.dataset = DEFAULT_VIEW.dataset;
    state.fingerprint = '';
  }
  if (!isBundledModel(state.model) && !state.model.startsWith('user-model:')) {
    unknownIds.push(`model "${state.model}"`);
    state.model = DEFAULT_VIEW.model;
  }
  if (state.compare && !isBundledModel(state.compare)) {
    unknownIds.push(`comparison model "${state.compare}"`);
    state.compare = '';
  }
  if (unknownIds.length > 0) {
    notices.push({ id: 'ids', kind: 'error', text: `The link names an unknown ${unknownIds.join(' and ')}; showing the default instead.` });
  }
  return { view: state, notices };
}

/** The inputs of the current results in words, for "computing for …" placeholders. */
function inputsInWords(view: ViewState, source: LoadedDataset | undefined, model: ModelSummary | undefined): string {
  const ds = source ? source.dataset.name : view.dataset;
  const images = view.n > 0 && source && view.n < source.dataset.n ? `${view.n} images, seed ${view.seed}` : 'all images';
  const cloud = view.cloud === 'pca' ? `PCA ${view.pcaDim}` : view.cloud === 'random' ? `random position, seed ${view.seed}` : view.cloud;
  return `${model?.id ?? view.model} on ${ds} (${images}, ${cloud} cloud)`;
}

/** Whether a key belongs to what has focus (a field, a widget that handled it) rather than to the page's shortcuts. */
function isOwnedKey(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return true;
  const t = e.target as HTMLElement | null;
  if (!t || !t.tagName) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA';
}

/** The tabs pattern (WAI-ARIA APG): ←/→ (and Home/End) select the neighbouring tab and move focus to it. */
function onTabKey(e: ReactKeyboardEvent, current: View, select: (v: View) => void): void {
  const i = VIEWS.indexOf(current);
  const next = e.key === 'ArrowRight' ? (i + 1) % VIEWS.length : e.key === 'ArrowLeft' ? (i + VIEWS.length - 1) % VIEWS.length : e.key === 'Home' ? 0 : e.key === 'End' ? VIEWS.length - 1 : -1;
  if (next < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  select(VIEWS[next]);
  document.getElementById(`tab-${VIEWS[next]}`)?.focus();
}

/** Total H1 persistence of a cached result, once per result (the strip re-reads every layer whenever a job ends). */
const h1Totals = new WeakMap<TdaJobResult, number>();
function h1Total(r: TdaJobResult): number {
  let v = h1Totals.get(r);
  if (v === undefined) h1Totals.set(r, (v = totalPersistence(r.dgms[1] ?? [])));
  return v;
}

export function App() {
  const [{ view: firstView, notices: firstNotices }] = useState(initialView);
  const [view, setView] = useState<ViewState>(firstView);
  const [notices, setNotices] = useState<Notice[]>(firstNotices);
  const [backend, setBackend] = useState<BackendChoice | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  const [workerError, setWorkerError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // The fingerprint of a dropped dataset named by the link this page was opened from: checked on the first drop only.
  const [linkFingerprint, setLinkFingerprint] = useState(() => (firstView.dataset.startsWith('user:') ? firstView.fingerprint : ''));

  const update = useCallback((change: (v: ViewState) => void) => {
    setView((old) => {
      const next = cloneView(old);
      change(next);
      return next;
    });
  }, []);

  const addNotice = useCallback((n: Notice) => setNotices((list) => [...list.filter((x) => x.id !== n.id), n]), []);

  // The URL follows the view. A user's change is a history entry (Back undoes it); changes within HISTORY_MERGE_MS
  // of the last entry (typing a number, dragging through layers) amend that entry instead of adding one each.
  const lastPush = useRef(-Infinity);
  const tidied = useRef(false);
  useEffect(() => {
    const q = encodeViewState(view);
    const url = `${window.location.pathname}${q ? `?${q}` : ''}`;
    if (url === `${window.location.pathname}${window.location.search}`) {
      tidied.current = true;
      return;
    }
    const now = performance.now();
    // The first write only tidies the link the page was opened with (defaults dropped, bad fields removed).
    if (!tidied.current || now - lastPush.current < HISTORY_MERGE_MS) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    if (tidied.current) lastPush.current = now;
    tidied.current = true;
  }, [view]);
  // Back and Forward restore the view of that entry.
  useEffect(() => {
    const onPop = () => {
      lastPush.current = performance.now() - HISTORY_MERGE_MS;
      setView(decodeViewState(window.location.search).state);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    const handle = debugHandle();
    handle.smoke = smokeWorker();
    handle.modelWorker = modelWorker();
    handle.Comlink = Comlink;
    modelWorker()
      .probeBackends()
      .then(setBackend)
      .catch((e: unknown) => setBackendError(e instanceof Error ? e.message : String(e)));
    workerSelfTest()
      .then(setWorkerError)
      .catch((e: unknown) => setWorkerError(`workers failed: ${e instanceof Error ? e.message : String(e)}`));
  }, []);

  const dataset = useDataset(view.dataset);
  const model = useModel(view.model);
  const layers = model.data?.layers ?? [];
  const layerCount = layers.length;

  // A layer number beyond this model's layers (e.g. from a link) falls back to layer 1, with a notice.
  useEffect(() => {
    if (layerCount > 0 && view.layer > layerCount) {
      addNotice({ id: 'layer', kind: 'error', text: `The link asked for layer ${view.layer}, but this model has ${layerCount} layers; showing layer 1.` });
      update((v) => void (v.layer = 1));
    }
  }, [layerCount, view.layer, addNotice, update]);

  const source = dataset.data;
  const analysed = useMemo(() => (source ? analysedDataset(source.dataset, view) : null), [source, view.n, view.seed]); // eslint-disable-line react-hooks/exhaustive-deps -- the sample depends on n and seed only; the whole view would re-sample on every click
  // The selected layer's cloud alone first (an early layer), so its diagram need not wait for all 17 layers.
  const ahead = useLayerCloudAhead(source, model.data, view);
  const clouds = useClouds(source, model.data, view);
  const cKey = cloudsKeyOf(source, model.data, view);
  useEffect(() => {
    // What the page shows now, for tests and the curious: the clouds' key and shapes [{layer, n, d}].
    debugHandle().cloudsKey = clouds.data?.key;
    debugHandle().clouds = clouds.data?.layers.map((c) => ({ layer: c.layer, n: c.n, d: c.d }));
  }, [clouds.data]);
  // Planned from the layer computed ahead while the whole set computes, so the first diagram need not wait for it.
  const plan = usePersistencePlan(clouds.data ?? (view.view === 'persistence' ? ahead.data : undefined), view.maxdim, view.landmarks);
  const all = useAllPersistence(clouds.data, view.maxdim, view.layer, plan);

  // Each layer's figure appears as soon as its own persistence is cached (re-read whenever a job ends).
  const running = useRunningKeys();
  const cloudSetKey = clouds.data?.key;
  const figures = useMemo(
    () =>
      layers.map((l) => {
        const k = cloudSetKey ? persistenceKeyOf(cloudSetKey, l.index, view.maxdim, plan) : null;
        const r = k ? jobs.peek<TdaJobResult>(k) : undefined;
        if (!r) return undefined;
        const v = h1Total(r);
        return { value: v, label: v.toPrecision(4) };
      }),
    [layers, cloudSetKey, view.maxdim, plan, running, all.data], // eslint-disable-line react-hooks/exhaustive-deps -- running and all.data are not read: they make the cache be peeked again when a job ends
  );

  // Keyboard: ←/→ move between layers, 1…(number of views) switch views; never while typing in a field, with a modifier, or when a
  // focused widget (tabs, a chart's cursor, the Mapper graph) has used the key itself (it calls preventDefault).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isOwnedKey(e)) return;
      if (e.key === 'ArrowRight' && layerCount > 0) update((v) => void (v.layer = Math.min(layerCount, v.layer + 1)));
      else if (e.key === 'ArrowLeft' && layerCount > 0) update((v) => void (v.layer = Math.max(1, v.layer - 1)));
      else if (/^[1-9]$/.test(e.key) && Number(e.key) <= VIEWS.length) update((v) => void (v.view = VIEWS[Number(e.key) - 1]));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [layerCount, update]);

  const copyLink = async () => {
    const href = window.location.href;
    debugHandle().lastCopiedLink = href;
    try {
      await navigator.clipboard.writeText(href);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // No clipboard permission (e.g. plain http on another host): show the link to copy by hand.
      addNotice({ id: 'link', kind: 'info', text: `Copy this link: ${href}` });
    }
  };

  const errors = [
    dataset.error && `Dataset: ${dataset.error}`,
    model.error && `Model: ${model.error}`,
    clouds.error && `Activations: ${clouds.error}`,
    all.error && `Persistence: ${all.error}`,
  ].filter(Boolean) as string[];

  const inputsLabel = inputsInWords(view, source, model.data);
  const CurrentView = VIEW_REGISTRY[view.view].Component;
  const ctx = {
    view,
    update,
    source,
    dataset: analysed?.ds,
    sourceIndices: analysed?.indices,
    model: model.data,
    clouds: clouds.data,
    cloudsKey: cKey,
    all: all.data && all.key ? { key: all.key, value: all.data } : undefined,
    plan,
    inputsLabel,
    addNotice,
  };

  return (
    <div className="app">
      <header className="topbar">
        <h1>convtopo</h1>
        <span className="tagline">the shape of what a convolutional network has learned</span>
        <span className="spacer" />
        <button type="button" data-testid="copy-link" onClick={copyLink} title="Copy a link that restores this exact view">
          {copied ? 'Link copied' : 'Copy link'}
        </button>
      </header>
      <aside className="side">
        <DatasetPanel
          view={view}
          update={update}
          dataset={dataset.data?.dataset}
          loading={dataset.loading}
          addNotice={addNotice}
          inputSize={model.data?.inputShape}
          linkFingerprint={linkFingerprint}
          onLinkChecked={() => setLinkFingerprint('')}
        />
        <ModelPanel view={view} update={update} model={model.data} />
        <AnalysisPanel view={view} update={update} />
        <section>
          <h2>Compute</h2>
          <BackendPanel choice={backend} error={backendError} onnx={model.data?.onnxBackend} />
          <div data-testid="worker-status" className={workerError ? 'error' : 'muted small'}>
            {workerError ?? 'workers ready'}
          </div>
          <ProgressPanel />
        </section>
      </aside>
      <main className="main">
        <Notices notices={[...notices, ...errors.map((text, i) => ({ id: `err${i}`, kind: 'error' as const, text }))]} onDismiss={(id) => setNotices((l) => l.filter((n) => n.id !== id))} />
        {layers.length > 0 ? (
          <LayerStrip layers={layers} selected={view.layer} onSelect={(l) => update((v) => void (v.layer = l))} figures={figures} figureName="total H1 persistence" />
        ) : (
          <div className="muted">{model.loading ? 'Loading the model…' : ''}</div>
        )}
        <div className="tabs" role="tablist" aria-label="views" onKeyDown={(e) => onTabKey(e, view.view, (v) => update((s) => void (s.view = v)))}>
          {VIEWS.map((v, i) => (
            <button
              key={v}
              role="tab"
              type="button"
              id={`tab-${v}`}
              aria-controls="view-panel"
              data-testid={`view-${v}`}
              aria-selected={view.view === v}
              tabIndex={view.view === v ? 0 : -1}
              aria-keyshortcuts={String(i + 1)}
              className={view.view === v ? 'tab active' : 'tab'}
              onClick={() => update((s) => void (s.view = v))}
              title={`${VIEW_REGISTRY[v].label} (key ${i + 1})`}
            >
              {VIEW_REGISTRY[v].label}
            </button>
          ))}
        </div>
        <section className="view" role="tabpanel" id="view-panel" aria-labelledby={`tab-${view.view}`}>
          {/* The Persistence view may draw the selected layer's cloud computed ahead of the full set. */}
          <CurrentView {...ctx} clouds={view.view === 'persistence' ? (clouds.data ?? ahead.data) : clouds.data} />
        </section>
      </main>
    </div>
  );
}
