/**
 * Node-only helpers (fs, backend set-up) for the CLI, tools and tests. Never import this from page code.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadModelCard, loadModelFromDir, type ModelCard } from './loadModel';

/** fs-backed `ReadFile`. */
export async function nodeReadFile(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Select a TF.js backend in Node. 'wasm' is the default (the page's CPU path, fast enough for the CLI);
 * its .wasm binaries are found in node_modules. 'cpu' is the pure-JS fallback.
 */
export async function useNodeBackend(backend: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  if (tf.getBackend() === backend) return;
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`TF.js backend "${backend}" could not be initialised`);
  await tf.ready();
}

/** Load model.json + shards and card.json from a directory on disk. */
export async function loadModelNode(dir: string): Promise<{ model: tf.LayersModel; card: ModelCard }> {
  const [model, card] = await Promise.all([loadModelFromDir(dir, nodeReadFile), loadModelCard(dir, nodeReadFile)]);
  return { model, card };
}
