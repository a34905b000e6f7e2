import { describe, expect, it } from 'vitest';
import { numberOption, parseOptions, UsageError } from '../../src/cli/args';

const specs = {
  input: { type: 'string' as const, description: 'file' },
  maxdim: { type: 'string' as const, description: 'dimension', default: '1' },
  cocycles: { type: 'flag' as const, description: 'cocycles' },
};

describe('CLI option parsing', () => {
  it('takes --name value, --name=value, flags and defaults', () => {
    expect(parseOptions(['--input', 'a.txt', '--cocycles'], specs, 'ph')).toEqual({ input: 'a.txt', maxdim: '1', cocycles: true });
    expect(parseOptions(['--maxdim=2'], specs, 'ph')).toEqual({ maxdim: '2' });
  });

  it('refuses unknown options, missing values and stray arguments with a UsageError naming them', () => {
    expect(() => parseOptions(['--nope'], specs, 'ph')).toThrow(UsageError);
    expect(() => parseOptions(['--nope'], specs, 'ph')).toThrow(/unknown option --nope/);
    expect(() => parseOptions(['--input'], specs, 'ph')).toThrow(/--input needs a value/);
    expect(() => parseOptions(['file.txt'], specs, 'ph')).toThrow(/unexpected argument "file.txt"/);
  });

  it('checks numeric ranges and names the option and the range', () => {
    const range = { min: 0, max: 1, maxExclusive: true, text: 'in [0, 1)' };
    expect(numberOption({ overlap: '0.4' }, 'overlap', 'mapper', range)).toBe(0.4);
    expect(() => numberOption({ overlap: '1' }, 'overlap', 'mapper', range)).toThrow('mapper: --overlap must be in [0, 1) (got "1")');
    expect(() => numberOption({ overlap: 'x' }, 'overlap', 'mapper', range)).toThrow(/--overlap must be/);
  });
});
