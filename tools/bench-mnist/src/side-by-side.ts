/**
 * `npm run bench:torch -w @axon/bench-mnist`: axon's wasm backend and PyTorch train the
 * tutorial's MLP in the same session, taking turns (axon on 2 and 1 threads, PyTorch on
 * 1 and 2 threads, with each `OPENBLAS_CORETYPE` in `TORCH_CORETYPES`), for `ROUNDS`
 * rounds (3 unless stated) of `EPOCHS` epochs (3 unless stated). With `-- --model cnn`
 * both train Keras's mnist_convnet instead, on 2 threads each (`THREADS=1,2` adds one
 * thread), 2 rounds of 2 epochs unless stated: an epoch takes tens of seconds. Taking turns spreads
 * whatever else the machine does over both. It prints each configuration's median
 * steady epoch across rounds, and the ratios the targets are stated in: PyTorch's best
 * setting's seconds per epoch over axon's default (2 threads), and axon's inference
 * images/s over PyTorch's best.
 *
 * Needs `/usr/bin/python3` with torch and threadpoolctl (or `TORCH_PYTHON`), and
 * `../shared/bench/torch/train.py` beside the repository (or `TORCH_TRAIN_PY`). CI never
 * runs it.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { row } from '@axon/bench';
import { steadySecondsPerEpoch, type BenchModel, type RunConfig } from './config.js';
import { runAxon, runTorch, torchScript, type TorchConfig } from './spawn.js';

const modelArg = process.argv.indexOf('--model');
const model: BenchModel = modelArg >= 0 && process.argv[modelArg + 1] === 'cnn' ? 'cnn' : 'mlp';
if (modelArg >= 0 && !['mlp', 'cnn'].includes(process.argv[modelArg + 1] ?? '')) {
  console.log(`--model takes mlp or cnn, got ${process.argv[modelArg + 1] ?? 'nothing'}`);
  process.exit(1);
}
const cnn = model === 'cnn';
const rounds = Number(process.env['ROUNDS'] ?? (cnn ? 2 : 3));
const epochs = Number(process.env['EPOCHS'] ?? (cnn ? 2 : 3));
const threadCounts = (process.env['THREADS'] ?? (cnn ? '2' : '1,2')).split(',').map(Number);
const coretypes = (process.env['TORCH_CORETYPES'] ?? '').split(',').filter((c) => c !== '');

if (!existsSync(torchScript())) {
  console.log(`PyTorch's reference script is not at ${torchScript()}; set TORCH_TRAIN_PY`);
  process.exit(1);
}

// axon's default (2 threads) first: the ratios are stated against it.
const axonConfigs: RunConfig[] = [...threadCounts]
  .sort((a, b) => Math.abs(a - 2) - Math.abs(b - 2))
  .map((threads) => ({
    label: `axon wasm, ${threads} thread${threads > 1 ? 's' : ''}${threads === 2 ? ' (default)' : ''}`,
    model,
    backend: 'wasm',
    threads,
    epochs,
  }));
const torchConfigs: TorchConfig[] = threadCounts.flatMap((threads) =>
  [undefined, ...coretypes].map((coretype) => ({
    label: `PyTorch, ${threads} thread${threads > 1 ? 's' : ''}${coretype === undefined ? '' : `, ${coretype}`}`,
    model,
    threads,
    coretype,
    epochs,
  })),
);

/** Per configuration, each round's steady seconds per epoch, and its other figures from the last round. */
interface Collected {
  readonly seconds: number[];
  inference: number[];
  rss: number;
  accuracy: number;
  note: string;
}
const collected = new Map<string, Collected>();
const record = (
  label: string,
  seconds: number,
  inference: number,
  rss: number,
  accuracy: number,
  note: string,
): void => {
  const entry = collected.get(label) ?? { seconds: [], inference: [], rss, accuracy, note };
  entry.seconds.push(seconds);
  entry.inference.push(inference);
  entry.rss = Math.max(entry.rss, rss);
  entry.accuracy = accuracy;
  entry.note = note;
  collected.set(label, entry);
};

console.log(
  `axon and PyTorch side by side (${cnn ? "Keras's mnist_convnet" : "the tutorial's MLP"}): ${rounds} rounds of ${epochs} epochs; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
for (let round = 1; round <= rounds; round++) {
  // Alternate the two frameworks so that neither gets the quieter minutes.
  const turns = [...axonConfigs.map((c) => ['axon', c] as const), ...torchConfigs.map((c) => ['torch', c] as const)];
  const order = round % 2 === 1 ? turns : [...turns].reverse();
  for (const [kind, config] of order) {
    if (kind === 'axon') {
      const result = runAxon(config);
      if (typeof result === 'string') console.log(`${config.label}: ${result}`);
      else
        record(
          config.label,
          steadySecondsPerEpoch(result.secondsPerEpoch),
          result.inferenceImagesPerSecond,
          result.peakRssMiB,
          result.testAccuracy,
          result.backendReason,
        );
    } else {
      const result = runTorch(config);
      if (typeof result === 'string') console.log(`${config.label}: ${result}`);
      else
        record(
          config.label,
          steadySecondsPerEpoch(result.secondsPerEpoch),
          result.inferenceImagesPerSecond,
          result.peakRssMiB,
          result.testAccuracy,
          `BLAS: ${result.blas}`,
        );
    }
  }
  console.log(`round ${round} done; load average ${loadavg()[0].toFixed(2)}`);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

console.log("\nmedian across rounds of each run's steady epoch (the epochs after the first)");
const widths = [34, 9, 9, 13, 9, 9];
console.log(row(['configuration', 's/epoch', 'best', 'inference/s', 'peak MiB', 'test acc'], widths));
collected.forEach((c, label) => {
  console.log(
    row(
      [
        label,
        median(c.seconds).toFixed(3),
        Math.min(...c.seconds).toFixed(3),
        Math.round(median(c.inference)).toLocaleString('en-US'),
        c.rss.toFixed(0),
        `${(c.accuracy * 100).toFixed(2)}%`,
      ],
      widths,
    ),
  );
  console.log(`  ${c.note}`);
});

const torch = [...collected].filter(([label]) => label.startsWith('PyTorch'));
const axon = collected.get(axonConfigs[0].label);
if (torch.length > 0 && axon !== undefined) {
  const [bestLabel, best] = torch.reduce((a, b) => (median(b[1].seconds) < median(a[1].seconds) ? b : a));
  const bestInference = Math.max(...torch.map(([, c]) => median(c.inference)));
  console.log(
    `\ntraining: PyTorch's best (${bestLabel}) ${median(best.seconds).toFixed(3)} s/epoch / axon's default ${median(axon.seconds).toFixed(3)} s/epoch = ${(median(best.seconds) / median(axon.seconds)).toFixed(2)}x`,
  );
  console.log(
    `inference: axon ${Math.round(median(axon.inference)).toLocaleString('en-US')} images/s / PyTorch's best ${Math.round(bestInference).toLocaleString('en-US')} = ${(median(axon.inference) / bestInference).toFixed(2)}x`,
  );
  if (torch.some(([, c]) => c.note.includes('none found'))) {
    console.log(
      'note: PyTorch found no BLAS through threadpoolctl, so it may be using the slow reference BLAS; install OpenBLAS (apt-get install libopenblas0-pthread) for its real speed',
    );
  }
}
