/**
 * ONNX models in the page: the default page does not fetch onnxruntime-web or its WebAssembly; dropping a file
 * that is not usable gives one message and keeps the current model; dropping a fixture made by PyTorch
 * (tests/model/fixtures/onnx/, tools/make_onnx_fixtures.py) shows its layers with the tensor they are, the ONNX
 * backend chosen by the warm-up, a persistence diagram, the layer matrices and a Mapper graph.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();
const FIXTURES = join(__dirname, '../model/fixtures/onnx');

describe.runIf(haveChromium)('ONNX models in Chromium', () => {
  const env = useAppInChromium();

  it('loads onnxruntime only for an ONNX model; a bad file keeps the model; a good one shows layers, diagram, matrices, Mapper', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByTestId('backend-name').waitFor({ timeout: 60_000 });
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
    expect(await page.getByTestId('onnx-backend-name').textContent()).toMatch(/^(wasm|webgpu)$/);
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
