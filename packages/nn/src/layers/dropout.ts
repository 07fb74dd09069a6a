import { dropout as dropoutOp } from '@axon/tensor';
import type { DropoutConfig } from './config.js';
import { checkLayer, type Layer, type NoParams } from './layer.js';

/**
 * Inverted dropout: while training, zeroes each input with probability `rate` and
 * scales the rest by `1 / (1 - rate)`, so inference needs no rescaling; the identity
 * when not training. Training needs `ctx.key`, from which the mask is drawn.
 *
 * @example
 * ```ts
 * const layer = layers.dropout(0.2);
 * layer.apply({}, x, { training: true, key: foldIn(trainKey, step) });
 * ```
 */
export const dropout = (rate: number): Layer<NoParams, DropoutConfig> => {
  const config: DropoutConfig = { kind: 'dropout', rate };
  checkLayer(rate >= 0 && rate < 1, config, () => `rate must be in [0, 1), got ${rate}`);
  return {
    config,
    init: (_key, inputShape) => ({ params: {}, outputShape: inputShape }),
    apply: (_params, x, ctx) => {
      if (ctx === undefined || !ctx.training || rate === 0) return x;
      checkLayer(ctx.key !== undefined, config, () => 'training needs a PRNG key in the apply context');
      return dropoutOp(x, ctx.key, rate);
    },
  };
};
