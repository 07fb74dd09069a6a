import { layerSpecText } from '../model/layer-spec.js';
import { formatDuration, formatMetric, formatPercent, formatRate } from './format.js';
import type { AugmentationSettings } from '../training/augmentation.js';
import type { EpochEnd, TrainingDone, TrainingStart } from './training-events.js';

// The human-readable lines of a training run, shared by the terminal and plain
// reporters. None contains a control character.

/**
 * The augmentation of a run in words.
 *
 * @example
 * augmentationText(defaultAugmentation); // 'augmented (shifts up to 10%, turns up to 10.8°, zooms up to 10%, reflect fill)'
 */
export function augmentationText({ translation, rotation, zoom, noise, fill }: AugmentationSettings): string {
  const parts = [
    translation > 0 ? `shifts up to ${Number((translation * 100).toFixed(1))}%` : '',
    rotation > 0 ? `turns up to ${Number((rotation * 360).toFixed(1))}°` : '',
    zoom > 0 ? `zooms up to ${Number((zoom * 100).toFixed(1))}%` : '',
    noise > 0 ? `noise ${noise}` : '',
  ].filter((part) => part !== '');
  return `augmented (${parts.length === 0 ? 'nothing' : parts.join(', ')}${translation + rotation + zoom > 0 ? `, ${fill} fill` : ''})`;
}

/**
 * The line that opens a run: the data, the network (its hidden layers as `--layers`
 * lists them), the optimizer and the backend.
 *
 * @example
 * startLine(start);
 * // 'Training on mnist: 60,000 samples, hidden 128, 128 (relu), adam at 0.001, 10 epochs of 128, seed 42, backend js'
 * startLine(cnnStart);
 * // 'Training on mnist: 60,000 samples, hidden conv:32:3, maxpool:2, conv:64:3, maxpool:2, flatten, dropout:0.5 (relu), adam at 0.001, …'
 */
export function startLine({ settings, backend, trainSamples, validationSamples }: TrainingStart): string {
  const items = settings.layers.map(layerSpecText);
  const hidden = items.length === 0 ? 'no hidden layers' : `hidden ${items.join(', ')} (${settings.activation})`;
  const dropout = settings.dropout > 0 ? `, dropout ${settings.dropout}` : '';
  const augmented = settings.augmentation === null ? '' : `, ${augmentationText(settings.augmentation)}`;
  const validation = validationSamples > 0 ? ` + ${formatRate(validationSamples)} for validation` : '';
  const stopping =
    settings.earlyStopping === null ? '' : ` (stopping after ${settings.earlyStopping} without a better val_loss)`;
  return (
    `Training on ${settings.dataset}: ${formatRate(trainSamples)} samples${validation}${augmented}, ${hidden}${dropout}, ` +
    `${optimizerText(settings)}, ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} of ${settings.batchSize}${stopping}, ` +
    `seed ${settings.seed}, backend ${backend}`
  );
}

/**
 * The optimizer as the start line names it: its name and rate, then whatever changes
 * the rate or the gradients.
 *
 * @example
 * optimizerText({ ...tutorialSettings, lrSchedule: 'cosine', warmupSteps: 100, clipNorm: 1 });
 * // 'adam at 0.001 (cosine decay, 100 warm-up steps), gradients clipped at norm 1'
 */
export function optimizerText(settings: TrainingStart['settings']): string {
  const schedule = [
    ...(settings.lrSchedule === 'exponential'
      ? [`× ${settings.lrDecay} per epoch`]
      : settings.lrSchedule === 'cosine'
        ? ['cosine decay']
        : []),
    ...(settings.warmupSteps > 0
      ? [`${settings.warmupSteps} warm-up step${settings.warmupSteps === 1 ? '' : 's'}`]
      : []),
  ];
  return [
    `${settings.optimizer} at ${settings.learningRate}${schedule.length === 0 ? '' : ` (${schedule.join(', ')})`}`,
    ...(settings.weightDecay === null ? [] : [`weight decay ${settings.weightDecay}`]),
    ...(settings.clipNorm === null ? [] : [`gradients clipped at norm ${settings.clipNorm}`]),
  ].join(', ');
}

/**
 * The summary of one epoch.
 *
 * @example
 * epochLine({ epoch: 1, epochs: 10, loss: 0.25, accuracy: 0.93, seconds: 4.2, samplesPerSecond: 14285 });
 * // 'epoch 1/10  loss 0.2500  accuracy 0.9300  4.2s  14,285 samples/s'
 */
export function epochLine(event: EpochEnd): string {
  const validation =
    event.valLoss === undefined || event.valAccuracy === undefined
      ? ''
      : `  val_loss ${formatMetric(event.valLoss)}  val_accuracy ${formatMetric(event.valAccuracy)}`;
  const width = String(event.epochs).length;
  return (
    `epoch ${String(event.epoch).padStart(width)}/${event.epochs}  loss ${formatMetric(event.loss)}  ` +
    `accuracy ${formatMetric(event.accuracy)}${validation}  ` +
    `${formatDuration(event.seconds)}  ${formatRate(event.samplesPerSecond)} samples/s`
  );
}

/**
 * The closing line: test accuracy and where the model is.
 *
 * @example
 * doneLine({ testLoss: 0.07, testAccuracy: 0.9781, trainSeconds: 93, modelDir: 'model' });
 * // 'test accuracy 97.81% (loss 0.0700), trained in 1m 33s, model written to model'
 * doneLine({ …, stoppedEarly: { epoch: 7, bestEpoch: 4 } });
 * // 'stopped early after epoch 7 with the weights of epoch 4 (best val_loss), test accuracy …'
 */
export function doneLine(event: TrainingDone): string {
  const stopped =
    event.stoppedEarly === undefined
      ? ''
      : `stopped early after epoch ${event.stoppedEarly.epoch} with the weights of epoch ${event.stoppedEarly.bestEpoch} (best val_loss), `;
  return (
    `${stopped}test accuracy ${formatPercent(event.testAccuracy)} (loss ${formatMetric(event.testLoss)}), ` +
    `trained in ${formatDuration(event.trainSeconds)}, model written to ${event.modelDir}`
  );
}
