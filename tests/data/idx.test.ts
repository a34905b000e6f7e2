import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isGzip, readIdx, readIdxImages, readIdxLabels, writeIdx } from '../../src/data/idx';

// A hand-made idx3 file: 2 images of 2×3, written byte by byte (header is big-endian).
const HAND_MADE = Uint8Array.from([
  0x00, 0x00, 0x08, 0x03, // magic: uint8, 3 dims
  0x00, 0x00, 0x00, 0x02, // n = 2
  0x00, 0x00, 0x00, 0x02, // height = 2
  0x00, 0x00, 0x00, 0x03, // width = 3
  1, 2, 3, 4, 5, 6, // image 0
  250, 251, 252, 253, 254, 255, // image 1
]);
const HAND_LABELS = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);

describe('readIdx', () => {
  it('parses a hand-made idx3 file into n, height, width and row-major pixels', () => {
    const img = readIdxImages(HAND_MADE);
    expect([img.n, img.height, img.width]).toEqual([2, 2, 3]);
    expect(Array.from(img.pixels)).toEqual([1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255]);
  });

  it('parses idx1 labels as Int32Array', () => {
    const labels = readIdxLabels(HAND_LABELS);
    expect(labels).toBeInstanceOf(Int32Array);
    expect(Array.from(labels)).toEqual([7, 9]);
  });

  it('reads the gzipped file the same as the plain one', () => {
    const gz = gzipSync(HAND_MADE);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(HAND_MADE)).toBe(false);
    expect(readIdx(gz)).toEqual(readIdx(HAND_MADE));
  });

  it('writeIdx produces the hand-made bytes and round-trips through gzip', () => {
    const pixels = HAND_MADE.subarray(16);
    expect(Array.from(writeIdx(pixels, [2, 2, 3]))).toEqual(Array.from(HAND_MADE));
    const big = new Uint8Array(5 * 7 * 3).map((_, i) => (i * 37) % 256);
    const back = readIdx(gzipSync(writeIdx(big, [5, 7, 3])));
    expect(back.dims).toEqual([5, 7, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(big));
  });

  it('does not alias the input bytes', () => {
    const bytes = HAND_MADE.slice();
    const img = readIdxImages(bytes);
    bytes[16] = 99;
    expect(img.pixels[0]).toBe(1);
  });

  it('rejects a wrong magic number with a message naming the file and the bytes', () => {
    const bad = HAND_MADE.slice();
    bad[0] = 0x50; // e.g. a PNG or text file
    expect(() => readIdx(bad, 'x.idx')).toThrow(/x\.idx: not an IDX file \(magic 50 00 08 03/);
  });

  it('rejects non-uint8 IDX types by name', () => {
    const bad = HAND_MADE.slice();
    bad[2] = 0x0d;
    expect(() => readIdx(bad)).toThrow(/float32 is not supported/);
  });

  it('rejects data shorter than the header says', () => {
    expect(() => readIdx(HAND_MADE.subarray(0, HAND_MADE.length - 1), 'imgs')).toThrow(
      /imgs: IDX data is truncated: header \[2, 2, 3\] needs 12 bytes, file has 11/,
    );
  });

  it('rejects a truncated header and tiny files', () => {
    expect(() => readIdx(HAND_MADE.subarray(0, 10))).toThrow(/header is truncated/);
    expect(() => readIdx(HAND_MADE.subarray(0, 3))).toThrow(/too short/);
  });

  it('rejects truncated gzip data', () => {
    const gz = gzipSync(writeIdx(new Uint8Array(4000).map((_, i) => i % 251), [4000]));
    expect(() => readIdx(gz.subarray(0, gz.length >> 1), 'f.gz')).toThrow(/f\.gz: gzip data is corrupt or truncated/);
  });

  it('checks the number of dimensions for images and labels', () => {
    expect(() => readIdxImages(HAND_LABELS)).toThrow(/expected 3 dimensions/);
    expect(() => readIdxLabels(HAND_MADE)).toThrow(/expected 1 dimension/);
  });
});
