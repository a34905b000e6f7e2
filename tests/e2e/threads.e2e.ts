/**
 * Threaded WebAssembly (issue 15): served cross-origin isolated (the COOP/COEP headers of vite.config.ts), the
 * minified build runs tfjs-wasm's threaded SIMD binary on every core and says so; served without them it falls
 * back to one thread and says why. Prints activation throughput both ways (a small run: the figure is noisy here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadBundledDataset } from '../../src/data/bundled';
import { nodeReadFile } from '../../src/model/loadModelNode';
import { chromiumAvailable, launchChromium, openPage, serveDist, type StaticServer } from './harness';

const haveChromium = chromiumAvailable();
const IMAGES = 300;

async function wasmThroughput(page: Page, pixels: number[]): Promise<number> {
  return page.evaluate(
    async ({ n, pixels }) => {
      const h = (window as unknown as { __convtopo: { modelWorker: { benchmarkActivations(u: string, d: unknown, b: string): Promise<{ imagesPerSecond: number }> } } }).__convtopo;
      const url = new URL('models/resnet18q-final/', document.baseURI).href;
      return (await h.modelWorker.benchmarkActivations(url, { n, height: 28, width: 28, channels: 1, pixels: new Uint8Array(pixels) }, 'wasm')).imagesPerSecond;
    },
    { n: IMAGES, pixels },
  );
}

describe.runIf(haveChromium)('threaded wasm', () => {
  let browser: Browser;
  let isolated: StaticServer;
  let plain: StaticServer;
  let pixels: number[];
  beforeAll(async () => {
    [isolated, plain, browser] = await Promise.all([serveDist(undefined, { isolated: true }), serveDist(), launchChromium()]);
    pixels = Array.from((await loadBundledDataset('public/datasets/fashion-mnist-1000', nodeReadFile)).pixels.subarray(0, IMAGES * 784));
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([isolated?.close(), plain?.close()]);
  });

  const figures: Record<string, number> = {};

  it('cross-origin isolated: the threaded SIMD binary, and the threads its pool really runs, said in the backend panel, no errors', async () => {
    const a = await openPage(browser, isolated.url);
    expect(await a.page.evaluate(() => crossOriginIsolated)).toBe(true);
    await a.page.getByTestId('backend-name').waitFor({ timeout: 300_000 });
    const cores = await a.page.evaluate(() => navigator.hardwareConcurrency);
    const wasmLine = await a.page.getByTestId('backend-probe-wasm').textContent();
    // The line gives the pool's own count (getThreadsCount) whenever it is fewer than asked, so this holds only
    // when XNNPACK's pool really has a thread per core (tfjs-backend-wasm 4.22 halves the core count it sees:
    // browserBackends.ts works around it).
    if (cores > 1) expect(wasmLine).toMatch(new RegExp(`threaded SIMD, ${Math.min(cores, 8)} threads \\(the page is cross-origin isolated\\)`));
    console.log(`isolated page's wasm line: ${wasmLine}`);
    figures.threaded = await wasmThroughput(a.page, pixels);
    figures.cores = cores;
    expect(a.errors).toEqual([]);
    await a.page.context().close();
  }, 400_000);

  it('not isolated: one thread, and the backend panel says why', async () => {
    const b = await openPage(browser, plain.url);
    expect(await b.page.evaluate(() => crossOriginIsolated)).toBe(false);
    await b.page.getByTestId('backend-name').waitFor({ timeout: 300_000 });
    expect(await b.page.getByTestId('backend-probe-wasm').textContent()).toMatch(/single-threaded SIMD: the page is not cross-origin isolated/);
    figures.single = await wasmThroughput(b.page, pixels);
    expect(b.errors).toEqual([]);
    await b.page.context().close();
    console.log(
      `activations, all 17 layers, ${IMAGES} images, wasm in Chromium: ${figures.threaded?.toFixed(0)} images/s isolated ` +
        `(${figures.cores} cores, threads as the panel says), ${figures.single.toFixed(0)} images/s not isolated`,
    );
  }, 400_000);
});
