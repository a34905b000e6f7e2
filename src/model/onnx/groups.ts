/**
 * Groups for the layer strip of a model with any number of layers (5 or 60): by name prefix when the names have a
 * useful hierarchy (PyTorch's "/layer1/layer1.0/conv1/Conv" → "layer1"), else by spatial size ("24×24").
 * Pure.
 */

const MAX_GROUPS = 12;

function segments(name: string): string[] {
  return name.replace(/^\/+/, '').split(/[/]/).filter((s) => s.length > 0);
}

/**
 * One group label per layer. Tries prefix depths 1, 2, 3: the first that gives 2…12 groups, each a consecutive run
 * of layers, wins; a layer whose name is too short for the depth joins the run before it (the stem keeps its own
 * name). Otherwise the spatial size H×W.
 */
export function groupLayers(names: string[], shapes: [number, number, number][]): string[] {
  if (names.length === 0) return [];
  const parts = names.map(segments);
  for (let depth = 1; depth <= 3; depth++) {
    const labels = parts.map((p) => (p.length > depth ? p.slice(0, depth).join('/') : null));
    const filled: string[] = [];
    let current = labels.find((l) => l !== null) ?? null;
    if (current === null) continue;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== null) current = labels[i];
      filled.push(current!);
    }
    // Runs must be consecutive (a label that comes back later is not a stage).
    const runs: string[] = [];
    for (const l of filled) if (runs[runs.length - 1] !== l) runs.push(l);
    if (new Set(runs).size !== runs.length) continue;
    if (runs.length >= 2 && runs.length <= MAX_GROUPS) return filled;
  }
  return shapes.map(([h, w]) => `${h}×${w}`);
}
