import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../core/tensor.js';
import { treeMap, type TensorTree } from '../tree/tree.js';
import { fromStorage, storageOn } from './operand.js';

/**
 * The same tree of tensors on another backend (values are moved through host memory
 * when the backends keep them in different places). Ops then run on that backend.
 *
 * @example
 * ```ts
 * const params = toBackend(initialParams, wasm);
 * ```
 */
export const toBackend = <T extends TensorTree>(tree: T, backend: Backend): T =>
  treeMap(tree, (x: Tensor) => (x.backend === backend ? x : fromStorage(storageOn(x, backend), x.shape, backend)));
