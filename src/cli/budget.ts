/**
 * Before a long job: one line on stderr with the cost model's estimate (src/tda/cost.ts, src/mapper/cost.ts) when it
 * is over 30 s or a GiB (the bar above which a researcher wants to be told first), and a refusal (exit 2) when the
 * memory estimate exceeds --max-memory (default: the machine's memory) unless --yes.
 */
import { totalmem } from 'node:os';
import { InputError, UsageError, type OptionSpecs, type ParsedOptions } from './args';
import type { CommandIO } from './command';
import type { CostEstimate } from '../tda/cost';

/** A job above either is announced before it starts. */
export const LONG_JOB = { seconds: 30, bytes: 2 ** 30 } as const;

export const BUDGET_OPTIONS: OptionSpecs = {
  'max-memory': { type: 'string', description: "refuse a job estimated to need more memory, e.g. 2G or 500M (default: the machine's memory)" },
  yes: { type: 'flag', description: 'run even when the memory estimate exceeds --max-memory' },
};

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "2G", "500M", "1.5GiB", "123456" → bytes. */
export function parseBytes(text: string, option: string, command: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const bytes = m ? Number(m[1]) * UNITS[m[2].toLowerCase()] : NaN;
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw new UsageError(`${command}: --${option} must be a size such as 2G, 500M or 1048576 (got "${text}")`);
  return bytes;
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GB`;
  if (b >= 2 ** 20) return `${Math.round(b / 2 ** 20)} MB`;
  return `${Math.max(1, Math.round(b / 2 ** 10))} kB`;
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Check the estimate of `job` (e.g. "20000 points in R^16 up to H1") against the budget; announce a long one. */
export function checkBudget(estimate: CostEstimate, job: string, opts: ParsedOptions, io: CommandIO, command: string): void {
  const limit = typeof opts['max-memory'] === 'string' ? parseBytes(opts['max-memory'], 'max-memory', command) : totalmem();
  const what = `${job}: about ${formatSeconds(estimate.seconds)} and ${formatBytes(estimate.bytes)} (estimate)`;
  if (estimate.bytes > limit && opts.yes !== true) {
    throw new InputError(
      `${command}: ${what}, more than ${typeof opts['max-memory'] === 'string' ? `--max-memory ${formatBytes(limit)}` : `this machine's ${formatBytes(limit)}`}; make the job smaller or pass --yes to run it anyway`,
    );
  }
  if (estimate.seconds > LONG_JOB.seconds || estimate.bytes > LONG_JOB.bytes) io.stderr(`convtopo ${command}: ${what}\n`);
}
