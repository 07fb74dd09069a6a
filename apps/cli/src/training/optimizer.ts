import {
  chain,
  clipByGlobalNorm,
  cosineDecay,
  exponentialDecay,
  linearWarmup,
  optimizerByName,
  type GradientTransformation,
  type LearningRate,
} from '@axon/nn';
import type { TrainingSettings } from './settings.js';

/** The settings that decide the optimizer. */
export type OptimizerSettings = Pick<
  TrainingSettings,
  'optimizer' | 'learningRate' | 'lrSchedule' | 'lrDecay' | 'warmupSteps' | 'weightDecay' | 'clipNorm' | 'epochs'
>;

/**
 * The learning rate a run follows, step by step: constant; decaying exponentially by
 * `lrDecay` per epoch (smoothly: Keras's `ExponentialDecay` with an epoch's steps as
 * `decay_steps`); or down half a cosine to 0 over the steps after the warm-up
 * (Keras's `CosineDecay`); any of them after `warmupSteps` of linear warm-up from 0.
 *
 * @example
 * learningRateOf({ ...settings, lrSchedule: 'cosine', learningRate: 0.01, epochs: 10, warmupSteps: 100 }, 469);
 * // a schedule: 0 at step 0, 0.01 at step 100, 0.005 at step 2395, 0 from step 4690
 */
export function learningRateOf(settings: OptimizerSettings, stepsPerEpoch: number): LearningRate {
  const { learningRate, lrSchedule, lrDecay, warmupSteps } = settings;
  const decaying = ((): LearningRate => {
    switch (lrSchedule) {
      case 'constant':
        return learningRate;
      case 'exponential':
        return exponentialDecay({ initialValue: learningRate, decaySteps: stepsPerEpoch, decayRate: lrDecay ?? 1 });
      case 'cosine':
        return cosineDecay({
          initialValue: learningRate,
          decaySteps: Math.max(1, settings.epochs * stepsPerEpoch - warmupSteps),
        });
    }
  })();
  return warmupSteps > 0 ? linearWarmup(decaying, warmupSteps) : decaying;
}

/**
 * The optimizer a run trains with: the named one, on the scheduled learning rate, with
 * its weight decay, after clipping the gradients by their global norm when asked.
 *
 * @example
 * optimizerOf({ ...tutorialSettings, clipNorm: 1, weightDecay: 1e-4 }, 469); // chain(clipByGlobalNorm(1), adam(1e-3, { weightDecay: 1e-4 }))
 */
export function optimizerOf(settings: OptimizerSettings, stepsPerEpoch: number): GradientTransformation {
  const optimizer = optimizerByName(settings.optimizer, learningRateOf(settings, stepsPerEpoch), {
    ...(settings.weightDecay === null ? {} : { weightDecay: settings.weightDecay }),
  });
  return settings.clipNorm === null ? optimizer : chain(clipByGlobalNorm(settings.clipNorm), optimizer);
}
