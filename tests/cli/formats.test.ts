/**
 * The same input gets the same answer in every format: .npy of any dtype and byte order against float64, a
 * distance matrix as text or .npy, a file or stdin.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured, scratchDir } from '../helpers/cli';
import { writeNpy } from '../../src/io/npy';
import { runProcess } from './process';
import { rawNpy } from '../helpers/npy';
import { mulberry32 } from '../../src/random';

const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Date.now() % 2 ** 31;
const { dir, file } = scratchDir('convtopo-formats-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rand = mulberry32;

/** A .npy of `values` stored as `descr` ('<i8', '>u2', …), written by hand so every dtype and order is covered. */
function npyAs(descr: string, values: number[], shape: number[]): Uint8Array {
  const size = Number(descr.slice(2));
  const little = descr[0] !== '>';
  const data = new Uint8Array(values.length * size);
  const v = new DataView(data.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    switch (descr.slice(1)) {
      case 'u1': v.setUint8(o, x); break;
      case 'i1': v.setInt8(o, x); break;
      case 'u2': v.setUint16(o, x, little); break;
      case 'i2': v.setInt16(o, x, little); break;
      case 'u4': v.setUint32(o, x, little); break;
      case 'i4': v.setInt32(o, x, little); break;
      case 'u8': v.setBigUint64(o, BigInt(x), little); break;
      case 'i8': v.setBigInt64(o, BigInt(x), little); break;
      case 'f4': v.setFloat32(o, x, little); break;
      case 'f8': v.setFloat64(o, x, little); break;
      default: throw new Error(descr);
    }
  });
  return rawNpy(descr, shape, data);
}

const cli = (...argv: string[]) => runCliCaptured(argv);


describe('one answer whatever the format', () => {
  it(`an integer cloud gives the same diagrams in every integer dtype and byte order as in float64 (seed ${SEED})`, async () => {
    const r = rand(SEED);
    const n = 24;
    const values = Array.from({ length: n * 3 }, () => Math.floor(r() * 100));
    const ref = await cli('ph', '--input', file('ref.npy', npyAs('<f8', values, [n, 3])));
    expect(ref.code).toBe(0);
    for (const descr of ['|u1', '|i1', '<u2', '>u2', '<i2', '>i2', '<u4', '>i4', '<u8', '>u8', '<i8', '>i8', '>f4', '>f8']) {
      const got = await cli('ph', '--input', file(`c${descr.replace(/[<>|]/, '')}.npy`, npyAs(descr, values, [n, 3])));
      expect(got.stdout, descr).toBe(ref.stdout);
    }
  });

  it('int64 coordinates of 2^40 and beyond are read exactly (they once wrapped through int32)', async () => {
    const r = rand(SEED + 1);
    const n = 20;
    const small = Array.from({ length: n * 2 }, () => Math.floor(r() * 50));
    const big = small.map((x) => x * 2 ** 40);
    const a = JSON.parse((await cli('ph', '--input', file('small.npy', npyAs('<i8', small, [n, 2])))).stdout);
    const b = JSON.parse((await cli('ph', '--input', file('big.npy', npyAs('<i8', big, [n, 2])))).stdout);
    // Scaling by a power of two is exact in floating point, so every pair scales exactly.
    const scaled = a.dgms.map((d: (number | null)[][]) => d.map(([x, y]) => [(x as number) * 2 ** 40, y === null ? null : y * 2 ** 40]));
    expect(b.dgms).toEqual(scaled);
  });

  it('a distance matrix as text and as .npy, square or lower triangle, gives the same diagrams; --triangle lower ignores the upper half', async () => {
    const r = rand(SEED + 2);
    const n = 12;
    const pts = Array.from({ length: n }, () => [r(), r(), r()]);
    const full = pts.flatMap((p) => pts.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2])));
    const text = pts.map((_, i) => full.slice(i * n, (i + 1) * n).join(' ')).join('\n');
    const lower = pts.slice(1).map((_, i) => full.slice((i + 1) * n, (i + 1) * n + i + 1).join(' ')).join('\n');
    const garbage = full.map((x, k) => (Math.floor(k / n) < k % n ? 99 * r() : x));
    const outs = [
      await cli('ph', '--format', 'distance', '--input', file('d.txt', text)),
      await cli('ph', '--format', 'distance', '--input', file('d.npy', writeNpy(Float64Array.from(full), [n, n]))),
      await cli('ph', '--format', 'distance', '--input', file('l.txt', lower)),
      await cli('ph', '--format', 'distance', '--triangle', 'lower', '--input', file('g.npy', writeNpy(Float64Array.from(garbage), [n, n]))),
    ];
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    for (const o of outs.slice(1)) expect(o.stdout).toBe(outs[0].stdout);
  });

  it('uint8 and bool labels are read as class indices', async () => {
    const cloud = file('m.npy', writeNpy(Float32Array.from({ length: 60 }, (_, i) => (i % 2 ? Math.cos(i) : Math.sin(i))), [30, 2]));
    const labels = Array.from({ length: 30 }, (_, i) => i % 2);
    const base = ['mapper', '--input', cloud, '--intervals', '3', '--eps', '0.5', '--min-samples', '2'];
    const txt = await cli(...base, '--labels', file('l.txt', labels.join('\n')));
    const u1 = await cli(...base, '--labels', file('l1.npy', npyAs('|u1', labels, [30])));
    expect(txt.code, txt.stderr).toBe(0);
    expect(u1.stdout).toBe(txt.stdout);
    const boolNpy = npyAs('|u1', labels, [30]);
    const header = new TextDecoder('latin1').decode(boolNpy.subarray(10, 40)).replace("'|u1'", "'|b1'");
    for (let i = 0; i < header.length; i++) boolNpy[10 + i] = header.charCodeAt(i);
    const b = await cli(...base, '--labels', file('lbool.npy', boolNpy));
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(txt.stdout);
  });

  it('- reads standard input in a real process; --version prints the package version', () => {
    const text = '0 0\n1 0\n1 1\n0 1\n';
    const viaFile = runProcess(['ph', '--input', file('sq.txt', text)]);
    const viaStdin = runProcess(['ph', '--input', '-'], { stdin: text });
    expect(viaStdin.status, viaStdin.stderr).toBe(0);
    expect(viaStdin.stdout).toBe(viaFile.stdout);
    const v = runProcess(['--version']);
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(v.stdout).toBe(`convtopo ${pkg.version}\n`);
  });
});
