import { checkpointJsonFile, type Checkpoint } from '@axon/io';
import { decodeFirstProblem, describeProblem, Text } from '@axon/io/codec';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import * as path from 'node:path';
import { longFlag } from '../options/option-spec.js';
import { settingOptions, trainingSettingsOf, trainOptions, type TrainConfig } from '../options/train-options.js';
import { TrainingSettings } from './settings.js';

/**
 * What `axon train` records in a checkpoint to refuse a resume that would not continue
 * the same run: the settings, and a SHA-256 of the training data as prepared.
 */
export const CheckpointSettings = t.type(
  { training: TrainingSettings, dataSha256: Text },
  'axon train settings ({ training, dataSha256 })',
);
/** The settings a checkpoint of `axon train` holds. */
export type CheckpointSettings = t.TypeOf<typeof CheckpointSettings>;

/** An option as a command line spells it: `--optimizer adam`, `--layers 128,128`, or `no --limit`. */
const spelled = (key: keyof typeof settingOptions, value: unknown): string => {
  const flag = longFlag(trainOptions[settingOptions[key]]);
  if (value === null) return `no ${flag}`;
  return `${flag} ${Array.isArray(value) ? value.join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
};

/**
 * The settings a resumed run continues with: the checkpoint's, with the epoch total
 * from `--epochs` when given. Left (one line) when the checkpoint's settings cannot be
 * read, when an option given contradicts them (another model, data set, optimizer or
 * seed), or when the run has already done the epochs asked for.
 *
 * @example
 * resumedSettings({ ...config, epochs: 4, given: new Set(['epochs']) }, checkpoint, 'model');
 * // right({ ...checkpoint.settings.training, epochs: 4 })
 */
export function resumedSettings(
  config: TrainConfig,
  checkpoint: Checkpoint,
  dir: string,
): E.Either<string, CheckpointSettings> {
  const stored = decodeFirstProblem(CheckpointSettings, checkpoint.settings);
  if (E.isLeft(stored)) {
    return E.left(
      `${path.join(dir, checkpointJsonFile)}: ${describeProblem({ ...stored.left, path: ['settings', ...stored.left.path] })}`,
    );
  }
  const { training } = stored.right;
  if (training.earlyStopping !== null) {
    return E.left(
      `--resume ${dir}: the run used --early-stopping, whose tracking of the best epoch is not in its checkpoint, so it cannot continue exactly`,
    );
  }
  // Compared and shown as the model file records them (layers as --layers items, --augment as the augmentation it and its tuning give).
  const asked = TrainingSettings.encode(trainingSettingsOf(config, config.seed ?? training.seed));
  const trained = TrainingSettings.encode(training);
  for (const key of Object.keys(settingOptions) as (keyof typeof settingOptions)[]) {
    // --model names a list of layers.
    if (!config.given.has(settingOptions[key]) && !(key === 'layers' && config.given.has('model'))) continue;
    if (JSON.stringify(asked[key]) !== JSON.stringify(trained[key])) {
      return E.left(
        `--resume ${dir}: the run was trained with ${spelled(key, trained[key])}; ${spelled(key, asked[key])} contradicts it (leave it out to continue the run as it was)`,
      );
    }
  }
  const epochs = config.given.has('epochs') ? config.epochs : training.epochs;
  if (epochs <= checkpoint.epoch) {
    return E.left(
      `--resume ${dir}: the run has done ${checkpoint.epoch} of ${epochs} epochs; give --epochs above ${checkpoint.epoch} to train on`,
    );
  }
  return E.right({ ...stored.right, training: { ...training, epochs } });
}
