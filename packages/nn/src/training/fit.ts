import {
  permutationValues,
  releaseTensors,
  TensorError,
  type PRNGKey,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { addToMean, emptyMean, meanOf, type RunningMean } from '../metrics/metrics.js';
import { batchRanges, onBackendOf, sampleCount, splitValidation, takeBatch, type Dataset } from './data.js';
import { monitoredMetric, observe, startTracking, type EarlyStoppingOptions } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { inputsKey, shuffleKey, type TrainingPlan, type TrainState } from './state.js';
import { makeTrainStep } from './train-step.js';

/** The metrics of one finished epoch, as `fit`'s history records them. */
export interface EpochLog {
  /** Counted from 1. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches, weighted by batch size (as Keras reports it). */
  readonly loss: number;
  readonly accuracy?: number;
  readonly valLoss?: number;
  readonly valAccuracy?: number;
  /** Wall-clock seconds of the epoch, validation included, when `now` was given. */
  readonly seconds?: number;
}

/** Sent before an epoch's first batch. */
export interface EpochBeginEvent {
  readonly epoch: number;
  /** The last epoch of the run. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly batches: number;
}

/** Sent after every training step. */
export interface BatchEndEvent extends EpochBeginEvent {
  /** Counted from 1 within the epoch. */
  readonly batch: number;
  /** Updates made in total (the state's step after this batch). */
  readonly step: number;
  /** Samples trained on in this epoch so far. */
  readonly samples: number;
  /** This batch's loss and accuracy. */
  readonly loss: number;
  readonly accuracy?: number;
  /** The epoch's running means so far, as Keras's progress bar shows them. */
  readonly meanLoss: number;
  readonly meanAccuracy?: number;
  /** Seconds since the epoch began, when `now` was given. */
  readonly seconds?: number;
}

/** Sent after each epoch, with its metrics and the state to checkpoint. */
export interface EpochEndEvent<P extends TensorTree = TensorTree, S = unknown> extends EpochLog {
  readonly epochs: number;
  readonly state: TrainState<P, S>;
}

/** A callback may ask to stop training by returning `'stop'`, directly or from a promise. */
export type CallbackResult = void | 'stop' | Promise<void | 'stop'>;

/**
 * Hooks `fit` calls at batch and epoch ends, with plain event objects: progress bars,
 * logs, checkpoints. Training waits for a returned promise, so a callback may also write
 * files, or yield to the event loop so that signal handlers can run.
 */
export interface Callbacks<P extends TensorTree = TensorTree, S = unknown> {
  readonly onEpochBegin?: (event: EpochBeginEvent) => CallbackResult;
  readonly onBatchEnd?: (event: BatchEndEvent) => CallbackResult;
  readonly onEpochEnd?: (event: EpochEndEvent<P, S>) => CallbackResult;
}

/**
 * A pure transform of a training batch's inputs, such as data augmentation: same key,
 * same batch. It must keep the batch's size.
 */
export type InputTransform = (key: PRNGKey, x: Tensor) => Tensor;

/** Options of {@link fit}; the defaults are Keras's. */
export interface FitOptions<P extends TensorTree = TensorTree, S = unknown> {
  /** The epoch to end at (Keras's `epochs`): training runs epochs `initialEpoch + 1 .. epochs`. */
  readonly epochs: number;
  /** Epochs already done, when resuming. 0 unless stated. */
  readonly initialEpoch?: number;
  /** 32 unless stated. */
  readonly batchSize?: number;
  /** Reorder the samples each epoch, by a permutation keyed by the state's key and the epoch. True unless stated. */
  readonly shuffle?: boolean;
  /** Hold out the last fraction of the samples (before shuffling) for validation. */
  readonly validationSplit?: number;
  /** Validate on these samples instead. */
  readonly validationData?: Dataset;
  readonly earlyStopping?: EarlyStoppingOptions;
  /**
   * Applied to the inputs of every training batch, with a key from the state's key and
   * step ({@link inputsKey}), so augmented runs stay reproducible and resume exactly.
   * Validation data is never transformed, as Keras's preprocessing layers are inactive
   * outside training.
   */
  readonly transformInputs?: InputTransform;
  readonly callbacks?: readonly Callbacks<P, S>[];
  /**
   * Checked after every batch; true stops training after it (the CLI's Ctrl-C). Signal
   * handlers only run when the event loop gets a turn, so pair it with a callback that
   * yields now and then, e.g. `onBatchEnd: () => new Promise((r) => setImmediate(r))`.
   */
  readonly shouldStop?: () => boolean;
  /** A clock in milliseconds (such as `performance.now`), for the `seconds` of events and logs. */
  readonly now?: () => number;
}

/** Why {@link fit} returned. */
export type StopReason = 'completed' | 'earlyStopping' | 'callback' | 'shouldStop' | 'nonFiniteLoss';

/** What {@link fit} returns. */
export interface FitResult<P extends TensorTree = TensorTree, S = unknown> {
  /** The final state; after a non-finite loss, the last good one; after early stopping with `restoreBest`, the best. */
  readonly state: TrainState<P, S>;
  /** One log per finished epoch. */
  readonly history: readonly EpochLog[];
  readonly stopReason: StopReason;
  /** Set when the loss stopped being finite. */
  readonly error?: NonFiniteLossError;
}

/**
 * The loss became NaN or infinite: where it happened and its value.
 *
 * @example
 * ```ts
 * const { error, state } = await fit(plan, initial, data, { epochs: 10 });
 * if (error) report(`${error.message} (epoch ${error.epoch}, step ${error.step})`); // state is the last good one
 * ```
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';

  constructor(
    /** Counted from 1. */
    readonly epoch: number,
    /** Counted from 1 within the epoch. */
    readonly batch: number,
    /** Updates made before this step. */
    readonly step: number,
    readonly loss: number,
  ) {
    super(
      `the loss became ${loss} at epoch ${epoch}, batch ${batch} (step ${step}); training stopped and the state before that step was kept`,
    );
  }
}

const resolveData = (
  data: Dataset,
  options: Pick<FitOptions, 'validationData' | 'validationSplit'>,
): { readonly train: Dataset; readonly validation?: Dataset } => {
  if (options.validationData !== undefined && options.validationSplit !== undefined) {
    throw new TensorError('fit', 'pass validationSplit or validationData, not both');
  }
  if (options.validationSplit !== undefined) return splitValidation(data, options.validationSplit);
  return { train: data, validation: options.validationData };
};

/** Runs every callback's hook (all of them, in order) and tells whether any asked to stop. */
const notify = async <E>(
  hooks: readonly (((event: E) => CallbackResult) | undefined)[],
  event: E,
): Promise<boolean> => {
  let stop = false;
  for (const hook of hooks) if ((await hook?.(event)) === 'stop') stop = true;
  return stop;
};

/**
 * Trains a model (Keras's `model.fit`): folds the plan's training step over `epochs` of
 * shuffled batches, validates after each epoch, calls the callbacks, and stops early
 * when asked. Pure apart from the callbacks: clocks come in through `now`, stopping
 * through `shouldStop` or a callback, and the same state and data give the same result.
 *
 * A loss that is not finite ends training with `stopReason: 'nonFiniteLoss'`, an
 * `error` saying where, and the last good state.
 *
 * The data is moved to the params' backend, without a copy (see {@link onBackendOf}), so
 * each batch is gathered straight into that backend's memory. On backends that manage
 * their own memory, `fit` frees each state it replaces as soon as it is replaced, unless
 * it has been handed out (to `onEpochEnd`, to early stopping): states a callback kept
 * stay valid.
 *
 * @example
 * ```ts
 * const plan = { model, loss: losses.sparseCategoricalCrossentropy(), optimizer: adam(1e-3) };
 * const { state, history } = await fit(plan, initTrainState(plan, key(0), [784]), { x, y }, {
 *   epochs: 10,
 *   batchSize: 128,
 *   validationSplit: 0.1,
 *   now: () => performance.now(),
 *   callbacks: [{ onEpochEnd: (e) => history.push([e.epoch, e.loss, e.valAccuracy]) }],
 * });
 * ```
 */
export const fit = async <P extends TensorTree, S>(
  plan: TrainingPlan<P, S>,
  initial: TrainState<P, S>,
  data: Dataset,
  options: FitOptions<P, S>,
): Promise<FitResult<P, S>> => {
  const {
    epochs,
    initialEpoch = 0,
    batchSize = 32,
    shuffle = true,
    callbacks = [],
    shouldStop,
    now,
    transformInputs,
  } = options;
  const resolved = resolveData(data, options);
  const train = onBackendOf(initial.params, resolved.train);
  const validation = resolved.validation && onBackendOf(initial.params, resolved.validation);
  const n = sampleCount('fit', train);
  const ranges = batchRanges(n, batchSize);
  const batches = ranges.length;
  const early = options.earlyStopping && {
    options: options.earlyStopping,
    monitor: monitoredMetric(options.earlyStopping, validation !== undefined),
  };
  const step = makeTrainStep(plan);
  const history: EpochLog[] = [];
  const secondsSince = (start: number | undefined): number | undefined =>
    start === undefined || now === undefined ? undefined : (now() - start) / 1000;

  let state = initial;
  // Whether fit made `state` and has not handed it out: only then may it be freed once replaced.
  let owned = false;
  let tracker = early && startTracking<TrainState<P, S>>(early.monitor);
  const result = (stopReason: StopReason, error?: NonFiniteLossError): FitResult<P, S> => ({
    state,
    history,
    stopReason,
    error,
  });

  for (let epoch = initialEpoch + 1; epoch <= epochs; epoch++) {
    const started = now?.();
    if (
      await notify(
        callbacks.map((c) => c.onEpochBegin),
        { epoch, epochs, batches },
      )
    )
      return result('callback');
    const order = shuffle ? permutationValues(shuffleKey(state, epoch), n) : undefined;
    let losses: RunningMean = emptyMean;
    let accuracies: RunningMean = emptyMean;
    for (let b = 0; b < batches; b++) {
      const [start, count] = ranges[b];
      const batch = takeBatch(train, order, start, count);
      const input = transformInputs ? { x: transformInputs(inputsKey(state), batch.x), y: batch.y } : batch;
      const { state: next, loss, metrics } = step(state, input);
      releaseTensors([batch, input]);
      if (!Number.isFinite(loss)) {
        releaseTensors(next, state);
        return result('nonFiniteLoss', new NonFiniteLossError(epoch, b + 1, state.step, loss));
      }
      if (owned) releaseTensors(state, next);
      state = next;
      owned = true;
      losses = addToMean(losses, loss, count);
      if (metrics.accuracy !== undefined) accuracies = addToMean(accuracies, metrics.accuracy, count);
      const event: BatchEndEvent = {
        epoch,
        epochs,
        batches,
        batch: b + 1,
        step: state.step,
        samples: start + count,
        loss,
        accuracy: metrics.accuracy,
        meanLoss: meanOf(losses),
        meanAccuracy: metrics.accuracy === undefined ? undefined : meanOf(accuracies),
        seconds: secondsSince(started),
      };
      if (
        await notify(
          callbacks.map((c) => c.onBatchEnd),
          event,
        )
      )
        return result('callback');
      if (shouldStop?.()) return result('shouldStop');
    }
    const validated =
      validation && evaluate(plan.model, plan.loss, state.params, validation, { batchSize, state: state.modelState });
    const log: EpochLog = {
      epoch,
      loss: meanOf(losses),
      accuracy: accuracies.count > 0 ? meanOf(accuracies) : undefined,
      valLoss: validated?.loss,
      valAccuracy: validated?.accuracy,
      seconds: secondsSince(started),
    };
    history.push(log);
    const stopRequested = await notify(
      callbacks.map((c) => c.onEpochEnd),
      { ...log, epochs, state },
    );
    // Callbacks and early stopping may keep this state (a checkpoint, the best weights).
    owned = false;
    if (early !== undefined && tracker !== undefined) {
      tracker = observe(tracker, early.options, early.monitor, log[early.monitor] ?? NaN, state);
      if (tracker.stop) {
        if (early.options.restoreBest && tracker.bestItem !== undefined) state = tracker.bestItem;
        return result('earlyStopping');
      }
    }
    if (stopRequested) return result('callback');
  }
  return result('completed');
};
