import { useRef } from 'react';
import { useRunningJobs } from './useJob';

/** Seconds in words, coarse: an estimate from progress so far is no more precise than that. */
function remainingInWords(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s / 5) * 5)} s`;
  const m = Math.floor(s / 60);
  return m < 10 ? `${m} min ${Math.round((s - 60 * m) / 10) * 10} s` : `${m} min`;
}

/**
 * Time left from the progress so far (elapsed × remaining ÷ done), once there is enough of it to mean something:
 * at least 3 s and 2 % in.
 */
export function estimateRemaining(elapsedMs: number, fraction: number): string | null {
  if (!(fraction >= 0.02) || fraction >= 1 || elapsedMs < 3000) return null;
  return `about ${remainingInWords(((elapsedMs / fraction) * (1 - fraction)) / 1000)} left`;
}

/** Every running job with its progress, an estimate of the time left, and a cancel button. */
export function ProgressPanel() {
  const running = useRunningJobs();
  // When each running job was first shown (the panel re-renders on every progress report).
  const started = useRef(new Map<string, number>());
  const now = performance.now();
  for (const j of running) if (!started.current.has(j.key)) started.current.set(j.key, now);
  for (const k of started.current.keys()) if (!running.some((j) => j.key === k)) started.current.delete(k);
  return (
    <div className="progress-panel" data-testid="progress" aria-live="polite">
      {running.length === 0 ? (
        <span className="muted">idle</span>
      ) : (
        running.map((j) => {
          const eta = estimateRemaining(now - started.current.get(j.key)!, j.fraction);
          return (
            <div key={j.key} className="job">
              <div className="job-label">
                {j.label}
                {/* Not announced (the panel is a live region, and the estimate changes every few seconds): the bar carries it. */}
                {eta && (
                  <span className="muted small" data-testid="job-eta" aria-hidden="true">
                    {' '}
                    · {eta}
                  </span>
                )}
              </div>
              <progress max={1} value={Number.isNaN(j.fraction) ? undefined : j.fraction} aria-valuetext={eta ?? undefined} />
              <button type="button" className="link" onClick={j.cancel} title="Cancel this computation">
                cancel
              </button>
            </div>
          );
        })
      )}
    </div>
  );
}
