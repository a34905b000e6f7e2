/**
 * Before a long persistence job the page asks (issue 15): with H2 on the bundled 1000 images (estimated well over
 * 30 s per layer) the Persistence view shows the estimate and the choice; a landmark run shows N, ε and the 2ε
 * guarantee, is in the URL and restores from it without asking; "Run exactly" is in the URL too.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, openPage, screenshot, useAppInChromium } from './harness';

const haveChromium = chromiumAvailable();
const WAIT = 150_000;

type Persistence = { key: string; layer: number; bars: number[]; threshold: number } | undefined;
const readPh = () => (window as unknown as { __convtopo?: { persistence?: Persistence } }).__convtopo?.persistence;

describe.runIf(haveChromium)('landmark prompt', () => {
  const env = useAppInChromium({ isolated: true });

  it('asks before H2 on 1000 images; a landmark run shows ε and restores from its URL', async () => {
    const { page, errors } = await openPage(env.browser, env.server.url + '?maxdim=2&layer=3');
    const prompt = page.getByTestId('landmark-prompt');
    await prompt.waitFor({ timeout: WAIT });
    const text = (await prompt.textContent()) ?? '';
    expect(text).toMatch(/1000 points in R\^\d+, up to H2\) is estimated at about .+ and .+\./);
    // No persistence job started while the page waits for the answer.
    expect(await page.evaluate(readPh)).toBeUndefined();
    await screenshot(page, 'landmarks-prompt');

    await page.getByTestId('landmarks-count').fill('150');
    await page.getByTestId('landmarks-run').click();
    const readout = page.getByTestId('landmark-readout');
    await readout.waitFor({ timeout: WAIT });
    const line = (await readout.textContent()) ?? '';
    const m = /on 150 of 1000 points as landmarks, cover radius ε = ([\d.e+-]+): bottleneck distance to the exact diagram ≤ 2ε = ([\d.e+-]+)/.exec(line);
    expect(m, line).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    // Both printed to 4 significant digits.
    expect(Math.abs(Number(m![2]) - 2 * Number(m![1])) / Number(m![2])).toBeLessThan(1e-3);
    expect(page.url()).toContain('landmarks=150');
    const ph = await page.evaluate(readPh);
    expect(ph!.key).toMatch(/\|L3\|d2\|lm150$/);
    expect(ph!.bars).toHaveLength(3);
    // H0 of 150 points: 150 bars (one essential).
    expect(ph!.bars[0]).toBe(150);
    await screenshot(page, 'landmarks-run');

    // The link restores the landmark run, without the prompt, with the same diagram.
    const again = await openPage(env.browser, page.url());
    await again.page.getByTestId('landmark-readout').waitFor({ timeout: WAIT });
    expect(await again.page.getByTestId('landmark-prompt').count()).toBe(0);
    expect(await again.page.evaluate(readPh)).toEqual(ph);
    expect(await again.page.getByTestId('landmark-readout').textContent()).toBe(line);

    // "change" asks again; "Run exactly" goes into the URL and starts the exact job.
    await page.getByTestId('landmarks-change').click();
    await prompt.waitFor({ timeout: WAIT });
    await page.getByTestId('landmarks-exact').click();
    await page.waitForURL(/landmarks=exact/, { timeout: WAIT });
    await page.getByTestId('ph-pending').waitFor({ timeout: WAIT });
    expect(await page.getByTestId('landmark-prompt').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(again.errors).toEqual([]);
  });
});
