/**
 * Running one benchmark in its own process: an axon run (`run.ts`) or PyTorch's
 * reference script, each answering with JSON lines on stdout.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchModel, RunConfig, RunResult } from './config.js';

const runScript = fileURLToPath(new URL('./run.ts', import.meta.url));

/** The last line of a child's output when it is JSON, else why not: its exit, or the end of its stderr. */
const lastJson = (
  child: ReturnType<typeof spawnSync>,
): { readonly json: unknown; readonly lines: readonly string[] } | string => {
  const lines = String(child.stdout ?? '')
    .trim()
    .split('\n');
  const last = lines.at(-1) ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    const why = String(child.stderr ?? '') || child.error?.message || `exit ${child.status}`;
    return `failed: ${why.trim().split('\n').slice(-3).join(' | ')}`;
  }
  return { json: JSON.parse(last), lines };
};

/** One axon run in its own process (headlessgl under `xvfb-run -a` without a display). */
export const runAxon = (config: RunConfig): RunResult | string => {
  const command = ['tsx', '--conditions=@axon/source', runScript, JSON.stringify(config)];
  const needsDisplay = config.gpuMode === 'headlessgl' && (process.env['DISPLAY'] ?? '') === '';
  const argv = needsDisplay ? ['xvfb-run', '-a', ...command] : command;
  const result = lastJson(spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 }));
  return typeof result === 'string' ? result : (result.json as RunResult);
};

/** How to run PyTorch's reference script. */
export interface TorchConfig {
  readonly label: string;
  /** `train.py --model`: `mlp` unless stated. */
  readonly model?: BenchModel;
  /** PyTorch's and OpenBLAS's threads (`--threads`). */
  readonly threads: number;
  /** `OPENBLAS_CORETYPE`, when one is forced (for CPUs OpenBLAS does not recognise). */
  readonly coretype?: string;
  readonly epochs: number;
}

/** What PyTorch's script reported. */
export interface TorchResult {
  readonly label: string;
  readonly secondsPerEpoch: readonly number[];
  readonly testAccuracy: number;
  readonly inferenceImagesPerSecond: number;
  readonly peakRssMiB: number;
  /** The BLAS library threadpoolctl found (`architecture`, e.g. Zen or SkylakeX), or none. */
  readonly blas: string;
}

/** Where PyTorch's reference lives: `../shared/bench/torch/train.py` beside the repository, unless `TORCH_TRAIN_PY` says. */
export const torchScript = (): string =>
  process.env['TORCH_TRAIN_PY'] ?? fileURLToPath(new URL('../../../../shared/bench/torch/train.py', import.meta.url));

/** One run of PyTorch's reference script with `/usr/bin/python3` (or `TORCH_PYTHON`). */
export const runTorch = (config: TorchConfig): TorchResult | string => {
  const python = process.env['TORCH_PYTHON'] ?? '/usr/bin/python3';
  const env = { ...process.env, ...(config.coretype === undefined ? {} : { OPENBLAS_CORETYPE: config.coretype }) };
  const child = spawnSync(
    python,
    [
      torchScript(),
      '--model',
      config.model ?? 'mlp',
      '--epochs',
      String(config.epochs),
      '--threads',
      String(config.threads),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env,
    },
  );
  const result = lastJson(child);
  if (typeof result === 'string') return result;
  const final = result.json as {
    testAcc: number;
    inferSamplesPerSec: number;
    peakRssMB: number;
    blas: readonly { architecture?: string; internal_api?: string }[];
  };
  const epochs = result.lines
    .filter((line) => line.startsWith('{"epoch"'))
    .map((line) => (JSON.parse(line) as { seconds: number }).seconds);
  const blas = final.blas.map((b) => `${b.internal_api ?? '?'} ${b.architecture ?? '?'}`).join(', ');
  return {
    label: config.label,
    secondsPerEpoch: epochs,
    testAccuracy: final.testAcc,
    inferenceImagesPerSecond: final.inferSamplesPerSec,
    peakRssMiB: final.peakRssMB,
    blas: blas === '' ? 'none found' : blas,
  };
};
