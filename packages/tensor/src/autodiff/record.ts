import { Tensor } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';

/**
 * A vector-Jacobian product: given the cotangent of an op's output, the cotangents of
 * its inputs (`undefined` where `needed[i]` is false or the input is not differentiable).
 * It receives the op's inputs and output stripped of their trace, so the backward pass
 * records nothing.
 */
export type Vjp = (
  cotangent: Tensor,
  needed: readonly boolean[],
  inputs: readonly Tensor[],
  output: Tensor,
) => readonly (Tensor | undefined)[];

/** The same values without a trace: gradients do not flow through the result. */
export const detach = <D extends DType>(x: Tensor<D>): Tensor<D> =>
  x.node === undefined ? x : new Tensor(x.shape, x.dtype, x.storage, x.backend);

/**
 * Attaches an op's vector-Jacobian product to its output when any input is being
 * traced; otherwise returns the output untouched, so code outside `grad` pays nothing.
 */
export const record = <D extends DType>(output: Tensor<D>, inputs: readonly Tensor[], vjp: Vjp): Tensor<D> => {
  if (!inputs.some((x) => x.node !== undefined)) return output;
  return new Tensor(output.shape, output.dtype, output.storage, output.backend, {
    inputs,
    vjp: (cotangent, needed) => vjp(cotangent, needed, inputs.map(detach), detach(output)),
  });
};

/** A fresh traced copy of `x`: a leaf that `grad` collects the cotangent of. */
export const leaf = <D extends DType>(x: Tensor<D>): Tensor<D> =>
  new Tensor(x.shape, x.dtype, x.storage, x.backend, { inputs: [], vjp: () => [] });
