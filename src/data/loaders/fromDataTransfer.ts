/**
 * Browser helper: a drop's DataTransfer (or an <input webkitdirectory> file list) → LoaderFile[] with paths
 * relative to what was dropped, walking directories through webkitGetAsEntry. Files are read lazily by the loader.
 */
import type { LoaderFile } from './types';

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call: keep calling until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: LoaderFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.push({ path, file: await fileOf(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children) await walk(child, path, out);
  }
}

/** Every file of a drop, folders walked recursively. */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<LoaderFile[]> {
  // Entries must be taken synchronously, before the first await: the DataTransfer is emptied after the event.
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  const out: LoaderFile[] = [];
  for (const e of entries) await walk(e, '', out);
  for (const f of loose) out.push({ path: f.name, file: f });
  return out;
}

/** Files from <input type=file multiple webkitdirectory>: webkitRelativePath keeps the folders. */
export function filesFromFileList(list: FileList | File[]): LoaderFile[] {
  return Array.from(list, (f) => ({ path: f.webkitRelativePath || f.name, file: f }));
}
