import type { Command } from '../command';

/** A sub-command as the registry knows it: its name and summary, and its module, imported only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
  /** Where the result goes: stdout (the default) or files named by options (stdout then only lists them). */
  output?: 'stdout' | 'files';
}

/**
 * The registry of sub-commands, in the order `convtopo --help` lists them. A command lives in its own file exporting
 * a `Command`; it is added here with a `load` that imports it, so `convtopo --help` and every other command never
 * load it (TF.js, onnxruntime and friends start up only for the commands that use them). The summary is written
 * here and in the file; tests/cli/main.test.ts checks they agree.
 */
export const commands: CommandEntry[] = [
  { name: 'evaluate', summary: 'top-1 accuracy of a model on an image dataset', load: async () => (await import('./evaluate')).evaluateCommand },
  { name: 'ph', summary: 'Vietoris–Rips persistent homology of a point cloud or distance matrix (prints JSON diagrams)', load: async () => (await import('./ph')).phCommand },
  { name: 'distance', summary: 'bottleneck, Wasserstein or sliced Wasserstein distance between two persistence diagrams', load: async () => (await import('./distance')).distanceCommand },
  { name: 'activations', summary: "point clouds of a model's layers (top-L2, random, GAP, channel, PCA) as .npy", load: async () => (await import('./activations')).activationsCommand, output: 'files' },
  { name: 'mapper', summary: 'Mapper graph of a point cloud (KeplerMapper JSON with purity and the eps used)', load: async () => (await import('./mapper')).mapperCommand },
  { name: 'cka', summary: 'linear (or debiased) CKA between two representations of the same images', load: async () => (await import('./cka')).ckaCommand },
  { name: 'rtd', summary: 'Representation Topology Divergence between two representations of the same images (JSON)', load: async () => (await import('./rtd')).rtdCommand },
  { name: 'reproduce', summary: "the paper's analyses on a model in one run: persistence, SW/CKA/RTD, checkpoints, seeds, PC removal, Mapper", load: async () => (await import('./reproduce')).reproduceCommand, output: 'files' },
];
