/**
 * Before a long job: one line on stderr with the cost model's estimate (src/tda/cost.ts, src/mapper/cost.ts) when it
 * is over LONG_JOB (src/tda/cost.ts: 30 s or a GiB; the page asks first above the same bar), and a refusal (exit 2)
 * when the memory estimate exceeds --max-memory (default: the machine's memory) unless --yes.
 */
import { totalmem } from 'node:os';
import { InputError, UsageError, type OptionSpecs, type ParsedOptions } from './args';
import type { CommandIO } from './command';
import { formatBytes, formatSeconds, isLongJob, type CostEstimate } from '../tda/cost';


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

/** Check the estimate of `job` (e.g. "20000 points in R^16 up to H1") against the budget; announce a long one. */
export function checkBudget(estimate: CostEstimate, job: string, opts: ParsedOptions, io: CommandIO, command: string): void {
  const limit = typeof opts['max-memory'] === 'string' ? parseBytes(opts['max-memory'], 'max-memory', command) : totalmem();
  const what = `${job}: about ${formatSeconds(estimate.seconds)} and ${formatBytes(estimate.bytes)} (estimate)`;
  if (estimate.bytes > limit && opts.yes !== true) {
    throw new InputError(
      `${command}: ${what}, more than ${typeof opts['max-memory'] === 'string' ? `--max-memory ${formatBytes(limit)}` : `this machine's ${formatBytes(limit)}`}; make the job smaller or pass --yes to run it anyway`,
    );
  }
  if (isLongJob(estimate)) io.stderr(`convtopo ${command}: ${what}\n`);
}
