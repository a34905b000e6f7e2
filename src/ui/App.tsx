import { useEffect, useState } from 'react';
import type { BackendChoice } from '../model/backend';
import { Comlink, modelWorker, newJobId, smokeWorker } from '../state/workers';
import { BackendPanel } from './BackendPanel';
import { debugHandle } from './debugHandle';

interface SelfTest {
  ok: boolean;
  text: string;
}

/** Checks the worker path end to end: data out, progress back, result transferred back. */
async function workerSelfTest(): Promise<SelfTest> {
  const n = 1 << 18;
  const input = new Float32Array(n).fill(1);
  let progressCalls = 0;
  const out = await smokeWorker().runningSum(
    Comlink.transfer(input, [input.buffer]),
    newJobId(),
    Comlink.proxy(() => void progressCalls++),
  );
  const ok = out.length === n && out[n - 1] === n && progressCalls > 0;
  return { ok, text: ok ? `workers ready (${progressCalls} progress reports)` : 'worker self-test returned wrong numbers' };
}

export function App() {
  const [backend, setBackend] = useState<BackendChoice | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  const [selfTest, setSelfTest] = useState<SelfTest | null>(null);

  useEffect(() => {
    const handle = debugHandle();
    handle.smoke = smokeWorker();
    handle.Comlink = Comlink;
    modelWorker()
      .probeBackends()
      .then(setBackend)
      .catch((e: unknown) => setBackendError(e instanceof Error ? e.message : String(e)));
    workerSelfTest()
      .then(setSelfTest)
      .catch((e: unknown) => setSelfTest({ ok: false, text: `worker failed: ${e instanceof Error ? e.message : String(e)}` }));
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <h1>convtopo</h1>
        <span className="tagline">the shape of what a convolutional network has learned</span>
      </header>
      <aside className="side">
        <section>
          <h2>Compute</h2>
          <BackendPanel choice={backend} error={backendError} />
          <div data-testid="worker-status" className={selfTest?.ok === false ? 'error' : 'muted'}>
            {selfTest ? selfTest.text : 'starting workers…'}
          </div>
        </section>
      </aside>
      <main className="main">
        <p>
          convtopo runs a CNN in your browser, turns each conv layer's activations into a point cloud (one point per
          image) and shows its persistent homology and Mapper graph.
        </p>
      </main>
    </div>
  );
}
