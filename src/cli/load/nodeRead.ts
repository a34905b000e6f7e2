/** fs-backed `ReadFile` for the core's loaders (bundled datasets, model files), without loading TF.js. */
import { readFile } from 'node:fs/promises';

export async function nodeReadFile(path: string): Promise<Uint8Array> {
  const buf = await readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
