import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, oneHot, sigmoid, softmax, tensor, type Tensor } from '@axon/tensor';
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
    const p = tensor([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], f64);
    const y = tensor([0, 2], { dtype: 'int32' });
    close(sparseCategoricalCrossentropy().perSample(y, p).values, [-Math.log(0.7), -Math.log(0.6)]);
    close(categoricalCrossentropy().perSample(oneHot(y, 3, 'float64'), p).values, [-Math.log(0.7), -Math.log(0.6)]);
    close(categoricalCrossentropy().perSample(tensor([[0.5, 0.5, 0]], f64), tensor([[0.7, 0.2, 0.1]], f64)).values, [-(Math.log(0.7) + Math.log(0.2)) / 2]);
    close(binaryCrossentropy().perSample(tensor([1, 0], f64), tensor([0.9, 0.2], f64)).values, [-Math.log(0.9), -Math.log(0.8)]);
    close(binaryCrossentropy().perSample(tensor([[1, 0]], f64), tensor([[0.9, 0.2]], f64)).values, [-(Math.log(0.9) + Math.log(0.8)) / 2]);
    close(meanSquaredError().perSample(tensor([[1, 2], [0, 0]], f64), tensor([[1.5, 2], [1, -1]], f64)).values, [0.125, 1]);
    close(meanAbsoluteError().perSample(tensor([[1, 2], [0, 0]], f64), tensor([[1.5, 2], [1, -1]], f64)).values, [0.25, 1]);
    expect(meanSquaredError().value(tensor([[1], [2]]), tensor([[1.5], [2]])).item()).toBeCloseTo(0.125, 7);
  });

  it('agree between logits and probabilities', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 5 }), (seed, batch, classes) => {
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
      }),
      { numRuns: 30 },
    );
  });

  it('compute from the logits when the model ends in the activation they fold in, finite where probabilities round to 0', () => {
    const logits = tensor([[200, 0, -200], [0, 300, 0]]);
    const y = tensor([2, 0], { dtype: 'int32' });
    const split: SplitOutput = { preActivation: logits, activation: 'softmax' };
    const fused = sparseCategoricalCrossentropy().perSampleFromSplit(y, split).values;
    close(fused, [400, 300], 3);
    // From the rounded probabilities, Keras's clipping caps the loss at -log(1e-7).
    close(sparseCategoricalCrossentropy().perSample(y, softmax(logits)).values, [-Math.log(1e-7), -Math.log(1e-7)], 3);
    const binary = binaryCrossentropy().perSampleFromSplit(tensor([0, 1]), { preActivation: tensor([100, -100]), activation: 'sigmoid' }).values;
    close(binary, [100, 100], 3);
    expect(categoricalCrossentropy().perSampleFromSplit(oneHot(y, 3), split).values.every(Number.isFinite)).toBe(true);
  });

  it('use the output itself when the final activation does not fold in', () => {
    const p = tensor([[0.7, 0.3]], f64);
    const y = tensor([1], { dtype: 'int32' });
    const loss = sparseCategoricalCrossentropy();
    expect(loss.perSampleFromSplit(y, { preActivation: p, activation: 'none' }).values).toEqual(loss.perSample(y, p).values);
    // A loss told to expect logits takes a softmax output as logits, as Keras does.
    const logitsLoss = sparseCategoricalCrossentropy({ fromLogits: true });
    expect(logitsLoss.perSampleFromSplit(y, { preActivation: p, activation: 'softmax' }).values).toEqual(logitsLoss.perSample(y, softmax(p)).values);
  });

  it('refuse targets and predictions with different batch sizes', () => {
    expect(() => meanSquaredError().perSample(tensor([1, 2]), tensor([1, 2, 3]))).toThrow('meanSquaredError: targets [2] and predictions [3]');
  });
});

describe('loss gradients with respect to predictions (float64)', () => {
  const y = labels(3, 4, 3);
  const targets = oneHot(y, 3, 'float64');
  const soft = values64(5, [4, 3], 0.05, 0.95);
  const regressionTargets = values64(6, [4, 3]);
  const cases: [string, Loss, Tensor, Tensor][] = [
    ['sparse CE, probabilities', sparseCategoricalCrossentropy(), y, values64(1, [4, 3], 0.1, 0.9)],
    ['sparse CE, logits', sparseCategoricalCrossentropy({ fromLogits: true }), y, values64(1, [4, 3], -3, 3)],
    ['categorical CE, probabilities', categoricalCrossentropy(), soft, values64(2, [4, 3], 0.1, 0.9)],
    ['categorical CE, logits', categoricalCrossentropy({ fromLogits: true }), targets, values64(2, [4, 3], -3, 3)],
    ['binary CE, probabilities', binaryCrossentropy(), soft, values64(4, [4, 3], 0.1, 0.9)],
    ['binary CE, logits', binaryCrossentropy({ fromLogits: true }), soft, values64(4, [4, 3], -3, 3)],
    ['mean squared error', meanSquaredError(), regressionTargets, values64(7, [4, 3])],
    ['mean absolute error', meanAbsoluteError(), regressionTargets, tensor(Float64Array.from(regressionTargets.values, (v, i) => v + (i % 2 ? 0.3 : -0.3)), { shape: [4, 3] })],
  ];

  it.each(cases)('%s', (_name, loss, t, predictions) => {
    assertGradients((p: Tensor) => loss.value(t, p), predictions);
  });

  it.each([
    ['softmax', sparseCategoricalCrossentropy(), y],
    ['sigmoid', binaryCrossentropy(), soft],
  ] as const)('fused from the logits before a %s', (activation, loss, t) => {
    assertGradients((z: Tensor) => mean(loss.perSampleFromSplit(t, { preActivation: z, activation })), values64(9, [4, 3], -3, 3));
  });
});
