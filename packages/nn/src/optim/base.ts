import { add, stageSlots, treeZipWith, type TensorTree, type UpdateStage } from '@axon/tensor';

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
  /**
   * How the transformation runs inside one fused kernel (see {@link optimizerStep});
   * absent when it cannot. Must give bit for bit what `update` gives.
   */
  readonly fused?: FusedStages<S>;
}

/** What a transformation does in one fused step: kernel stages, and the state tensors they rewrite. */
export interface FusedPlan {
  /** The stages, applied in order to the running update (see `UpdateStage`). */
  readonly stages: readonly UpdateStage[];
  /** The state trees the stages read and rewrite, shaped like the params, one per slot in stage order. */
  readonly slots: readonly TensorTree[];
}

/**
 * A transformation's fused form: the plan of the step from `state`, and the state after
 * it from the slots' new trees (in the order `plan` gave them).
 */
export interface FusedStages<S> {
  plan(state: S): FusedPlan;
  next(state: S, slots: readonly TensorTree[]): S;
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
export const chain = <T extends readonly GradientTransformation[]>(
  ...transforms: T
): GradientTransformation<ChainState<T>> => ({
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
  fused: chainFused(transforms),
});

/** How many state tensors per parameter a plan's stages rewrite. */
const slotsOf = (plan: FusedPlan): number => plan.stages.reduce((n, stage) => n + stageSlots(stage), 0);

/** A chain's fused form: its stages' plans one after another; present when every stage has one. */
const chainFused = <T extends readonly GradientTransformation[]>(
  transforms: T,
): FusedStages<ChainState<T>> | undefined => {
  const parts = transforms.map((t) => t.fused as FusedStages<unknown> | undefined);
  if (!parts.every((part): part is FusedStages<unknown> => part !== undefined)) return undefined;
  const states = (state: ChainState<T>): readonly unknown[] => state as unknown as readonly unknown[];
  // Each stage's slot count, from the plan of the same state (a step plans, then takes the next state).
  const slotCounts = new WeakMap<object, readonly number[]>();
  const planParts = (state: ChainState<T>): FusedPlan[] => {
    const plans = parts.map((part, i) => part.plan(states(state)[i]));
    slotCounts.set(state as object, plans.map(slotsOf));
    return plans;
  };
  return {
    plan: (state) => {
      const plans = planParts(state);
      return { stages: plans.flatMap((p) => p.stages), slots: plans.flatMap((p) => p.slots) };
    },
    next: (state, slots) => {
      const counts = slotCounts.get(state as object) ?? planParts(state).map(slotsOf);
      let used = 0;
      return parts.map((part, i) => {
        const next = part.next(states(state)[i], slots.slice(used, used + counts[i]));
        used += counts[i];
        return next;
      }) as unknown as ChainState<T>;
    },
  };
};

/**
 * A transformation without state, from a function of the gradients (and params), and
 * optionally the fused stages that compute the same.
 *
 * @example
 * ```ts
 * const negate = stateless((grads) => treeMap(grads, neg));
 * ```
 */
export const stateless = (
  f: <T extends TensorTree>(grads: T, params?: T) => T,
  stages?: readonly UpdateStage[],
): GradientTransformation<EmptyState> => ({
  init: () => ({}),
  update: (grads, state, params) => ({ updates: f(grads, params), state }),
  fused: stages && { plan: () => ({ stages, slots: [] }), next: (state) => state },
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
