import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/io/npy';
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
