// Times the playground in Debian's Chromium (npm run bench -w @axon/web, after the
// site's build): one epoch of the tutorial's MLP trained in the page on each backend,
// and the time to read a drawn digit. Figures on a machine shared with other work are
// noisy; the median step is steadier than the epoch.
import { servePlayground } from '../src/serve/index.js';
import { hasChromium, chromiumPath, launchChromium } from '../test/support/chromium.js';
import { digitStrokes, drawOnPad, trainInPage, type PageTraining } from '../test/support/playground.js';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
};

/** Each step's duration, from the seconds since the epoch began at each step's end; the first (warm-up) left out. */
const stepDurations = (ends: readonly number[]): number[] => ends.slice(1).map((end, i) => end - ends[i]);

const runs: readonly PageTraining[] = [
  { backend: 'wasm', threads: 1, samples: 10_000 },
  { backend: 'wasm', threads: 2, samples: 10_000 },
  { backend: 'js', samples: 10_000 },
  { backend: 'gpu', gpuMode: 'auto', samples: 1_024 },
  // SwiftShader renders WebGL in software here: a few seconds a step.
  { backend: 'gpu', gpuMode: 'webgl2', samples: 512 },
];

if (!hasChromium) {
  console.log(`no Chromium at ${chromiumPath}: nothing to time (Debian: apt-get install chromium)`);
} else {
  const playground = await servePlayground();
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage({ viewport: { width: 1100, height: 1100 } });
    await page.goto(playground.url);
    await page.locator('[data-testid="model-origin"][data-ready="true"]').waitFor({ timeout: 60_000 });

    const latencies: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const digit of ['1', '7', '0'] as const) {
        await page.getByTestId('clear').click();
        await drawOnPad(page, digitStrokes[digit]);
        await page.waitForFunction(
          (expected) =>
            document.querySelector<HTMLElement>('[data-testid="prediction"]')?.dataset['class'] === expected,
          digit,
          { timeout: 10_000 },
        );
        latencies.push(Number(await page.getByTestId('prediction').getAttribute('data-latency-ms')));
      }
    }
    console.log(
      `reading a drawn digit (preprocess + predict on js, the page's main thread): median ${median(latencies).toFixed(1)} ms of ${latencies.length}`,
    );

    console.log('in-page training, one epoch, batches of 128, in a worker:');
    for (const run of runs) {
      const result = await trainInPage(page, run);
      const step = median(stepDurations(result.stepSeconds));
      const name =
        run.backend === 'gpu'
          ? `gpu ${run.gpuMode} → ${result.mode}`
          : run.backend === 'wasm'
            ? `wasm ${result.threads} thread${result.threads === 1 ? '' : 's'}${result.fma === 'true' ? ', FMA' : ''}`
            : run.backend;
      console.log(
        `  ${name.padEnd(26)} ${String(run.samples).padStart(6)} images  ${result.seconds.toFixed(2).padStart(7)} s  (median step ${(step * 1000).toFixed(1)} ms; ${(run.samples / result.seconds).toFixed(0)} images/s)`,
      );
    }
  } finally {
    await chromium.close();
    await playground.close();
  }
}
