/** A benchmark section prints one table; bench/run.ts prints them all in one run. */
export interface BenchSection {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Short notes printed under the table (machine, method). */
  notes?: string[];
}

export function formatTable(section: BenchSection): string {
  const cells = section.rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = section.columns.map((c, j) => Math.max(c.length, ...cells.map((r) => String(r[j] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, j) => String(c).padEnd(widths[j])).join(' | ') + ' |';
  const out = [`### ${section.title}`, '', line(section.columns), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|'];
  for (const r of cells) out.push(line(r.map(String)));
  if (section.notes?.length) out.push('', ...section.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** Peak resident memory of a child process in MiB via GNU time's %M, or of this process. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}
