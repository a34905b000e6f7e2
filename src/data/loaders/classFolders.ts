/**
 * (a) A folder with one sub-folder per class. The class of an image is the first folder under the dropped root,
 * however deep the image lies (class/deeper/still/x.png is of class "class"; such paths are listed in the report).
 * The root is the one folder holding everything (the dropped folder, or the zip's name); a single wrapper folder
 * inside it (icons.zip holding icons/cat, icons/dog) is skipped too, when that leaves at least two classes.
 */
import type { ImageDataset } from '../../types';
import { loadLabelledImages, type LabelledFile } from './imageFiles';
import { extensionOf, IMAGE_EXTENSIONS, isClutter, type LoaderFile, type LoadOptions } from './types';
import type { LoadError } from './assemble';

/** How many leading folders of every path are the root (0, 1 or 2), as described above. */
export function rootDepth(paths: string[]): number {
  const split = paths.map((p) => p.split('/').filter((s) => s.length > 0));
  if (split.length === 0) return 0;
  const shared = (depth: number, minLength: number) => split.every((s) => s.length >= minLength && s[depth] === split[0][depth]);
  // No shared folder, or a folder of loose images (then that folder is the only class, and the loader says so).
  if (!shared(0, 2) || split.every((s) => s.length < 3)) return 0;
  if (shared(1, 4) && new Set(split.map((s) => s[2])).size >= 2) return 2;
  return 1;
}

export async function loadClassFolders(files: LoaderFile[], options: LoadOptions, errors: LoadError[] = []): Promise<ImageDataset> {
  const useful = files.filter((f) => !isClutter(f.path));
  const depth = rootDepth(useful.map((f) => f.path));
  const items: LabelledFile[] = [];
  const nested: string[] = [];
  for (const file of useful) {
    const parts = file.path.split('/').filter((p) => p.length > 0);
    if (parts.length < depth + 2) {
      errors.push({ file: file.path, reason: 'not inside a class folder (put each class in its own folder)' });
      continue;
    }
    if (parts.length > depth + 2 && IMAGE_EXTENSIONS.has(extensionOf(file.path))) nested.push(file.path);
    items.push({ file, className: parts[depth] });
  }
  const root = depth ? `"${useful[0].path.split('/').slice(0, depth).join('/')}"` : 'the drop';
  const lie = nested.length > 1 ? 's lie' : ' lies';
  const text = `${nested.length} file${lie} in folders below a class folder; each keeps the class of its first folder under ${root}`;
  const notes = nested.length ? [{ kind: 'info' as const, text, files: nested }] : [];
  const top = depth > 0 ? useful[0].path.split('/')[0] : '';
  return loadLabelledImages(items, errors, top || 'class folders', options, notes);
}
