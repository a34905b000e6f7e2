/**
 * The whole 10 000-image test set in the page (issue 15): headless Chromium opens
 * `?dataset=fashion-mnist-10000&view=layers&landmarks=exact` on the production build served as `npm start` serves it (cross-origin
 * isolated), and the section reports, from page load: all 17 layers' activations, all 17 exact diagrams, both
 * 17 × 17 matrices, the peak memory of all browser processes (RSS summed over Chromium's process tree, sampled
 * every 250 ms) and the longest main-thread task with its attribution.
 *
 * `CONVTOPO_PAGE_N=2000` runs the same path on a seeded subset of N images (a quick check that the section works;
 * the figures that count are the full set's). `CONVTOPO_PAGE_SKIP_BUILD=1` reuses dist/.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { launchChromium, serveDist } from '../../tests/e2e/harness';
import { longTaskReport, RECORD_LONG_FRAMES } from '../../tests/e2e/longFrames';
import type { BenchSection } from '../table';

/** Times (ms from navigation start) when the clouds arrived and when the all-layer persistence job ended. */
const MARK_PHASES = `
  window.__phases = {};
  const seen = { persistence: false };
  setInterval(() => {
    const p = window.__phases;
    const h = window.__convtopo;
    if (p.clouds === undefined && h && h.clouds && h.clouds.length > 0) p.clouds = performance.now();
    const progress = document.querySelector('[data-testid="progress"]');
    const text = progress ? progress.textContent : '';
    if (/persistence of all/.test(text)) seen.persistence = true;
    else if (seen.persistence && p.diagrams === undefined) p.diagrams = performance.now();
  }, 100);
`;

/** Every descendant process of `root` (Chromium's browser, renderers, GPU and utility processes). */
function descendants(root: number): number[] {
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

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Peak of the summed RSS of this process's Chromium descendants (the bench's own Node process excluded). */
function sampleBrowserMemory(): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    const pids = descendants(process.pid).filter((pid) => {
      try {
        return /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
      } catch {
        return false;
      }
    });
    peak = Math.max(peak, pids.reduce((s, pid) => s + rssBytes(pid), 0));
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export default async function (): Promise<BenchSection> {
  if (!process.env.CONVTOPO_PAGE_SKIP_BUILD) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const n = Number(process.env.CONVTOPO_PAGE_N ?? 0);
  const server = await serveDist(undefined, { isolated: true });
  const memory = sampleBrowserMemory();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.addInitScript(RECORD_LONG_FRAMES);
    await page.addInitScript(MARK_PHASES);
    const query = `?dataset=fashion-mnist-10000&view=layers&landmarks=exact${n > 0 ? `&n=${n}` : ''}`;
    await page.goto(server.url + query);
    // The bar is 10 minutes; wait twice that before calling it failed.
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="cka-matrix"] .hm-cell').length === 17 * 17 && document.querySelectorAll('[data-testid="distance-matrix"] .hm-cell').length === 17 * 17,
      undefined,
      { timeout: 1_200_000, polling: 250 },
    );
    const matrices = await page.evaluate(() => performance.now());
    const phases = await page.evaluate(() => (window as unknown as { __phases: { clouds?: number; diagrams?: number } }).__phases);
    const shapes = await page.evaluate(() => (window as unknown as { __convtopo: { clouds: { n: number }[] } }).__convtopo.clouds.map((c) => c.n));
    const backend = await page.getByTestId('backend-name').textContent();
    const tasks = await longTaskReport(page);
    const peak = memory.stop();
    const s = (ms: number | undefined) => (ms === undefined ? 'not seen' : ms / 1000);
    return {
      title: `The ${n > 0 ? `${n}-image subset of the ` : ''}10 000-image test set in the page (headless Chromium, production build, cross-origin isolated)`,
      columns: ['measure', 'value', 'bar'],
      rows: [
        ['page load → activations of all 17 layers (s)', s(phases.clouds), '≤ 15'],
        ['page load → all 17 exact diagrams (s)', s(phases.diagrams), ''],
        ['page load → both 17 × 17 matrices (s)', matrices / 1000, '≤ 600'],
        ['peak memory of all browser processes (GB, summed RSS)', peak / 1e9, '≤ 3'],
        ['longest main-thread task (ms)', tasks.longest, '≤ 200'],
        ['main-thread tasks over 50 ms', tasks.tasks.length, ''],
      ],
      notes: [
        `backend chosen by the page: ${backend}; ${shapes.length} clouds of ${shapes[0]} points`,
        `the longest task: ${tasks.attribution.replace(/\n\s*/g, '; ')}`,
        'memory: RSS summed over every Chromium process (shared pages counted in each process, so an upper bound)',
      ],
    };
  } finally {
    memory.stop();
    await browser.close();
    await server.close();
  }
}
