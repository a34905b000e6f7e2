import { describe, expect, it } from 'vitest';
import { checkBudget, parseBytes } from '../../src/cli/budget';
import { LONG_JOB } from '../../src/tda/cost';
import { InputError, UsageError } from '../../src/cli/args';

function capture() {
  const err: string[] = [];
  return { io: { stdout: () => {}, stderr: (t: string) => void err.push(t) }, err };
}

describe('checkBudget', () => {
  it('announces a job over LONG_JOB seconds or bytes on one stderr line, and only those', () => {
    for (const [seconds, bytes, announced] of [
      [LONG_JOB.seconds * 0.9, LONG_JOB.bytes * 0.5, false],
      [LONG_JOB.seconds * 1.1, 1e6, true],
      [1, LONG_JOB.bytes * 1.1, true],
    ] as const) {
      const { io, err } = capture();
      checkBudget({ seconds, bytes }, '5000 points in R^16 up to H1', { 'max-memory': '1T' }, io, 'ph');
      expect(err.length, `${seconds} s, ${bytes} B`).toBe(announced ? 1 : 0);
      if (announced) expect(err[0]).toMatch(/^convtopo ph: 5000 points in R\^16 up to H1: about .+ and .+ \(estimate\)\n$/);
    }
  });

  it('refuses a job estimated over --max-memory with the limit named, unless --yes', () => {
    const { io } = capture();
    const big = { seconds: 5, bytes: 3 * 2 ** 30 };
    expect(() => checkBudget(big, 'job', { 'max-memory': '2G' }, io, 'ph')).toThrow(InputError);
    expect(() => checkBudget(big, 'job', { 'max-memory': '2G' }, io, 'ph')).toThrow(/--max-memory 2\.0 GB.*--yes/);
    expect(() => checkBudget(big, 'job', { 'max-memory': '2G', yes: true }, io, 'ph')).not.toThrow();
  });

  it('reads sizes and names a bad one', () => {
    expect(parseBytes('500M', 'max-memory', 'ph')).toBe(500 * 2 ** 20);
    expect(parseBytes('1.5GiB', 'max-memory', 'ph')).toBe(1.5 * 2 ** 30);
    expect(() => parseBytes('lots', 'max-memory', 'ph')).toThrow(UsageError);
    expect(() => parseBytes('lots', 'max-memory', 'ph')).toThrow(/--max-memory must be a size/);
  });
});
