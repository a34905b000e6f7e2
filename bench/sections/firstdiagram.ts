/**
 * Page load → first persistence diagram (issue 15: ≤ 3 s). Headless Chromium opens the production build served as
 * `npm start` serves it (cross-origin isolated), twice with the same profile: a cold visit (fresh user-data-dir, so
 * the backend is probed) and a second visit after a browser restart (the remembered backend). Each row gives the
 * time from navigation to the first diagram point drawn, when the backend panel appeared, Chromium's CPU seconds
 * (every process, from launch to the diagram) and the load at the time; the notes give what the first diagram waited
 * for: the page's job measures and the model worker's (backend, model, passes), from the Performance timelines.
 *
 * `CONVTOPO_PAGE_SKIP_BUILD=1` reuses dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serveDist } from '../../tests/e2e/harness';
import { MARK_FIRST_DIAGRAM } from '../../tests/e2e/firstDiagramMarks';
import type { BenchSection } from '../table';

/** Clock ticks per second of /proc/PID/stat's utime and stime (100 on Linux). */
const CLK_TCK = 100;

/** CPU seconds (user + system) of every Chromium process descending from this one. */
function chromiumCpuSeconds(): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  const chrome = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      // After the command name: state ppid … (utime and stime are fields 14 and 15 of the whole line).
      const f = stat.slice(close + 2).split(' ');
      parent.set(Number(entry), Number(f[1]));
      ticks.set(Number(entry), Number(f[11]) + Number(f[12]));
      if (/chrom/i.test(stat.slice(stat.indexOf('(') + 1, close))) chrome.add(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let sum = 0;
  for (const pid of chrome) if (descends(pid)) sum += ticks.get(pid)!;
  return sum / CLK_TCK;
}

interface Visit {
  ms: number;
  backendMs: number;
  backend: string;
  probeMs: number;
  cpu: number;
  load: number;
  timeline: string;
}

async function visit(url: string, profile: string): Promise<Visit> {
  const load = loadavg()[0];
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  try {
    await context.addInitScript(MARK_FIRST_DIAGRAM);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __firstDiagramMs?: number }).__firstDiagramMs !== undefined, undefined, { timeout: 300_000, polling: 20 });
    const cpu = chromiumCpuSeconds();
    const backend = (await page.getByTestId('backend-name').textContent()) ?? '?';
    const r = await page.evaluate(async () => {
      type Entry = { name: string; start: number; duration: number };
      const w = window as unknown as {
        __firstDiagramMs: number;
        __marks: { backend?: number };
        __convtopo: { modelWorker: { timeline(o: number): Promise<Entry[]>; probeBackends(): Promise<{ probeMs: number }> } };
      };
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const page: Entry[] = performance.getEntriesByType('measure').map((e) => ({ name: e.name, start: e.startTime, duration: e.duration }));
      if (nav) page.push({ name: 'page: DOMContentLoaded', start: 0, duration: nav.domContentLoadedEventEnd });
      const worker = await w.__convtopo.modelWorker.timeline(performance.timeOrigin);
      return { ms: w.__firstDiagramMs, backendMs: w.__marks.backend ?? NaN, probeMs: (await w.__convtopo.modelWorker.probeBackends()).probeMs, entries: [...page, ...worker] };
    });
    const timeline = r.entries
      .filter((e) => e.start < r.ms)
      .sort((a, b) => a.start - b.start)
      .map((e) => `${e.name} ${(e.start / 1000).toFixed(2)}–${((e.start + e.duration) / 1000).toFixed(2)} s`)
      .join('; ');
    return { ms: r.ms, backendMs: r.backendMs, backend, probeMs: r.probeMs, cpu, load, timeline };
  } finally {
    await context.close();
  }
}

export default async function (): Promise<BenchSection> {
  if (!process.env.CONVTOPO_PAGE_SKIP_BUILD) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const server = await serveDist(undefined, { isolated: true });
  const profile = mkdtempSync(join(tmpdir(), 'convtopo-firstdiagram-'));
  try {
    const cold = await visit(server.url, profile);
    const second = await visit(server.url, profile);
    const row = (name: string, v: Visit) => [name, v.ms / 1000, v.backendMs / 1000, v.backend, v.probeMs / 1000, v.cpu, v.load];
    return {
      title: 'Page load → first persistence diagram (headless Chromium, production build, cross-origin isolated, default view)',
      columns: ['visit', 'first diagram (s)', 'backend shown (s)', 'backend', 'probe in the worker (s)', 'Chromium CPU (s)', 'load (1 min)'],
      rows: [row('cold (fresh profile: probe)', cold), row('second visit (same profile: remembered backend)', second)],
      notes: [
        'bar: ≤ 3 s; times from navigation start; Chromium CPU: every Chromium process from launch to the first diagram',
        `cold timeline: ${cold.timeline}`,
        `second-visit timeline: ${second.timeline}`,
      ],
    };
  } finally {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
