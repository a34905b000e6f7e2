/**
 * A small declarative option parser: each command declares its options, anything else is a usage error.
 * Usage errors are thrown as `UsageError` and turned into exit code 2 with one line on stderr by main.ts.
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Bad input data (unreadable file, NaN in a row, …): exit 2 like a usage error. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface OptionSpec {
  /** 'string' takes a value, 'flag' takes none. */
  type: 'string' | 'flag';
  description: string;
  default?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedOptions = Record<string, string | boolean | undefined>;

/** Parse `--name value`, `--name=value` and `--flag`. Positional arguments are refused. */
export function parseOptions(argv: string[], specs: OptionSpecs, command: string): ParsedOptions {
  const out: ParsedOptions = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.default !== undefined) out[name] = spec.default;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`${command}: unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`${command}: unknown option --${name} (see: convtopo ${command} --help)`);
    if (spec.type === 'flag') {
      if (eq >= 0) throw new UsageError(`${command}: option --${name} takes no value`);
      out[name] = true;
    } else {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${command}: option --${name} needs a value`);
      out[name] = value;
    }
  }
  return out;
}

/** A required string option. */
export function requireString(opts: ParsedOptions, name: string, command: string): string {
  const v = opts[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`${command}: --${name} is required`);
  return v;
}

/** A numeric option checked against a range; the message names the option and the allowed range. */
export function numberOption(
  opts: ParsedOptions,
  name: string,
  command: string,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean; integer?: boolean; text: string },
): number | undefined {
  const v = opts[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  const bad =
    typeof v !== 'string' ||
    v.trim() === '' ||
    !Number.isFinite(x) ||
    (range.integer && !Number.isInteger(x)) ||
    (range.min !== undefined && (range.minExclusive ? x <= range.min : x < range.min)) ||
    (range.max !== undefined && (range.maxExclusive ? x >= range.max : x > range.max));
  if (bad) throw new UsageError(`${command}: --${name} must be ${range.text} (got "${String(v)}")`);
  return x;
}

export function helpText(command: string, summary: string, specs: OptionSpecs): string {
  const lines = [`convtopo ${command} — ${summary}`, '', 'Options:'];
  for (const [name, spec] of Object.entries(specs)) {
    const left = spec.type === 'flag' ? `--${name}` : `--${name} VALUE`;
    const def = spec.default !== undefined ? ` (default ${spec.default})` : '';
    lines.push(`  ${left.padEnd(26)} ${spec.description}${def}`);
  }
  return lines.join('\n');
}
