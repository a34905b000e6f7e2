/** Running the CLI as users run it: `node src/cli/launch.mjs` (what `npm run cli` starts) in a fresh process. */
import { spawnSync } from 'node:child_process';
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

