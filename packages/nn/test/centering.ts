import { add, mean, mul, ones, sub, zeros, type Tensor } from '@axon/tensor';
import type { FlattenConfig } from '../src/layers/config.js';
import type { StatefulLayer } from '../src/layers/layer.js';

/** Params and state of {@link centering}. */
// Type aliases, not interfaces: a tensor tree needs the index signature aliases have.
export type CenteringParams = { readonly scale: Tensor };
export type CenteringState = { readonly center: Tensor };

/**
 * A small stateful layer for testing state threading apart from batch normalization:
 * `(x − center)·scale` over the last axis, where training centres on the batch mean and
 * moves the state halfway towards it, and inference centres on the state. Its config
 * borrows `flatten`'s kind only so it has one; nothing rebuilds it from config.
 */
export const centering = (): StatefulLayer<CenteringParams, CenteringState, FlattenConfig> => ({
  config: { kind: 'flatten' },
  stateful: true,
  init: (_key, inputShape, options) => {
    const features = inputShape[inputShape.length - 1];
    return {
      params: { scale: ones([features], options) },
      state: { center: zeros([features], options) },
      outputShape: inputShape,
    };
  },
  apply: (params, x, ctx, state) => {
    if (!ctx.training) return { y: mul(sub(x, state.center), params.scale), state };
    const batchMean = mean(x, 0);
    return {
      y: mul(sub(x, batchMean), params.scale),
      state: { center: add(mul(state.center, 0.5), mul(batchMean, 0.5)) },
    };
  },
});
