import type { BackendChoice } from '../model/backend';
import type { ModelSummary } from '../types';

/** Which TF.js backend runs (and for an ONNX model, which onnxruntime-web provider), and in words why. */
export function BackendPanel({ choice, error, onnx }: { choice: BackendChoice | null; error: string | null; onnx?: ModelSummary['onnxBackend'] }) {
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
      {onnx && (
        <div data-testid="onnx-backend">
          ONNX model runs on: <strong data-testid="onnx-backend-name">{onnx.chosen}</strong>
          {onnx.chosenLabel ? <span className="muted"> ({onnx.chosenLabel})</span> : null}
          <ul className="backend-probes">
            {onnx.probes.map((p) => (
              <li key={p.name} data-testid={`onnx-probe-${p.name}`} className={p.works ? 'ok' : 'failed'}>
                <code>{p.name}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
