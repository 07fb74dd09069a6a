// Training the tutorial's MLP in the page, in a worker, for one epoch on the first MNIST
// images: on the reference JavaScript backend (2,000 images) and on gpu.js forced to
// webgl2 (512 images: SwiftShader renders in software, some 6 s a step on this machine),
// each loss compared with the same run in Node.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { jsBackend } from '@axon/tensor';
import { servePlayground, type RunningPlayground } from '../../src/serve/index.js';
import { runTutorial, type TutorialRunSettings } from '../../src/training/tutorial-run.js';
import { chromiumSkipNote, hasChromium, launchChromium, watchConsole } from '../support/chromium.js';
import { bundledMnistTrain } from '../support/node-reference.js';
import { artifactsDir } from '../support/playground.js';

const settings = (samples: number): TutorialRunSettings => ({ samples, epochs: 1, batchSize: 128, seed: 0 });
const jsSamples = 2000;
const gpuSamples = 512;

let playground: RunningPlayground;
let chromium: Browser;
let page: Page;
let problems: string[];
/** The loss of the same run in Node.js (reference backend), by number of images. */
const nodeLoss = new Map<number, number>();

interface PageRun {
  readonly loss: number;
  readonly seconds: number;
  readonly backendInfo: string;
  readonly mode: string;
  readonly stepSeconds: readonly number[];
}

/** Sets the training controls, presses Train and waits for the worker's result. */
const trainInPage = async (backend: string, gpuMode: string, samples: number): Promise<PageRun> => {
  await page.getByTestId('backend').selectOption(backend);
  await page.getByTestId('gpu-mode').selectOption(gpuMode);
  await page.getByTestId('samples').fill(String(samples));
  await page.getByTestId('epochs').fill('1');
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
    const train = await bundledMnistTrain();
    for (const samples of [jsSamples, gpuSamples]) nodeLoss.set(samples, (await runTutorial(train, jsBackend, settings(samples))).history[0].loss);
  });

  afterAll(async () => {
    await chromium?.close();
    await playground?.close();
  });

  it('on the JavaScript backend, gives the loss of the same run in Node.js', async () => {
    const run = await trainInPage('js', 'auto', jsSamples);
    const reference = nodeLoss.get(jsSamples) ?? Number.NaN;
    console.log(`in-page training, js: ${run.seconds.toFixed(1)} s for one epoch of ${jsSamples} images; loss ${run.loss} (Node.js: ${reference})`);
    expect(run.backendInfo).toMatch(/^JavaScript/);
    // The same JavaScript in another V8: the same float32 arithmetic, step for step.
    expect(run.loss).toBe(reference);
  });

  it('on gpu.js forced to webgl2, says it is SwiftShader in software and matches Node.js within float32 rounding', async () => {
    const run = await trainInPage('gpu', 'webgl2', gpuSamples);
    const reference = nodeLoss.get(gpuSamples) ?? Number.NaN;
    console.log(`in-page training, gpu.js ${run.mode}: ${run.seconds.toFixed(1)} s for one epoch of ${gpuSamples} images (steps done at ${run.stepSeconds.map((t) => t.toFixed(1)).join(', ')} s); loss ${run.loss} (Node.js, js backend: ${reference}); ${run.backendInfo}`);
    expect(run.mode).toBe('webgl2');
    expect(run.backendInfo).toMatch(/^gpu\.js webgl2: requested: webgl2 renders with a software rasterizer \(.*SwiftShader.*\), not a GPU$/);
    // Float32 on the device with compensated sums: a few roundings from the reference.
    expect(Math.abs(run.loss - reference)).toBeLessThanOrEqual(1e-5 * reference);
    await page.screenshot({ path: `${artifactsDir}playground-trained-webgl2.png`, fullPage: true });
  });

  it('on gpu.js auto, passes over SwiftShader, naming it, for gpu.js\'s WebAssembly mode', async () => {
    const run = await trainInPage('gpu', 'auto', 128);
    expect(run.mode).toBe('webasm');
    expect(run.backendInfo).toMatch(/^gpu\.js webasm: auto: no GPU \(webgl2 renders with a software rasterizer \(.*SwiftShader.*\), not a GPU; webgl renders with a software rasterizer .*\); gpu\.js's WebAssembly mode runs on the CPU$/);
    expect(run.backendInfo).not.toMatch(/headless/);
  });

  it('logged no console error or warning', () => {
    expect(problems).toEqual([]);
  });
});
