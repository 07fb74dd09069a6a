import { randomInt } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type { DownloadProgress } from '@axon/data';
import { batchRanges, evaluate, fit, initTrainState, losses, splitValidation, type Dataset } from '@axon/nn';
import { key } from '@axon/tensor';
import { openBackend } from '../backends/open-backend.js';
import { checkSampleShape, checkSplit } from '../data/check-split.js';
import { loadSplits } from '../data/load-data.js';
import { normalizationFor, prepare, type PreparedData } from '../data/prepare.js';
import { signalExitStatus, watchInterrupt } from '../edge/interrupt.js';
import { classifier } from '../model/classifier.js';
import { savedModelOf } from '../model/saved-model-bridge.js';
import { checkModelTarget, saveModelDirectory } from '@axon/io/node';
import { renderModelFileError } from '@axon/io';
import { trainingSettingsOf, type TrainConfig } from '../options/train-options.js';
import type { Normalization } from '../model/axon-metadata.js';
import { trainingChartSvg } from '../output/charts/training-chart.js';
import { chooseReporter } from '../output/choose-reporter.js';
import { downloadProgress } from '../output/download-progress.js';
import { oneLine } from '../output/one-line.js';
import { bestEpochOf, historyJson, type EpochRecord } from '../training/history.js';
import { optimizerOf } from '../training/optimizer.js';
import { evaluationBatchSize } from '../training/settings.js';
import { checkTrainingSize, knownDataShape } from '../training/size-check.js';
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
  const shaped = checkSampleShape(test, train.inputs.shape.slice(1), `the ${config.dataset} test set`, 'the training set');
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
const validationSplitOf = (data: Dataset, fraction: number): E.Either<string, { readonly train: Dataset; readonly validation?: Dataset }> =>
  fraction === 0
    ? E.right({ train: data })
    : E.tryCatch(
        () => splitValidation(data, fraction),
        () => `--validation-split ${fraction} leaves no training or no validation samples out of ${data.y.size}`,
      );

/** Lets signal handlers and finalizers (which free GPU textures) run between training steps. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `axon train`: loads the data, trains the classifier the options describe (by default
 * the tutorial's), evaluates it on the test set and writes the model directory
 * atomically: `model.json` and `weights.bin` in the TensorFlow.js layers format, plus
 * `history.json` and a `training.svg` chart. Ctrl-C stops after the current batch and
 * writes nothing; a non-finite loss stops training with the epoch and step.
 *
 * @example
 * await runTrain({ command: 'train', ...tutorialOptions, out: 'model' }, io);
 */
export async function runTrain(config: TrainConfig, io: CommandIo): Promise<E.Either<CommandFailure, void>> {
  const seed = config.seed ?? randomInt(2 ** 31);
  const settings = trainingSettingsOf(config, seed);
  const target = await checkModelTarget(config.out)();
  if (E.isLeft(target)) return E.left(`axon train: ${renderModelFileError(target.left)}`);
  const fitsBefore = checkTrainingSize(config, io.machine, knownDataShape(config.dataset));
  if (E.isLeft(fitsBefore)) return E.left(`axon train: ${fitsBefore.left}`);
  const reporter = chooseReporter({ json: config.json, quiet: config.quiet, stream: io.stdout, clock: io.clock });

  const loaded = await loadTrainingData(config, io);
  if (E.isLeft(loaded)) return E.left(`axon train: ${loaded.left}`);
  const { all, testData, classNames, normalization } = loaded.right;
  const fits = checkTrainingSize(config, io.machine, { inputSize: all.x.size / all.x.shape[0], classes: classNames.length });
  if (E.isLeft(fits)) return E.left(`axon train: ${fits.left}`);

  const opened = await openBackend(config);
  if (E.isLeft(opened)) return E.left(`axon train: ${opened.left}`);
  const { backend, description } = opened.right;
  // Watched until the command ends: Ctrl-C (or SIGTERM, SIGHUP) during the test
  // evaluation or the chart still writes nothing, and any number of them during the
  // atomic save let it finish (unwatched, Node would end the process mid-save and leave
  // the temporary directory behind).
  const interrupt = watchInterrupt();
  try {
    const split = validationSplitOf(all, config.validationSplit);
    if (E.isLeft(split)) return E.left(`axon train: ${split.left}`);
    const { train: trainData, validation } = split.right;
    const trainSamples = trainData.x.shape[0];

    const inputShape = all.x.shape.slice(1);
    const model = classifier(settings, classNames.length);
    const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: optimizerOf(settings, batchRanges(trainSamples, settings.batchSize).length) };
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
    const history: EpochRecord[] = [];
    const started = io.clock();
    const result = await fit(plan, initTrainState(plan, key(seed), inputShape, { backend }), trainData, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      ...(validation === undefined ? {} : { validationData: validation }),
      ...(settings.earlyStopping === null ? {} : { earlyStopping: { monitor: 'valLoss', patience: settings.earlyStopping, restoreBest: true } }),
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
          onEpochEnd: (event) => {
            const seconds = event.seconds ?? 0;
            const record: EpochRecord = {
              epoch: event.epoch,
              loss: event.loss,
              accuracy: event.accuracy ?? Number.NaN,
              seconds,
              ...(event.valLoss === undefined ? {} : { valLoss: event.valLoss, valAccuracy: event.valAccuracy ?? Number.NaN }),
            };
            history.push(record);
            reporter.epoch({ ...record, epochs: event.epochs, samplesPerSecond: seconds > 0 ? trainSamples / seconds : 0 });
          },
        },
      ],
    });
    const trainSeconds = (io.clock() - started) / 1000;
    if (result.error !== undefined) {
      const { epoch, batch, step, loss } = result.error;
      return fail(`axon train: the loss became ${loss} at epoch ${epoch}, step ${step + 1} (batch ${batch}); training stopped and nothing was written`);
    }
    const interrupted = (): E.Either<CommandFailure, void> => {
      const signal = interrupt.received() ?? 'SIGINT';
      const how = signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`;
      return fail({ message: `axon train: ${how} after ${result.state.step} steps; nothing was written`, exitCode: signalExitStatus(signal) });
    };
    if (result.stopReason === 'shouldStop') return interrupted();

    const { params, modelState } = result.state;
    const tested = evaluate(model, plan.loss, params, testData, { batchSize: evaluationBatchSize, state: modelState });
    const metadata = { formatVersion: 1 as const, axonVersion: io.version, training: settings, normalization, classNames, history };
    const saved = savedModelOf(model.config, params, inputShape, metadata);
    if (E.isLeft(saved)) return fail(`axon train: cannot save the model: ${saved.left}`);
    const extras = [
      { name: 'history.json', contents: historyJson(history) },
      { name: 'training.svg', contents: await trainingChartSvg(history) },
    ];
    if (interrupt.requested()) return interrupted();
    const written = await interrupt.shield(saveModelDirectory(config.out, saved.right, `axon ${io.version}`, extras));
    if (E.isLeft(written)) return fail(`axon train: ${renderModelFileError(written.left)}`);
    reporter.done({
      testLoss: tested.loss,
      testAccuracy: tested.accuracy ?? Number.NaN,
      trainSeconds,
      modelDir: config.out,
      ...(result.stopReason === 'earlyStopping' ? { stoppedEarly: { epoch: history.length, bestEpoch: bestEpochOf(history) } } : {}),
    });
    const lateSignal = interrupt.received();
    if (lateSignal !== undefined) io.stderr.write(`${oneLine(`axon train: ${lateSignal} came while the model was being saved; it was saved anyway to ${config.out}`)}\n`);
    return E.right(undefined);
  } finally {
    interrupt.stop();
    await opened.right.close();
  }
}
