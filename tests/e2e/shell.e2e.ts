import { describe, expect, it } from 'vitest';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();

describe.runIf(haveChromium)('app shell in Chromium', () => {
  const env = useAppInChromium();

  it('loads without console errors, names the backend and explains every other probe', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('backend-name').waitFor({ timeout: 120_000 });
    const chosen = await page.getByTestId('backend-name').textContent();
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(chosen);
    for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) {
      const reason = (await page.getByTestId(`backend-probe-${name}`).textContent()) ?? '';
      expect(reason.length, `probe ${name} has a reason`).toBeGreaterThan(name.length + 5);
    }
    await page.getByText('why this one').click();
    await screenshot(page, 'shell-backend');
    expect(errors).toEqual([]);
  });

  it('round-trips a Float32Array through the Comlink worker with progress, and survives a cancel', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('worker-status').getByText('workers ready').waitFor({ timeout: 60_000 });
    const result = await page.evaluate(async () => {
      type Remote = {
        runningSum(a: Float32Array, id: number, cb?: unknown, chunk?: number): Promise<Float32Array>;
        cancel(id: number): Promise<void>;
      };
      const h = (window as unknown as { __convtopo: { smoke: Remote; Comlink: { proxy<T>(x: T): T; transfer<T>(x: T, t: Transferable[]): T } } }).__convtopo;
      const n = 100_000;
      const input = new Float32Array(n);
      for (let i = 0; i < n; i++) input[i] = (i % 7) - 3;
      let expectedLast = 0;
      for (let i = 0; i < n; i++) expectedLast += input[i];
      const progress: number[] = [];
      const out = await h.smoke.runningSum(h.Comlink.transfer(input, [input.buffer]), 1, h.Comlink.proxy((f: number) => progress.push(f)), 10_000);
      // Transferred, not copied: the page's input buffer is detached.
      const detached = input.byteLength === 0;
      // A long job, cancelled after its first progress report, rejects with AbortError.
      const big = new Float32Array(1 << 22).fill(1);
      let cancelName = '';
      let sent = false;
      try {
        await h.smoke.runningSum(big, 2, h.Comlink.proxy(() => {
          if (!sent) { sent = true; void h.smoke.cancel(2); }
        }), 1 << 10);
      } catch (e) {
        cancelName = (e as Error).name;
      }
      // The worker still works afterwards.
      const again = await h.smoke.runningSum(new Float32Array([1, 2, 3]), 3);
      return { len: out.length, first: out[0], last: out[n - 1], expectedLast, progress, detached, cancelName, again: Array.from(again) };
    });
    expect(result.len).toBe(100_000);
    expect(result.first).toBe(-3);
    expect(result.last).toBe(result.expectedLast);
    expect(result.progress.length).toBe(10);
    expect(result.progress.at(-1)).toBe(1);
    expect(result.detached).toBe(true);
    expect(result.cancelName).toBe('AbortError');
    expect(result.again).toEqual([1, 3, 6]);
    await screenshot(page, 'shell-worker');
    expect(errors).toEqual([]);
  });
});
