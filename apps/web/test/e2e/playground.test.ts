// The playground in Debian's Chromium: it loads with no console errors or warnings,
// cross-origin isolated, and reads a 1, a 7 and a 0 drawn with the mouse.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { servePlayground, type RunningPlayground } from '../../src/serve/index.js';
import { chromiumSkipNote, hasChromium, launchChromium, watchConsole } from '../support/chromium.js';
import { artifactsDir, digitStrokes, drawOnPad } from '../support/playground.js';

/** The default model's directory, as a user would pick it. */
const modelDir = fileURLToPath(new URL('../../public/model', import.meta.url));

let playground: RunningPlayground;
let chromium: Browser;
let page: Page;
let problems: string[];

describe.skipIf(!hasChromium)(`the playground in Chromium${chromiumSkipNote}`, () => {
  beforeAll(async () => {
    playground = await servePlayground();
    chromium = await launchChromium();
    page = await chromium.newPage({ viewport: { width: 1100, height: 1100 } });
    problems = watchConsole(page);
    await page.goto(playground.url);
    await page.locator('[data-testid="model-origin"][data-ready="true"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await chromium?.close();
    await playground?.close();
  });

  it('loads the default model, cross-origin isolated, with every control the tests rely on', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    for (const id of ['digit-pad', 'prediction', 'probabilities', 'train', 'backend'])
      expect(await page.getByTestId(id).count(), id).toBe(1);
    expect(await page.getByTestId('model-origin').textContent()).toMatch(/default model/);
  });

  it('reads a 1, a 7 and a 0 drawn with the mouse, updating the ten probabilities', async () => {
    const latencies: number[] = [];
    for (const digit of ['1', '7', '0'] as const) {
      await page.getByTestId('clear').click();
      await expectClass(page, '');
      await drawOnPad(page, digitStrokes[digit]);
      await expectClass(page, digit);
      const shares = await page
        .locator('[data-testid="probabilities"] li')
        .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset['value'])));
      expect(shares).toHaveLength(10);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(shares.indexOf(Math.max(...shares))).toBe(Number(digit));
      latencies.push(Number(await page.getByTestId('prediction').getAttribute('data-latency-ms')));
      if (digit === '7') await page.screenshot({ path: `${artifactsDir}playground-seven.png`, fullPage: true });
    }
    // Noisy on a shared machine; reported, not asserted beyond being measured.
    console.log(
      `inference latency per drawn digit (preprocess + predict, ms): ${latencies.map((l) => l.toFixed(1)).join(', ')}`,
    );
    expect(latencies.every((l) => l > 0)).toBe(true);
  });

  it('opens a model directory from this computer and reads with it', async () => {
    await page.getByTestId('open-model').setInputFiles(modelDir);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="model-origin"]')?.textContent?.includes('opened from this computer') ===
        true,
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId('model-origin').textContent()).toBe('model (opened from this computer)');
    await page.getByTestId('clear').click();
    await drawOnPad(page, digitStrokes['7']);
    await expectClass(page, '7');
  });

  it('logged no console error or warning', () => {
    expect(problems).toEqual([]);
  });
});

const expectClass = async (page: Page, digit: string): Promise<void> => {
  await page
    .waitForFunction(
      (expected) => document.querySelector<HTMLElement>('[data-testid="prediction"]')?.dataset['class'] === expected,
      digit,
      { timeout: 10_000 },
    )
    .catch(async () => {
      const actual = await page.getByTestId('prediction').getAttribute('data-class');
      throw new Error(`the page read ${JSON.stringify(actual)} where ${JSON.stringify(digit)} was drawn`);
    });
};
