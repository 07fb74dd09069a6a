import {
  adamStep,
  add,
  div,
  fullLike,
  maximum,
  minimum,
  mul,
  sqrt,
  square,
  sum,
  TensorError,
  treeLeaves,
  treeMap,
  treeUnflatten,
  treeZipWith,
  zerosLike,
  type AdamStep,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { stateless, type EmptyState, type GradientTransformation } from './base.js';
import { asSchedule, type LearningRate } from './schedules.js';

// Each transformation keeps its state trees as plain TensorTrees shaped like the params,
// so `update` results are cast back to the caller's tree type `T`.

/**
 * Where Adam adds ε, which decides how large its first updates are.
 *
 * - `'keras'`: Keras and TensorFlow. ε is added to `√v`, and the bias corrections are
 *   folded into the step size: `p -= lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)`.
 * - `'pytorch'`: PyTorch, Optax and Algorithm 1 of the Adam paper. ε is added to the
 *   corrected `√v̂`: `p -= lr · m̂ / (√v̂ + ε)` with `m̂ = m / (1-β1^t)`, `v̂ = v / (1-β2^t)`.
 *
 * The two agree once `√v̂` dwarfs ε. Early on, for gradients near ε, they do not: with
 * `g = 1e-8` the first PyTorch step is about 30 times the Keras one, because `√v` is
 * still `√(1-β2)` ≈ 3% of `√v̂`.
 */
export type AdamEpsilonPlacement = 'keras' | 'pytorch';

/** Options of {@link scaleByAdam}; the defaults are Keras's. */
export interface AdamOptions {
  /** Decay of the first moment. 0.9 unless stated. */
  readonly beta1?: number;
  /** Decay of the second moment. 0.999 unless stated. */
  readonly beta2?: number;
  /** Where ε is added (see {@link AdamEpsilonPlacement}). `'keras'` unless stated. */
  readonly epsilonPlacement?: AdamEpsilonPlacement;
  /**
   * The ε of {@link AdamOptions.epsilonPlacement}. Unless stated, 1e-7 with Keras's
   * placement and 1e-8 with PyTorch's, each framework's own default.
   */
  readonly epsilon?: number;
}

/** Adam's state: the update count and the moment estimates. */
export interface AdamState {
  readonly count: number;
  readonly mu: TensorTree;
  readonly nu: TensorTree;
}

/**
 * The factors of one Adam step's direction `(m · correction1) / (√(v · correction2) + ε)`:
 * Keras's placement folds both bias corrections into the first, PyTorch's corrects
 * each moment.
 */
const adamCorrections = (placement: AdamEpsilonPlacement, beta1: number, beta2: number, count: number) => {
  const debias1 = 1 - beta1 ** count;
  const debias2 = 1 - beta2 ** count;
  return placement === 'keras'
    ? { correction1: Math.sqrt(debias2) / debias1, correction2: 1 }
    : { correction1: 1 / debias1, correction2: 1 / debias2 };
};

/**
 * Adam's direction (Kingma & Ba): moments `m = β1·m + (1-β1)·g` and
 * `v = β2·v + (1-β2)·g²`, then `m / (√v + ε)` with the bias corrections applied where
 * {@link AdamOptions.epsilonPlacement} says (Keras's by default), in one fused kernel
 * per tensor. Follow with {@link scaleByLearningRate}.
 *
 * @example
 * ```ts
 * const keras = chain(scaleByAdam(), scaleByLearningRate(1e-3));
 * const pytorch = chain(scaleByAdam({ epsilonPlacement: 'pytorch' }), scaleByLearningRate(1e-3));
 * ```
 */
export const scaleByAdam = (options: AdamOptions = {}): GradientTransformation<AdamState> => {
  const { beta1 = 0.9, beta2 = 0.999, epsilonPlacement = 'keras' } = options;
  const epsilon = options.epsilon ?? (epsilonPlacement === 'keras' ? 1e-7 : 1e-8);
  const stepAt = (count: number): AdamStep => ({
    beta1,
    beta2,
    epsilon,
    ...adamCorrections(epsilonPlacement, beta1, beta2, count),
  });
  return {
    init: (params) => ({ count: 0, mu: treeMap(params, zerosLike), nu: treeMap(params, zerosLike) }),
    update: (grads, state) => {
      const count = state.count + 1;
      const step = stepAt(count);
      const mu = treeLeaves(state.mu);
      const nu = treeLeaves(state.nu);
      const results = treeLeaves(grads).map((g, i) => adamStep(g, mu[i], nu[i], step));
      return {
        updates: treeUnflatten(
          grads,
          results.map((r) => r.direction),
        ),
        state: {
          count,
          mu: treeUnflatten(
            state.mu,
            results.map((r) => r.m),
          ),
          nu: treeUnflatten(
            state.nu,
            results.map((r) => r.v),
          ),
        },
      };
    },
    fused: {
      plan: (state) => ({ stages: [{ kind: 'adam', step: stepAt(state.count + 1) }], slots: [state.mu, state.nu] }),
      next: (state, [mu, nu]) => ({ count: state.count + 1, mu, nu }),
    },
  };
};

/** Options of {@link scaleByRms}; the defaults are Keras's. */
export interface RmsOptions {
  /** Decay of the mean square (Keras's `rho`). 0.9 unless stated (PyTorch: 0.99). */
  readonly decay?: number;
  /** Added under the square root. 1e-7 unless stated. */
  readonly epsilon?: number;
}

/** RMSprop's state: the running mean of squared gradients. */
export interface RmsState {
  readonly nu: TensorTree;
}

/**
 * RMSprop's scaling as Keras computes it: `v = ρ·v + (1-ρ)·g²`, update `g / sqrt(v + ε)`
 * (PyTorch divides by `sqrt(v) + ε`).
 *
 * @example
 * ```ts
 * const rms = chain(scaleByRms(), scaleByLearningRate(1e-3));
 * ```
 */
export const scaleByRms = (options: RmsOptions = {}): GradientTransformation<RmsState> => {
  const { decay = 0.9, epsilon = 1e-7 } = options;
  return {
    init: (params) => ({ nu: treeMap(params, zerosLike) }),
    update: (grads, state) => {
      const nu = treeZipWith((g, v) => add(mul(v, decay), mul(square(g), 1 - decay)), grads as TensorTree, state.nu);
      return {
        updates: treeZipWith((g, v) => div(g, sqrt(add(v, epsilon))), grads as TensorTree, nu) as typeof grads,
        state: { nu },
      };
    },
    fused: {
      plan: (state) => ({ stages: [{ kind: 'rms', decay, epsilon }], slots: [state.nu] }),
      next: (_state, [nu]) => ({ nu }),
    },
  };
};

/** Options of {@link scaleByAdagrad}; the defaults are Keras's. */
export interface AdagradOptions {
  /** Starting value of the sum of squares. 0.1 unless stated (PyTorch: 0). */
  readonly initialAccumulatorValue?: number;
  /** Added under the square root. 1e-7 unless stated. */
  readonly epsilon?: number;
}

/** Adagrad's state: the sum of squared gradients so far. */
export interface AdagradState {
  readonly sumOfSquares: TensorTree;
}

/**
 * Adagrad's scaling as Keras computes it: `s = s + g²`, update `g / sqrt(s + ε)`.
 *
 * @example
 * ```ts
 * const adagrad = chain(scaleByAdagrad(), scaleByLearningRate(1e-2));
 * ```
 */
export const scaleByAdagrad = (options: AdagradOptions = {}): GradientTransformation<AdagradState> => {
  const { initialAccumulatorValue = 0.1, epsilon = 1e-7 } = options;
  return {
    init: (params) => ({ sumOfSquares: treeMap(params, (p) => fullLike(p, initialAccumulatorValue)) }),
    update: (grads, state) => {
      const sumOfSquares = treeZipWith((g, s) => add(s, square(g)), grads as TensorTree, state.sumOfSquares);
      return {
        updates: treeZipWith(
          (g, s) => div(g, sqrt(add(s, epsilon))),
          grads as TensorTree,
          sumOfSquares,
        ) as typeof grads,
        state: { sumOfSquares },
      };
    },
    fused: {
      plan: (state) => ({ stages: [{ kind: 'adagrad', epsilon }], slots: [state.sumOfSquares] }),
      next: (_state, [sumOfSquares]) => ({ sumOfSquares }),
    },
  };
};

/** Options of {@link trace}. */
export interface TraceOptions {
  /** The momentum, e.g. 0.9. */
  readonly decay: number;
  /** Nesterov's look-ahead form. False unless stated. */
  readonly nesterov?: boolean;
}

/** Momentum's state: the running trace of updates. */
export interface TraceState {
  readonly trace: TensorTree;
}

/**
 * Momentum as PyTorch and Optax write it: `t = g + μ·t`, update `t` (Nesterov:
 * `g + μ·t`). Before a constant learning rate this is exactly Keras's SGD momentum.
 *
 * @example
 * ```ts
 * const momentum = chain(trace({ decay: 0.9 }), scaleByLearningRate(0.01));
 * ```
 */
export const trace = (options: TraceOptions): GradientTransformation<TraceState> => {
  const { decay, nesterov = false } = options;
  return {
    init: (params) => ({ trace: treeMap(params, zerosLike) }),
    update: (grads, state) => {
      const next = treeZipWith((g, t) => add(g, mul(t, decay)), grads as TensorTree, state.trace);
      const updates = nesterov ? treeZipWith((g, t) => add(g, mul(t, decay)), grads as TensorTree, next) : next;
      return { updates: updates as typeof grads, state: { trace: next } };
    },
    fused: {
      plan: (state) => ({ stages: [{ kind: 'trace', decay, nesterov }], slots: [state.trace] }),
      next: (_state, [next]) => ({ trace: next }),
    },
  };
};

/**
 * Multiplies updates by a constant.
 *
 * @example
 * ```ts
 * scale(-0.1); // plain gradient descent at rate 0.1
 * ```
 */
export const scale = (factor: number): GradientTransformation<EmptyState> =>
  stateless((grads) => treeMap(grads, (g) => mul(g, factor)), [{ kind: 'scale', factor }]);

/** The state of {@link scaleByLearningRate}: how many updates it has scaled. */
export interface ScheduleState {
  readonly count: number;
}

/**
 * Multiplies updates by `-learningRate` (a number, or a schedule evaluated at the
 * number of updates made so far), turning a descent direction into a step.
 *
 * @example
 * ```ts
 * scaleByLearningRate(cosineDecay({ initialValue: 1e-3, decaySteps: 10_000 }));
 * ```
 */
export const scaleByLearningRate = (learningRate: LearningRate): GradientTransformation<ScheduleState> => {
  const schedule = asSchedule(learningRate);
  return {
    init: () => ({ count: 0 }),
    update: (grads, state) => {
      const rate = schedule(state.count);
      return { updates: treeMap(grads, (g) => mul(g, -rate)), state: { count: state.count + 1 } };
    },
    fused: {
      plan: (state) => ({ stages: [{ kind: 'scale', factor: -schedule(state.count) }], slots: [] }),
      next: (state) => ({ count: state.count + 1 }),
    },
  };
};

/**
 * Clips every gradient element to `[-maxDelta, maxDelta]` (Keras's `clipvalue`).
 *
 * @example
 * ```ts
 * chain(clipByValue(1), adam(1e-3));
 * ```
 */
export const clipByValue = (maxDelta: number): GradientTransformation<EmptyState> =>
  stateless((grads) => treeMap(grads, (g) => minimum(maximum(g, -maxDelta), maxDelta)));

/**
 * The L2 norm of all leaves of a tree together, as a scalar tensor.
 *
 * @example
 * ```ts
 * globalNorm({ a: tensor([3]), b: [tensor([4])] }).item(); // 5
 * ```
 */
export const globalNorm = (tree: TensorTree): Tensor =>
  sqrt(
    treeLeaves(tree)
      .map((g) => sum(square(g)))
      .reduce((a, b) => add(a, b)),
  );

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm` (Keras's
 * `global_clipnorm`, PyTorch's `clip_grad_norm_`). The norm stays on the device.
 *
 * @example
 * ```ts
 * chain(clipByGlobalNorm(1), adam(1e-3));
 * ```
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> =>
  stateless((grads) => {
    // maxNorm / max(norm, maxNorm) is 1 below the limit and maxNorm / norm above it.
    const factor = div(maxNorm, maximum(globalNorm(grads), maxNorm));
    return treeMap(grads, (g) => mul(g, factor));
  });

/**
 * Adds `rate · params` to the updates. Before an adaptive scaling (`scaleByAdam`) this is
 * L2 regularization, as PyTorch's `weight_decay`; after it, decoupled weight decay as
 * in AdamW.
 *
 * @example
 * ```ts
 * chain(scaleByAdam(), addDecayedWeights(0.004), scaleByLearningRate(1e-3)); // AdamW
 * ```
 */
export const addDecayedWeights = (rate: number): GradientTransformation<EmptyState> =>
  stateless(
    (grads, params) => {
      if (params === undefined)
        throw new TensorError('addDecayedWeights', 'needs the params: pass them to update(grads, state, params)');
      return treeZipWith((g, p) => add(g, mul(p, rate)), grads, params);
    },
    [{ kind: 'addDecayedWeights', rate }],
  );
