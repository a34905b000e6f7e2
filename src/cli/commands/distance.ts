/**
 * `convtopo distance --kind bottleneck|wasserstein|sliced|sliced-exact --a A.json --b B.json [--dim 1] [--p 1] [--M 50]`:
 * the distance between the diagrams of dimension `dim` of two files written by `convtopo ph` (or a bare JSON
 * list of [birth, death] pairs), printed as a number. Different numbers of essential classes give Infinity.
 * `sliced` is persim's M-direction mean; `sliced-exact` the integral it approximates (Carrière et al. 2017).
 */
import type { Command } from '../command';
import { InputError, numberOption, requireString, UsageError } from '../args';
import { readInputText } from '../files';
import { LIMITS } from '../limits';
import { bottleneck, slicedWasserstein, slicedWassersteinExact, wasserstein } from '../../tda/index';
import type { Diagram } from '../../types';
import { SW_DIRECTIONS } from '../../tda/diagramDistance';

const NAME = 'distance';
const KINDS = ['bottleneck', 'wasserstein', 'sliced', 'sliced-exact'];

/** Read one diagram from `{"dgms": [...]}` (picking `dim`) or from a bare list of pairs; null death = Infinity. */
export function readDiagramJson(text: string, dim: number, file: string): Diagram {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${file}: not valid JSON`);
  }
  let pairs: unknown;
  if (Array.isArray(json)) pairs = json;
  else if (json && typeof json === 'object' && Array.isArray((json as { dgms?: unknown }).dgms)) {
    const dgms = (json as { dgms: unknown[] }).dgms;
    if (dim >= dgms.length) throw new InputError(`${file}: has diagrams for dimensions 0–${dgms.length - 1}, not ${dim}`);
    pairs = dgms[dim];
  } else throw new InputError(`${file}: expected {"dgms": [...]} or a list of [birth, death] pairs`);
  if (!Array.isArray(pairs)) throw new InputError(`${file}: diagram ${dim} is not a list`);
  return pairs.map((p, k) => {
    const ok = Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && Number.isFinite(p[0]) && (p[1] === null || (typeof p[1] === 'number' && Number.isFinite(p[1]) && p[1] >= p[0]));
    if (!ok) throw new InputError(`${file}: pair ${k + 1} of diagram ${dim} (${JSON.stringify(p)}) is not [birth, death ≥ birth or null]`);
    return { birth: p[0] as number, death: p[1] === null ? Infinity : (p[1] as number) };
  });
}

export const distanceCommand: Command = {
  name: NAME,
  summary: 'bottleneck, Wasserstein or sliced Wasserstein distance between two persistence diagrams',
  options: {
    kind: { type: 'string', description: `one of ${KINDS.join(', ')}` },
    a: { type: 'string', description: 'first diagrams file (JSON from convtopo ph, or a list of [birth, death])' },
    b: { type: 'string', description: 'second diagrams file' },
    dim: { type: 'string', description: 'homology dimension to compare, integer 0–8', default: '1' },
    p: { type: 'string', description: 'Wasserstein order, ≥ 1', default: '1' },
    M: { type: 'string', description: `sliced Wasserstein directions, integer 1–${LIMITS.directions}`, default: String(SW_DIRECTIONS) },
  },
  async run(opts, io) {
    const kind = requireString(opts, 'kind', NAME);
    if (!KINDS.includes(kind)) throw new UsageError(`${NAME}: --kind must be one of ${KINDS.join(', ')} (got "${kind}")`);
    const fa = requireString(opts, 'a', NAME), fb = requireString(opts, 'b', NAME);
    const dim = numberOption(opts, 'dim', NAME, { min: 0, max: 8, integer: true, text: 'an integer from 0 to 8' })!;
    const p = numberOption(opts, 'p', NAME, { min: 1, text: 'a number ≥ 1' })!;
    const M = numberOption(opts, 'M', NAME, { min: 1, max: LIMITS.directions, integer: true, text: `an integer from 1 to ${LIMITS.directions}` })!;
    const a = readDiagramJson(readInputText(fa, 'a', io.stdin), dim, fa);
    const b = readDiagramJson(readInputText(fb, 'b', io.stdin), dim, fb);
    const d =
      kind === 'bottleneck' ? bottleneck(a, b)
      : kind === 'wasserstein' ? wasserstein(a, b, p)
      : kind === 'sliced' ? slicedWasserstein(a, b, M)
      : slicedWassersteinExact(a, b);
    io.stdout(`${d}\n`);
    return 0;
  },
};
