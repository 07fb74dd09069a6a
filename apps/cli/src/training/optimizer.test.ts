import fc from 'fast-check';
import { applyUpdates, asSchedule, type GradientTransformation } from '@axon/nn';
import { tensor, type Tensor } from '@axon/tensor';
import { describe, expect, it } from 'vitest';
import { learningRateOf, optimizerOf, type OptimizerSettings } from './optimizer.js';

const f64 = { dtype: 'float64' } as const;

const plain: OptimizerSettings = {
  optimizer: 'sgd',
  learningRate: 0.1,
  lrSchedule: 'constant',
  lrDecay: null,
  warmupSteps: 0,
  weightDecay: null,
  clipNorm: null,
  epochs: 3,
};

/** The updates `optimizer` makes, step after step, for params `start` and the given gradients. */
function updatesOf(
  optimizer: GradientTransformation,
  start: readonly number[],
  grads: readonly (readonly number[])[],
): number[][] {
  let params: Tensor = tensor([...start], f64);
  let state = optimizer.init(params);
  return grads.map((g) => {
    const { updates, state: next } = optimizer.update(tensor([...g], f64), state, params);
    params = applyUpdates(params, updates);
    state = next;
    return Array.from(updates.values);
  });
}

const expectClose = (actual: readonly number[], expected: readonly number[]): void =>
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));

describe('learningRateOf', () => {
  const stepsPerEpoch = fc.integer({ min: 1, max: 50 });
  const rate = fc.double({ min: 1e-4, max: 1, noNaN: true });

  it('decays exponentially by --lr-decay per epoch, after the warm-up', () => {
    fc.assert(
      fc.property(
        stepsPerEpoch,
        rate,
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        fc.nat(20),
        fc.nat(5),
        (steps, learningRate, lrDecay, warmupSteps, epoch) => {
          const lr = asSchedule(
            learningRateOf({ ...plain, learningRate, lrSchedule: 'exponential', lrDecay, warmupSteps }, steps),
          );
          expect(lr(warmupSteps + epoch * steps)).toBeCloseTo(learningRate * lrDecay ** epoch, 12);
        },
      ),
    );
  });

  it('goes down half a cosine from the learning rate after the warm-up to 0 at the last step', () => {
    fc.assert(
      fc.property(
        stepsPerEpoch,
        rate,
        fc.integer({ min: 1, max: 5 }),
        fc.nat(20),
        (steps, learningRate, epochs, warmupSteps) => {
          fc.pre(warmupSteps < epochs * steps);
          const lr = asSchedule(
            learningRateOf({ ...plain, learningRate, lrSchedule: 'cosine', warmupSteps, epochs }, steps),
          );
          expect(lr(warmupSteps)).toBeCloseTo(learningRate, 12);
          expect(lr(epochs * steps)).toBeCloseTo(0, 12);
          const middle = warmupSteps + (epochs * steps - warmupSteps) / 2;
          if (Number.isInteger(middle)) expect(lr(middle)).toBeCloseTo(learningRate / 2, 12);
        },
      ),
    );
  });

  it('warms up linearly from 0, whatever the schedule, and is the plain rate without one', () => {
    fc.assert(
      fc.property(
        stepsPerEpoch,
        rate,
        fc.constantFrom('constant' as const, 'exponential' as const, 'cosine' as const),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(40),
        (steps, learningRate, lrSchedule, warmupSteps, step) => {
          fc.pre(step < warmupSteps);
          const lrDecay = lrSchedule === 'exponential' ? 0.5 : null;
          const lr = asSchedule(
            learningRateOf({ ...plain, learningRate, lrSchedule, lrDecay, warmupSteps, epochs: 100 }, steps),
          );
          expect(lr(step)).toBeCloseTo((learningRate * step) / warmupSteps, 12);
        },
      ),
    );
    expect(learningRateOf(plain, 10)).toBe(0.1);
  });
});

describe('optimizerOf', () => {
  it('follows the schedule: plain SGD steps by exactly the scheduled rate times the gradient', () => {
    const settings = { ...plain, lrSchedule: 'exponential' as const, lrDecay: 0.5, warmupSteps: 2 };
    const lr = asSchedule(learningRateOf(settings, 1));
    const updates = updatesOf(optimizerOf(settings, 1), [1], [[1], [1], [1], [1], [1]]);
    expectClose(
      updates.flat(),
      [0, 1, 2, 3, 4].map((step) => -lr(step)),
    );
    expectClose(updates.flat(), [0, -0.05, -0.1, -0.05, -0.025]);
  });

  it('adds L2 weight decay to the gradients: with zero gradients SGD shrinks the weights by lr·wd', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (start, weightDecay) => {
          const [update] = updatesOf(optimizerOf({ ...plain, weightDecay }, 1), start, [start.map(() => 0)]);
          expectClose(
            update,
            start.map((p) => -0.1 * weightDecay * p),
          );
        },
      ),
    );
  });

  it('clips the gradients to the global norm before the optimizer sees them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (grad, clipNorm) => {
          const norm = Math.hypot(...grad);
          const [update] = updatesOf(
            optimizerOf({ ...plain, clipNorm }, 1),
            grad.map(() => 0),
            [grad],
          );
          const factor = norm > clipNorm ? clipNorm / norm : 1;
          expectClose(
            update,
            grad.map((g) => -0.1 * g * factor),
          );
        },
      ),
    );
  });
});
