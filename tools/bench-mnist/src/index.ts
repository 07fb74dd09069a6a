/**
 * `npm run bench` for the whole stack: the tutorial's MNIST MLP trained on real MNIST on
 * every backend, each run in its own process. The wasm backend on 2 threads trains the
 * full 10 epochs (the headline figures); the others train one epoch. gpu.js's headlessgl
 * mode runs under `xvfb-run -a` when there is no X display. No GPU is used unless the
 * machine has one; gpu.js's reason line says which device ran.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { row } from '@axon/bench';
import { runConfigs, type RunConfig, type RunResult } from './config.js';

const dataDir = fileURLToPath(new URL('../../../../shared/data/mnist', import.meta.url));
if (!existsSync(dataDir)) {
  console.log(`@axon/bench-mnist: skipped, real MNIST not found at ${dataDir}`);
  process.exit(0);
}

const runScript = fileURLToPath(new URL('./run.ts', import.meta.url));

const runOne = (config: RunConfig): RunResult | string => {
  const command = ['tsx', '--conditions=@axon/source', runScript, JSON.stringify(config)];
  const needsDisplay = config.gpuMode === 'headlessgl' && (process.env['DISPLAY'] ?? '') === '';
  const argv = needsDisplay ? ['xvfb-run', '-a', ...command] : command;
  const child = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) return `failed: ${(child.stderr || child.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`;
  return JSON.parse(last) as RunResult;
};

console.log(`MNIST MLP 784-128-128-10, Adam 1e-3, batch 128, seed 0, real MNIST; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n`);
const widths = [24, 10, 12, 12, 12, 14, 10];
console.log(row(['backend', 'epochs', 's/epoch', 'train acc', 'test acc', 'inference/s', 'peak MiB'], widths));
for (const config of runConfigs) {
  const result = runOne(config);
  if (typeof result === 'string') {
    console.log(row([config.label, result], [24, 60]));
    continue;
  }
  const mean = result.secondsPerEpoch.reduce((a, b) => a + b, 0) / result.secondsPerEpoch.length;
  console.log(
    row(
      [
        result.label,
        String(result.secondsPerEpoch.length),
        mean.toFixed(2),
        `${(result.trainAccuracy * 100).toFixed(2)}%`,
        `${(result.testAccuracy * 100).toFixed(2)}%`,
        Math.round(result.inferenceImagesPerSecond).toLocaleString('en-US'),
        result.peakRssMiB.toFixed(0),
      ],
      widths,
    ),
  );
  console.log(`  ${result.backendReason}`);
}
console.log('\nReference points on a similar 2-core machine: TensorFlow.js 4.22 cpu 60.4 s/epoch, wasm 11.0 s/epoch; PyTorch 1.13 + OpenBLAS 0.57 s/epoch.');
