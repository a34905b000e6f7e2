/** (a) A folder with one sub-folder per class: the class of an image is the name of the folder that holds it. */
import type { ImageDataset } from '../../types';
import { loadLabelledImages, type LabelledFile } from './imageFiles';
import { isClutter, type LoaderFile, type LoadOptions } from './types';
import type { LoadError } from './assemble';

export async function loadClassFolders(files: LoaderFile[], options: LoadOptions): Promise<ImageDataset> {
  const errors: LoadError[] = [];
  const items: LabelledFile[] = [];
  for (const file of files) {
    if (isClutter(file.path)) continue;
    const parts = file.path.split('/').filter((p) => p.length > 0);
    if (parts.length < 2) {
      errors.push({ file: file.path, reason: 'not inside a class folder (put each class in its own folder)' });
      continue;
    }
    items.push({ file, className: parts[parts.length - 2] });
  }
  const top = commonRoot(files.map((f) => f.path));
  return loadLabelledImages(items, errors, top || 'class folders', options);
}

function commonRoot(paths: string[]): string {
  const firsts = new Set(paths.map((p) => p.split('/')[0]));
  return firsts.size === 1 && paths.every((p) => p.includes('/')) ? [...firsts][0] : '';
}
