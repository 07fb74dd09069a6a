/**
 * A learning rate (or any hyper-parameter) as a function of the step: the number of
 * updates made before this one, starting at 0.
 */
export type Schedule = (step: number) => number;

/** A fixed learning rate or a schedule of them. */
export type LearningRate = number | Schedule;

/**
 * The schedule a {@link LearningRate} stands for.
 *
 * @example
 * ```ts
 * asSchedule(0.01)(100);                       // 0.01
 * asSchedule(stepDecay({ initialValue: 0.1, stepSize: 10, factor: 0.5 }))(10); // 0.05
 * ```
 */
export const asSchedule = (rate: LearningRate): Schedule => (typeof rate === 'number' ? constantSchedule(rate) : rate);

/**
 * The same value at every step.
 *
 * @example
 * ```ts
 * constantSchedule(1e-3)(1000); // 0.001
 * ```
 */
export const constantSchedule =
  (value: number): Schedule =>
  () =>
    value;

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  readonly initialValue: number;
  /** Steps over which the value is multiplied by `decayRate` once. */
  readonly decaySteps: number;
  readonly decayRate: number;
  /** Decay in whole steps of `decaySteps` rather than continuously. False unless stated. */
  readonly staircase?: boolean;
}

/**
 * `initialValue · decayRate^(step / decaySteps)`, the exponent floored when `staircase`
 * (Keras's `ExponentialDecay`).
 *
 * @example
 * ```ts
 * exponentialDecay({ initialValue: 0.1, decaySteps: 100, decayRate: 0.5 })(200); // 0.025
 * ```
 */
export const exponentialDecay = (options: ExponentialDecayOptions): Schedule => {
  const { initialValue, decaySteps, decayRate, staircase = false } = options;
  return (step) => {
    const progress = step / decaySteps;
    return initialValue * decayRate ** (staircase ? Math.floor(progress) : progress);
  };
};

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  readonly initialValue: number;
  /** Steps between drops. */
  readonly stepSize: number;
  /** Multiplies the value at each drop, e.g. 0.1. */
  readonly factor: number;
}

/**
 * Drops the value by `factor` every `stepSize` steps (PyTorch's `StepLR`): an
 * {@link exponentialDecay} in whole steps.
 *
 * @example
 * ```ts
 * stepDecay({ initialValue: 0.1, stepSize: 1000, factor: 0.1 })(2500); // 0.001
 * ```
 */
export const stepDecay = (options: StepDecayOptions): Schedule =>
  exponentialDecay({
    initialValue: options.initialValue,
    decaySteps: options.stepSize,
    decayRate: options.factor,
    staircase: true,
  });

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** The value at step 0 (where a warm-up starts). */
  readonly initialValue: number;
  /** Steps of the cosine decay, after any warm-up. */
  readonly decaySteps: number;
  /** The final value as a fraction of the decay's starting value. 0 unless stated. */
  readonly alpha?: number;
  /** Steps of linear warm-up before the decay. 0 unless stated. */
  readonly warmupSteps?: number;
  /** The value the warm-up reaches and the decay starts from; `initialValue` unless stated. */
  readonly warmupTarget?: number;
}

/**
 * Optional linear warm-up from `initialValue` to `warmupTarget` over `warmupSteps`, then
 * half a cosine from there down to `alpha` times that value over `decaySteps`, then
 * constant (Keras's `CosineDecay`).
 *
 * @example
 * ```ts
 * const lr = cosineDecay({ initialValue: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 900 });
 * lr(50);   // 0.0005 (warming up)
 * lr(550);  // 0.0005 (half way down)
 * lr(5000); // 0
 * ```
 */
export const cosineDecay = (options: CosineDecayOptions): Schedule => {
  const { initialValue, decaySteps, alpha = 0, warmupSteps = 0 } = options;
  const peak = options.warmupTarget ?? initialValue;
  return (step) => {
    if (step < warmupSteps) return initialValue + ((peak - initialValue) * step) / warmupSteps;
    const progress = Math.min(step - warmupSteps, decaySteps) / decaySteps;
    return peak * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress)) + alpha);
  };
};

/**
 * Linear warm-up before any schedule: from `initialValue` (0 unless stated) up to the
 * schedule's starting value over `warmupSteps` steps, then the schedule from its own
 * step 0 (Optax's `join_schedules` of a linear ramp and `schedule`). For a cosine decay
 * this is the same as {@link cosineDecay}'s own `warmupSteps`.
 *
 * @example
 * ```ts
 * const lr = linearWarmup(exponentialDecay({ initialValue: 0.1, decaySteps: 100, decayRate: 0.5 }), 10);
 * lr(5);   // 0.05 (warming up)
 * lr(110); // 0.05 (100 steps into the decay)
 * ```
 */
export const linearWarmup = (schedule: LearningRate, warmupSteps: number, initialValue = 0): Schedule => {
  const after = asSchedule(schedule);
  const peak = after(0);
  return (step) =>
    step < warmupSteps ? initialValue + ((peak - initialValue) * step) / warmupSteps : after(step - warmupSteps);
};
