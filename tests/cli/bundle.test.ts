/**
 * The bundle users run (dist-cli/, via launch.mjs) carries the Mapper and persistence worker threads as their own
 * built entry points and gives the results the sources give.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { writeNpy } from '../../src/io/npy';
import { THREADS_FROM_COORDINATES } from '../../src/mapper/nodeThreads';
import { runProcess } from './process';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Date.now() % 2 ** 31;
const dir = mkdtempSync(join(tmpdir(), 'convtopo-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI bundle', () => {
  it(`runs Mapper on worker threads from its built worker file, with the sources' graph (seed ${SEED})`, async () => {
    const d = 256; // wide rows reach the threading size with few points, so the test stays quick
    const n = Math.ceil(THREADS_FROM_COORDINATES / d);
    let a = SEED >>> 0;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // Clustered points, so that the graph has many nodes and edges.
    const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, () => rand() * 10));
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = centres[i % 8][j] + rand();
    const file = join(dir, 'cloud.npy');
    writeFileSync(file, writeNpy(data, [n, d]));
    const bundled = runProcess(['mapper', '--input', file, '--intervals', '10']);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(existsSync(join(__dirname, '../../dist-cli/mapperThread.worker.js'))).toBe(true);
    let out = '';
    const code = await runCli(['mapper', '--input', file, '--intervals', '10'], { stdout: (t) => void (out += t), stderr: () => undefined });
    expect(code).toBe(0);
    const [x, y] = [JSON.parse(bundled.stdout), JSON.parse(out)];
    expect(Object.keys(x.nodes).length).toBeGreaterThan(5);
    expect(x.nodes).toEqual(y.nodes);
    expect(x.links).toEqual(y.links);
    expect(x.eps).toBe(y.eps);
  }, 120_000);

  it(`runs ph on two threads from its built worker file, printing the one-thread sources' diagrams (seed ${SEED})`, async () => {
    let a = (SEED ^ 0x5bd1e995) >>> 0;
    const rand = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const [n, d] = [600, 8];
    // ReLU of noise: many zeros, as activations have.
    const data = Float32Array.from({ length: n * d }, () => Math.max(0, rand() - 0.4));
    const file = join(dir, 'ph-cloud.npy');
    writeFileSync(file, writeNpy(data, [n, d]));
    const bundled = runProcess(['ph', '--input', file, '--threads', '2']);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(existsSync(join(__dirname, '../../dist-cli/phThread.worker.js'))).toBe(true);
    let out = '';
    const code = await runCli(['ph', '--input', file, '--threads', '1'], { stdout: (t) => void (out += t), stderr: () => undefined });
    expect(code).toBe(0);
    expect(JSON.parse(bundled.stdout).dgms[1].length).toBeGreaterThan(10);
    expect(bundled.stdout).toBe(out);
  }, 60_000);
});
