import { Tensor, type Trace } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';

/**
 * A vector-Jacobian product: given the cotangent of an op's output, the cotangents of
 * its inputs (`undefined` where `needed[i]` is false, or where the input cannot change
 * the output).
 *
 * The contract every VJP keeps, so that gradients of gradients are right:
 * - **Build the result only from ops** (`mul`, `matmul`, `sum`, ... or another
 *   differentiable op), never from a backend kernel or a tensor's storage. `inputs`,
 *   `output` and `cotangent` are the real tensors, still carrying any enclosing
 *   differentiation: when `grad(grad(f))` runs the inner backward pass, the ops a VJP
 *   calls record themselves, and the outer pass differentiates them. Outside such
 *   nesting the same ops record nothing and cost what plain ops cost.
 * - **A fused gradient kernel becomes an op of its own**, recorded with its own VJP
 *   (`activationGrad` in `ops/activation.ts`, `scatterAdd` in `ops/manipulation.ts`,
 *   the sparse cross-entropy gradient in `ops/fused.ts`), so the first-order pass keeps
 *   the fast kernel and higher orders stay exact.
 * - An op whose VJP cannot yet be differentiated must throw a `TensorError` naming the
 *   op when it is reached by an enclosing differentiation; it must never return a
 *   number that is silently wrong (such as a constant).
 */
export type Vjp = (
  cotangent: Tensor,
  needed: readonly boolean[],
  inputs: readonly Tensor[],
  output: Tensor,
) => readonly (Tensor | undefined)[];

const NONE: readonly Trace[] = [];

/** The recording traces that any of `inputs` carries, each once. */
export const recordingTraces = (inputs: readonly Tensor[]): readonly Trace[] => {
  let traces: Trace[] | undefined;
  for (const x of inputs) {
    const node = x.node;
    if (node === undefined) continue;
    for (const trace of node.traces) {
      if (!trace.recording || traces?.includes(trace)) continue;
      (traces ??= []).push(trace);
    }
  }
  return traces ?? NONE;
};

/** True when a differentiation that is still recording depends on `x`. */
export const isRecorded = (x: Tensor): boolean => x.node?.traces.some((trace) => trace.recording) === true;

/** The same values without a trace: no gradient of any order flows through the result. */
export const detach = <D extends DType>(x: Tensor<D>): Tensor<D> =>
  x.node === undefined ? x : new Tensor(x.shape, x.dtype, x.storage, x.backend);

/**
 * `x` as a differentiation hands it back: detached when no recording trace depends on
 * it (so the finished trace's graph can be freed), unchanged when an enclosing
 * differentiation still needs its history.
 */
export const release = <D extends DType>(x: Tensor<D>): Tensor<D> => (isRecorded(x) ? x : detach(x));

/**
 * Attaches an op's vector-Jacobian product to its output when a recording trace depends
 * on any input; otherwise returns the output untouched, so code outside `grad` (and a
 * backward pass nobody differentiates) pays nothing.
 */
export const record = <D extends DType>(output: Tensor<D>, inputs: readonly Tensor[], vjp: Vjp): Tensor<D> => {
  const traces = recordingTraces(inputs);
  if (traces.length === 0) return output;
  const traced: Tensor<D> = new Tensor(output.shape, output.dtype, output.storage, output.backend, {
    inputs,
    traces,
    vjp: (cotangent, needed) => vjp(cotangent, needed, inputs, traced),
  });
  return traced;
};

/**
 * A differentiated argument of `trace`: the values of `x`, as an identity op on `x` when
 * an enclosing recording trace depends on it (so gradients of the result flow on to
 * `x` there). `trace`'s own backward pass stops here and collects the cotangent.
 */
export const leaf = <D extends DType>(x: Tensor<D>, trace: Trace): Tensor<D> => {
  const outer = recordingTraces([x]);
  return new Tensor(x.shape, x.dtype, x.storage, x.backend, {
    inputs: outer.length > 0 ? [x] : [],
    traces: [trace, ...outer],
    vjp: (cotangent) => [cotangent],
  });
};
