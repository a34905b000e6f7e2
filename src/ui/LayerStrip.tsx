import type { LayerInfo } from '../types';

export interface LayerFigure {
  /** e.g. total H1 persistence, shown as a small bar under the layer number. */
  value: number | null;
  label: string;
}

/** All layers grouped by stage; click to select. The small bar is the layer's figure once computed. */
export function LayerStrip({
  layers,
  selected,
  onSelect,
  figures,
  figureName,
}: {
  layers: LayerInfo[];
  selected: number;
  onSelect: (layer: number) => void;
  figures: (LayerFigure | undefined)[];
  figureName: string;
}) {
  const stages: { stage: string; layers: LayerInfo[] }[] = [];
  for (const l of layers) {
    const last = stages[stages.length - 1];
    if (last && last.stage === l.stage) last.layers.push(l);
    else stages.push({ stage: l.stage, layers: [l] });
  }
  const max = Math.max(1e-12, ...figures.map((f) => f?.value ?? 0));
  return (
    <nav className="layer-strip" data-testid="layer-strip" aria-label="layers">
      {stages.map((s) => (
        <div className="stage" key={s.stage + s.layers[0].index}>
          <div className="stage-name">{s.stage}</div>
          <div className="stage-layers">
            {s.layers.map((l) => {
              const f = figures[l.index - 1];
              return (
                <button
                  type="button"
                  key={l.index}
                  data-testid={`layer-${l.index}`}
                  className={l.index === selected ? 'layer selected' : 'layer'}
                  aria-pressed={l.index === selected}
                  onClick={() => onSelect(l.index)}
                  title={`${l.name}: ${l.shape.join('×')}${l.tensor ? `\n${l.tensor}` : ''}${f ? `\n${figureName}: ${f.label}` : ''}`}
                >
                  <span className="layer-num">{l.index}</span>
                  <span className="layer-bar">
                    <span style={{ height: `${f?.value != null ? Math.max(4, (100 * f.value) / max) : 0}%` }} />
                  </span>
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </nav>
  );
}
