import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { halfToNumber, readNpy, writeNpy } from '../../src/io/npy';
import { pythonOracle } from '../helpers/oracle';

describe('.npy reading and writing', () => {
  it('round-trips a float32 matrix with its shape', () => {
    const data = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    const back = readNpy(writeNpy(data, [3, 2]));
    expect(back.shape).toEqual([3, 2]);
    expect(back.dtype).toBe('f4');
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('refuses bytes without the magic and Fortran-ordered arrays, naming the problem', () => {
    expect(() => readNpy(new TextEncoder().encode('1,2,3\n4,5,6\n'))).toThrow(/not a \.npy file/);
    const fortran = writeNpy(new Float32Array(4), [2, 2]);
    const header = new TextDecoder('latin1').decode(fortran.subarray(10, 80)).replace("'fortran_order': False", "'fortran_order': True ");
    for (let i = 0; i < header.length; i++) fortran[10 + i] = header.charCodeAt(i);
    expect(() => readNpy(fortran)).toThrow(/Fortran order/);
  });

  const numpy = pythonOracle(['numpy'], 'python3-numpy');
  it.runIf(numpy.available)('reads what NumPy writes and NumPy reads what it writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    execFileSync('/usr/bin/python3', ['-c', `import numpy as np; np.save('${dir}/a.npy', np.arange(12, dtype=np.float64).reshape(4,3) / 7)`]);
    const a = readNpy(new Uint8Array(readFileSync(join(dir, 'a.npy'))));
    expect(a.shape).toEqual([4, 3]);
    expect(a.data[11]).toBeCloseTo(11 / 7, 15);
    writeFileSync(join(dir, 'b.npy'), writeNpy(new Float32Array([0.5, 1.5, 2.5]), [3]));
    const text = execFileSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load('${dir}/b.npy'); print(a.dtype, a.shape, a.sum())`], { encoding: 'utf8' });
    expect(text.trim()).toBe('float32 (3,) 4.5');
  });
});

/** A fresh seed per run; CONVTOPO_SEED=… repeats one. */
const SEED = process.env.CONVTOPO_SEED ? Number(process.env.CONVTOPO_SEED) : Date.now() % 2 ** 31;

describe('.npy of every dtype NumPy users save', () => {
  const numpy = pythonOracle(['numpy'], 'python3-numpy');
  it.runIf(numpy.available)(`reads bool, (u)int8–64 and float16/32/64 in both byte orders exactly as NumPy holds them (seed ${SEED})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-dtypes-'));
    // NumPy draws values over each dtype's whole range (64-bit ones within ±2^53) and reports them as JSON.
    const script = `
import json, sys, numpy as np
rng = np.random.default_rng(${SEED})
out = {}
for code in ['b1', 'u1', 'i1', 'u2', 'i2', 'u4', 'i4', 'u8', 'i8', 'f2', 'f4', 'f8']:
    for order in '<>':
        if code == 'b1':
            a = rng.integers(0, 2, size=(5, 3)).astype(bool)
        elif code[0] in 'ui':
            info = np.iinfo(np.dtype(code))
            lo, hi = max(int(info.min), -2**53), min(int(info.max), 2**53)
            a = rng.integers(lo, hi, size=(5, 3), endpoint=True, dtype=np.int64 if code != 'u8' else np.uint64).astype(order + code)
            a[0, 0], a[0, 1] = lo, hi
        else:
            a = (rng.standard_normal((5, 3)) * 1000).astype(order + code)
            a[0, 0] = np.finfo(np.dtype(code)).tiny / 4 if code != 'f2' else np.float16(6e-8)
        name = f'{sys.argv[1]}/{code}{"le" if order == "<" else "be"}.npy'
        np.save(name, a)
        out[name] = [float(v) for v in a.astype(np.float64).ravel()]
print(json.dumps(out))`;
    const expected = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' })) as Record<string, number[]>;
    expect(Object.keys(expected)).toHaveLength(24);
    for (const [file, values] of Object.entries(expected)) {
      const a = readNpy(new Uint8Array(readFileSync(file)));
      expect(a.shape, file).toEqual([5, 3]);
      expect(Array.from(a.data), file).toEqual(values);
    }
  });

  it.runIf(numpy.available)('refuses 64-bit integers beyond ±2^53 by name, and complex, string and structured arrays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-bad-'));
    execFileSync('/usr/bin/python3', ['-c', `
import numpy as np
d = '${dir}'
np.save(d + '/big.npy', np.array([[1, 2], [2**53 + 1, 3]], dtype=np.int64))
np.save(d + '/bigu.npy', np.array([2**63], dtype=np.uint64))
np.save(d + '/c.npy', np.zeros((2, 2), dtype=np.complex64))
np.save(d + '/s.npy', np.array(['a', 'b']))
np.save(d + '/rec.npy', np.zeros(2, dtype=[('x', 'f4'), ('y', 'i4')]))`]);
    const read = (f: string) => () => readNpy(new Uint8Array(readFileSync(join(dir, f))));
    expect(read('big.npy')).toThrow(/int64 value 3 is 9007199254740993, beyond ±2\^53/);
    expect(read('bigu.npy')).toThrow(/uint64 value 1 is 9223372036854775808, beyond ±2\^53/);
    expect(read('c.npy')).toThrow(/dtype complex \(<c8\) is not supported/);
    expect(read('s.npy')).toThrow(/unicode string \(<U1\) is not supported/);
    expect(read('rec.npy')).toThrow(/structured dtype/);
  });

  it('decodes float16 subnormals, infinities and NaN', () => {
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0xc000)).toBe(-2);
    expect(halfToNumber(0x7bff)).toBe(65504);
    expect(halfToNumber(0x7c00)).toBe(Infinity);
    expect(halfToNumber(0xfc00)).toBe(-Infinity);
    expect(halfToNumber(0x7e00)).toBeNaN();
  });
});
