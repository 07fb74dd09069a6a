import { PositiveInteger } from '@axon/io/codec';
import { BackendChoice, DatasetName, GpuModeName } from '../training/vocabulary.js';
import { integerFromString, PathText } from './from-string.js';
import { optionalValue, requiredValue, switchOption, withValue } from './option-spec.js';

// Options several commands share, defined once.

/** `--backend`: which compute backend to run on; availability is checked when a command runs. */
export const backendOption = withValue('--backend <name>', 'compute backend', BackendChoice, 'auto');

/** `--gpu-mode`: how the gpu backend picks a gpu.js mode. */
export const gpuModeOption = withValue('--gpu-mode <mode>', 'gpu.js mode for --backend gpu', GpuModeName, 'auto');

/** `--threads`: compute threads of the wasm backend. */
export const threadsOption = optionalValue(
  '--threads <n>',
  'compute threads of the wasm backend',
  integerFromString(PositiveInteger),
  'the available cores',
);

/** `--data-dir`: where data sets are read from; the other places are searched after it. */
export const dataDirOption = optionalValue(
  '--data-dir <dir>',
  'directory of the data set files, required with --dataset idx',
  PathText,
  '$AXON_DATA_DIR/<dataset>, the cache, the bundled MNIST, then a download',
);

/** `--dataset` for commands that use a trained model: by default, the data set it was trained on. */
export const modelDatasetOption = optionalValue(
  '--dataset <name>',
  'data set',
  DatasetName,
  'the one the model was trained on',
);

/** `--model`: the model directory to read; required. */
export const modelOption = requiredValue('--model <dir>', 'model directory, as `axon train --out` wrote it', PathText);

/** `--json`: machine-readable output. */
export const jsonOption = switchOption('--json', 'print JSON on stdout, one object per line');

/** `--verbose`: stack traces with errors. */
export const verboseOption = switchOption('--verbose', 'print the stack trace with an error');

/** The message for a data set of IDX files given without the directory they are in. */
export const idxNeedsDataDir = '--dataset idx needs --data-dir DIR (the directory holding the IDX files)';
