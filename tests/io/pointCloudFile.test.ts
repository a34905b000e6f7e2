import { describe, expect, it } from 'vitest';
import { parseLabelsFile, parseMatrixFile, parseTextMatrix } from '../../src/io/pointCloudFile';
import { writeNpy } from '../../src/io/npy';

const enc = (s: string) => new TextEncoder().encode(s);

describe('point cloud files', () => {
  it('reads comma and whitespace separated rows, skipping comments and blank lines', () => {
    const c = parseTextMatrix('# x y\n1, 2\n\n3 4\n5\t6\n');
    expect([c.n, c.d]).toEqual([3, 2]);
    expect(Array.from(c.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names the line of a ragged row, a NaN and an Inf, and refuses an empty file', () => {
    expect(() => parseTextMatrix('1,2\n3\n')).toThrow(/line 2 has 1 values, expected 2/);
    expect(() => parseTextMatrix('1,2\n3,NaN\n')).toThrow(/line 2: value 2 \("NaN"\)/);
    expect(() => parseTextMatrix('1,2\ninf,3\n')).toThrow(/line 2: value 1/);
    expect(() => parseTextMatrix('\n# nothing\n')).toThrow(/empty/);
  });

  it('detects .npy by its magic and rejects non-finite values in it', () => {
    const ok = parseMatrixFile(writeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]));
    expect([ok.n, ok.d]).toEqual([2, 2]);
    expect(() => parseMatrixFile(writeNpy(new Float32Array([1, 2, Infinity, 4]), [2, 2]))).toThrow(/row 2: value 1 \(Infinity\) is not a finite number/);
  });

  it('reads labels one integer per line and refuses fractional ones', () => {
    expect(Array.from(parseLabelsFile(enc('0\n3\n1\n')))).toEqual([0, 3, 1]);
    expect(() => parseLabelsFile(enc('0\n1.5\n'))).toThrow(/label on line 2 is 1.5, not an integer/);
  });
});
