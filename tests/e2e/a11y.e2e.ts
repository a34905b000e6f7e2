/**
 * Accessibility in Chromium: axe-core finds no serious or critical violation on any view in either colour scheme,
 * and everything a mouse reaches can be reached with the keyboard alone.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { encodePng } from '../../src/data/loaders/pngNode';
import { chromiumAvailable, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();

const VIEWS = ['persistence', 'layers', 'mapper', 'images', 'paper'] as const;
/** What each view shows once its data is there (waited for before axe runs, so the charts are checked too). */
const READY: Record<(typeof VIEWS)[number], string> = {
  persistence: '[data-testid="persistence-diagram"] .pd-point',
  layers: '[data-testid="cka-matrix"] .hm-cell',
  mapper: '[data-testid="mapper-summary"]',
  images: '[data-testid="images-view"] canvas',
  paper: '[data-testid="paper-view"]',
};

async function open(browser: Browser, url: string, colorScheme: 'light' | 'dark', viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => void (msg.type() === 'error' && errors.push(msg.text())));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url);
  return { page, errors, context };
}

/** Serious and critical violations, one line each (rule, impact, the first offending nodes). */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Presses Tab until `selector` has focus (at most `max` times); fails naming what had focus instead. */
async function tabTo(page: Page, selector: string, max = 120): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${selector} not reached in ${max} Tab presses (focus on ${at})`);
}

/** A zip of two class folders of 28×28 PNGs (a bright square left or right, plus a little texture). */
function shapesZip(): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [cls, name] of ['left', 'right'].entries()) {
    for (let i = 0; i < 5; i++) {
      const px = new Uint8Array(28 * 28);
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[y * 28 + x] = Math.abs(x - (8 + 12 * cls)) < 5 && Math.abs(y - 14) < 8 ? 220 : (13 * (x + y + i)) % 40;
      files[`${name}/${i}.png`] = encodePng({ width: 28, height: 28, channels: 1, pixels: px });
    }
  }
  return zipSync(files);
}

/** Elements of the main pane that stick out of it horizontally, or scroll sideways inside it. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('.main') as HTMLElement;
    const right = main.getBoundingClientRect().right;
    const out: string[] = [];
    if (main.scrollWidth > main.clientWidth + 1) out.push(`.main scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
    for (const el of main.querySelectorAll<HTMLElement>('figure, canvas, svg, .panel, .mapper-view, .chart-row > *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 1) out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} ends at ${Math.round(r.right)} > ${Math.round(right)}`);
    }
    return [...new Set(out)].slice(0, 6);
  });
}

const active = (page: Page) => page.evaluate(() => ({ testid: document.activeElement?.getAttribute('data-testid'), role: document.activeElement?.getAttribute('role') }));

describe.runIf(haveChromium)('accessibility in Chromium', () => {
  const env = useAppInChromium();

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe-core finds no serious or critical violation on any view (${scheme})`, async () => {
      // A small sample keeps the 17 layers' persistence quick; the page is the same.
      const { page, errors, context } = await open(env.browser, `${env.server.url}?n=300`, scheme);
      const found: Record<string, string[]> = {};
      const overflow: Record<string, string[]> = {};
      for (const [i, v] of VIEWS.entries()) {
        // Views are switched with their shortcut key, as a keyboard user would.
        const t0 = Date.now();
        await page.locator('body').press(String(i + 1));
        await page.locator(READY[v]).first().waitFor({ timeout: 250_000 });
        const t1 = Date.now();
        const problems = await axeProblems(page);
        console.log(`${scheme} ${v}: ready after ${t1 - t0} ms, axe ${Date.now() - t1} ms, ${problems.length} serious/critical`);
        if (problems.length) found[v] = problems;
        // Nothing wider than its pane, at both sizes (screenshots left in test-results/e2e for a look).
        for (const size of [{ width: 1400, height: 900 }, { width: 1280, height: 720 }]) {
          await page.setViewportSize(size);
          await page.waitForTimeout(300);
          const wide = await overflowing(page);
          if (wide.length) overflow[`${v} ${size.width}×${size.height}`] = wide;
          await screenshot(page, `a11y-${v}-${scheme}-${size.width}x${size.height}`);
        }
        await page.setViewportSize({ width: 1400, height: 900 });
      }
      expect(overflow).toEqual({});
      expect(found).toEqual({});
      expect(errors).toEqual([]);
      await context.close();
    }, 600_000);
  }

  it('a keyboard alone reaches an H1 loop and a Mapper node’s members; tabs and shortcuts behave', async () => {
    const { page, errors, context } = await open(env.browser, `${env.server.url}?n=300`, 'light');
    await page.locator(READY.persistence).first().waitFor({ timeout: 150_000 });
    // Tabs: ←/→ move the selection and the focus; a shortcut key typed into a field stays in the field.
    await tabTo(page, '[role="tab"][aria-selected="true"]');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('view-layers').getAttribute('aria-selected')).toBe('true');
    expect((await active(page)).testid).toBe('view-layers');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('view-persistence').getAttribute('aria-selected')).toBe('true');
    const cap = page.locator('.side input[type="number"]').first();
    await cap.focus();
    await page.keyboard.press('3');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('view-persistence').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[data-testid^="layer-"][aria-pressed="true"]').getAttribute('data-testid')).toBe('layer-1');
    await page.locator('body').press('Control+3');
    expect(await page.getByTestId('view-persistence').getAttribute('aria-selected')).toBe('true');

    // From the top of the page: Tab to the diagram, Page Down to the longest H1 point, Enter → its loop's images.
    await page.reload();
    await page.locator(READY.persistence).first().waitFor({ timeout: 150_000 });
    await tabTo(page, 'svg[data-testid="persistence-diagram"]');
    expect(await page.getByTestId('persistence-diagram').getAttribute('aria-label')).toMatch(/^Persistence diagram of layer 1/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('PageDown');
    expect(await page.locator('[data-testid="persistence-diagram"] .pd-cursor').getAttribute('data-dim')).toBe('1');
    await page.getByTestId('hover-readout').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('loop-images').locator('img.thumb').nth(2).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('loop-images').textContent()).toMatch(/a loop through \d+ images/);
    await screenshot(page, 'a11y-keyboard-loop');

    // The Layers matrix: arrows move the cell cursor, Enter overlays the two layers' diagrams.
    await page.keyboard.press('2');
    await page.locator(READY.layers).first().waitFor({ timeout: 150_000 });
    await tabTo(page, 'svg[data-testid="distance-matrix"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByTestId('cell-overlay').waitFor();
    await page.waitForURL(/cell=0%2C1|cell=0,1/);

    // Mapper: Tab to the graph, an arrow puts the cursor on the largest node (its tooltip shows), Enter opens it.
    await page.keyboard.press('3');
    await page.locator(READY.mapper).waitFor({ timeout: 150_000 });
    await tabTo(page, '[data-testid="mapper-graph"]');
    await page.keyboard.press('ArrowDown');
    await page.getByTestId('mapper-tooltip').waitFor({ timeout: 10_000 });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('node-panel');
    await panel.waitFor({ timeout: 10_000 });
    expect(await panel.locator('h4').textContent()).toMatch(/interval \d+ of \d+ · l2norm [\d.]+–[\d.]+ · \d+ images? · (mostly|all) /);
    expect(await panel.locator('img.thumb').count()).toBeGreaterThan(0);
    // Scrolled into view.
    const box = (await panel.boundingBox())!;
    expect(box.y).toBeLessThan(900);
    await screenshot(page, 'a11y-keyboard-mapper-node');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a .zip chosen through the file picker (opened with Enter on the drop zone) loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convtopo-pick-'));
    const zipPath = join(dir, 'shapes.zip');
    writeFileSync(zipPath, shapesZip());
    const { page, errors, context } = await open(env.browser, env.server.url, 'light');
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('persistence-diagram').waitFor({ timeout: 120_000 });
    // Listen first: Playwright turns on chooser interception when a listener is added, and a chooser opened before
    // that reaches the browser is a native one (no event) — under load the race was lost.
    const chooserOpened = page.waitForEvent('filechooser');
    await tabTo(page, '[data-testid="dataset-drop"]');
    await page.keyboard.press('Enter');
    const chooser = await chooserOpened;
    expect(chooser.isMultiple()).toBe(true);
    // A file picker, not the folder picker (webkitdirectory would not let a lone .zip be chosen).
    expect(await chooser.element().evaluate((el) => (el as HTMLInputElement).webkitdirectory)).toBe(false);
    await chooser.setFiles(zipPath);
    await page.getByTestId('class-counts').getByText('10 images').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('class-counts').textContent()).toMatch(/left\s*5.*right\s*5/s);
    await page.waitForURL(/dataset=user/);
    expect(errors).toEqual([]);
    await context.close();
    // On a fresh page (a chooser left open blocks the next one): the model drop zone opens its picker on Space, and
    // the folder picker is still there, as its own button.
    const fresh = await open(env.browser, env.server.url, 'light');
    await fresh.page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    const modelOpened = fresh.page.waitForEvent('filechooser');
    await tabTo(fresh.page, '[data-testid="model-drop"]');
    await fresh.page.keyboard.press(' ');
    const model = await modelOpened;
    expect(model.isMultiple()).toBe(true);
    await fresh.context.close();
    const third = await open(env.browser, env.server.url, 'light');
    await third.page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    const folderOpened = third.page.waitForEvent('filechooser');
    await third.page.getByTestId('dataset-folder-button').click();
    const folder = await folderOpened;
    expect(await folder.element().evaluate((el) => (el as HTMLInputElement).webkitdirectory)).toBe(true);
    expect(fresh.errors).toEqual([]);
    expect(third.errors).toEqual([]);
    await third.context.close();
  });
});
