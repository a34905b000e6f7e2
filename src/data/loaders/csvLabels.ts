/**
 * (c) Loose images plus a CSV `file,label` (an optional header row whose first field is file / filename / path /
 * image). A file field is looked up relative to the CSV's folder, then as given, then by base name when unique.
 */
import type { ImageDataset } from '../../types';
import type { LoadError } from './assemble';
import { loadLabelledImages, type LabelledFile } from './imageFiles';
import { baseName, extensionOf, isClutter, readBytes, type LoaderFile, type LoadOptions } from './types';

const HEADER_FIELDS = new Set(['file', 'filename', 'file_name', 'path', 'filepath', 'image', 'img', 'name']);

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const p of path.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

export async function loadCsvLabelled(files: LoaderFile[], options: LoadOptions, errors: LoadError[] = []): Promise<ImageDataset> {
  const csvs = files.filter((f) => extensionOf(f.path) === 'csv' && !isClutter(f.path));
  if (csvs.length === 0) throw new Error('no CSV file found');
  const csv = csvs[0];
  for (const other of csvs.slice(1)) errors.push({ file: other.path, reason: `ignored: only one CSV is used (${csv.path})` });
  const dir = csv.path.includes('/') ? csv.path.slice(0, csv.path.lastIndexOf('/')) : '';
  const byPath = new Map<string, LoaderFile>();
  const byBase = new Map<string, LoaderFile[]>();
  for (const f of files) {
    if (f === csv || isClutter(f.path)) continue;
    byPath.set(normalize(f.path), f);
    const list = byBase.get(baseName(f.path)) ?? [];
    list.push(f);
    byBase.set(baseName(f.path), list);
  }
  const text = new TextDecoder().decode(await readBytes(csv));
  const lines = text.split(/\r?\n/);
  const items: LabelledFile[] = [];
  const used = new Set<LoaderFile>();
  lines.forEach((line, li) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const fields = splitCsvLine(line);
    if (li === 0 && HEADER_FIELDS.has(fields[0].toLowerCase())) return;
    const where = `${csv.path} line ${li + 1}`;
    if (fields.length < 2 || fields[0] === '' || fields[1] === '') {
      errors.push({ file: where, reason: 'expected "file,label"' });
      return;
    }
    const [name, label] = fields;
    const rel = normalize(dir ? `${dir}/${name}` : name);
    let file = byPath.get(rel) ?? byPath.get(normalize(name));
    if (!file) {
      const same = byBase.get(baseName(normalize(name))) ?? [];
      if (same.length === 1) file = same[0];
      else if (same.length > 1) {
        errors.push({ file: name, reason: `listed in ${where} but ${same.length} files have that name` });
        return;
      }
    }
    if (!file) {
      errors.push({ file: name, reason: `listed in ${where} but missing` });
      return;
    }
    used.add(file);
    items.push({ file, className: label });
  });
  for (const f of byPath.values()) {
    if (!used.has(f)) errors.push({ file: f.path, reason: `not listed in ${csv.path}` });
  }
  return loadLabelledImages(items, errors, baseName(csv.path), options);
}
