/**
 * `npm run bench -- cli`: how fast the command line starts. `convtopo --help` as a user runs it (through npm), and
 * its parts: plain Node, the launcher (freshness check of the bundle, then the bundle), the bundle alone. Median of
 * several fresh processes each; wall time from performance.now() around a spawnSync.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from '../table';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 7;

function median(cmd: string, args: string[]): number {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const p = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    times.push((performance.now() - t) / 1000);
    if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${String(p.stderr).slice(-200)}`);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1];
}

export default async function cliBench(): Promise<BenchSection> {
  // Built (or found fresh) once before any timing.
  spawnSync('npm', ['run', '--silent', 'cli', '--', '--version'], { cwd: root, stdio: 'ignore' });
  const rows: [string, number][] = [
    ['node -e 0', median(process.execPath, ['-e', '0'])],
    ['node dist-cli/convtopo.js --help (the bundle alone)', median(process.execPath, ['dist-cli/convtopo.js', '--help'])],
    ['node src/cli/launch.mjs --help (freshness check + bundle)', median(process.execPath, ['src/cli/launch.mjs', '--help'])],
    ['npm run --silent cli -- --help (what a user types)', median('npm', ['run', '--silent', 'cli', '--', '--help'])],
    ['npm run --silent cli -- --version', median('npm', ['run', '--silent', 'cli', '--', '--version'])],
  ];
  return {
    title: 'CLI start-up: `convtopo --help` and its parts (fresh processes)',
    columns: ['command', 'median s'],
    rows,
    notes: [`median of ${RUNS} runs each; the target of issue 15 is ≤ 0.5 s for the npm row`, 'npm\'s own start-up is the difference between the npm row and the launcher row'],
  };
}
