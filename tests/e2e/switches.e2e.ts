/**
 * After every switch of an input — model, bundled dataset, dropped dataset, images per class, cloud method, seed,
 * homology dimension — the page shows what a fresh page opened on the same choice shows: the persistence numbers
 * (bars per dimension, threshold, as printed and as computed), a few sliced-Wasserstein cells, Mapper node and
 * member counts. After a drop, the H0 bar count equals the points in the header. One browser, 200 images.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';
import { classFolderZip, dropFile } from './fixtures';

const haveChromium = chromiumAvailable();
const WAIT = 150_000;
/** Each fresh page probes the backends and loads the model again (10–25 s on this busy 2-core machine). */
const TEST_MS = 600_000;

const t0 = Date.now();
const step = (what: string) => console.log(`[switches ${((Date.now() - t0) / 1000).toFixed(0)} s] ${what}`);

type Handle = {
  cloudsKey?: string;
  persistence?: { key: string; layer: number; bars: number[]; threshold: number };
  matrices?: { key: string; k: number; sw: number[]; cka: number[] };
  mapper?: { key: string; nodes: number; edges: number; members: number[] };
};

/** The plain-data fields of the debug handle (it also holds worker proxies, which do not cross to Node). */
const handle = (page: Page): Promise<Handle> =>
  page.evaluate(() => {
    const h = (window as unknown as { __convtopo: Handle }).__convtopo;
    return JSON.parse(JSON.stringify({ cloudsKey: h.cloudsKey, persistence: h.persistence, matrices: h.matrices, mapper: h.mapper })) as Handle;
  });

interface PhReading {
  key: string;
  bars: number[];
  threshold: number;
  stats: string;
  header: string;
}

/** The diagram's numbers once one is shown whose key differs from `before` (what the previous reading showed). */
async function readPersistence(page: Page, before?: string): Promise<PhReading> {
  await page.waitForFunction(
    (before) => {
      const p = (window as unknown as { __convtopo: Handle }).__convtopo.persistence;
      return p !== undefined && p.key !== before && document.querySelector('[data-testid="ph-stats"]') !== null;
    },
    before,
    { timeout: WAIT },
  );
  const p = (await handle(page)).persistence!;
  const stats = (await page.getByTestId('ph-stats').textContent()) ?? '';
  const header = (await page.locator('.persistence-view h3').textContent()) ?? '';
  return { key: p.key, bars: p.bars, threshold: p.threshold, stats, header };
}

async function readMatrices(page: Page, before?: string) {
  await page.waitForFunction(
    (before) => {
      const m = (window as unknown as { __convtopo: Handle }).__convtopo.matrices;
      return m !== undefined && m.key !== before && document.querySelector('[data-testid="distance-matrix"]') !== null;
    },
    before,
    { timeout: WAIT },
  );
  const m = (await handle(page)).matrices!;
  const cells = [
    [0, 1],
    [0, 16],
    [5, 12],
    [15, 16],
  ].map(([i, j]) => m.sw[i * m.k + j]);
  return { key: m.key, cells, cka: [m.cka[1], m.cka[16]] };
}

async function readMapper(page: Page, before?: string) {
  await page.waitForFunction(
    (before) => {
      const m = (window as unknown as { __convtopo: Handle }).__convtopo.mapper;
      return m !== undefined && m.key !== before && document.querySelector('[data-testid="mapper-summary"]') !== null;
    },
    before,
    { timeout: WAIT },
  );
  const m = (await handle(page)).mapper!;
  const summary = (await page.getByTestId('mapper-summary').textContent()) ?? '';
  return { key: m.key, nodes: m.nodes, members: [...m.members].sort((a, b) => a - b), summary };
}

/** Same reading on a fresh page opened on `url`. */
async function fresh<T>(env: { browser: import('playwright-core').Browser }, url: string, read: (p: Page) => Promise<T>, prepare?: (p: Page) => Promise<void>): Promise<T> {
  const { page, errors } = await openPage(env.browser, url);
  try {
    await prepare?.(page);
    const r = await read(page);
    expect(errors).toEqual([]);
    return r;
  } finally {
    await page.context().close();
  }
}

/** The persistence numbers without the key (two pages agree on the numbers; the key is the same too). */
const shown = (r: PhReading) => ({ key: r.key, bars: r.bars, threshold: r.threshold, stats: r.stats, header: r.header });

describe.runIf(haveChromium)('every switch shows what a fresh page on the same choice shows', () => {
  const env = useAppInChromium();

  it('model, cloud method, seed and homology dimension (persistence)', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?n=200');
    let r = await readPersistence(page);
    expect(r.bars[0]).toBe(200);
    step('first diagram');

    // Model: the initial weights.
    await page.getByLabel('model', { exact: true }).selectOption('resnet18q-init');
    const afterModel = await readPersistence(page, r.key);
    expect(afterModel.key).toContain('model=resnet18q-init');
    expect(shown(afterModel)).toEqual(shown(await fresh(env, page.url(), (p) => readPersistence(p))));
    expect(afterModel.threshold).not.toBe(r.threshold);
    r = afterModel;
    step('afterModel');

    // Cloud method.
    await page.getByLabel('cloud method').selectOption('gap');
    const afterCloud = await readPersistence(page, r.key);
    expect(shown(afterCloud)).toEqual(shown(await fresh(env, page.url(), (p) => readPersistence(p))));
    r = afterCloud;
    step('afterCloud');

    // Seed: another 200 images.
    await page.getByLabel('seed').fill('3');
    const afterSeed = await readPersistence(page, r.key);
    expect(afterSeed.key).not.toBe(r.key);
    expect(shown(afterSeed)).toEqual(shown(await fresh(env, page.url(), (p) => readPersistence(p))));
    r = afterSeed;
    step('afterSeed');

    // Homology up to H2.
    await page.getByLabel('max dimension').selectOption('2');
    const afterDim = await readPersistence(page, r.key);
    expect(afterDim.bars).toHaveLength(3);
    expect(shown(afterDim)).toEqual(shown(await fresh(env, page.url(), (p) => readPersistence(p))));
    step('homology dimension');
    await screenshot(page, 'switches-persistence-h2');
    expect(errors).toEqual([]);
  }, TEST_MS);

  it('the bundled 10 000-image set in the Layers view: the matrices follow', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?n=200&view=layers');
    const m1 = await readMatrices(page);
    expect(m1).toEqual(await fresh(env, page.url(), (p) => readMatrices(p)));
    await page.getByLabel('dataset', { exact: true }).selectOption('fashion-mnist-10000');
    const m2 = await readMatrices(page, m1.key);
    expect(m2.cells).not.toEqual(m1.cells);
    expect(m2).toEqual(await fresh(env, page.url(), (p) => readMatrices(p)));
    await screenshot(page, 'switches-layers-10000');
    step('10 000-image set');
    expect(errors).toEqual([]);
  }, TEST_MS);

  it('the model on the Mapper tab: node and member counts follow', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?n=200&view=mapper&layer=17');
    const g1 = await readMapper(page);
    await page.getByLabel('model', { exact: true }).selectOption('resnet18q-init');
    const g2 = await readMapper(page, g1.key);
    expect(g2).toEqual(await fresh(env, page.url(), (p) => readMapper(p)));
    expect(g2.key).toContain('model=resnet18q-init');
    await screenshot(page, 'switches-mapper-init');
    step('Mapper after the model');
    expect(errors).toEqual([]);
  }, TEST_MS);

  it('a dropped dataset on the Mapper tab, then another images-per-class: H0 bars equal the points, as on a fresh page', async () => {
    const zip = classFolderZip(['left', 'middle', 'right'], 20);
    const { page, errors } = await openPage(env.browser, env.server.url + '?view=mapper&n=200');
    const g0 = await readMapper(page);
    await dropFile(page, 'dataset-drop', 'shapes.zip', zip);
    await page.getByTestId('class-counts').getByText('60 images').waitFor({ timeout: WAIT });
    const g1 = await readMapper(page, g0.key);
    expect(g1.key).toMatch(/ds=[0-9a-f]{16}/);
    expect(g1.members.every((m) => m <= 60)).toBe(true);
    // Purity across layers: a curve, no error (the labels are those of the dropped images).
    await page.getByTestId('purity-chart').waitFor({ timeout: WAIT });
    expect(await page.locator('.mapper-view .error').count()).toBe(0);
    expect(await page.getByTestId('notice-fingerprint').count()).toBe(0);
    await screenshot(page, 'switches-dropped-mapper');

    await page.getByTestId('view-persistence').click();
    const p1 = await readPersistence(page);
    expect(p1.header).toContain('60 points');
    expect(p1.bars[0]).toBe(60);

    // Fewer images per class: the dropped files are read again with the new cap.
    await page.getByTestId('per-class-cap').fill('8');
    await page.getByTestId('class-counts').getByText('24 images').waitFor({ timeout: WAIT });
    const p2 = await readPersistence(page, p1.key);
    expect(p2.header).toContain('24 points');
    expect(p2.bars[0]).toBe(24);

    // A second drop on the same page: still no fingerprint notice (no link named a dataset).
    await dropFile(page, 'dataset-drop', 'shapes2.zip', classFolderZip(['a', 'b'], 5));
    const p3 = await readPersistence(page, p2.key);
    expect(p3.bars[0]).toBe(10);
    expect(await page.getByTestId('notice-fingerprint').count()).toBe(0);

    // A fresh page on the link of the 24-image state, with the same files dropped: the same numbers, and the link's
    // fingerprint notice says they match (once).
    const fp = p2.key.match(/ds=([0-9a-f]+)/)![1];
    const { page: again, errors: againErrors } = await openPage(env.browser, env.server.url + `?dataset=user:${fp}&fp=${fp}&n=200`);
    await again.getByTestId('per-class-cap').fill('8');
    await dropFile(again, 'dataset-drop', 'shapes.zip', zip);
    expect(shown(await readPersistence(again))).toEqual(shown(p2));
    expect(await again.getByTestId('notice-fingerprint').textContent()).toMatch(/match/);
    await dropFile(again, 'dataset-drop', 'shapes2.zip', classFolderZip(['a', 'b'], 5));
    await again.getByTestId('class-counts').getByText('10 images').waitFor({ timeout: WAIT });
    expect(await again.getByTestId('notice-fingerprint').textContent()).toMatch(/match/); // the info notice stays; no red one
    expect(await again.locator('[data-testid="notice-fingerprint"].error').count()).toBe(0);
    expect(againErrors).toEqual([]);
    expect(errors).toEqual([]);
    step('drops');
  }, TEST_MS);
});
