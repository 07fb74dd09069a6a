import { fusedUpdate, treeLeaves, treeUnflatten, type TensorTree } from '@axon/tensor';
import { applyUpdates, type FusedStages, type GradientTransformation } from './base.js';

/** The params and optimizer state after one step. */
export interface OptimizerStepResult<T extends TensorTree, S> {
  readonly params: T;
  readonly state: S;
}

/** The step as one fused kernel, or `undefined` when the params' backend cannot fuse it. */
const fusedStep = <T extends TensorTree, S>(
  fused: FusedStages<S>,
  grads: T,
  state: S,
  params: T,
): OptimizerStepResult<T, S> | undefined => {
  const { stages, slots } = fused.plan(state);
  const gradLeaves = treeLeaves(grads);
  const slotLeaves = slots.map((tree) => treeLeaves(tree));
  const results = fusedUpdate(
    stages,
    treeLeaves(params).map((param, i) => ({
      param,
      grad: gradLeaves[i],
      slots: slotLeaves.map((leaves) => leaves[i]),
    })),
  );
  if (results === undefined) return undefined;
  return {
    params: treeUnflatten(
      params,
      results.map((r) => r.param),
    ),
    state: fused.next(
      state,
      slots.map((tree, j) =>
        treeUnflatten(
          tree,
          results.map((r) => r.slots[j]),
        ),
      ),
    ),
  };
};

/**
 * One optimizer step: the params moved by the optimizer's updates, and its next state.
 * When every stage of the optimizer can be fused (the optimizers `optimizerByName`
 * builds can) and the params' backend has a fused kernel (wasm, for float32), the whole
 * step is one pass over memory on all threads; otherwise it is `update` followed by
 * {@link applyUpdates}. Both give the same params and state bit for bit, and the state
 * has the same structure either way.
 *
 * @example
 * ```ts
 * const { params: nextParams, state: nextState } = optimizerStep(adam(1e-3), grads, state, params);
 * ```
 */
export const optimizerStep = <T extends TensorTree, S>(
  optimizer: GradientTransformation<S>,
  grads: T,
  state: S,
  params: T,
): OptimizerStepResult<T, S> => {
  const fused = optimizer.fused && fusedStep(optimizer.fused, grads, state, params);
  if (fused !== undefined) return fused;
  const { updates, state: next } = optimizer.update(grads, state, params);
  return { params: applyUpdates(params, updates), state: next };
};
