import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('convtopo cka', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cka-'));
  const a = join(dir, 'a.txt');
  const b = join(dir, 'b.npy');
  const c = join(dir, 'c.txt');
  // b is a scaled copy of a (CKA 1); c has a different row count.
  writeFileSync(a, '1 0\n0 2\n3 1\n2 2\n5 -1\n');
  writeFileSync(b, writeNpy(new Float32Array([2, 0, 0, 4, 6, 2, 4, 4, 10, -2]), [5, 2]));
  writeFileSync(c, '1 2\n3 4\n');

  it('prints 1 for a representation and a scaled copy, in text and .npy', async () => {
    const r = await run(['cka', '--a', a, '--b', b]);
    expect(r.code).toBe(0);
    expect(Number(r.stdout)).toBeCloseTo(1, 6);
    const d = await run(['cka', '--a', a, '--b', b, '--debiased']);
    expect(Number(d.stdout)).toBeCloseTo(1, 6);
  });

  it('exits 2 with one line when the row counts differ or a file is missing', async () => {
    const r = await run(['cka', '--a', a, '--b', c]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['convtopo cka: --a has 5 rows and --b has 2; CKA needs the same images in both']);
    const m = await run(['cka', '--a', join(dir, 'nope.txt'), '--b', a]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/^convtopo cka: --a .*nope\.txt does not exist\n$/);
  });
});
