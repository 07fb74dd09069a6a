import type { Backend } from '../backend/backend.js';
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { treeMap, type TensorTree } from '../tree/tree.js';
import { fromStorage, storageOn } from './operand.js';

/**
 * `x` on `backend`: an identity for differentiation, whose cotangent moves back to the
 * backend `x` came from.
 */
const moveTo = <D extends DType>(x: Tensor<D>, backend: Backend): Tensor<D> => {
  if (x.backend === backend) return x;
  const source = x.backend;
  return record(fromStorage<D>(storageOn(x, backend), x.shape, backend), [x], (g) => [moveTo(g, source)]);
};

/**
 * The same tree of tensors on another backend (values are moved through host memory
 * when the backends keep them in different places). Ops then run on that backend.
 * Gradients flow through the move: each cotangent is moved back.
 *
 * @example
 * ```ts
 * const params = toBackend(initialParams, wasm);
 * ```
 */
export const toBackend = <T extends TensorTree>(tree: T, backend: Backend): T =>
  treeMap(tree, (x: Tensor) => moveTo(x, backend));
