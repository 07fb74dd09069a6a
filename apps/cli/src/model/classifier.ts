import { layers, type Layer, type Sequential } from '@axon/nn';
import type { TrainingSettings } from '../training/settings.js';

/**
 * The classifier `axon train` builds: flatten each sample, then one dense layer per
 * hidden size with the hidden activation (each followed by dropout when a rate is
 * set), then a softmax over the classes. The defaults give the tutorial's
 * flatten → dense(128, relu) → dense(128, relu) → dense(10, softmax).
 *
 * @example
 * classifier(tutorialSettings, 10).config.layers.length; // 4
 */
export function classifier(settings: Pick<TrainingSettings, 'layers' | 'activation' | 'dropout'>, classes: number): Sequential {
  const hidden = settings.layers.flatMap((units): Layer[] => [
    layers.dense(units, { activation: settings.activation }),
    ...(settings.dropout > 0 ? [layers.dropout(settings.dropout)] : []),
  ]);
  return layers.sequential([layers.flatten(), ...hidden, layers.dense(classes, { activation: 'softmax' })]);
}
