/**
 * Every file the CLI reads or writes goes through here, so a missing file, a directory, a permission problem or a
 * full disk is said once, in our words, naming the option (exit 2), and never as Node's raw ENOENT/EISDIR.
 * `-` as an input path reads standard input.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, requireString, type OptionSpecs, type ParsedOptions } from './args';
import { parseMatrixFile } from '../io/pointCloudFile';
import type { PointCloud } from '../types';

/** What a system error code means for a path, in words that complete "PATH …". */
const WORDS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'is not a path to a file (a part of it is a file, not a directory)',
  EACCES: 'cannot be opened: permission denied',
  EPERM: 'cannot be opened: operation not permitted',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'cannot be written: no space left on the device',
  EDQUOT: 'cannot be written: disk quota exceeded',
  ELOOP: 'is a loop of symbolic links',
  ENAMETOOLONG: 'is a name too long for the file system',
  EIO: 'cannot be read: input/output error',
  EMFILE: 'cannot be opened: too many open files',
  EBUSY: 'is busy',
  ENXIO: 'is a device or socket that cannot be opened',
  ERR_FS_FILE_TOO_LARGE: 'is larger than 2 GiB, the most this tool reads at once',
};

/** Our one-line message for a system file error (`code` + `path`), or undefined if `err` is not one. */
export function fileErrorMessage(err: unknown, label?: string): string | undefined {
  const e = err as { code?: unknown; path?: unknown };
  if (!e || typeof e.code !== 'string' || !(e.code in WORDS)) return undefined;
  const path = label ?? (typeof e.path === 'string' ? e.path : undefined);
  return path === undefined ? `a file ${WORDS[e.code]}` : `${path} ${WORDS[e.code]}`;
}

function optionLabel(option: string, path: string): string {
  return option ? `--${option} ${path}` : path;
}

/** Throw our InputError for a system error on `path`; anything else is rethrown as it is. */
export function rethrowFileError(err: unknown, option: string, path: string): never {
  const msg = fileErrorMessage(err, optionLabel(option, path));
  if (msg !== undefined) throw new InputError(msg);
  throw err;
}

/** Standard input may be read once per run. */
let stdinTaken = '';

/** Bytes of an input file (or of stdin for `-`). `option` names it in messages ("input" → "--input PATH …"). */
export function readInputFile(path: string, option: string, stdin?: () => Uint8Array): Uint8Array {
  if (path === '-') {
    if (stdinTaken && stdinTaken !== option) throw new InputError(`--${option} -: standard input is already read by --${stdinTaken}`);
    stdinTaken = option;
    try {
      const b = stdin ? stdin() : readFileSync(0);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (err) {
      rethrowFileError(err, option, '-');
    }
  }
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${optionLabel(option, path)} is a directory, not a file`);
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    rethrowFileError(err, option, path);
  }
}

/** An input file parsed by `parse`; a parse error is an InputError naming the option and the path. */
export function readParsedFile<T>(path: string, option: string, parse: (bytes: Uint8Array) => T, stdin?: () => Uint8Array): T {
  const bytes = readInputFile(path, option, stdin);
  try {
    return parse(bytes);
  } catch (err) {
    throw new InputError(`${optionLabel(option, path)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The option specs of `--a` and `--b` (readRepresentationPair). */
export const REPRESENTATION_PAIR_OPTIONS: OptionSpecs = {
  a: { type: 'string', description: 'first representation: one row per image (text or .npy; - reads stdin)' },
  b: { type: 'string', description: 'second representation, same images in the same order' },
};

/**
 * `--a` and `--b`: two representations of the same images (text or .npy, one row per image), checked to have the
 * same number of rows, at least 2; `what` names the measure in the message ("CKA").
 */
export function readRepresentationPair(opts: ParsedOptions, command: string, what: string, stdin?: () => Uint8Array): { a: PointCloud; b: PointCloud } {
  const read = (option: 'a' | 'b') => readParsedFile(requireString(opts, option, command), option, (bytes) => parseMatrixFile(bytes, 'row'), stdin);
  const a = read('a');
  const b = read('b');
  if (a.n !== b.n) throw new InputError(`--a has ${a.n} rows and --b has ${b.n}; ${what} needs the same images in both`);
  if (a.n < 2) throw new InputError(`--a and --b have ${a.n} row; ${what} compares at least 2 images`);
  return { a, b };
}

export function readInputText(path: string, option: string, stdin?: () => Uint8Array): string {
  return new TextDecoder().decode(readInputFile(path, option, stdin));
}

/** Stdin bookkeeping is per run; tests run the CLI many times in one process. */
export function resetStdin(): void {
  stdinTaken = '';
}

/** A path that must exist (a file or a directory, as `kind` says), checked with our messages. */
export function checkInputPath(path: string, option: string, kind: 'file' | 'directory' | 'any' = 'any'): 'file' | 'directory' {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    rethrowFileError(err, option, path);
  }
  if (kind === 'file' && isDir) throw new InputError(`${optionLabel(option, path)} is a directory, not a file`);
  if (kind === 'directory' && !isDir) throw new InputError(`${optionLabel(option, path)} is a file, not a directory`);
  return isDir ? 'directory' : 'file';
}

/**
 * Make sure `file` can be written before any long computation: create its missing folders one level at a time
 * (Node's recursive mkdir loops forever under /proc), refuse a directory, and open the file for appending, which
 * proves the permission and the file system (as root, access() says yes to everything). A file that did not exist
 * is removed again, so a run that fails later leaves nothing behind.
 */
export function checkOutputFile(file: string, option = 'out'): void {
  const label = optionLabel(option, file);
  const missing: string[] = [];
  let dir = dirname(resolve(file));
  while (!existsSync(dir)) {
    missing.push(dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`${label}: ${dir} is a file, not a directory`);
  } catch (err) {
    rethrowFileError(err, option, file);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      const msg = fileErrorMessage(err, d);
      if (msg !== undefined) throw new InputError(`${label}: cannot create the folder ${d}: ${msg.slice(d.length + 1)}`);
      throw err;
    }
  }
  const existed = existsSync(file);
  if (existed && statSync(file).isDirectory()) throw new InputError(`${label} is a directory, not a file`);
  try {
    closeSync(openSync(file, 'a'));
  } catch (err) {
    const msg = fileErrorMessage(err, label);
    throw new InputError(msg !== undefined ? msg.replace('cannot be opened', 'cannot be written') : `${label} cannot be written`);
  }
  if (!existed) unlinkSync(file);
}
