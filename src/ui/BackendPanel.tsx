import type { BackendChoice } from '../model/backend';

/** Which TF.js backend runs, and in words why each other one was not used. */
export function BackendPanel({ choice, error }: { choice: BackendChoice | null; error: string | null }) {
  if (error) {
    return (
      <div className="backend" data-testid="backend" role="alert">
        <strong>No TensorFlow.js backend:</strong> {error}
      </div>
    );
  }
  if (!choice) return <div className="backend" data-testid="backend">Choosing a TensorFlow.js backend…</div>;
  return (
    <div className="backend" data-testid="backend">
      <div>
        Backend: <strong data-testid="backend-name">{choice.chosen}</strong>
      </div>
      <details>
        <summary>why this one</summary>
        <ul className="backend-probes">
          {choice.probes.map((p) => (
            <li key={p.name} data-testid={`backend-probe-${p.name}`} className={p.works ? 'ok' : 'failed'}>
              <code>{p.name}</code>: {p.reason}
              {p.detail ? <span className="muted"> — {p.detail}</span> : null}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
