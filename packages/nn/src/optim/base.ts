import { add, treeZipWith, type TensorTree } from '@axon/tensor';

/** What a gradient transformation's `update` returns. */
export interface TransformResult<T extends TensorTree, S> {
  /** Updates shaped like the params: add them with {@link applyUpdates}. */
  readonly updates: T;
  readonly state: S;
}

/**
 * An optimizer, or one stage of one, as a pair of pure functions (Optax's
 * `GradientTransformation`): `init(params)` builds the state; `update(grads, state,
 * params)` turns gradients into updates and a new state. Nothing is mutated.
 *
 * @example
 * ```ts
 * const optimizer = adam(1e-3);
 * let state = optimizer.init(params);
 * const { updates, state: next } = optimizer.update(grads, state, params);
 * params = applyUpdates(params, updates);
 * ```
 */
export interface GradientTransformation<S = unknown> {
  init(params: TensorTree): S;
  update<T extends TensorTree>(grads: T, state: S, params?: T): TransformResult<T, S>;
}

/** The state of a transformation that keeps none. */
export type EmptyState = Readonly<Record<string, never>>;

/** The states of chained transformations, in order. */
export type ChainState<T extends readonly GradientTransformation[]> = {
  readonly [K in keyof T]: T[K] extends GradientTransformation<infer S> ? S : never;
};

/**
 * Runs transformations one after another, each on the previous one's updates; the
 * state is the tuple of their states.
 *
 * @example
 * ```ts
 * const optimizer = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 * ```
 */
export const chain = <T extends readonly GradientTransformation[]>(...transforms: T): GradientTransformation<ChainState<T>> => ({
  init: (params) => transforms.map((t) => t.init(params)) as unknown as ChainState<T>,
  update: (grads, state, params) => {
    let updates = grads;
    const states = transforms.map((t, i) => {
      const result = t.update(updates, state[i], params);
      updates = result.updates;
      return result.state;
    });
    return { updates, state: states as unknown as ChainState<T> };
  },
});

/**
 * A transformation without state, from a function of the gradients (and params).
 *
 * @example
 * ```ts
 * const negate = stateless((grads) => treeMap(grads, neg));
 * ```
 */
export const stateless = (f: <T extends TensorTree>(grads: T, params?: T) => T): GradientTransformation<EmptyState> => ({
  init: () => ({}),
  update: (grads, state, params) => ({ updates: f(grads, params), state }),
});

/**
 * Params plus updates, leaf by leaf: the step an optimizer's updates describe.
 *
 * @example
 * ```ts
 * params = applyUpdates(params, updates);
 * ```
 */
export const applyUpdates = <T extends TensorTree>(params: T, updates: T): T => treeZipWith(add, params, updates);
