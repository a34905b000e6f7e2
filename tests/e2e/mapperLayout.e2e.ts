/**
 * The Mapper picture stays put: its layout is computed once per graph in the Mapper worker and handed to cytoscape
 * as preset positions, so leaving the tab and coming back, or opening a copied link, shows the same node positions.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, openPage, screenshot, useAppInChromium, waitForGraphDrawn } from './harness';

const haveChromium = chromiumAvailable();
const WAIT = 150_000;

type Positions = Record<string, { x: number; y: number }>;

/** Every node's rendered position (px in the graph's box), once the graph for the current key is drawn. */
async function nodePositions(page: Page): Promise<Positions> {
  await waitForGraphDrawn(page, WAIT);
  return page.evaluate(() => {
    type Node = { id(): string; renderedPosition(): { x: number; y: number } };
    const cy = (window as unknown as { __convtopo: { cy: { nodes(): Node[] & { forEach(f: (n: Node) => void): void } } } }).__convtopo.cy;
    const out: Record<string, { x: number; y: number }> = {};
    cy.nodes().forEach((n) => void (out[n.id()] = n.renderedPosition()));
    return out;
  });
}

function expectSamePositions(a: Positions, b: Positions, what: string): void {
  expect(Object.keys(b).sort(), what).toEqual(Object.keys(a).sort());
  for (const id of Object.keys(a)) {
    expect(Math.abs(a[id].x - b[id].x), `${what}: node ${id} x`).toBeLessThanOrEqual(1);
    expect(Math.abs(a[id].y - b[id].y), `${what}: node ${id} y`).toBeLessThanOrEqual(1);
  }
}

describe.runIf(haveChromium)('the Mapper picture stays put', () => {
  const env = useAppInChromium();

  it('the same node positions after leaving and re-entering the tab and in a page opened from a copied link', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=mapper&layer=17&n=300');
    const first = await nodePositions(page);
    expect(Object.keys(first).length).toBeGreaterThan(1);
    await page.getByTestId('view-persistence').click();
    await page.getByTestId('view-mapper').click();
    expectSamePositions(first, await nodePositions(page), 'back on the tab');
    await page.getByTestId('copy-link').click();
    await page.waitForFunction(() => (window as unknown as { __convtopo: { lastCopiedLink?: string } }).__convtopo.lastCopiedLink !== undefined);
    const link = await page.evaluate(() => (window as unknown as { __convtopo: { lastCopiedLink: string } }).__convtopo.lastCopiedLink);
    await screenshot(page, 'mapper-layout');
    const other = await openPage(env.browser, link);
    expectSamePositions(first, await nodePositions(other.page), 'a page opened from the copied link');
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
  }, 400_000);
});
