import { createHash, randomInt } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { DownloadProgress } from '@axon/data/node';
import {
  checkpointDataFile,
  checkpointJsonFile,
  modelJsonFile,
  renderModelFileError,
  restoreTree,
  weightsFile,
  type Checkpoint,
  type SavedModel,
} from '@axon/io';
import { checkModelTarget, checkpointWriter, freshCheckpoint, loadCheckpoint } from '@axon/io/node';
import {
  batchRanges,
  evaluate,
  fit,
  initTrainState,
  losses,
  splitValidation,
  type Dataset,
  type EpochLog,
  type TrainState,
} from '@axon/nn';
import { ByteCodedStorage, key, reshape, toBackend, type Shape, type Tensor, type TensorTree } from '@axon/tensor';
import { openBackend } from '../backends/open-backend.js';
import { checkSampleShape, checkSplit } from '../data/check-split.js';
import { loadSplits } from '../data/load-data.js';
import { normalizationFor, prepare, type PreparedData } from '../data/prepare.js';
import { signalExitStatus, watchInterrupt } from '../edge/interrupt.js';
import { classifierOf, planClassifier, type Architecture } from '../model/architecture.js';
import { savedModelOf } from '../model/saved-model-bridge.js';
import { idxNeedsDataDir } from '../options/common-options.js';
import { trainingSettingsOf, type TrainConfig } from '../options/train-options.js';
import { augmentationTransform } from '../training/augmentation.js';
import type { Normalization } from '../model/axon-metadata.js';
import { trainingChartSvg } from '../output/charts/training-chart.js';
import { chooseReporter } from '../output/choose-reporter.js';
import { downloadProgress } from '../output/download-progress.js';
import { oneLine } from '../output/one-line.js';
import { bestEpochOf, historyJson, type EpochRecord } from '../training/history.js';
import { optimizerOf } from '../training/optimizer.js';
import { CheckpointSettings, resumedSettings } from '../training/resume.js';
import type { TrainingSettings } from '../training/settings.js';
import { checkTrainingSize, knownDataShape, type DataShape } from '../training/size-check.js';
import type { CommandIo } from './command-io.js';
import { failureMessage, type CommandFailure } from './failure.js';

/** Shows each file's download as a progress bar on stderr when it is a terminal, and says nothing otherwise. */
const downloadDisplay = (io: CommandIo, show: boolean) => {
  const bars = new Map<string, ReturnType<typeof downloadProgress>>();
  return {
    onProgress: (progress: DownloadProgress): void => {
      if (!show) return;
      const bar = bars.get(progress.file) ?? downloadProgress(`downloading ${progress.file}`, io.stderr, io.clock);
      bars.set(progress.file, bar);
      bar.onProgress(progress.receivedBytes, progress.totalBytes);
    },
    finish: (): void => bars.forEach((bar) => bar.finish()),
  };
};

/** The data `train` runs on, normalized, and what the model file records about it. */
interface TrainingData {
  readonly all: PreparedData;
  readonly testData: PreparedData;
  readonly classNames: readonly string[];
  readonly normalization: Normalization;
}

/**
 * Loads and prepares the training and test sets. Kept apart from the training loop so the
 * raw arrays (the 8-bit pixels, the decompressed files) are garbage once prepared,
 * rather than held for the whole run by the loop's async frame.
 */
const loadTrainingData = async (config: TrainConfig, io: CommandIo): Promise<E.Either<string, TrainingData>> => {
  const downloads = downloadDisplay(io, io.stderr.isTTY === true && !config.json && !config.quiet);
  const splits = await loadSplits(config.dataset, config.dataDir, downloads.onProgress)();
  downloads.finish();
  if (E.isLeft(splits)) return splits;
  const { train, test } = splits.right;
  const classNames = train.classNames;
  const usable = checkSplit(train, classNames.length, `the ${config.dataset} training set`, config.dataset);
  if (E.isLeft(usable)) return usable;
  // An IDX directory numbers its classes by the labels it holds, so the test set may name more than training saw.
  const testable = checkSplit(test, classNames.length, `the ${config.dataset} test set`, 'the training set');
  if (E.isLeft(testable)) return testable;
  const shaped = checkSampleShape(
    test,
    train.inputs.shape.slice(1),
    `the ${config.dataset} test set`,
    'the training set',
  );
  if (E.isLeft(shaped)) return shaped;
  const normalization = normalizationFor(train);
  return E.right({
    all: prepare(train, normalization, config.limit),
    testData: prepare(test, normalization, null),
    classNames,
    normalization,
  });
};

/**
 * Holds out the last `fraction` of the samples for validation (none for 0). Left when
 * that leaves no training or no validation samples, as `--limit 1` would.
 */
const validationSplitOf = (
  data: Dataset,
  fraction: number,
): E.Either<string, { readonly train: Dataset; readonly validation?: Dataset }> =>
  fraction === 0
    ? E.right({ train: data })
    : E.tryCatch(
        () => splitValidation(data, fraction),
        () => `--validation-split ${fraction} leaves no training or no validation samples out of ${data.y.size}`,
      );

/** What `train` writes into its output directory: the model with its checkpoint, its history and its chart. */
const writtenFiles = [
  modelJsonFile,
  weightsFile,
  checkpointJsonFile,
  checkpointDataFile,
  'history.json',
  'training.svg',
];

/** Lets signal handlers and finalizers (which free GPU textures) run between training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An epoch of `fit`'s history as `history.json` records it. */
const recordOf = (log: EpochLog): EpochRecord => ({
  epoch: log.epoch,
  loss: log.loss,
  accuracy: log.accuracy ?? Number.NaN,
  seconds: log.seconds ?? 0,
  ...(log.valLoss === undefined ? {} : { valLoss: log.valLoss, valAccuracy: log.valAccuracy ?? Number.NaN }),
});

/**
 * A SHA-256 of the training data as prepared (the float32 inputs, then the labels): a
 * resume on other data is refused. Byte-coded inputs are hashed as the floats they
 * decode to, a slab at a time, rather than decoded whole.
 */
const dataSha256 = (data: PreparedData): string => {
  const bytes = (values: ArrayBufferView): Uint8Array =>
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const hash = createHash('sha256');
  const { storage } = data.x;
  if (storage instanceof ByteCodedStorage) {
    const slab = new Float32Array(Math.min(storage.size, 2 ** 18));
    for (let first = 0; first < storage.size; first += slab.length) {
      const length = Math.min(slab.length, storage.size - first);
      storage.decodeInto(slab, 0, first, length);
      hash.update(bytes(slab.subarray(0, length)));
    }
  } else hash.update(bytes(data.x.values));
  return hash.update(bytes(data.y.values)).digest('hex');
};

/** What a resumed run starts from: the checkpoint and the settings it continues with. */
interface Resumed {
  readonly checkpoint: Checkpoint;
  readonly model: SavedModel;
  readonly settings: CheckpointSettings;
}

/** Reads `--resume DIR` and checks the options against it, before any work. */
const readResume = async (config: TrainConfig, dir: string): Promise<E.Either<string, Resumed>> => {
  const loaded = await loadCheckpoint(dir)();
  if (E.isLeft(loaded)) return E.left(renderModelFileError(loaded.left));
  return E.map((settings: CheckpointSettings) => ({ ...loaded.right, settings }))(
    resumedSettings(config, loaded.right.checkpoint, dir),
  );
};

/** A failure of the network `--layers` describes, which is a bad option: status 2. */
const badNetwork = (message: string): CommandFailure => ({ message: `axon train: ${message}`, exitCode: 2 });

/**
 * Plans the classifier for data of `shape` and checks it trains within the memory limit:
 * left when a layer does not fit the data (status 2) or the estimate exceeds the limit.
 */
const plannedWithin = (
  settings: TrainingSettings,
  shape: DataShape,
  maxMemory: number | null,
  io: CommandIo,
): E.Either<CommandFailure, Architecture> =>
  pipe(
    planClassifier(settings, shape.sampleShape, shape.classes),
    E.mapLeft(badNetwork),
    E.chainFirst((architecture) =>
      E.mapLeft((message: string): CommandFailure => `axon train: ${message}`)(
        checkTrainingSize(architecture, settings, maxMemory, io.machine),
      ),
    ),
  );

/**
 * `axon train`: loads the data, trains the classifier the options describe (by default
 * the tutorial's), evaluates it on the test set and writes the model directory
 * atomically: `model.json` and `weights.bin` in the TensorFlow.js layers format, the
 * checkpoint that `--resume` continues from, `history.json` and a `training.svg` chart.
 * With `--checkpoint-every N` it also writes the directory every N epochs; Ctrl-C
 * stops after the current batch and writes the checkpoint of the last finished epoch;
 * a non-finite loss stops training with the epoch and step, writing nothing.
 *
 * @example
 * await runTrain({ command: 'train', ...tutorialOptions, out: 'model' }, io);
 */
export async function runTrain(config: TrainConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const resumed = config.resume === null ? null : await readResume(config, config.resume);
  if (resumed !== null && E.isLeft(resumed)) return E.left(`axon train: ${resumed.left}`);
  const from = resumed === null ? null : resumed.right;
  const settings =
    from === null ? trainingSettingsOf(config, config.seed ?? randomInt(2 ** 31)) : from.settings.training;
  // A resumed run writes back into its directory unless --out says otherwise.
  const out = from !== null && !config.given.has('out') && config.resume !== null ? config.resume : config.out;
  if (settings.dataset === 'idx' && config.dataDir === null) return E.left(`axon train: ${idxNeedsDataDir}`);
  const target = await checkModelTarget(out, writtenFiles)();
  if (E.isLeft(target)) return E.left(`axon train: ${renderModelFileError(target.left)}`);
  // The network and its size are checked before the data loads when the data set's shape is known (a resumed run's settings are the checkpoint's).
  const known = knownDataShape(settings.dataset, settings.layers);
  const fitsBefore = known === null ? E.right(undefined) : plannedWithin(settings, known, config.maxMemory, io);
  if (E.isLeft(fitsBefore)) return E.left(fitsBefore.left);
  const reporter = chooseReporter({ json: config.json, quiet: config.quiet, stream: io.stdout, clock: io.clock });

  const loaded = await loadTrainingData({ ...config, dataset: settings.dataset, limit: settings.limit }, io);
  if (E.isLeft(loaded)) return E.left(`axon train: ${loaded.left}`);
  const { classNames, normalization } = loaded.right;
  const planned = plannedWithin(
    settings,
    { sampleShape: loaded.right.all.x.shape.slice(1), classes: classNames.length },
    config.maxMemory,
    io,
  );
  if (E.isLeft(planned)) return E.left(planned.left);
  const architecture = planned.right;
  // Grey images get the channel axis convolutions take ([28, 28] samples become [28, 28, 1]); the values stay where they are.
  const inputShape = architecture.inputShape;
  const shaped = ({ x, y }: PreparedData): PreparedData => ({ x: reshape(x, [x.shape[0], ...inputShape]), y });
  const all = shaped(loaded.right.all);
  const testData = shaped(loaded.right.testData);
  const sha256 = dataSha256(all);
  if (from !== null && from.settings.dataSha256 !== sha256) {
    return E.left(
      `axon train: --resume ${config.resume}: the training data differs from the data the run was trained on`,
    );
  }

  const opened = await openBackend(config);
  if (E.isLeft(opened)) return E.left(`axon train: ${opened.left}`);
  const { backend, description } = opened.right;
  // Watched until the command ends: Ctrl-C (or SIGTERM, SIGHUP) during the test
  // evaluation or the chart still writes the checkpoint, and any number of them during
  // the atomic save let it finish (unwatched, Node would end the process mid-save and
  // leave the temporary directory behind).
  const interrupt = watchInterrupt();
  try {
    const split = validationSplitOf(all, settings.validationSplit);
    if (E.isLeft(split)) return E.left(`axon train: ${split.left}`);
    const { train: trainData, validation } = split.right;
    const trainSamples = trainData.x.shape[0];

    const { augmentation } = settings;
    if (augmentation !== null && inputShape.length !== 2 && inputShape.length !== 3) {
      return E.left(
        `axon train: --augment needs images ([height, width] or [height, width, channels] per sample), but ${config.dataset} has samples of shape [${inputShape.join(',')}]`,
      );
    }
    const model = classifierOf(architecture);
    const plan = {
      model,
      loss: losses.sparseCategoricalCrossentropy(),
      optimizer: optimizerOf(settings, batchRanges(trainSamples, settings.batchSize).length),
    };
    const fresh = initTrainState(plan, key(settings.seed), inputShape, { backend });
    const initial =
      from === null ? E.right(fresh) : restoredState(from, fresh, inputShape, (x) => toBackend(x, backend));
    if (E.isLeft(initial)) return E.left(`axon train: --resume ${config.resume}: ${initial.left}`);
    reporter.start({
      settings,
      backend: description,
      trainSamples,
      validationSamples: validation === undefined ? 0 : validation.x.shape[0],
      testSamples: testData.x.shape[0],
    });

    // From here on a failure also ends the report: a terminal's progress bar is cleared, --json gets an error event.
    const fail = (failure: CommandFailure): E.Either<CommandFailure, void> => {
      reporter.error(failureMessage(failure));
      return E.left(failure);
    };
    const metadataOf = (checkpoint: Checkpoint): E.Either<string, SavedModel['metadata']> => {
      const history = checkpoint.history.map(recordOf);
      const saved = savedModelOf(model, checkpoint.params as readonly TensorTree[], inputShape, {
        formatVersion: 1,
        axonVersion: io.version,
        training: settings,
        normalization,
        classNames,
        history,
      });
      return E.map((m: SavedModel) => m.metadata)(saved);
    };
    const firstMetadata = metadataOf(from?.checkpoint ?? freshCheckpoint(fresh, {}));
    if (E.isLeft(firstMetadata)) return fail(`axon train: cannot save the model: ${firstMetadata.left}`);
    // Stored as the model file records them (layers as --layers items), which resuming decodes.
    const checkpointSettings = CheckpointSettings.encode({ training: settings, dataSha256: sha256 });
    const start =
      from === null ? freshCheckpoint(fresh, checkpointSettings) : { ...from.checkpoint, settings: checkpointSettings };
    const writer = checkpointWriter(out, {
      every: config.checkpointEvery ?? 0,
      model,
      inputShape,
      generatedBy: `axon ${io.version}`,
      start: {
        ...start,
        params: initial.right.params,
        optState: initial.right.optState,
        modelState: initial.right.modelState,
      },
      metadata: (checkpoint) =>
        E.getOrElse((): SavedModel['metadata'] => firstMetadata.right)(metadataOf(checkpoint)) ?? {},
      extraFiles: async (checkpoint) => {
        const history = checkpoint.history.map(recordOf);
        return [
          { name: 'history.json', contents: historyJson(history) },
          { name: 'training.svg', contents: await trainingChartSvg(history) },
        ];
      },
    });

    const started = io.clock();
    const result = await fit(plan, initial.right, trainData, {
      epochs: settings.epochs,
      initialEpoch: start.epoch,
      batchSize: settings.batchSize,
      ...(validation === undefined ? {} : { validationData: validation }),
      ...(augmentation === null ? {} : { transformInputs: augmentationTransform(augmentation) }),
      ...(settings.earlyStopping === null
        ? {}
        : { earlyStopping: { monitor: 'valLoss', patience: settings.earlyStopping, restoreBest: true } }),
      now: io.clock,
      shouldStop: interrupt.requested,
      callbacks: [
        {
          onBatchEnd: (event) => {
            reporter.batch({
              epoch: event.epoch,
              epochs: event.epochs,
              samplesDone: event.samples,
              samplesTotal: trainSamples,
              loss: event.meanLoss,
              accuracy: event.meanAccuracy ?? Number.NaN,
            });
            return yieldToEventLoop();
          },
        },
        writer.callbacks,
        {
          onEpochEnd: (event) => {
            const record = recordOf(event);
            reporter.epoch({
              ...record,
              epochs: event.epochs,
              samplesPerSecond: record.seconds > 0 ? trainSamples / record.seconds : 0,
            });
          },
        },
      ],
    });
    const trainSeconds = (io.clock() - started) / 1000;
    const failed = writer.failure();
    if (failed !== undefined) return fail(`axon train: ${renderModelFileError(failed)}`);
    if (result.error !== undefined) {
      const { epoch, batch, step, loss } = result.error;
      return fail(
        `axon train: the loss became ${loss} at epoch ${epoch}, step ${step + 1} (batch ${batch}); training stopped and nothing was written`,
      );
    }
    const interrupted = async (): Promise<E.Either<CommandFailure, void>> => {
      const signal = interrupt.received() ?? 'SIGINT';
      const how = signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`;
      const exitCode = signalExitStatus(signal);
      const saved = await interrupt.shield(writer.save());
      if (E.isLeft(saved))
        return fail({
          message: `axon train: ${how}, and the checkpoint could not be written: ${renderModelFileError(saved.left)}`,
          exitCode,
        });
      return fail({
        message: `axon train: ${how} after ${result.state.step} steps; ${out} holds the run after epoch ${saved.right.epoch} of ${settings.epochs} (axon train --resume ${out} continues it)`,
        exitCode,
      });
    };
    if (result.stopReason === 'shouldStop') return interrupted();

    const { params, modelState } = result.state;
    // In training's batch size, as fit validates: the test batches then reuse the memory the training steps freed
    // (the wasm heap's blocks come in size classes), where batches of 1000 took the convnet's heap from 140 to 630 MB.
    const tested = evaluate(model, plan.loss, params, testData, { batchSize: settings.batchSize, state: modelState });
    if (interrupt.requested()) return interrupted();
    // Early stopping hands back the best epoch's state, which is what is saved.
    const written = await interrupt.shield(writer.save(result.state));
    if (E.isLeft(written)) return fail(`axon train: ${renderModelFileError(written.left)}`);
    const history = written.right.history.map(recordOf);
    reporter.done({
      testLoss: tested.loss,
      testAccuracy: tested.accuracy ?? Number.NaN,
      trainSeconds,
      modelDir: out,
      ...(result.stopReason === 'earlyStopping'
        ? { stoppedEarly: { epoch: history.length, bestEpoch: bestEpochOf(history) } }
        : {}),
    });
    const lateSignal = interrupt.received();
    if (lateSignal !== undefined)
      io.stderr.write(
        `${oneLine(`axon train: ${lateSignal} came while the model was being saved; it was saved anyway to ${out}`)}\n`,
      );
    return E.right(undefined);
  } finally {
    interrupt.stop();
    await opened.right.close();
  }
}

/** The training state a checkpoint holds, on the training backend, checked against the model's and the optimizer's own structure. */
function restoredState(
  from: Resumed,
  fresh: TrainState,
  inputShape: Shape,
  place: (x: Tensor) => Tensor,
): E.Either<string, TrainState> {
  const same =
    from.model.inputShape.length === inputShape.length && from.model.inputShape.every((d, i) => d === inputShape[i]);
  if (!same)
    return E.left(
      `the run was trained on samples of shape [${from.model.inputShape.join(', ')}], the data has [${inputShape.join(', ')}]`,
    );
  const { checkpoint } = from;
  return pipe(
    E.Do,
    E.bind('params', () => restoreTree(fresh.params, checkpoint.params, place, 'params')),
    E.bind('optState', () => restoreTree(fresh.optState, checkpoint.optState, place, 'optState')),
    E.bind('modelState', () => restoreTree(fresh.modelState, checkpoint.modelState, place, 'modelState')),
    E.map((trees) => ({ ...trees, step: checkpoint.step, key: checkpoint.key })),
  );
}
