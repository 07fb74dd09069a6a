import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  div,
  mean,
  mul,
  oneHot,
  sigmoid,
  softmax,
  softplus,
  stopGradient,
  sub,
  sum,
  tensor,
  type Tensor,
} from '@axon/tensor';
import { assertGradients } from '@axon/tensor/testing';
import { labels, values64 } from '../../test/helpers.js';
import type { SplitOutput } from '../layers/layer.js';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  type Loss,
} from './losses.js';

const f64 = { dtype: 'float64' } as const;
const close = (actual: ArrayLike<number>, expected: readonly number[], digits = 10): void =>
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));

describe('loss values', () => {
  it('match the formulas on worked examples', () => {
    const p = tensor(
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.3, 0.6],
      ],
      f64,
    );
    const y = tensor([0, 2], { dtype: 'int32' });
    close(sparseCategoricalCrossentropy().perSample(y, p).values, [-Math.log(0.7), -Math.log(0.6)]);
    close(categoricalCrossentropy().perSample(oneHot(y, 3, 'float64'), p).values, [-Math.log(0.7), -Math.log(0.6)]);
    close(categoricalCrossentropy().perSample(tensor([[0.5, 0.5, 0]], f64), tensor([[0.7, 0.2, 0.1]], f64)).values, [
      -(Math.log(0.7) + Math.log(0.2)) / 2,
    ]);
    close(binaryCrossentropy().perSample(tensor([1, 0], f64), tensor([0.9, 0.2], f64)).values, [
      -Math.log(0.9),
      -Math.log(0.8),
    ]);
    close(binaryCrossentropy().perSample(tensor([[1, 0]], f64), tensor([[0.9, 0.2]], f64)).values, [
      -(Math.log(0.9) + Math.log(0.8)) / 2,
    ]);
    close(
      meanSquaredError().perSample(
        tensor(
          [
            [1, 2],
            [0, 0],
          ],
          f64,
        ),
        tensor(
          [
            [1.5, 2],
            [1, -1],
          ],
          f64,
        ),
      ).values,
      [0.125, 1],
    );
    close(
      meanAbsoluteError().perSample(
        tensor(
          [
            [1, 2],
            [0, 0],
          ],
          f64,
        ),
        tensor(
          [
            [1.5, 2],
            [1, -1],
          ],
          f64,
        ),
      ).values,
      [0.25, 1],
    );
    expect(
      meanSquaredError()
        .value(tensor([[1], [2]]), tensor([[1.5], [2]]))
        .item(),
    ).toBeCloseTo(0.125, 7);
  });

  it('agree between logits and probabilities', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 5 }),
        (seed, batch, classes) => {
          const logits = values64(seed, [batch, classes], -4, 4);
          const y = labels(seed, batch, classes);
          const targets = oneHot(y, classes, 'float64');
          const pairs: [Loss, Loss, Tensor, Tensor][] = [
            [sparseCategoricalCrossentropy({ fromLogits: true }), sparseCategoricalCrossentropy(), y, softmax(logits)],
            [categoricalCrossentropy({ fromLogits: true }), categoricalCrossentropy(), targets, softmax(logits)],
            [binaryCrossentropy({ fromLogits: true }), binaryCrossentropy(), targets, sigmoid(logits)],
          ];
          pairs.forEach(([fromLogits, fromProbabilities, t, p]) =>
            close(fromLogits.perSample(t, logits).values, Array.from(fromProbabilities.perSample(t, p).values), 8),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('compute from the logits when the model ends in the activation they fold in, finite where probabilities round to 0', () => {
    const logits = tensor([
      [200, 0, -200],
      [0, 300, 0],
    ]);
    const y = tensor([2, 0], { dtype: 'int32' });
    const split: SplitOutput = { preActivation: logits, activation: 'softmax' };
    const fused = sparseCategoricalCrossentropy().perSampleFromSplit(y, split).values;
    close(fused, [400, 300], 3);
    // From the rounded probabilities, Keras's clipping caps the loss at -log(1e-7).
    close(sparseCategoricalCrossentropy().perSample(y, softmax(logits)).values, [-Math.log(1e-7), -Math.log(1e-7)], 3);
    const binary = binaryCrossentropy().perSampleFromSplit(tensor([0, 1]), {
      preActivation: tensor([100, -100]),
      activation: 'sigmoid',
    }).values;
    close(binary, [100, 100], 3);
    expect(categoricalCrossentropy().perSampleFromSplit(oneHot(y, 3), split).values.every(Number.isFinite)).toBe(true);
  });

  it('use the output itself when the final activation does not fold in', () => {
    const p = tensor([[0.7, 0.3]], f64);
    const y = tensor([1], { dtype: 'int32' });
    const loss = sparseCategoricalCrossentropy();
    expect(loss.perSampleFromSplit(y, { preActivation: p, activation: 'none' }).values).toEqual(
      loss.perSample(y, p).values,
    );
    // A loss told to expect logits takes a softmax output as logits, as Keras does.
    const logitsLoss = sparseCategoricalCrossentropy({ fromLogits: true });
    expect(logitsLoss.perSampleFromSplit(y, { preActivation: p, activation: 'softmax' }).values).toEqual(
      logitsLoss.perSample(y, softmax(p)).values,
    );
  });

  it('refuse targets and predictions with different batch sizes', () => {
    expect(() => meanSquaredError().perSample(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      'meanSquaredError: targets [2] and predictions [3]',
    );
  });
});

/** A batch size, a class count and the extra axes of element-wise predictions. */
const configArb = fc.record({
  seed: fc.nat(10_000),
  batch: fc.integer({ min: 1, max: 4 }),
  classes: fc.integer({ min: 1, max: 4 }),
  outputs: fc.constantFrom([], [1], [3], [2, 2]),
});
type Config = typeof configArb extends fc.Arbitrary<infer C> ? C : never;

/** Rows of positive weights that sum to 1, as soft targets. */
const distributions = (seed: number, batch: number, classes: number): Tensor =>
  softmax(values64(seed, [batch, classes], -2, 2));

/**
 * One loss over random shapes and values: its targets, its predictions (kept where the
 * loss is smooth: probabilities inside Keras's clip, absolute errors away from 0), and
 * which of them are differentiable.
 */
interface LossCase {
  readonly name: string;
  readonly loss: Loss;
  readonly draw: (c: Config) => {
    readonly targets: Tensor;
    readonly predictions: Tensor;
    readonly targetsDifferentiable: boolean;
  };
}

const lossCases: readonly LossCase[] = [
  {
    name: 'sparse categorical cross-entropy from probabilities',
    loss: sparseCategoricalCrossentropy(),
    draw: ({ seed, batch, classes }) => ({
      targets: labels(seed, batch, classes),
      predictions: values64(seed + 1, [batch, classes], 0.05, 1),
      targetsDifferentiable: false,
    }),
  },
  {
    name: 'sparse categorical cross-entropy from logits',
    loss: sparseCategoricalCrossentropy({ fromLogits: true }),
    draw: ({ seed, batch, classes }) => ({
      targets: labels(seed, batch, classes),
      predictions: values64(seed + 1, [batch, classes], -3, 3),
      targetsDifferentiable: false,
    }),
  },
  {
    name: 'categorical cross-entropy from probabilities',
    loss: categoricalCrossentropy(),
    draw: ({ seed, batch, classes }) => ({
      targets: distributions(seed, batch, classes),
      predictions: values64(seed + 1, [batch, classes], 0.05, 1),
      targetsDifferentiable: true,
    }),
  },
  {
    name: 'categorical cross-entropy from logits',
    loss: categoricalCrossentropy({ fromLogits: true }),
    draw: ({ seed, batch, classes }) => ({
      targets: distributions(seed, batch, classes),
      predictions: values64(seed + 1, [batch, classes], -3, 3),
      targetsDifferentiable: true,
    }),
  },
  {
    name: 'binary cross-entropy from probabilities',
    loss: binaryCrossentropy(),
    draw: ({ seed, batch, outputs }) => ({
      targets: values64(seed, [batch, ...outputs], 0, 1),
      predictions: values64(seed + 1, [batch, ...outputs], 0.05, 0.95),
      targetsDifferentiable: true,
    }),
  },
  {
    name: 'binary cross-entropy from logits',
    loss: binaryCrossentropy({ fromLogits: true }),
    draw: ({ seed, batch, outputs }) => ({
      targets: values64(seed, [batch, ...outputs], 0, 1),
      predictions: values64(seed + 1, [batch, ...outputs], -3, 3),
      targetsDifferentiable: true,
    }),
  },
  {
    name: 'mean squared error',
    loss: meanSquaredError(),
    draw: ({ seed, batch, outputs }) => ({
      targets: values64(seed, [batch, ...outputs], -2, 2),
      predictions: values64(seed + 1, [batch, ...outputs], -2, 2),
      targetsDifferentiable: true,
    }),
  },
  {
    name: 'mean absolute error',
    loss: meanAbsoluteError(),
    draw: ({ seed, batch, outputs }) => {
      const targets = values64(seed, [batch, ...outputs], -2, 2);
      // Predictions 0.05 to 1 away from their targets, on either side: off the kink at 0.
      return {
        targets,
        predictions: add(targets, values64(seed + 1, [batch, ...outputs], -1, 1, 0.05)),
        targetsDifferentiable: true,
      };
    },
  },
];

/** The gradient property of one loss: its mean, by predictions (and float targets), against central differences. */
const lossGradientProperty = ({ loss, draw }: LossCase) =>
  fc.property(configArb, (config) => {
    const { targets, predictions, targetsDifferentiable } = draw(config);
    if (targetsDifferentiable) {
      assertGradients((p: { targets: Tensor; predictions: Tensor }) => loss.value(p.targets, p.predictions), {
        targets,
        predictions,
      });
    } else {
      assertGradients((p: Tensor) => loss.value(targets, p), predictions);
    }
  });

describe('loss gradients (float64, random shapes and values, central differences)', () => {
  it.each(lossCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    fc.assert(lossGradientProperty(c), { numRuns: 15 });
  });

  it.each([
    ['softmax', sparseCategoricalCrossentropy(), (c: Config) => labels(c.seed, c.batch, c.classes)],
    ['softmax', categoricalCrossentropy(), (c: Config) => distributions(c.seed, c.batch, c.classes)],
    ['sigmoid', binaryCrossentropy(), (c: Config) => values64(c.seed, [c.batch, c.classes], 0, 1)],
  ] as const)('folded into the loss before a final %s (%#)', (activation, loss, targetsOf) => {
    fc.assert(
      fc.property(configArb, (config) => {
        const targets = targetsOf(config);
        assertGradients(
          (z: Tensor) => mean(loss.perSampleFromSplit(targets, { preActivation: z, activation })),
          values64(config.seed + 1, [config.batch, config.classes], -3, 3),
        );
      }),
      { numRuns: 10 },
    );
  });

  it('catches a loss whose gradient is wrong only for some shapes (a deliberately broken copy)', () => {
    // Binary cross-entropy from logits with the right value but the gradient of a formula
    // that forgets the mean over each sample's outputs, (σ(z) - y) / batch: right for
    // [batch] and [batch, 1] predictions only, the shapes a fixed input may never leave.
    const correct = binaryCrossentropy({ fromLogits: true });
    const forgetsOutputMean: Loss = {
      ...correct,
      value: (targets, logits) => {
        const wrong = div(sum(sub(softplus(logits), mul(targets, logits))), logits.shape[0]);
        return add(stopGradient(correct.value(targets, logits)), sub(wrong, stopGradient(wrong)));
      },
    };
    const broken = lossCases.find((c) => c.name === 'binary cross-entropy from logits');
    expect(broken).toBeDefined();
    const withoutTargets = { ...broken!, draw: (c: Config) => ({ ...broken!.draw(c), targetsDifferentiable: false }) };
    expect(() =>
      fc.assert(lossGradientProperty({ ...withoutTargets, loss: forgetsOutputMean }), {
        numRuns: 30,
        includeErrorInReport: true,
      }),
    ).toThrow(/gradient mismatch/);
    expect(() => fc.assert(lossGradientProperty({ ...withoutTargets, loss: correct }), { numRuns: 15 })).not.toThrow();
  });
});
