import { useState } from 'react';
import { estimatePersistenceCost, formatBytes, formatSeconds } from '../tda/cost';
import type { PersistencePlan } from '../state/persistencePlan';
import type { ViewState } from '../state/viewState';

/**
 * Before persistence estimated over 30 s or 1 GiB per layer: the estimate and the choice — run exactly, or on N
 * greedy-permutation landmarks with the 2ε guarantee. The choice goes into the view (and so the URL).
 */
export function LandmarkPrompt({ plan, update }: { plan: Extract<PersistencePlan, { kind: 'ask' }>; update: (change: (v: ViewState) => void) => void }) {
  const [count, setCount] = useState(plan.suggested);
  const valid = Number.isInteger(count) && count >= 2 && count < plan.n;
  const sub = estimatePersistenceCost({ n: valid ? count : plan.suggested, d: plan.d, maxdim: plan.maxdim });
  const { seconds, bytes } = plan.estimate;
  return (
    <section className="landmark-prompt" data-testid="landmark-prompt" aria-label="Persistence is estimated to take long">
      <p>
        Persistence of {plan.layers === 1 ? 'this cloud' : `the widest of the ${plan.layers} layers`} ({plan.n} points in R^{plan.d}, up to H{plan.maxdim}) is
        estimated at <strong>about {formatSeconds(seconds)} and {formatBytes(bytes)}</strong>. The estimate is coarse, within a factor of about 2.
      </p>
      <div className="landmark-actions">
        <button type="button" data-testid="landmarks-exact" onClick={() => update((v) => void (v.landmarks = 'exact'))}>
          Run exactly
        </button>
        <span>or</span>
        <label>
          subsample to{' '}
          <input
            type="number"
            data-testid="landmarks-count"
            min={2}
            max={plan.n - 1}
            step={1}
            value={Number.isFinite(count) ? count : ''}
            onChange={(e) => setCount(Math.floor(Number(e.target.value)))}
            aria-invalid={!valid}
          />{' '}
          landmarks
        </label>
        <button type="button" data-testid="landmarks-run" disabled={!valid} onClick={() => update((v) => void (v.landmarks = count))}>
          Run on {valid ? count : '…'} landmarks (about {formatSeconds(sub.seconds)} per layer)
        </button>
      </div>
      <p className="muted small">
        Landmarks are a greedy permutation (max–min, as ripser.py's <code>n_perm</code>). After the run the page shows the cover radius ε: the bottleneck
        distance between the landmarks' diagram and the exact one is at most 2ε.{!valid && ` The count must be an integer from 2 to ${plan.n - 1}.`}
      </p>
    </section>
  );
}
