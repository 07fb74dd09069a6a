import type { DType } from '../core/dtype.js';
import { check } from '../core/error.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { bernoulli } from '../random/distributions.js';
import type { PRNGKey } from '../random/key.js';
import { mul } from './arithmetic.js';
import { where } from './compare.js';
import { fromStorage, requireFloat, storageOn } from './operand.js';

/**
 * Inverted dropout: each element of `x` is kept with probability `1 − rate` and scaled by
 * `1 / (1 − rate)`, or zeroed; the mask is `bernoulli(key, 1 − rate, x.shape)`, so the
 * result is `where(mask, mul(x, 1 / (1 − rate)), 0)` bit for bit on every backend (a
 * backend with a fused `dropout` kernel draws the same mask). Its gradient is the same
 * dropout of the output's gradient (the same key, so the same mask).
 *
 * @example
 * ```ts
 * const dropped = dropout(x, foldIn(trainKey, step), 0.5); // half the elements 0, the rest doubled
 * ```
 */
export const dropout = <D extends DType>(x: Tensor<D>, key: PRNGKey, rate: number): Tensor<D> => {
  requireFloat('dropout', x);
  check(rate >= 0 && rate < 1, 'dropout', () => `rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  const scale = 1 / keep;
  const fused = x.backend.dropout?.(
    storageOn(x, x.backend),
    key,
    keep,
    x.dtype === 'float32' ? Math.fround(scale) : scale,
  );
  if (fused === undefined) return where(bernoulli(key, keep, x.shape, x.backend), mul(x, scale), 0);
  const out = fromStorage<D>(fused, x.shape, x.backend);
  return record(out, [x], (g) => [dropout(g, key, rate)]);
};
