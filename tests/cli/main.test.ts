import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/main';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('convtopo CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: convtopo <command>/);
    expect(r.stderr).toBe('');
  });

  it('an unknown command exits 2 with exactly one line on stderr', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('runs through npm as `npm run --silent cli` with the same exit code', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['convtopo: unknown command "nope" (run convtopo --help for the list)']);
  });
});
