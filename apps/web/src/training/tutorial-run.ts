import { mnist, ndArrayToTensor, scaleToUnit, takeSamples, type LabeledDataset } from '@axon/data';
import { adam, fit, initTrainState, layers, losses, type BatchEndEvent, type EpochLog } from '@axon/nn';
import { key, tensor, type Backend, type TensorTree } from '@axon/tensor';

/** What to train: how many of the first training samples, for how many epochs, from which seed. */
export interface TutorialRunSettings {
  readonly samples: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** The tutorial's batch size, and the subset the page trains on by default. */
export const defaultRunSettings: TutorialRunSettings = { samples: 10_000, epochs: 1, batchSize: 128, seed: 0 };

/**
 * The tutorial's model and training: flatten → dense(128, relu) → dense(128, relu) →
 * dense(10, softmax), Adam at 0.001, sparse categorical cross-entropy.
 */
export const tutorialPlan = () => ({
  model: layers.sequential([
    layers.flatten(),
    layers.dense(128, { activation: 'relu' }),
    layers.dense(128, { activation: 'relu' }),
    layers.dense(10, { activation: 'softmax' }),
  ]),
  loss: losses.sparseCategoricalCrossentropy(),
  optimizer: adam(1e-3),
});

/** Hooks of {@link runTutorial}: each batch's metrics (for a live chart), each epoch's. */
export interface RunObserver {
  readonly onBatch?: (event: BatchEndEvent) => void | Promise<void>;
  readonly onEpoch?: (log: EpochLog) => void | Promise<void>;
  /** A clock in milliseconds, for the epochs' seconds. */
  readonly now?: () => number;
}

/** A finished run: the trained params and each epoch's metrics. */
export interface RunResult {
  readonly params: TensorTree;
  readonly history: readonly EpochLog[];
}

/**
 * Trains the tutorial's MLP on the first `samples` MNIST training images (scaled by
 * 1/255) on `backend`. The same function runs in the page's worker and in Node.js, so
 * a test can check that both give the same loss.
 *
 * @example
 * ```ts
 * const { history } = await runTutorial(loaded.right.train, jsBackend, { ...defaultRunSettings, samples: 2000 });
 * history[0].loss; // ≈ 1.7: the mean loss over the first epoch's 16 batches of 2,000 images
 * ```
 */
export const runTutorial = async (
  train: LabeledDataset<Uint8Array>,
  backend: Backend,
  settings: TutorialRunSettings,
  observer: RunObserver = {},
): Promise<RunResult> => {
  const subset = takeSamples(
    train,
    Array.from({ length: Math.min(settings.samples, train.labels.length) }, (_, i) => i),
  );
  const data = { x: ndArrayToTensor(scaleToUnit(subset.inputs)), y: tensor(subset.labels) };
  const plan = tutorialPlan();
  const start = initTrainState(plan, key(settings.seed), mnist.sampleShape ?? [28, 28], { backend });
  const { state, history } = await fit(plan, start, data, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    ...(observer.now === undefined ? {} : { now: observer.now }),
    callbacks: [
      {
        onBatchEnd: (event) => observer.onBatch?.(event),
        onEpochEnd: (event) => observer.onEpoch?.(event),
      },
    ],
  });
  return { params: state.params, history };
};
