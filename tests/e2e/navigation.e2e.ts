/**
 * Links and history: Back returns to the previous layer and view, links asking for more than the page allows or
 * naming unknown things get a notice (never a spinner that never ends), and the Mapper tooltip behaves: gone after
 * the pointer leaves or a node is clicked, inside the window, readable.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, openPage, screenshot, useAppInChromium, waitForGraphDrawn } from './harness';

const haveChromium = chromiumAvailable();
const WAIT = 150_000;
const TEST_MS = 300_000;

async function selectedLayer(page: Page): Promise<string | null> {
  return page.locator('[data-testid^="layer-"][aria-pressed="true"]').getAttribute('data-testid');
}

describe.runIf(haveChromium)('links, history and the Mapper tooltip', () => {
  const env = useAppInChromium();

  it('Back and Forward walk through layer and view changes', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?n=100');
    await page.getByTestId('layer-strip').waitFor({ timeout: WAIT });
    await page.getByTestId('layer-3').click();
    await page.waitForURL(/layer=3/);
    await page.waitForTimeout(800);
    await page.getByTestId('layer-5').click();
    await page.waitForURL(/layer=5/);
    await page.waitForTimeout(800);
    await page.getByTestId('view-layers').click();
    await page.waitForURL(/view=layers/);
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('view=layers'));
    expect(await selectedLayer(page)).toBe('layer-5');
    expect(await page.getByTestId('view-persistence').getAttribute('aria-selected')).toBe('true');
    await page.goBack();
    await page.waitForURL(/layer=3/);
    expect(await selectedLayer(page)).toBe('layer-3');
    await page.getByText('Layer 3').first().waitFor();
    await page.goForward();
    await page.waitForURL(/layer=5/);
    expect(await selectedLayer(page)).toBe('layer-5');
    expect(errors).toEqual([]);
  }, TEST_MS);

  it('a link with unknown ids, an out-of-range cell and too many intervals gets notices and a working page', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?dataset=no-such-set&model=nope&view=layers&cell=999,999&intervals=500&overlap=0.99&n=100');
    await page.getByTestId('notice-ids').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('notice-ids').textContent()).toMatch(/dataset "no-such-set".*model "nope"/);
    expect(await page.getByTestId('notice-limits').textContent()).toMatch(/intervals 500.*overlap 0\.99.*at most intervals 200.*overlap 0\.9/);
    await page.getByTestId('notice-cell').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('notice-cell').textContent()).toMatch(/999,999.*17 layers/);
    await page.getByTestId('cka-matrix').waitFor({ timeout: WAIT });
    expect(page.url()).not.toMatch(/cell=|dataset=|model=/);
    expect(page.url()).toMatch(/intervals=200/);
    await page.getByTestId('view-mapper').click();
    expect(await page.getByLabel('intervals').inputValue()).toBe('200');
    await screenshot(page, 'navigation-notices');
    expect(errors).toEqual([]);
  }, TEST_MS);

  it('the Mapper tooltip stays in the window, keeps its width, and goes when the pointer leaves or a node is clicked', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=mapper&layer=17&n=300');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('mapper-summary').waitFor({ timeout: WAIT });
    await waitForGraphDrawn(page, WAIT);
    const nodes = await page.evaluate(() => {
      type N = { id(): string; data(k: string): number; renderedPosition(): { x: number; y: number } };
      const cy = (window as unknown as { __convtopo: { cy: { nodes(): { map<T>(f: (n: N) => T): T[] } } } }).__convtopo.cy;
      return cy.nodes().map((n) => ({ id: n.id(), size: n.data('size'), ...n.renderedPosition() }));
    });
    expect(nodes.length).toBeGreaterThan(3);
    const box = (await page.getByTestId('mapper-graph').boundingBox())!;
    const tooltip = page.getByTestId('mapper-tooltip');
    // The right-most and the lowest nodes visible in the graph's box: the tooltip flips to stay inside the window.
    const inside = nodes.filter((n) => n.x > 10 && n.y > 10 && n.x < box.width - 10 && n.y < box.height - 10);
    for (const n of [inside.reduce((a, b) => (b.x > a.x ? b : a)), inside.reduce((a, b) => (b.y > a.y ? b : a))]) {
      await page.mouse.move(box.x + n.x, box.y + n.y);
      await tooltip.waitFor({ timeout: 10_000 });
      await page.waitForTimeout(100);
      const t = (await tooltip.boundingBox())!;
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(1280);
      expect(t.y + t.height).toBeLessThanOrEqual(720);
      expect(t.width).toBeGreaterThanOrEqual(180);
      await screenshot(page, `navigation-tooltip-${n.id}`);
    }
    // Leaving the graph hides it within 500 ms.
    await page.mouse.move(box.x + box.width + 150, box.y - 40);
    await page.waitForTimeout(500);
    expect(await tooltip.count()).toBe(0);
    // Clicking a node hides it too (the node's panel shows the members), also after moving away.
    const n = inside[0];
    await page.mouse.move(box.x + n.x, box.y + n.y);
    await tooltip.waitFor({ timeout: 10_000 });
    await page.mouse.click(box.x + n.x, box.y + n.y);
    await page.getByTestId('node-panel').waitFor();
    await page.waitForTimeout(500);
    expect(await tooltip.count()).toBe(0);
    await page.mouse.move(box.x + box.width + 150, box.y + 20);
    await page.waitForTimeout(500);
    expect(await tooltip.count()).toBe(0);
    expect(errors).toEqual([]);
  }, TEST_MS);
});
