import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';
import { blobs } from '../mapper/data';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'convtopo-mapper-cli-'));
const cloud = blobs(200, 4, 2, 41, 0.4, 8);
const npy = join(dir, 'cloud.npy');
writeFileSync(npy, writeNpy(cloud.data, [cloud.n, cloud.d]));
const labels = join(dir, 'labels.txt');
writeFileSync(labels, Array.from({ length: 200 }, (_, i) => i % 2).join('\n'));
const shortLabels = join(dir, 'short.txt');
writeFileSync(shortLabels, '0\n1\n');
const text = join(dir, 'cloud.txt');
writeFileSync(text, Array.from({ length: cloud.n }, (_, i) => Array.from(cloud.data.subarray(i * 4, i * 4 + 4)).join(' ')).join('\n'));

describe('convtopo mapper', () => {
  it('prints KeplerMapper-shaped JSON with the knee eps and purity', async () => {
    const { code, out } = await cli(['mapper', '--input', npy, '--labels', labels, '--intervals', '10']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json.nodes).length).toBeGreaterThan(0);
    for (const id of Object.keys(json.nodes)) expect(id).toMatch(/^cube\d+_cluster\d+$/);
    expect(json.eps).toBeGreaterThan(0);
    expect(json.purity).toBeGreaterThan(0.9); // labels are the two blobs (i % 2)
    expect(json.meta.n_cubes).toBe(10);
  });

  it('reads a text cloud like the .npy one and runs linkage clusterers', async () => {
    const a = JSON.parse((await cli(['mapper', '--input', npy, '--intervals', '5', '--eps', '1.5'])).out);
    const b = JSON.parse((await cli(['mapper', '--input', text, '--intervals', '5', '--eps', '1.5'])).out);
    expect(b.nodes).toEqual(a.nodes);
    const { code, out } = await cli(['mapper', '--input', npy, '--intervals', '5', '--clusterer', 'single', '--distance-threshold', '1.5']);
    expect(code).toBe(0);
    expect(JSON.parse(out).eps).toBeNull();
  });

  for (const [args, pattern] of [
    [['--overlap', '1'], /--overlap must be a number in \[0, 0.99\]/],
    [['--overlap', '-0.2'], /--overlap must be a number in \[0, 0.99\]/],
    [['--intervals', '0'], /--intervals must be an integer from 1 to 10000/],
    [['--min-samples', '0'], /--min-samples must be an integer from 1 to 1000/],
    [['--eps', 'lots'], /--eps must be 'knee' or a number > 0/],
    [['--labels', shortLabels], /--labels must hold one label per point: got 2 labels for 200 points/],
    [['--clusterer', 'kmeans'], /--clusterer must be one of/],
    [['--clusterer', 'average'], /needs exactly one of --distance-threshold/],
    [['--lens', 'banana'], /--lens: lens must be one of/],
  ] as [string[], RegExp][]) {
    it(`exits 2 with one line naming the parameter for ${args.join(' ')}`, async () => {
      const { code, out, err } = await cli(['mapper', '--input', npy, ...args]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trim().split('\n').length).toBe(1);
      expect(err).toMatch(pattern);
    });
  }
});
