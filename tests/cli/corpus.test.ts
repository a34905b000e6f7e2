/**
 * The bad-input corpus of issue 18, run as users run the CLI: a fresh `node src/cli/launch.mjs` process (what
 * `npm run cli` starts) per case. Every case must end with the stated exit code and exactly one line on stderr,
 * never a stack trace. The files are made here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/io/npy';
import { pool, runProcess, runProcessAsync, type Run } from './process';
import { pythonOracle } from '../helpers/oracle';
import { rawNpy } from '../helpers/npy';

const ROOT = join(__dirname, '../..');
const MODEL = join(ROOT, 'public/models/resnet18q-final');
const SMALL = join(ROOT, 'public/datasets/fashion-mnist-1000');

let dir: string;
const f = (name: string) => join(dir, name);

function int64Npy(values: bigint[], shape: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 8);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setBigInt64(8 * i, x, true));
  return rawNpy('<i8', shape, b);
}

interface Case {
  what: string;
  args: () => string[];
  code: number;
  err: RegExp;
  stdin?: () => Uint8Array | string;
  stdout?: 'full' | 'closed';
}

const square = '0 0\n1 0\n1 1\n0 1\n';

const CASES: Case[] = [
  // .npy
  { what: 'int64 beyond 2^53', args: () => ['ph', '--input', f('big.npy')], code: 2, err: /int64 value 3 is 9007199254740993, beyond ±2\^53/ },
  { what: 'a complex .npy', args: () => ['ph', '--input', f('complex.npy')], code: 2, err: /dtype complex \(<c8\) is not supported/ },
  { what: 'a truncated .npy', args: () => ['ph', '--input', f('trunc.npy')], code: 2, err: /\.npy data is truncated: expected 6 values/ },
  { what: 'a Fortran-order .npy', args: () => ['ph', '--input', f('fortran.npy')], code: 2, err: /Fortran order/ },
  { what: 'a 3-D .npy', args: () => ['ph', '--input', f('cube.npy')], code: 2, err: /3 dimensions/ },
  { what: 'float64 beyond float32', args: () => ['ph', '--input', f('huge.npy')], code: 2, err: /point 2: value 1 \(1e\+300\) is beyond float32's range/ },
  { what: 'a bool byte that is neither 0 nor 1', args: () => ['mapper', '--input', f('cloud.npy'), '--labels', f('badbool.npy')], code: 2, err: /bool value 2 is the byte 7/ },
  { what: 'uint32 labels beyond int32', args: () => ['mapper', '--input', f('cloud.npy'), '--labels', f('biglabels.npy')], code: 2, err: /label 1 \(uint32\) is 4000000000; labels must be integers from 0 to 2147483647/ },
  { what: 'fractional float labels', args: () => ['mapper', '--input', f('cloud.npy'), '--labels', f('fraclabels.npy')], code: 2, err: /label 2 \(float64\) is 1.5, not an integer/ },
  // distance matrices: one validation whatever the format
  { what: 'an asymmetric .npy distance matrix', args: () => ['ph', '--format', 'distance', '--input', f('asym.npy')], code: 2, err: /row 3: entry 1 \(5\) differs from its mirror \(2\); the matrix is not symmetric/ },
  { what: 'an asymmetric text distance matrix', args: () => ['ph', '--format', 'distance', '--input', f('asym.txt')], code: 2, err: /row on line 3: entry 1 \(5\) differs from its mirror \(2\)/ },
  { what: 'a non-zero diagonal in .npy', args: () => ['ph', '--format', 'distance', '--input', f('diag.npy')], code: 2, err: /row 2: diagonal entry 2 is 0.5, not 0/ },
  { what: 'a negative distance in .npy', args: () => ['ph', '--format', 'distance', '--input', f('neg.npy')], code: 2, err: /--input \S+neg\.npy: row 1: entry 2 \(-1\) is negative; distances must be ≥ 0$/ },
  { what: 'a non-square .npy matrix', args: () => ['ph', '--format', 'distance', '--input', f('cloud.npy')], code: 2, err: /must be square, got 6 × 2/ },
  { what: '--triangle with a cloud', args: () => ['ph', '--triangle', 'lower', '--input', f('square.txt')], code: 2, err: /--triangle applies to --format distance only/ },
  // files, in our words
  { what: 'a missing input', args: () => ['ph', '--input', f('nope.txt')], code: 2, err: /--input \S*nope\.txt does not exist$/ },
  { what: 'a directory as input', args: () => ['ph', '--input', dir], code: 2, err: /--input \S+ is a directory, not a file$/ },
  { what: 'a path through a file', args: () => ['cka', '--a', f('square.txt/x'), '--b', f('square.txt')], code: 2, err: /--a \S+ is not a path to a file/ },
  { what: 'an unreadable file (EIO)', args: () => ['ph', '--input', '/proc/self/mem'], code: 2, err: /--input \/proc\/self\/mem cannot be read: input\/output error$/ },
  { what: 'a file without read permission', args: () => ['ph', '--input', '/proc/1/mem'], code: 2, err: /--input \/proc\/1\/mem cannot be opened: permission denied$/ },
  { what: 'a missing diagram file', args: () => ['distance', '--kind', 'bottleneck', '--a', f('nope.json'), '--b', f('nope.json')], code: 2, err: /--a \S+ does not exist$/ },
  { what: 'stdin read twice', args: () => ['cka', '--a', '-', '--b', '-'], stdin: () => square, code: 2, err: /--b -: standard input is already read by --a/ },
  // output
  { what: 'a full stdout', args: () => ['ph', '--input', f('square.txt')], stdout: 'full', code: 1, err: /^convtopo: cannot write to standard output: no space left on the device \(ENOSPC\)$/ },
  { what: 'a closed stdout', args: () => ['ph', '--input', f('square.txt')], stdout: 'closed', code: 2, err: /^convtopo: standard output is closed/ },
  { what: 'a closed stdout for a command whose results are files (it runs)', args: () => ['activations', '--model', MODEL, '--dataset', f('nods'), '--out', f('a.npy')], stdout: 'closed', code: 2, err: /--dataset \S+nods does not exist$/ },
  { what: '--help to a full stdout', args: () => ['--help'], stdout: 'full', code: 1, err: /cannot write to standard output/ },
  // count options are bounded up front
  { what: 'mapper --intervals 1e9', args: () => ['mapper', '--input', f('cloud.npy'), '--intervals', '1000000000'], code: 2, err: /--intervals must be an integer from 1 to 10000/ },
  { what: 'mapper --lens2 with too many cubes', args: () => ['mapper', '--input', f('cloud.npy'), '--lens2', 'sum', '--intervals', '400'], code: 2, err: /makes 160000 cubes; at most 100000 \(--intervals ≤ 316\)/ },
  { what: 'mapper --min-samples 1e9', args: () => ['mapper', '--input', f('cloud.npy'), '--min-samples', '1000000000'], code: 2, err: /--min-samples must be an integer from 1 to 1000/ },
  { what: 'distance --M 1e9', args: () => ['distance', '--kind', 'sliced', '--a', f('d.json'), '--b', f('d.json'), '--M', '1000000000'], code: 2, err: /--M must be an integer from 1 to 100000/ },
  { what: 'ph --maxdim 9', args: () => ['ph', '--input', f('square.txt'), '--maxdim', '9'], code: 2, err: /--maxdim must be an integer in 0–8/ },
  { what: 'activations --per-class 1e9', args: () => ['activations', '--model', MODEL, '--dataset', SMALL, '--out', f('a.npy'), '--per-class', '1000000000'], code: 2, err: /--per-class must be an integer from 1 to 1000000 or all/ },
  // cost estimates bound long jobs
  { what: 'ph over --max-memory', args: () => ['ph', '--input', f('wide.npy'), '--max-memory', '50M'], code: 2, err: /3000 points in R\^2 up to H1: about \d+ s and \d+ MB \(estimate\), more than --max-memory 50 MB; make the job smaller or pass --yes/ },
  { what: 'a bad --max-memory', args: () => ['ph', '--input', f('square.txt'), '--max-memory', 'lots'], code: 2, err: /--max-memory must be a size such as 2G/ },
  // outputs checked before the work
  { what: 'activations --out under /proc', args: () => ['activations', '--model', MODEL, '--dataset', SMALL, '--out', '/proc/nope/x.npy'], code: 2, err: /--out \/proc\/nope\/x\.npy: cannot create the folder \/proc\/nope/ },
  { what: 'activations --out without permission', args: () => ['activations', '--model', MODEL, '--dataset', SMALL, '--out', '/sys/x.npy'], code: 2, err: /--out \/sys\/x\.npy cannot be written: permission denied|read-only/ },
  { what: 'activations --out a directory', args: () => ['activations', '--model', MODEL, '--dataset', SMALL, '--out', f('outdir.npy')], code: 2, err: /--out \S+outdir\.npy is a directory, not a file/ },
  { what: 'activations --out through a file', args: () => ['activations', '--model', MODEL, '--dataset', SMALL, '--out', f('square.txt/x.npy')], code: 2, err: /square\.txt is a file, not a directory/ },
  // models: the real problem, named
  { what: 'a missing weight shard', args: () => ['evaluate', '--model', f('noshard'), '--dataset', SMALL], code: 2, err: /--model \S+noshard: the weight file group1-shard1of1\.bin named in model\.json does not exist/ },
  { what: 'model.json that is not JSON', args: () => ['evaluate', '--model', f('notjson'), '--dataset', SMALL], code: 2, err: /--model \S+notjson: model\.json is not valid JSON/ },
  { what: 'a manifest group without weights', args: () => ['evaluate', '--model', f('noweights'), '--dataset', SMALL], code: 2, err: /model\.json: weightsManifest\[0\]\.weights must be a list of \{name, shape, dtype\}/ },
  { what: 'a card.json that is not JSON', args: () => ['evaluate', '--model', f('badcard'), '--dataset', SMALL], code: 2, err: /--model \S+badcard: card\.json is not valid JSON/ },
  { what: 'a dataset directory of nothing usable', args: () => ['evaluate', '--model', MODEL, '--dataset', f('emptyds')], code: 2, err: /--dataset \S+emptyds: / },
  { what: 'a missing dataset', args: () => ['evaluate', '--model', MODEL, '--dataset', f('nods')], code: 2, err: /--dataset \S+nods does not exist$/ },
  // CKA
  { what: 'CKA with one row', args: () => ['cka', '--a', f('one.txt'), '--b', f('one.txt')], code: 2, err: /have 1 row; CKA compares at least 2 images/ },
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'convtopo-corpus-'));
  writeFileSync(f('square.txt'), square);
  writeFileSync(f('one.txt'), '1 2 3\n');
  writeFileSync(f('cloud.npy'), writeNpy(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1, 5, 5, 6, 5]), [6, 2]));
  writeFileSync(f('big.npy'), int64Npy([1n, 2n, 2n ** 53n + 1n, 3n], [2, 2]));
  writeFileSync(f('complex.npy'), rawNpy('<c8', [2], new Uint8Array(16)));
  writeFileSync(f('trunc.npy'), rawNpy('<f8', [3, 2], new Uint8Array(20)));
  writeFileSync(f('fortran.npy'), rawNpy('<f4', [2, 2], new Uint8Array(16), true));
  writeFileSync(f('cube.npy'), writeNpy(new Float32Array(8), [2, 2, 2]));
  writeFileSync(f('huge.npy'), writeNpy(new Float64Array([0, 0, 1e300, 0]), [2, 2]));
  writeFileSync(f('badbool.npy'), rawNpy('|b1', [6], Uint8Array.from([0, 7, 1, 0, 1, 1])));
  writeFileSync(f('biglabels.npy'), rawNpy('<u4', [6], new Uint8Array(new Uint32Array([4e9, 0, 1, 1, 0, 0]).buffer)));
  writeFileSync(f('fraclabels.npy'), writeNpy(new Float64Array([0, 1.5, 1, 1, 0, 0]), [6]));
  writeFileSync(f('asym.npy'), writeNpy(new Float64Array([0, 1, 2, 1, 0, 3, 5, 3, 0]), [3, 3]));
  writeFileSync(f('asym.txt'), '0 1 2\n1 0 3\n5 3 0\n');
  writeFileSync(f('diag.npy'), writeNpy(new Float64Array([0, 1, 1, 0.5]), [2, 2]));
  writeFileSync(f('neg.npy'), writeNpy(new Float64Array([0, -1, -1, 0]), [2, 2]));
  writeFileSync(f('d.json'), '{"dgms": [[[0, 1]], [[0.5, 1]]]}');
  writeFileSync(f('wide.npy'), writeNpy(Float32Array.from({ length: 6000 }, (_, i) => Math.sin(i)), [3000, 2]));
  writeFileSync(f('many.npy'), writeNpy(Float32Array.from({ length: 100000 }, (_, i) => i % 7), [100000, 1]));
  writeFileSync(f('many2.npy'), writeNpy(Float32Array.from({ length: 200000 }, (_, i) => (i % 7) * (i % 3) + Math.sin(i)), [100000, 2]));
  mkdirSync(f('outdir.npy'));
  mkdirSync(f('emptyds'));
  writeFileSync(f('emptyds/readme.txt'), 'no images here\n');
  // Broken copies of the bundled model.
  const json = readFileSync(join(MODEL, 'model.json'), 'utf8');
  mkdirSync(f('noshard'));
  writeFileSync(f('noshard/model.json'), json);
  mkdirSync(f('notjson'));
  writeFileSync(f('notjson/model.json'), json.slice(0, 200));
  mkdirSync(f('noweights'));
  const parsed = JSON.parse(json);
  delete parsed.weightsManifest[0].weights;
  writeFileSync(f('noweights/model.json'), JSON.stringify(parsed));
  mkdirSync(f('badcard'));
  writeFileSync(f('badcard/model.json'), json);
  copyFileSync(join(MODEL, 'group1-shard1of1.bin'), f('badcard/group1-shard1of1.bin'));
  writeFileSync(f('badcard/card.json'), '{"normalization": ');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bad-input corpus: exit code, one line on stderr, no stack trace', () => {
  // The processes run three at a time up front (each is mostly Node's start-up); each case then checks its own.
  let runs: Run[];
  beforeAll(async () => {
    runs = await pool(CASES.map((c) => () => runProcessAsync(c.args(), { stdin: c.stdin?.(), stdout: c.stdout })), 3);
  }, 240_000);
  CASES.forEach((c, k) => {
    it(`${c.what} → exit ${c.code}`, () => {
      const r = runs[k];
      const lines = r.stderr.split('\n').filter((l) => l.length > 0);
      expect(r.stderr, c.what).not.toMatch(/\n\s+at \S|node:internal|Error:/);
      expect(lines, c.what).toHaveLength(1);
      expect(lines[0], c.what).toMatch(c.err);
      expect(r.status, `${c.what}: ${lines[0]}`).toBe(c.code);
    });
  });
});

describe('cases of the corpus that now get the right answer', () => {
  const numpy = pythonOracle(['numpy'], 'python3-numpy');
  it.runIf(numpy.available)('cka on 100 000 rows (once "Invalid typed array length") prints what NumPy computes', () => {
    const r = runProcess(['cka', '--a', f('many.npy'), '--b', f('many2.npy')]);
    expect(r.status, r.stderr).toBe(0);
    const script = `
import numpy as np, sys
x = np.load(sys.argv[1]).astype(np.float64); y = np.load(sys.argv[2]).astype(np.float64)
x -= x.mean(0); y -= y.mean(0)
print(repr(np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))))`;
    const want = Number(spawnSync('/usr/bin/python3', ['-c', script, f('many.npy'), f('many2.npy')], { encoding: 'utf8' }).stdout);
    expect(Number(r.stdout)).toBeCloseTo(want, 9);
  });
});
