/**
 * The whole 10 000-image test set in the page (issue 15): headless Chromium opens
 * `?dataset=fashion-mnist-10000&view=layers&landmarks=exact` on the production build served as `npm start` serves it (cross-origin
 * isolated), and the section reports, from page load: all 17 layers' activations, all 17 exact diagrams, both
 * 17 × 17 matrices, the peak memory of all browser processes (RSS summed over Chromium's process tree, sampled
 * every 250 ms) and the longest main-thread task with its attribution.
 *
 * Memory is reported as summed RSS (the bar's measure as first stated) and summed PSS (physical), with each
 * Chromium process type's peak (bench/processMemory.ts).
 *
 * `CONVTOPO_PAGE_N=2000` runs the same path on a seeded subset of N images (a quick check that the section works;
 * the figures that count are the full set's). `CONVTOPO_PAGE_SKIP_BUILD=1` reuses dist/.
 */
import { spawnSync } from 'node:child_process';
import { launchChromium, serveDist } from '../../tests/e2e/harness';
import { longTaskReport, RECORD_LONG_FRAMES } from '../../tests/e2e/longFrames';
import { sampleProcessMemory } from '../processMemory';
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

export default async function (): Promise<BenchSection> {
  if (!process.env.CONVTOPO_PAGE_SKIP_BUILD) {
    const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const n = Number(process.env.CONVTOPO_PAGE_N ?? 0);
  const server = await serveDist(undefined, { isolated: true });
  // Chromium's processes only (the bench's own Node process and the static server excluded).
  const memory = sampleProcessMemory(process.pid, /chrom/i);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.addInitScript(RECORD_LONG_FRAMES);
    await page.addInitScript(MARK_PHASES);
    const query = `?dataset=fashion-mnist-10000&view=layers&landmarks=exact${n > 0 ? `&n=${n}` : ''}`;
    const navigated = performance.now();
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
    // The 17-layer forward pass as the model worker timed it (what the activations figure waits for besides
    // loading the page, the dataset and the model).
    const pass = await page.evaluate(async () => {
      type Entry = { name: string; start: number; duration: number };
      const w = window as unknown as { __convtopo: { modelWorker: { timeline(o: number): Promise<Entry[]> } } };
      return (await w.__convtopo.modelWorker.timeline(performance.timeOrigin)).find((e) => e.name === 'clouds: layers all');
    });
    const tasks = await longTaskReport(page);
    const peak = memory.stop();
    const s = (ms: number | undefined) => (ms === undefined ? 'not seen' : ms / 1000);
    // When the peaks were seen, in s from navigation (to set beside the phases).
    const at = (ms: number) => `${((ms - navigated) / 1000).toFixed(0)} s`;
    return {
      title: `The ${n > 0 ? `${n}-image subset of the ` : ''}10 000-image test set in the page (headless Chromium, production build, cross-origin isolated)`,
      columns: ['measure', 'value', 'bar'],
      rows: [
        ['page load → activations of all 17 layers (s)', s(phases.clouds), '≤ 15'],
        ['  of which the 17-layer forward pass in the model worker (s)', pass ? `${(pass.duration / 1000).toFixed(2)} (${(n || 10_000) / (pass.duration / 1000) | 0} images/s, from ${(pass.start / 1000).toFixed(2)} s)` : 'not seen', ''],
        ['page load → all 17 exact diagrams (s)', s(phases.diagrams), ''],
        ['page load → both 17 × 17 matrices (s)', matrices / 1000, '≤ 600'],
        ['peak memory of all browser processes (GB, summed RSS)', peak.rss / 1e9, '≤ 3'],
        ['peak memory of all browser processes (GB, summed PSS: physical)', peak.pss / 1e9, ''],
        ...peak.byType.map((t) => [`  ${t.type} (${t.processes} process${t.processes > 1 ? 'es' : ''}): peak RSS / PSS (GB)`, `${(t.rss / 1e9).toFixed(2)} / ${(t.pss / 1e9).toFixed(2)}`, '']),
        ['longest main-thread task (ms)', tasks.longest, '≤ 200'],
        ['main-thread tasks over 50 ms', tasks.tasks.length, ''],
      ],
      notes: [
        `backend chosen by the page: ${backend}; ${shapes.length} clouds of ${shapes[0]} points`,
        `the longest task: ${tasks.attribution.replace(/\n\s*/g, '; ')}`,
        `memory, sampled every 250 ms (${peak.samples} samples): summed RSS counts shared pages (the Chromium binary, shared memory) once in every process, an upper bound; summed PSS (smaps_rollup) divides them, the physical memory; the bar is stated on summed RSS (README). Peaks at ${at(peak.rssAt)} (RSS) and ${at(peak.pssAt)} (PSS) after navigation; a type's row is the peak of that type's sum`,
      ],
    };
  } finally {
    memory.stop();
    await browser.close();
    await server.close();
  }
}
