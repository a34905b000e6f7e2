/**
 * The page in headless Chromium (the production build, served on loopback): time to the first persistence
 * diagram, to all 17 diagrams and both layer matrices, to a Mapper graph; the longest main-thread task; and
 * activation throughput on every backend the browser offers.
 */
import { spawnSync } from 'node:child_process';
import { launchChromium, RECORD_LONG_TASKS, serveDist } from '../../tests/e2e/harness';
import { loadBundledDataset } from '../../src/data/bundled';
import { nodeReadFile } from '../../src/model/loadModelNode';
import type { BenchSection } from '../table';

export default async function (): Promise<BenchSection[]> {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const server = await serveDist();
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.addInitScript(RECORD_LONG_TASKS);
    await page.goto(server.url);
    await page.getByTestId('persistence-diagram').waitFor({ timeout: 300_000 });
    const firstDiagram = await page.evaluate(() => performance.now());
    await page.getByTestId('view-layers').click();
    await page.getByTestId('cka-matrix').waitFor({ timeout: 300_000 });
    const matrices = await page.evaluate(() => performance.now());
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('view-mapper').click();
    await page.getByTestId('mapper-summary').waitFor({ timeout: 120_000 });
    const mapper = (await page.evaluate(() => performance.now())) - t0;
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const backend = await page.getByTestId('backend-name').textContent();

    const ds = await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile);
    const throughput: (string | number)[][] = [];
    // Software GPU backends (SwiftShader here) manage a few images per second: time them on 100 images.
    for (const [b, n] of [['wasm', 1000], ['cpu', 200], ['webgl', 100], ['webgpu', 100]] as const) {
      const pixels = Array.from(ds.pixels.subarray(0, n * 784));
      try {
        const r = await page.evaluate(
          async ({ b, n, pixels }) => {
            const h = (window as unknown as { __convtopo: { modelWorker: { benchmarkActivations(u: string, d: unknown, b: string): Promise<{ imagesPerSecond: number; seconds: number }> } } }).__convtopo;
            const url = new URL('models/resnet18q-final/', document.baseURI).href;
            return h.modelWorker.benchmarkActivations(url, { n, height: 28, width: 28, channels: 1, pixels: new Uint8Array(pixels) }, b);
          },
          { b, n, pixels },
        );
        throughput.push([`Chromium ${b}`, n, r.seconds, r.imagesPerSecond]);
      } catch (err) {
        throughput.push([`Chromium ${b}`, n, 'failed', (err as Error).message.split('\n')[0].slice(0, 60)]);
      }
    }
    return [
      {
        title: 'The page in headless Chromium (production build, bundled model and 1000 images)',
        columns: ['measure', 'value', 'bar'],
        rows: [
          ['page load → first persistence diagram (s)', firstDiagram / 1000, '≤ 10'],
          ['page load → all 17 diagrams + SW and CKA matrices (s)', matrices / 1000, '≤ 60'],
          ['Mapper graph of one layer, clouds cached (s)', mapper / 1000, '≤ 2'],
          ['longest main-thread task (ms)', longTasks.length ? Math.max(...longTasks) : 0, '≤ 200'],
          ['main-thread tasks over 50 ms', longTasks.length, ''],
        ],
        notes: [`backend chosen by the page: ${backend}`, 'Chromium started with --headless --disable-gpu --enable-unsafe-webgpu (WebGPU on SwiftShader)'],
      },
      {
        title: 'Activations in Chromium: all 17 layers → top-L2 clouds (bundled resnet18q-final)',
        columns: ['backend', 'images', 'seconds', 'images/s'],
        rows: throughput,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
