/** Node-only (CLI, tests): a path on disk → LoaderFile[] (a directory walked recursively, or one file). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { LoaderFile } from './types';

async function lazy(path: string, rel: string): Promise<LoaderFile> {
  const size = (await stat(path)).size;
  return {
    path: rel.split(sep).join('/'),
    file: {
      size,
      arrayBuffer: async () => {
        const b = await readFile(path);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      },
    },
  };
}

/** Files under `root` with paths relative to it (a single file keeps its base name). */
export async function filesFromDisk(root: string): Promise<LoaderFile[]> {
  const info = await stat(root);
  if (!info.isDirectory()) return [await lazy(root, basename(root))];
  const out: LoaderFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(await lazy(full, relative(root, full)));
    }
  };
  await walk(root);
  return out;
}
