/**
 * Node shell around the pipeline: load the model, its checkpoints and the dataset from disk, run every analysis,
 * write results.json, the SVG figures and the Markdown report. `convtopo reproduce` calls `reproduceFromDisk`.
 *
 * Output layout (OUT = --out, DOCS = --docs):
 *   OUT/results.json          everything, machine-readable (diagram deaths: null = essential class)
 *   OUT/report.md             the report, figures linked as figures/NAME.svg
 *   OUT/figures/*.svg
 *   OUT/mapper/layer-NN.json  every layer's Mapper graph in KeplerMapper's JSON shape (node → member images)
 *   DOCS/reproduction.md + DOCS/figures/*.svg   the same report and figures, when DOCS is given
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ModelCard } from '../model/loadModel';
import type { ImageDataset } from '../types';
import { buildFigures } from './figures';
import { layersOf, runReproduction, type ModelInput, type ReproduceConfig, type ReproductionResults } from './pipeline';

function disposeModel(m: ModelInput): void {
  if (m.dispose) m.dispose();
  else m.model?.dispose();
}
import { buildReport } from './report';

export interface DiskOptions {
  model: string;
  dataset: string;
  out: string;
  /** Directory for reproduction.md + figures/ (null: none). */
  docs: string | null;
  /** Checkpoint model directories; 'auto' = the model's siblings of the same run (NAME-init, NAME-epochK). */
  checkpoints: string[] | 'auto';
  /** Other seeds' model directories; 'auto' = the model's siblings trained from other seeds (findSiblings). */
  seeds?: string[] | 'auto';
  /** Use only the first N images. */
  limit?: number;
  config: ReproduceConfig;
  log: (line: string) => void;
  /**
   * The loaders (the CLI's, src/cli/load/, which read every format the page reads); they throw the user's errors.
   * `inputSize` is the dataset's [H, W], for a model whose input takes any size (an ONNX file with dynamic H/W).
   */
  loadModel: (dir: string, inputSize: [number, number]) => Promise<ModelInput>;
  loadDataset: (path: string, limit?: number) => Promise<ImageDataset>;
}

/** Errors in the user's input (missing files, unreadable model): the CLI turns them into exit 2. */
export class ReproduceInputError extends Error {
  override name = 'ReproduceInputError';
}

/**
 * Models next to a model: siblings named PREFIX-… (PREFIX = the model's name up to its last '-') holding a
 * model.json. Those whose card names the model's seed (or that have no card) are checkpoints of the same training
 * run, ordered by their card's epochs (resnet18q-final → resnet18q-init, resnet18q-epoch1); those trained from
 * another seed for as many epochs are other runs of the recipe (resnet18q-seed2 …), ordered by seed.
 */
export function findSiblings(modelDir: string): { checkpoints: string[]; seeds: string[] } {
  // An ONNX file has no sibling checkpoints of the same format here (its layer names differ from the TF.js ones).
  if (/\.onnx$/i.test(modelDir)) return { checkpoints: [], seeds: [] };
  const abs = resolve(modelDir);
  const name = basename(abs);
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return { checkpoints: [], seeds: [] };
  const prefix = name.slice(0, dash + 1);
  const parent = dirname(abs);
  const cardOf = (dir: string): Partial<ModelCard> | null => {
    try {
      return JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Partial<ModelCard>;
    } catch {
      return null; // no or unreadable card
    }
  };
  const own = cardOf(abs);
  const ckpts: { dir: string; epochs: number }[] = [];
  const seeds: { dir: string; seed: number }[] = [];
  for (const entry of readdirSync(parent)) {
    const dir = join(parent, entry);
    if (entry === name || !entry.startsWith(prefix) || !statSync(dir).isDirectory() || !existsSync(join(dir, 'model.json'))) continue;
    const card = cardOf(dir);
    const shown = relative(process.cwd(), dir) || dir;
    const otherSeed = typeof card?.seed === 'number' && typeof own?.seed === 'number' && card.seed !== own.seed;
    if (otherSeed) {
      if (card!.epochs === own!.epochs) seeds.push({ dir: shown, seed: card!.seed! });
      continue;
    }
    ckpts.push({ dir: shown, epochs: typeof card?.epochs === 'number' ? card.epochs : Number.POSITIVE_INFINITY });
  }
  return {
    checkpoints: ckpts.sort((a, b) => a.epochs - b.epochs || a.dir.localeCompare(b.dir)).map((f) => f.dir),
    seeds: seeds.sort((a, b) => a.seed - b.seed || a.dir.localeCompare(b.dir)).map((f) => f.dir),
  };
}

/** The checkpoints among a model's siblings (findSiblings). */
export function findSiblingCheckpoints(modelDir: string): string[] {
  return findSiblings(modelDir).checkpoints;
}

/** JSON with NaN/±Infinity written as null (JSON has no such numbers). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1);
}

/** Run the whole reproduction from disk and write every output. Returns the results. */
export async function reproduceFromDisk(o: DiskOptions): Promise<{ results: ReproductionResults; written: string[] }> {
  const dataset = await o.loadDataset(o.dataset, o.limit);
  const size: [number, number] = [dataset.height, dataset.width];
  const main = await o.loadModel(o.model, size);
  // Check the layer choice before any progress line, so a bad --layers ends in exactly one line.
  const layers = o.config.layers;
  if (Array.isArray(layers)) {
    const count = layersOf(main).length;
    const bad = layers.find((k) => !(Number.isInteger(k) && k >= 1 && k <= count));
    if (bad !== undefined) {
      disposeModel(main);
      throw new RangeError(`layers: layer ${bad} does not exist (use 1…${count})`);
    }
  }
  const ckptDirs = o.checkpoints === 'auto' ? findSiblingCheckpoints(o.model) : o.checkpoints;
  const checkpoints: ModelInput[] = [];
  for (const d of ckptDirs) {
    if (resolve(d) === resolve(o.model)) continue;
    checkpoints.push(await o.loadModel(d, size));
  }
  if (checkpoints.length > 0) o.log(`checkpoints: ${checkpoints.map((c) => c.source).join(', ')} (compared with ${o.model})`);
  else o.log('checkpoints: none found; the checkpoint comparison is skipped');
  const seedDirs = (o.seeds ?? 'auto') === 'auto' ? findSiblings(o.model).seeds : (o.seeds as string[]);
  const seeds: ModelInput[] = [];
  for (const d of seedDirs) {
    if (resolve(d) === resolve(o.model)) continue;
    seeds.push(await o.loadModel(d, size));
  }
  if (seeds.length > 0) o.log(`other seeds: ${seeds.map((c) => c.source).join(', ')} (compared with ${o.model})`);
  else o.log('other seeds: none found; the cross-seed comparison is skipped');
  let results: ReproductionResults;
  try {
    results = await runReproduction({ model: main, checkpoints, seeds, dataset, datasetSource: o.dataset }, o.config, { log: o.log });
  } finally {
    disposeModel(main);
    for (const c of [...checkpoints, ...seeds]) disposeModel(c);
  }

  const written: string[] = [];
  const write = async (path: string, text: string) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  };
  const figures = buildFigures(results);
  await write(join(o.out, 'results.json'), toJson(results) + '\n');
  for (const [name, svg] of Object.entries(figures)) await write(join(o.out, 'figures', name), svg);
  await write(join(o.out, 'report.md'), buildReport(results, { figureDir: 'figures', figureNames: Object.keys(figures) }));
  for (const m of results.mapper.layers) {
    // KeplerMapper's shape: nodes {id: member image indices}, links {id: [ids]}.
    const g = m.graph;
    const id = (t: number) => `node${t}`;
    const nodes: Record<string, number[]> = {};
    g.members.forEach((mem, t) => (nodes[id(t)] = mem));
    const links: Record<string, string[]> = {};
    for (const [s, t] of g.edges) (links[id(s)] ??= []).push(id(t));
    const meta = { layer: m.layer, lens: 'l2norm', n_cubes: results.config.mapper.nIntervals, perc_overlap: results.config.mapper.overlap, eps: m.eps, min_samples: results.config.mapper.minSamples };
    await write(join(o.out, 'mapper', `layer-${String(m.layer).padStart(2, '0')}.json`), toJson({ nodes, links, meta }) + '\n');
  }
  if (o.docs) {
    for (const [name, svg] of Object.entries(figures)) await write(join(o.docs, 'figures', name), svg);
    await write(join(o.docs, 'reproduction.md'), buildReport(results, { figureDir: 'figures', figureNames: Object.keys(figures) }));
  }
  return { results, written };
}
