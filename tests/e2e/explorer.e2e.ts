import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { encodePng } from '../../src/data/loaders/pngNode';
import { chromiumAvailable, openPage, screenshot, useAppInChromium, waitForGraphDrawn } from './harness';
import { longTaskReport, RECORD_LONG_FRAMES } from './longFrames';

const haveChromium = chromiumAvailable();

/** A small PNG: a bright square whose position depends on the class, plus noise, so the classes differ. */
function makePng(cls: number, i: number): Uint8Array {
  const w = 28;
  const px = new Uint8Array(w * w);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const inside = Math.abs(x - (8 + 12 * cls)) < 5 && Math.abs(y - 14) < 8;
      px[y * w + x] = inside ? 220 : (17 * (x + y + i)) % 40;
    }
  }
  return encodePng({ width: w, height: w, channels: 1, pixels: px });
}

/** Files of a class-folder dataset: 2 classes × 6 images, plus one corrupt PNG. */
function datasetFiles(): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const [cls, name] of ['left', 'right'].entries()) {
    for (let i = 0; i < 6; i++) files[`${name}/${i}.png`] = makePng(cls, i);
  }
  files['right/broken.png'] = new TextEncoder().encode('this is not a png');
  return files;
}

async function selectedLayer(page: Page): Promise<string | null> {
  return page.locator('[data-testid^="layer-"][aria-pressed="true"]').getAttribute('data-testid');
}

describe.runIf(haveChromium)('the explorer in Chromium', () => {
  const env = useAppInChromium();

  it('shows the first persistence diagram, moves to layer 17 with → and puts the layer in the URL', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('persistence-diagram').waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid="persistence-diagram"] .pd-point').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('layer-strip').locator('[data-testid^="layer-"]').count()).toBe(17);
    // 17 clouds of 1000 points, each in R^C for its conv's C channels (16, 32, 64, 128 by stage). Layer 1's diagram
    // comes from its own cloud, computed ahead of the whole set: wait for the set.
    await page.waitForFunction(() => ((window as unknown as { __convtopo?: { clouds?: unknown[] } }).__convtopo?.clouds?.length ?? 0) > 0, undefined, { timeout: 120_000 });
    const shapes = await page.evaluate(() => (window as unknown as { __convtopo: { clouds: { layer: number; n: number; d: number }[] } }).__convtopo.clouds);
    expect(shapes.map((s) => s.layer)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(shapes.every((s) => s.n === 1000)).toBe(true);
    expect(shapes.map((s) => s.d)).toEqual([16, 16, 16, 16, 16, 32, 32, 32, 32, 64, 64, 64, 64, 128, 128, 128, 128]);
    // Clicking an H1 point lists the images on its loop (a cycle has at least 3 vertices).
    await page.locator('[data-testid="persistence-diagram"] .pd-point[data-dim="1"]').first().dispatchEvent('click');
    await page.getByTestId('loop-images').locator('img.thumb').nth(2).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('loop-images').textContent()).toMatch(/a loop through \d+ images/);
    await screenshot(page, 'explorer-persistence-layer1');
    // Exports: the diagram as standalone SVG and as PNG, the diagrams as the CLI's JSON.
    const figure = page.locator('figure').filter({ has: page.getByTestId('persistence-diagram') });
    const grab = async (label: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: label, exact: true }).click()]);
      const chunks: Buffer[] = [];
      for await (const c of (await download.createReadStream())!) chunks.push(c as Buffer);
      return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
    };
    const svg = await grab('SVG');
    expect(svg.name).toMatch(/^layer01-conv01-diagram\.svg$/);
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const png = await grab('PNG');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const json = JSON.parse((await grab('JSON')).bytes.toString('utf8')) as { dgms: [number, number | null][][] };
    expect(json.dgms).toHaveLength(2);
    expect(json.dgms[0].filter(([, d]) => d === null)).toHaveLength(1);
    for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowRight');
    expect(await selectedLayer(page)).toBe('layer-17');
    await page.waitForURL(/layer=17/);
    await page.getByText('Layer 17').first().waitFor();
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'explorer-persistence-layer17');
    expect(errors).toEqual([]);
  });

  it('shows both 17 × 17 matrices in the Layers view, never blocking the main thread for more than 200 ms', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=layers', { initScript: RECORD_LONG_FRAMES });
    await page.getByTestId('cka-matrix').waitFor({ timeout: 170_000 });
    expect(await page.locator('[data-testid="distance-matrix"] .hm-cell').count()).toBe(17 * 17);
    expect(await page.locator('[data-testid="cka-matrix"] .hm-cell').count()).toBe(17 * 17);
    await page.locator('[data-testid="distance-matrix"] .hm-cell[data-i="0"][data-j="16"]').click();
    await page.getByTestId('cell-overlay').waitFor();
    await page.waitForURL(/cell=0%2C16|cell=0,16/);
    await screenshot(page, 'explorer-layers');
    // Then a Mapper graph of the same clouds: cytoscape's layout also runs on the main thread.
    await page.getByTestId('view-mapper').click();
    await page.getByTestId('mapper-summary').waitFor({ timeout: 60_000 });
    await waitForGraphDrawn(page);
    const report = await longTaskReport(page);
    if (report.longest > 200 || process.env.CONVTOPO_PRINT_LONG_TASKS) console.log(`long tasks ${report.tasks.map((t) => t.toFixed(0)).join(', ')}\n${report.attribution}`);
    expect(report.longest, report.attribution).toBeLessThanOrEqual(200);
    expect(errors).toEqual([]);
  });

  it('draws a Mapper graph, shows member thumbnails on hover, and a copied link restores the view', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=mapper&layer=17&intervals=30');
    await page.getByTestId('mapper-summary').waitFor({ timeout: 120_000 });
    // cytoscape is loaded lazily and draws in a task of its own after the summary shows.
    await waitForGraphDrawn(page);
    const nodes = await page.evaluate(() => {
      const cy = (window as unknown as { __convtopo: { cy: { nodes(): { map<T>(f: (n: { id(): string; data(k: string): number }) => T): T[] } } } }).__convtopo.cy;
      return cy.nodes().map((n) => ({ id: n.id(), size: n.data('size') }));
    });
    expect(nodes.length).toBeGreaterThan(3);
    expect(nodes.every((n) => n.size >= 1)).toBe(true);
    // Hover the biggest node at its rendered position.
    const biggest = nodes.reduce((a, b) => (b.size > a.size ? b : a));
    const pos = await page.evaluate((id) => {
      const cy = (window as unknown as { __convtopo: { cy: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } } }).__convtopo.cy;
      return cy.getElementById(id).renderedPosition();
    }, biggest.id);
    const box = (await page.getByTestId('mapper-graph').boundingBox())!;
    await page.mouse.move(box.x + pos.x, box.y + pos.y);
    const tooltip = page.getByTestId('mapper-tooltip');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.locator('img.thumb').count()).toBe(Math.min(24, biggest.size));
    expect(await tooltip.textContent()).toMatch(/%/);
    await screenshot(page, 'explorer-mapper-hover');
    // Select it, then copy the link.
    await page.mouse.click(box.x + pos.x, box.y + pos.y);
    await page.getByTestId('node-panel').waitFor();
    await page.getByTestId('copy-link').click();
    await page.waitForFunction(() => (window as unknown as { __convtopo: { lastCopiedLink?: string } }).__convtopo.lastCopiedLink !== undefined);
    const link = await page.evaluate(() => (window as unknown as { __convtopo: { lastCopiedLink: string } }).__convtopo.lastCopiedLink);
    expect(link).toContain(`node=${biggest.id}`);
    expect(errors).toEqual([]);

    const restored = await openPage(env.browser, link);
    await restored.page.getByTestId('node-panel').waitFor({ timeout: 120_000 });
    expect(await selectedLayer(restored.page)).toBe('layer-17');
    expect(await restored.page.getByTestId('view-mapper').getAttribute('aria-selected')).toBe('true');
    expect(await restored.page.getByLabel('intervals').inputValue()).toBe('30');
    expect(await restored.page.getByTestId('node-panel').textContent()).toContain(biggest.id);
    await screenshot(restored.page, 'explorer-mapper-restored');
    expect(restored.errors).toEqual([]);
  });

  it('names the bad fields of a tampered link and falls back to defaults', async () => {
    const { page } = await openPage(env.browser, env.server.url + '?layer=abc&overlap=7&view=layers');
    const notice = page.getByTestId('notice-url');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toMatch(/"layer".*"overlap"/);
    expect(await page.getByTestId('view-layers').getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'explorer-tampered-link');
  });

  it('lists a corrupt file of a dropped .zip and loads the rest', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    const zip = Array.from(zipSync(datasetFiles()));
    // A real drop event carrying the zip, as a file manager would send it.
    await page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'shapes.zip', { type: 'application/zip' }));
      const target = document.querySelector('[data-testid="dataset-drop"]')!;
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, zip);
    const list = page.getByTestId('error-list');
    await list.waitFor({ timeout: 30_000 });
    expect(await list.textContent()).toMatch(/broken\.png/);
    await page.getByTestId('class-counts').getByText('12 images').waitFor({ timeout: 30_000 });
    await page.getByTestId('persistence-diagram').waitFor({ timeout: 120_000 });
    await screenshot(page, 'explorer-dropped-zip');
    expect(errors).toEqual([]);
  });

  it('loads a picked folder of class folders with a corrupt file listed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convtopo-folder-'));
    for (const [path, bytes] of Object.entries(datasetFiles())) {
      mkdirSync(join(dir, 'shapes', path.split('/')[0]), { recursive: true });
      writeFileSync(join(dir, 'shapes', path), bytes);
    }
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    await page.getByTestId('dataset-input').setInputFiles(join(dir, 'shapes'));
    await page.getByTestId('error-list').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('error-list').textContent()).toMatch(/broken\.png/);
    await page.getByTestId('class-counts').getByText('12 images').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('class-counts').textContent()).toMatch(/left\s*6.*right\s*6/s);
    await screenshot(page, 'explorer-picked-folder');
    expect(errors).toEqual([]);
  });

  it('opens a dropped TF.js model, and names a missing weight shard', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
    const dir = 'public/models/resnet18q-final';
    await page.getByTestId('model-input').setInputFiles([join(dir, 'model.json')]);
    const err = page.getByTestId('model-error');
    await err.waitFor({ timeout: 30_000 });
    expect(await err.textContent()).toMatch(/shard/i);
    await page.getByTestId('model-input').setInputFiles([join(dir, 'model.json'), join(dir, 'group1-shard1of1.bin')]);
    await page.getByLabel('model').getByText('dropped model (17 layers)').waitFor({ state: 'attached', timeout: 30_000 });
    await page.waitForURL(/model=user-model/);
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('model-error').count()).toBe(0);
    await screenshot(page, 'explorer-dropped-model');
    expect(errors).toEqual([]);
  });
});
