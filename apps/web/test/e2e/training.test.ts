// Training the tutorial's MLP in the page, in a worker, for one epoch on the first 2,000
// MNIST images: on gpu.js forced to webgl2 (SwiftShader here) and on the reference
// JavaScript backend, each loss compared with the same run in Node.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { jsBackend } from '@axon/tensor';
import { servePlayground, type RunningPlayground } from '../../src/serve/index.js';
import { runTutorial, type TutorialRunSettings } from '../../src/training/tutorial-run.js';
import { chromiumSkipNote, hasChromium, launchChromium, watchConsole } from '../support/chromium.js';
import { bundledMnistTrain } from '../support/node-reference.js';
import { artifactsDir } from '../support/playground.js';

const settings: TutorialRunSettings = { samples: 2000, epochs: 1, batchSize: 128, seed: 0 };

let playground: RunningPlayground;
let chromium: Browser;
let page: Page;
let problems: string[];
let nodeLoss: number;

interface PageRun {
  readonly loss: number;
  readonly seconds: number;
  readonly backendInfo: string;
  readonly mode: string;
  readonly stepSeconds: readonly number[];
}

/** Sets the training controls, presses Train and waits for the worker's result. */
const trainInPage = async (backend: string, gpuMode: string): Promise<PageRun> => {
  await page.getByTestId('backend').selectOption(backend);
  await page.getByTestId('gpu-mode').selectOption(gpuMode);
  await page.getByTestId('samples').fill(String(settings.samples));
  await page.getByTestId('epochs').fill(String(settings.epochs));
  await page.getByTestId('train').click();
  const result = page.getByTestId('train-result');
  await page.locator('[data-testid="train-result"][data-loss], [data-testid="train-result"][data-error]').waitFor({ timeout: 170_000 });
  const error = await result.getAttribute('data-error');
  if (error !== null) throw new Error(`training in the page failed: ${error}`);
  const info = page.getByTestId('backend-info');
  return {
    loss: Number(await result.getAttribute('data-loss')),
    seconds: Number(await result.getAttribute('data-seconds')),
    backendInfo: (await info.textContent()) ?? '',
    mode: (await info.getAttribute('data-mode')) ?? '',
    stepSeconds: JSON.parse((await page.getByTestId('chart').getAttribute('data-step-seconds')) ?? '[]') as number[],
  };
};

describe.skipIf(!hasChromium)(`training in the page${chromiumSkipNote}`, () => {
  beforeAll(async () => {
    playground = await servePlayground();
    chromium = await launchChromium();
    page = await chromium.newPage({ viewport: { width: 1100, height: 1100 } });
    problems = watchConsole(page);
    await page.goto(playground.url);
    const { history } = await runTutorial(await bundledMnistTrain(), jsBackend, settings);
    nodeLoss = history[0].loss;
  });

  afterAll(async () => {
    await chromium?.close();
    await playground?.close();
  });

  it('on the JavaScript backend, gives the loss of the same run in Node.js', async () => {
    const run = await trainInPage('js', 'auto');
    console.log(`in-page training, js: ${run.seconds.toFixed(1)} s for one epoch of ${settings.samples} images; loss ${run.loss} (Node.js: ${nodeLoss})`);
    expect(run.backendInfo).toMatch(/^JavaScript/);
    expect(Math.abs(run.loss - nodeLoss)).toBeLessThanOrEqual(1e-6 * nodeLoss);
  });

  it('on gpu.js forced to webgl2, says it is SwiftShader in software and matches Node.js within float32 rounding', async () => {
    const run = await trainInPage('gpu', 'webgl2');
    console.log(`in-page training, gpu.js ${run.mode}: ${run.seconds.toFixed(1)} s for one epoch of ${settings.samples} images (first step ${run.stepSeconds[0]?.toFixed(1)} s); loss ${run.loss} (Node.js js backend: ${nodeLoss}); ${run.backendInfo}`);
    expect(run.mode).toBe('webgl2');
    expect(run.backendInfo).toMatch(/^gpu\.js webgl2: requested: webgl2 renders with a software rasterizer \(.*SwiftShader.*\), not a GPU$/);
    expect(Math.abs(run.loss - nodeLoss)).toBeLessThanOrEqual(1e-3 * nodeLoss);
    await page.screenshot({ path: `${artifactsDir}playground-trained-webgl2.png`, fullPage: true });
  });

  it('logged no console error or warning', () => {
    expect(problems).toEqual([]);
  });
});
