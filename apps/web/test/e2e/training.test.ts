// Training the tutorial's MLP in the page, in a worker, for one epoch on the first MNIST
// images: on the reference JavaScript backend and on wasm (2,000 images each), and on
// gpu.js forced to webgl2 (512 images: SwiftShader renders in software, some 6 s a step
// on this machine), each loss compared with the same run in Node.js.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createWasmBackend } from '@axon/backend-wasm';
import { jsBackend } from '@axon/tensor';
import { servePlayground, type RunningPlayground } from '../../src/serve/index.js';
import { toTransfer, weightsFingerprint } from '../../src/training/transfer.js';
import { runTutorial, type RunResult, type TutorialRunSettings } from '../../src/training/tutorial-run.js';
import { chromiumSkipNote, hasChromium, launchChromium, watchConsole } from '../support/chromium.js';
import { bundledMnistTrain } from '../support/node-reference.js';
import { artifactsDir, trainInPage } from '../support/playground.js';

const settings = (samples: number): TutorialRunSettings => ({ samples, epochs: 1, batchSize: 128, seed: 0 });
const jsSamples = 2000;
const gpuSamples = 512;
const wasmSamples = 2000;

let playground: RunningPlayground;
let chromium: Browser;
let page: Page;
let problems: string[];
/** A run in Node.js: its loss and the fingerprint of its trained weights' bits. */
interface NodeRun {
  readonly loss: number;
  readonly weights: string;
}
const nodeRun = ({ history, params }: RunResult): NodeRun => ({
  loss: history[0].loss,
  weights: weightsFingerprint(toTransfer(params)),
});
/** The same run in Node.js (reference backend), by number of images. */
const nodeJs = new Map<number, NodeRun>();
/** The same run in Node.js on the wasm backend (2 worker threads), and whether its products fused multiply-adds. */
let nodeWasm: NodeRun & { readonly fma: boolean };
/** The same on wasm with every multiply and add rounded (`fma: false`): what the fingerprint tells apart. */
let nodeWasmRounded: NodeRun;

describe.skipIf(!hasChromium)(`training in the page${chromiumSkipNote}`, () => {
  beforeAll(async () => {
    playground = await servePlayground();
    chromium = await launchChromium();
    page = await chromium.newPage({ viewport: { width: 1100, height: 1100 } });
    problems = watchConsole(page);
    await page.goto(playground.url);
    const train = await bundledMnistTrain();
    for (const samples of [jsSamples, gpuSamples])
      nodeJs.set(samples, nodeRun(await runTutorial(train, jsBackend, settings(samples))));
    const wasm = await createWasmBackend({ threads: 2 });
    nodeWasm = { ...nodeRun(await runTutorial(train, wasm, settings(wasmSamples))), fma: wasm.fma };
    await wasm.dispose();
    const rounded = await createWasmBackend({ threads: 2, fma: false });
    nodeWasmRounded = nodeRun(await runTutorial(train, rounded, settings(wasmSamples)));
    await rounded.dispose();
  });

  afterAll(async () => {
    await chromium?.close();
    await playground?.close();
  });

  it('on the JavaScript backend, gives the loss of the same run in Node.js', async () => {
    const run = await trainInPage(page, { backend: 'js', samples: jsSamples });
    const reference = nodeJs.get(jsSamples);
    console.log(
      `in-page training, js: ${run.seconds.toFixed(1)} s for one epoch of ${jsSamples} images; loss ${run.loss}, weights ${run.weights} (Node.js: ${reference?.loss}, ${reference?.weights})`,
    );
    expect(run.backendInfo).toMatch(/^JavaScript/);
    // The same JavaScript in another V8: the same float32 arithmetic, step for step.
    expect(run.loss).toBe(reference?.loss);
    expect(run.weights).toBe(reference?.weights);
  });

  it('on wasm with 2 threads (Web Workers in the training worker), gives the loss of the same run in Node.js bit for bit', async () => {
    const run = await trainInPage(page, { backend: 'wasm', samples: wasmSamples, threads: 2 });
    console.log(
      `in-page training, wasm: ${run.seconds.toFixed(1)} s for one epoch of ${wasmSamples} images; loss ${run.loss}, weights ${run.weights} (Node.js wasm: ${nodeWasm.loss}, ${nodeWasm.weights}, fma ${nodeWasm.fma}); ${run.backendInfo}`,
    );
    expect(run.threads).toBe(2);
    expect(run.backendInfo).toMatch(
      /^WebAssembly SIMD on 2 threads, multiply-adds (fused \(relaxed SIMD\)|rounded twice)/,
    );
    // The same kernels compiled by V8 on the same CPU: with the same choice of fused
    // multiply-adds every rounding is the same, and results do not depend on the thread count.
    expect(run.fma).toBe(String(nodeWasm.fma));
    expect(run.loss).toBe(nodeWasm.loss);
    expect(run.weights).toBe(nodeWasm.weights);
    // Which the weights' fingerprint would catch: fused and rounded products train different bits.
    expect(nodeWasmRounded.weights).not.toBe(nodeWasm.weights);
    await page.screenshot({ path: `${artifactsDir}playground-trained-wasm.png`, fullPage: true });
  });

  it('on wasm in a page that is not cross-origin isolated, runs on one thread, says why, and gives the same loss', async () => {
    const plain = await chromium.newPage({ viewport: { width: 1100, height: 1100 } });
    const plainProblems = watchConsole(plain);
    // The same site without the isolation headers, as a plain static server would send it.
    await plain.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    try {
      await plain.goto(playground.url);
      expect(await plain.evaluate(() => crossOriginIsolated)).toBe(false);
      const run = await trainInPage(plain, { backend: 'wasm', samples: wasmSamples, threads: 2 });
      expect(run.threads).toBe(1);
      expect(run.backendInfo).toMatch(
        /^WebAssembly SIMD on 1 thread \(1 of the 2 threads asked for: the page is not cross-origin isolated/,
      );
      expect(run.loss).toBe(nodeWasm.loss);
      expect(run.weights).toBe(nodeWasm.weights);
      expect(plainProblems).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('on gpu.js forced to webgl2, says it is SwiftShader in software and matches Node.js within float32 rounding', async () => {
    const run = await trainInPage(page, { backend: 'gpu', gpuMode: 'webgl2', samples: gpuSamples });
    const reference = nodeJs.get(gpuSamples)?.loss ?? Number.NaN;
    console.log(
      `in-page training, gpu.js ${run.mode}: ${run.seconds.toFixed(1)} s for one epoch of ${gpuSamples} images (steps done at ${run.stepSeconds.map((t) => t.toFixed(1)).join(', ')} s); loss ${run.loss} (Node.js, js backend: ${reference}); ${run.backendInfo}`,
    );
    expect(run.mode).toBe('webgl2');
    expect(run.backendInfo).toMatch(
      /^gpu\.js webgl2: requested: webgl2 renders with a software rasterizer \(.*SwiftShader.*\), not a GPU$/,
    );
    // Float32 on the device with compensated sums: a few roundings from the reference.
    expect(Math.abs(run.loss - reference)).toBeLessThanOrEqual(1e-5 * reference);
    await page.screenshot({ path: `${artifactsDir}playground-trained-webgl2.png`, fullPage: true });
  });

  it("on gpu.js auto, passes over SwiftShader, naming it, for gpu.js's WebAssembly mode", async () => {
    const run = await trainInPage(page, { backend: 'gpu', samples: 128 });
    expect(run.mode).toBe('webasm');
    expect(run.backendInfo).toMatch(
      /^gpu\.js webasm: auto: no GPU \(webgl2 renders with a software rasterizer \(.*SwiftShader.*\), not a GPU; webgl renders with a software rasterizer .*\); gpu\.js's WebAssembly mode runs on the CPU$/,
    );
    expect(run.backendInfo).not.toMatch(/headless/);
  });

  it('logged no console error or warning', () => {
    expect(problems).toEqual([]);
  });
});
