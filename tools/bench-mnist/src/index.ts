/**
 * `npm run bench` for the whole stack: the tutorial's MNIST MLP trained on real MNIST on
 * every backend, then Keras's mnist_convnet on the wasm backend, each run in its own process. The wasm backend on 2 threads trains the
 * full 10 epochs (the headline figures); on 1 thread and without fused multiply-adds it
 * trains 3; the others train one. gpu.js's headlessgl mode runs under `xvfb-run -a`
 * when there is no X display. No GPU is used unless the machine has one; gpu.js's
 * reason line says which device ran.
 *
 * PyTorch's figures for the same model come from `src/side-by-side.ts`
 * (`npm run bench:torch`), which alternates runs of both in one session.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { row } from '@axon/bench';
import { runConfigs, steadySecondsPerEpoch, type RunResult } from './config.js';
import { runAxon } from './spawn.js';

const dataDir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
if (!existsSync(dataDir)) {
  console.log(`@axon/bench-mnist: skipped, real MNIST not found at ${dataDir}`);
  process.exit(0);
}

const percent = (v: number): string => `${(v * 100).toFixed(2)}%`;

console.log(
  `MNIST MLP 784-128-128-10 (and the CNN of axon train --model cnn, last), Adam 1e-3, batch 128, seed 0, real MNIST; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log('s/epoch: median of the epochs after the first (the only one when there is one)\n');
const widths = [26, 7, 9, 10, 10, 13, 9, 7];
console.log(row(['backend', 'epochs', 's/epoch', 'train acc', 'test acc', 'inference/s', 'peak MiB', 'GC'], widths));
const results: RunResult[] = [];
for (const config of runConfigs) {
  const result = runAxon(config);
  if (typeof result === 'string') {
    console.log(row([config.label, result], [26, 60]));
    continue;
  }
  results.push(result);
  console.log(
    row(
      [
        result.label,
        String(result.secondsPerEpoch.length),
        steadySecondsPerEpoch(result.secondsPerEpoch).toFixed(3),
        percent(result.trainAccuracy),
        percent(result.testAccuracy),
        Math.round(result.inferenceImagesPerSecond).toLocaleString('en-US'),
        result.peakRssMiB.toFixed(0),
        percent(result.gcShare),
      ],
      widths,
    ),
  );
  console.log(`  ${result.backendReason}; epochs ${result.secondsPerEpoch.map((s) => s.toFixed(2)).join(' ')}`);
}

const withWasm = results.filter((r) => r.wasm !== undefined);
if (withWasm.length > 0) {
  console.log(
    '\nwasm backend during training (per step; busy = share of the training time each thread spent in parallel jobs)',
  );
  const wasmWidths = [26, 16, 16, 14, 22, 9, 16];
  console.log(
    row(['run', 'uploads', 'downloads', 'gathered', 'busy (main, workers)', 'heap MiB', 'zero-skipping'], wasmWidths),
  );
  withWasm.forEach(({ label, wasm }) => {
    if (wasm === undefined) return;
    console.log(
      row(
        [
          label,
          `${wasm.uploadsPerStep.toFixed(1)} / ${(wasm.uploadBytesPerStep / 1024).toFixed(1)} KiB`,
          `${wasm.downloadsPerStep.toFixed(1)} / ${(wasm.downloadBytesPerStep / 1024).toFixed(1)} KiB`,
          `${(wasm.gatheredBytesPerStep / 1024).toFixed(0)} KiB`,
          wasm.busyShare.map(percent).join(', '),
          wasm.heapMiB.toFixed(1),
          `${wasm.zeroSkippingPerStep.toFixed(1)} of ${wasm.productsPerStep.toFixed(1)}`,
        ],
        wasmWidths,
      ),
    );
  });
}
console.log(
  '\nPyTorch side by side, in the same session: npm run bench:torch -w @axon/bench-mnist (see tools/bench-mnist/README.md).',
);
