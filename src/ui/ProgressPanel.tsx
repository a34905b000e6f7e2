import { useRunningJobs } from './useJob';

/** Every running job with its progress and a cancel button. */
export function ProgressPanel() {
  const running = useRunningJobs();
  return (
    <div className="progress-panel" data-testid="progress" aria-live="polite">
      {running.length === 0 ? (
        <span className="muted">idle</span>
      ) : (
        running.map((j) => (
          <div key={j.key} className="job">
            <div className="job-label">{j.label}</div>
            <progress max={1} value={Number.isNaN(j.fraction) ? undefined : j.fraction} />
            <button type="button" className="link" onClick={j.cancel} title="Cancel this computation">
              cancel
            </button>
          </div>
        ))
      )}
    </div>
  );
}
