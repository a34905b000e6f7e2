/**
 * Memory of a process tree (Chromium's browser, renderer, GPU and utility processes), sampled from /proc.
 *
 * Two sums, because they answer different questions. Summed RSS counts a shared page once in every process that
 * maps it (the Chromium binary, fonts, shared memory between the browser and its renderers), so it overstates the
 * physical memory used; it is what the bench reported first and what the README's bar was stated in. Summed PSS
 * (`/proc/PID/smaps_rollup`) divides each shared page among the processes that map it, so its sum is the physical
 * memory the tree uses.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Every descendant process of `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Chromium's process type from /proc/PID/cmdline (`--type=renderer` …; no type: the browser process). Chromium
 * rewrites its own argv (setproctitle), so arguments may be separated by spaces rather than NULs.
 */
export function chromiumProcessType(cmdline: string): string {
  const m = /(?:^|[\0 ])--type=([^\0 ]+)/.exec(cmdline);
  if (!m) return 'browser';
  const type = m[1] === 'gpu-process' ? 'gpu' : m[1];
  // Utility processes name their service (network, storage, audio): keep it, they differ a lot in size.
  const sub = type === 'utility' ? /(?:^|[\0 ])--utility-sub-type=([^\0 ]+)/.exec(cmdline) : null;
  return sub ? `utility (${sub[1].replace(/^.*\./, '')})` : type;
}

/** RSS and PSS of one process in bytes (0 for a process that ended or cannot be read). */
export function processMemory(pid: number): { rss: number; pss: number } {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('Rss'), pss: kb('Pss') };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

export interface TypePeak {
  type: string;
  /** Processes of this type seen during the run. */
  processes: number;
  /** Peak over samples of this type's summed RSS / PSS. */
  rss: number;
  pss: number;
}

export interface MemoryPeaks {
  /** Peak over samples of the summed RSS of all processes, and when it was seen (this process's performance.now()). */
  rss: number;
  rssAt: number;
  /** Peak over samples of the summed PSS (physical memory), and when. */
  pss: number;
  pssAt: number;
  byType: TypePeak[];
  samples: number;
}

/**
 * Sample every `everyMs` the processes under `root` whose command name matches `name`; `stop()` returns the peaks.
 * Reading smaps_rollup walks a process's page tables (a few ms for a large renderer), hence not more often.
 */
export function sampleProcessMemory(root: number, name: RegExp, everyMs = 250): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { rss: 0, rssAt: 0, pss: 0, pssAt: 0, byType: [], samples: 0 };
  const types = new Map<string, TypePeak & { pids: Set<number> }>();
  const typeOf = new Map<number, string>();
  const timer = setInterval(() => {
    let rss = 0, pss = 0;
    const perType = new Map<string, { rss: number; pss: number }>();
    for (const pid of descendants(root)) {
      let type = typeOf.get(pid);
      if (type === undefined) {
        try {
          if (!name.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) continue;
          type = chromiumProcessType(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
        } catch {
          continue;
        }
        typeOf.set(pid, type);
      }
      const m = processMemory(pid);
      rss += m.rss;
      pss += m.pss;
      const t = perType.get(type) ?? { rss: 0, pss: 0 };
      t.rss += m.rss;
      t.pss += m.pss;
      perType.set(type, t);
      let peak = types.get(type);
      if (!peak) types.set(type, (peak = { type, processes: 0, rss: 0, pss: 0, pids: new Set() }));
      peak.pids.add(pid);
    }
    const now = performance.now();
    peaks.samples++;
    if (rss > peaks.rss) [peaks.rss, peaks.rssAt] = [rss, now];
    if (pss > peaks.pss) [peaks.pss, peaks.pssAt] = [pss, now];
    for (const [type, m] of perType) {
      const peak = types.get(type)!;
      peak.rss = Math.max(peak.rss, m.rss);
      peak.pss = Math.max(peak.pss, m.pss);
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peaks.byType = [...types.values()].map(({ pids, ...t }) => ({ ...t, processes: pids.size })).sort((a, b) => b.pss - a.pss);
      return peaks;
    },
  };
}
