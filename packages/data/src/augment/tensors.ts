import { tensor, TensorError, type PRNGKey, type Tensor } from '@axon/tensor';
import type { Augmentation } from './augmentation.js';

/** An augmentation over tensors, the per-batch input transform `fit` takes. */
export type TensorAugmentation = (key: PRNGKey, x: Tensor) => Tensor;

/**
 * An augmentation applied to a tensor batch: the values come to the host, are
 * transformed, and go back to the tensor's backend in its dtype.
 *
 * @example
 * ```ts
 * const transformInputs = tensorAugmentation(imageAugmentation({ rotation: { factor: 0.03 } }));
 * await fit(plan, state, train, { epochs: 10, batchSize: 128, transformInputs });
 * ```
 */
export const tensorAugmentation =
  (augmentation: Augmentation): TensorAugmentation =>
  (key, x) => {
    if (x.dtype !== 'float32' && x.dtype !== 'float64')
      throw new TensorError('tensorAugmentation', `expects float inputs, got ${x.dtype}[${x.shape.join(',')}]`);
    const values = x.values instanceof Float32Array ? x.values : Float32Array.from(x.values);
    const out = augmentation(key, { values, shape: x.shape });
    return tensor(out.values, { shape: out.shape, dtype: x.dtype, backend: x.backend, copy: false });
  };
