import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where the browser tests leave screenshots (kept by CI as artifacts; ignored by git). */
export const artifactsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
mkdirSync(artifactsDir, { recursive: true });

/** A stroke on the pad, as points in the pad's own 280×280 coordinates. */
export type Stroke = readonly (readonly [number, number])[];

const ellipse = (cx: number, cy: number, rx: number, ry: number, points = 36): Stroke =>
  Array.from(
    { length: points + 1 },
    (_, i) => [cx + rx * Math.sin((2 * Math.PI * i) / points), cy - ry * Math.cos((2 * Math.PI * i) / points)] as const,
  );

/** How a person might draw a 1, a 7 and a 0 with a mouse. */
export const digitStrokes: Readonly<Record<'1' | '7' | '0', readonly Stroke[]>> = {
  '1': [
    [
      [150, 40],
      [128, 240],
    ],
  ],
  '7': [
    [
      [70, 50],
      [210, 50],
      [120, 240],
    ],
  ],
  '0': [ellipse(140, 140, 62, 95)],
};

/** Draws strokes on the page's pad with the mouse (pointer events, as a person's would be). */
export const drawOnPad = async (page: Page, strokes: readonly Stroke[]): Promise<void> => {
  const box = await page.getByTestId('digit-pad').boundingBox();
  if (box === null) throw new Error('the digit pad is not visible');
  const at = ([x, y]: readonly [number, number]) =>
    [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
};

/** What to train in the page: the playground's training controls. */
export interface PageTraining {
  readonly backend: 'wasm' | 'gpu' | 'js';
  /** For gpu.js; `auto` unless stated. */
  readonly gpuMode?: string;
  /** For wasm; 2 unless stated. */
  readonly threads?: number;
  readonly samples: number;
  /** 1 unless stated. */
  readonly epochs?: number;
}

/** What the page showed after training: the result, the backend it ran on, and when each step ended. */
export interface PageRun {
  readonly loss: number;
  readonly weights: string;
  readonly seconds: number;
  readonly backendInfo: string;
  readonly mode: string;
  readonly threads: number;
  readonly fma: string;
  /** Seconds since its epoch began at the end of each step. */
  readonly stepSeconds: readonly number[];
}

/** Sets the training controls, presses Train and waits for the worker's result. */
export const trainInPage = async (page: Page, training: PageTraining): Promise<PageRun> => {
  await page.getByTestId('backend').selectOption(training.backend);
  await page.getByTestId('gpu-mode').selectOption(training.gpuMode ?? 'auto');
  await page.getByTestId('threads').fill(String(training.threads ?? 2));
  await page.getByTestId('samples').fill(String(training.samples));
  await page.getByTestId('epochs').fill(String(training.epochs ?? 1));
  await page.getByTestId('train').click();
  const result = page.getByTestId('train-result');
  await page
    .locator('[data-testid="train-result"][data-loss], [data-testid="train-result"][data-error]')
    .waitFor({ timeout: 170_000 });
  const error = await result.getAttribute('data-error');
  if (error !== null) throw new Error(`training in the page failed: ${error}`);
  const info = page.getByTestId('backend-info');
  return {
    loss: Number(await result.getAttribute('data-loss')),
    weights: (await result.getAttribute('data-weights')) ?? '',
    seconds: Number(await result.getAttribute('data-seconds')),
    backendInfo: (await info.textContent()) ?? '',
    mode: (await info.getAttribute('data-mode')) ?? '',
    threads: Number(await info.getAttribute('data-threads')),
    fma: (await info.getAttribute('data-fma')) ?? '',
    stepSeconds: JSON.parse((await page.getByTestId('chart').getAttribute('data-step-seconds')) ?? '[]') as number[],
  };
};
