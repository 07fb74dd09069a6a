import type { layers } from '@axon/nn';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { FractionBelowOne } from '../../codec/numbers.js';
import { type LayerKind, noWeights, readWith, sameShape } from './layer-kind.js';

type DropoutConfig = layers.DropoutConfig;

const DropoutJson = t.type({ rate: FractionBelowOne }, 'a Dropout layer config ({ name, rate })');

/** `Dropout`: inverted dropout while training, the identity at inference. Its seed and noise shape are not kept. */
export const dropoutKind: LayerKind<DropoutConfig> = {
  kind: 'dropout',
  classNames: ['Dropout'],
  read: (_className, config) => readWith(DropoutJson, config, (json) => E.right({ kind: 'dropout', rate: json.rate })),
  write: (config) => ({ className: 'Dropout', config: { rate: config.rate } }),
  outputShape: sameShape,
  weights: noWeights,
  onnx: (_config, _inputShape, input) => input,
};
