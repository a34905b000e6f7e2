/** Running the CLI as users run it: `node src/cli/launch.mjs` (what `npm run cli` starts) in a fresh process. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const LAUNCH = join(ROOT, 'src/cli/launch.mjs');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One CLI process; `stdout: 'full'` writes to /dev/full, `'closed'` starts it with stdout closed. */
export function runProcess(args: string[], options: { stdin?: Uint8Array | string; stdout?: 'pipe' | 'full' | 'closed' } = {}): Run {
  if (options.stdout === 'closed') {
    const quoted = [process.execPath, LAUNCH, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('sh', ['-c', `${quoted} >&-`], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status, stdout: '', stderr: r.stderr };
  }
  const out = options.stdout === 'full' ? openSync('/dev/full', 'w') : 'pipe';
  try {
    const r = spawnSync(process.execPath, [LAUNCH, ...args], {
      cwd: ROOT,
      input: options.stdin,
      stdio: ['pipe', out, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr };
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}


/** runProcess without blocking, so that several cases can run at once. */
export function runProcessAsync(args: string[], options: { stdin?: Uint8Array | string; stdout?: 'pipe' | 'full' | 'closed' } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    let cmd = process.execPath;
    let argv = [LAUNCH, ...args];
    if (options.stdout === 'closed') {
      cmd = 'sh';
      argv = ['-c', `${[process.execPath, LAUNCH, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} >&-`];
    }
    const out = options.stdout === 'full' ? openSync('/dev/full', 'w') : 'pipe';
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['pipe', out, 'pipe'] });
    if (typeof out === 'number') closeSync(out);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin!.on('error', () => undefined); // a CLI that exits without reading its input
    child.stdin!.end(options.stdin ?? '');
  });
}

/** Run `jobs` with at most `limit` at a time, results in order. */
export async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < jobs.length; k = next++) results[k] = await jobs[k]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
