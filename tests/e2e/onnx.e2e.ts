/**
 * ONNX models in the page: the default page does not fetch onnxruntime-web or its WebAssembly; dropping a file
 * that is not usable gives one message and keeps the current model; dropping a fixture made by PyTorch
 * (tests/model/fixtures/onnx/, tools/make_onnx_fixtures.py) shows its layers with the tensor they are, the ONNX
 * backend chosen by the warm-up, a persistence diagram, the layer matrices and a Mapper graph.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonOracle } from '../helpers/oracle';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();
const FIXTURES = join(__dirname, '../model/fixtures/onnx');

describe.runIf(haveChromium)('ONNX models in Chromium', () => {
  const env = useAppInChromium();

  it('loads onnxruntime only for an ONNX model; a bad file keeps the model; a good one shows layers, diagram, matrices, Mapper', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    // The backend probe alone took 60–90 s on the shared 2-core machine.
    await page.getByTestId('backend-name').waitFor({ timeout: 300_000 });
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 120_000 });
    expect(requests.filter((u) => /ort[.-]|onnx/i.test(u))).toEqual([]);

    // An operator no runtime has: one message naming it, the bundled model stays.
    await page.getByTestId('model-input').setInputFiles([join(FIXTURES, 'badop.onnx')]);
    const err = page.getByTestId('model-error');
    await err.waitFor({ timeout: 120_000 });
    expect(await err.textContent()).toMatch(/badop\.onnx uses the operator FancyConv, which onnxruntime-web cannot run/);
    expect(await page.locator('[data-testid^="layer-"][data-testid$="17"]').count()).toBe(1);
    expect(requests.some((u) => /\.wasm$/.test(u) && /ort-wasm/.test(u))).toBe(true);

    // The plain CNN: 3 Conv layers, labelled, on the provider the warm-up chose.
    await page.getByTestId('model-input').setInputFiles([join(FIXTURES, 'plain.onnx')]);
    await page.getByLabel('model').getByText('dropped model (3 layers)').waitFor({ state: 'attached', timeout: 120_000 });
    await page.waitForURL(/model=onnx/);
    expect(await page.getByTestId('model-error').count()).toBe(0);
    expect(await page.locator('[data-testid="layer-strip"] button').count()).toBe(3);
    expect(await page.getByTestId('layer-1').getAttribute('title')).toMatch(/\/0\/Conv: 16×16×8\nConv output, BatchNorm folded in/);
    expect(await page.getByTestId('onnx-contract').textContent()).toMatch(/NCHW float input 3×16×16/);
    expect(await page.getByTestId('onnx-backend-name').textContent()).toMatch(/^(wasm|webgpu|tfjs)$/);
    expect(await page.getByTestId('onnx-probe-tfjs').textContent()).toMatch(/TF\.js ops on TF\.js's \w+ backend, warm-up/);
    expect(await page.getByTestId('onnx-probe-wasm').textContent()).toMatch(/warm-up/);
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'onnx-dropped-persistence');

    await page.keyboard.press('2');
    await page.locator('[data-testid="distance-matrix"] .hm-cell').first().waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid="distance-matrix"] .hm-cell').count()).toBe(3 * 3);
    expect(await page.locator('[data-testid="cka-matrix"] .hm-cell').count()).toBe(3 * 3);
    await page.keyboard.press('3');
    await page.getByTestId('mapper-summary').waitFor({ timeout: 120_000 });
    await screenshot(page, 'onnx-dropped-mapper');
    expect(errors).toEqual([]);
  }, 600_000);
});

// torchvision's models (random weights and BatchNorm statistics, PyTorch's eval export at 48×48, BatchNorm folded):
// built here by tools/onnx_torchvision.py in a temp dir (too big to commit), a fresh seed each run.
const torch = pythonOracle(['torch', 'torchvision', 'onnx', 'PIL'], 'python3-torch python3-torchvision python3-onnx python3-pil');
const TV_SEED = Number(process.env.CONVTOPO_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.runIf(haveChromium && torch.available)('torchvision models dropped in Chromium', () => {
  const env = useAppInChromium();
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'convtopo-onnx-tv-e2e-'));
    execFileSync('/usr/bin/python3', [join(__dirname, '../../tools/onnx_torchvision.py'), dir, '2', 'all', String(TV_SEED)], { stdio: ['ignore', 'pipe', 'pipe'] });
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['mobilenet_v2', 52],
    ['resnet18', 20],
  ] as const)('%s (%i convs): every layer labelled as a folded-BN Conv output, diagram, matrices and Mapper graph', async (name, convs) => {
    // 100 images: 52 layers of diagrams and their SW matrix must fit the test's time on a busy machine.
    const { page, errors } = await openPage(env.browser, `${env.server.url}?n=100`);
    try {
      await dropAndCheck(page, errors, name, convs);
    } finally {
      await page.context().close();
    }
  }, 1_800_000);

  async function dropAndCheck(page: Page, errors: string[], name: string, convs: number): Promise<void> {
    await page.getByTestId('backend-name').waitFor({ timeout: 300_000 });
    await page.getByTestId('model-input').setInputFiles([join(dir, `${name}.onnx`)]);
    await page.getByLabel('model').getByText(`dropped model (${convs} layers)`).waitFor({ state: 'attached', timeout: 600_000 });
    expect(await page.getByTestId('model-error').count(), `seed ${TV_SEED}`).toBe(0);
    const strip = page.locator('[data-testid="layer-strip"] button');
    expect(await strip.count()).toBe(convs);
    // Every layer says which tensor it is: PyTorch's eval export folded each BatchNorm into its Conv.
    for (let k = 1; k <= convs; k++) {
      expect(await page.getByTestId(`layer-${k}`).getAttribute('title')).toMatch(/\/Conv: \d+×\d+×\d+\nConv output, BatchNorm folded in/);
    }
    expect(await page.getByTestId('onnx-contract').textContent()).toMatch(/NCHW float input 3×48×48/);
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 600_000 });
    // The last layer can be chosen from the strip (it stays usable with 52 layers).
    await page.getByTestId(`layer-${convs}`).click();
    await page.locator('[data-testid="persistence-diagram"] .pd-point').first().waitFor({ timeout: 600_000 });
    await screenshot(page, `onnx-${name}-persistence`);
    await page.keyboard.press('2');
    await page.locator('[data-testid="distance-matrix"] .hm-cell').first().waitFor({ timeout: 600_000 });
    expect(await page.locator('[data-testid="distance-matrix"] .hm-cell').count()).toBe(convs * convs);
    expect(await page.locator('[data-testid="cka-matrix"] .hm-cell').count()).toBe(convs * convs);
    await screenshot(page, `onnx-${name}-matrices`);
    await page.keyboard.press('3');
    await page.getByTestId('mapper-summary').waitFor({ timeout: 600_000 });
    await screenshot(page, `onnx-${name}-mapper`);
    expect(errors, `seed ${TV_SEED}`).toEqual([]);
  }
});
