import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { writeIdx } from '../../src/data/idx';

const ROOT = join(__dirname, '../..');
const MODEL = join(ROOT, 'public/models/resnet18q-final');
const SMALL = join(ROOT, 'public/datasets/fashion-mnist-1000');
const parity = JSON.parse(readFileSync(join(ROOT, 'tests/model/fixtures/parity.json'), 'utf8')) as {
  pixels: number[][];
  labels: number[];
  logits: number[][];
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/** PyTorch's top-1 accuracy on the first k parity images (the fixture's own logits). */
function torchAccuracy(k: number): number {
  let correct = 0;
  for (let i = 0; i < k; i++) {
    const row = parity.logits[i];
    if (row.indexOf(Math.max(...row)) === parity.labels[i]) correct++;
  }
  return correct / k;
}

describe('convtopo evaluate', () => {
  let dir: string;
  beforeAll(() => {
    // An IDX directory like /usr/share/datasets/fashion-mnist: t10k-* (uncompressed here) must win over train-*.
    dir = mkdtempSync(join(tmpdir(), 'convtopo-eval-'));
    const k = 32;
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), writeIdx(Uint8Array.from(parity.pixels.flat()), [k, 28, 28]));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), writeIdx(Uint8Array.from(parity.labels), [k]));
    // A train pair whose labels are all wrong-by-one: picking it would change the accuracy.
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), writeIdx(Uint8Array.from(parity.pixels.flat()), [k, 28, 28]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), writeIdx(Uint8Array.from(parity.labels.map((l) => (l + 1) % 10)), [k]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the bare accuracy with 4 decimals, equal to PyTorch on the same images', async () => {
    // The first 32 images of the bundled 1000 are test images 0…31, the parity fixture's images.
    const meta = JSON.parse(readFileSync(join(SMALL, 'dataset.json'), 'utf8'));
    expect(meta.sourceIndices.slice(0, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    const r = await cli('evaluate', '--model', MODEL, '--dataset', SMALL, '--limit', '32', '--batch', '7');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d\.\d{4}\n$/);
    expect(Number(r.out)).toBeCloseTo(torchAccuracy(32), 4);
  });

  it('reads a directory of IDX files, preferring t10k-*', async () => {
    const r = await cli('evaluate', '--model', MODEL, '--dataset', dir, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.n).toBe(32);
    expect(j.accuracy).toBeCloseTo(torchAccuracy(32), 10);
    expect(j.correct).toBe(Math.round(torchAccuracy(32) * 32));
  });

  it('a missing dataset directory is exit 2 with one line', async () => {
    const r = await cli('evaluate', '--model', MODEL, '--dataset', join(dir, 'nope'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^convtopo evaluate: --dataset .*nope does not exist\n$/);
  });

  it('a model directory without model.json is exit 2 with one line', async () => {
    const r = await cli('evaluate', '--model', dir, '--dataset', SMALL);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^convtopo evaluate: --model .* has no model\.json\n$/);
  });

  it('a corrupt IDX file is exit 2 with one line naming the file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'convtopo-bad-'));
    try {
      writeFileSync(join(bad, 't10k-images-idx3-ubyte'), 'not an idx file at all');
      writeFileSync(join(bad, 't10k-labels-idx1-ubyte'), writeIdx(Uint8Array.from([1]), [1]));
      const r = await cli('evaluate', '--model', MODEL, '--dataset', bad);
      expect(r.code).toBe(2);
      expect(r.err.split('\n').length).toBe(2);
      expect(r.err).toMatch(/t10k-images-idx3-ubyte: not an IDX file/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('bad --batch, --limit and --backend values are usage errors naming the option', async () => {
    for (const [opt, val, msg] of [
      ['--batch', '0', /--batch must be an integer from 1 to 10000/],
      ['--limit', '2.5', /--limit must be an integer from 1 to 1000000/],
      ['--backend', 'webgl', /--backend must be wasm or cpu/],
    ] as const) {
      const r = await cli('evaluate', '--model', MODEL, '--dataset', SMALL, opt, val);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
    const r = await cli('evaluate', '--dataset', SMALL);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--model is required/);
  });
});
