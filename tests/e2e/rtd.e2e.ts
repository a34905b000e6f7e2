/**
 * RTD in the Layers view: on demand, the selected layer's RTD against every other layer fills that row and column
 * of the RTD matrix (the rest stays "not computed"), with its rank correlation against SW and CKA; a click on a
 * computed cell shows that pair's two cross-barcodes, whose RTD values average to the cell's value. A 60-image
 * subset keeps the 16 pairs to seconds.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();

interface RtdShown {
  key: string;
  k: number;
  values: (number | null)[];
}

describe.runIf(haveChromium)('RTD in the Layers view', () => {
  const env = useAppInChromium();

  it('the selected layer\'s row appears on demand, and a click on a cell shows its cross-barcodes', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=layers&n=60&layer=5');
    const button = page.getByTestId('rtd-row');
    await button.waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('rtd-panel').textContent()).toMatch(/On 60 of the 60 images/);
    expect(await page.getByTestId('rtd-matrix').count()).toBe(0);
    await button.click();
    await page.getByTestId('rtd-matrix').waitFor({ timeout: 150_000 });
    const shown = await page.evaluate(() => (window as unknown as { __convtopo: { rtd: RtdShown } }).__convtopo.rtd);
    expect(shown.k).toBe(17);
    expect(shown.key).toMatch(/^rtd\|clouds\|.*\|row4\|s=60\|T=1\|seed=0$/);
    const at = (i: number, j: number) => shown.values[i * 17 + j];
    for (let i = 0; i < 17; i++) {
      for (let j = 0; j < 17; j++) {
        const v = at(i, j);
        if (i === j) expect(v).toBe(0);
        else if (i === 4 || j === 4) {
          expect(v, `cell ${i},${j}`).toBeGreaterThan(0);
          expect(v).toBe(at(j, i));
        } else expect(v === null || Number.isNaN(v), `cell ${i},${j} should not be computed`).toBe(true);
      }
    }
    // Cells not computed are drawn hatched: 17² − 17 − 2·16.
    expect(await page.locator('[data-testid="rtd-matrix"] .hm-nodata').count()).toBe(17 * 17 - 17 - 32);
    expect(await page.getByTestId('rtd-correlation').textContent()).toMatch(/with SW: -?[01]\.\d{3}, with 1 − CKA: -?[01]\.\d{3}/);

    await page.locator('[data-testid="rtd-matrix"] .hm-cell[data-i="4"][data-j="12"]').click();
    await page.locator('[data-testid="cross-barcode"] [data-testid="barcode"]').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="cross-barcode"] [data-testid="barcode"]').count()).toBe(2);
    const x = await page.evaluate(() => (window as unknown as { __convtopo: { crossBarcode: { i: number; j: number; rtdAB: number; rtdBA: number; bars: number[] } } }).__convtopo.crossBarcode);
    expect([x.i, x.j]).toEqual([4, 12]);
    expect(x.bars[0]).toBeGreaterThan(0);
    expect(x.bars[1]).toBeGreaterThan(0);
    // The same images (seed 0, trial 0) as the row: the two directions average to the cell.
    expect(Math.abs((x.rtdAB + x.rtdBA) / 2 - at(4, 12)!)).toBeLessThanOrEqual(1e-9 * at(4, 12)!);
    // A cell that was not computed says so, and the last pair's barcodes go (they are not that cell's).
    await page.locator('[data-testid="rtd-matrix"] .hm-cell[data-i="0"][data-j="1"]').click();
    await page.getByTestId('cross-barcode-hatched').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('cross-barcode-hatched').textContent()).toMatch(/not computed yet/);
    expect(await page.getByTestId('cross-barcode').count()).toBe(0);
    // Back on the computed cell: its barcodes again, from the cache.
    await page.locator('[data-testid="rtd-matrix"] .hm-cell[data-i="4"][data-j="12"]').click();
    await page.locator('[data-testid="cross-barcode"] [data-testid="barcode"]').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('cross-barcode-hatched').count()).toBe(0);
    await screenshot(page, 'rtd-row');
    expect(errors).toEqual([]);
  }, 400_000);

  it('the same layer in another seed: SW and CKA per layer and the full 17 × 17 cross block', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=layers&n=60&layer=5&compare=resnet18q-seed2');
    await page.getByTestId('cross-block').waitFor({ timeout: 200_000 });
    expect(await page.locator('[data-testid="cross-block"] .hm-cell').count()).toBe(17 * 17);
    expect(await page.locator('[data-testid="cross-block"] .hm-nodata').count()).toBe(0);
    expect(await page.getByTestId('compare-row').locator('.lc-line').count()).toBe(2);
    expect(await page.getByTestId('cross-block-summary').textContent()).toMatch(/At \d+ of 17 layers, layer i of resnet18q-final is closer \(SW\) to layer i of resnet18q-seed2/);
    await screenshot(page, 'cross-block');
    expect(errors).toEqual([]);
  }, 400_000);
});
