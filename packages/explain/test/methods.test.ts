import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layers, type StatefulLayer } from '@axon/nn';
import {
  add,
  foldIn,
  grad,
  key,
  mul,
  normal,
  ones,
  slice,
  sub,
  sum,
  tensor,
  TensorError,
  zeros,
  type Tensor,
  type TensorTree,
} from '@axon/tensor';
import { gradientTimesInput, integratedGradients, modelScores, saliency, smoothGrad } from '../src/index.js';
import { buildCase, caseArb, maxDifference, maxMagnitude, values64, type Case } from './support/models.js';

/** The gradient of sample `i`'s score for class `c`, from `grad` on that sample alone. */
const gradientOf = (c: Case, i: number, classIndex: number): Tensor => {
  const [, features] = c.x.shape;
  const sample = slice(c.x, [i, 0], [1, features]);
  return grad((x: Tensor) => sum(slice(c.f(x), [0, classIndex], [1, 1])))(sample);
};

/** Central finite differences of sample `i`'s score for class `c`, in float64. */
const numericGradient = (c: Case, i: number, classIndex: number, h = 1e-6): number[] => {
  const [, features] = c.x.shape;
  const at = (j: number, delta: number): number => {
    const values = Float64Array.from(c.x.values.subarray(i * features, (i + 1) * features));
    values[j] += delta;
    return c.f(tensor(values, { shape: [1, features] })).values[classIndex];
  };
  return Array.from({ length: features }, (_, j) => (at(j, h) - at(j, -h)) / (2 * h));
};

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const close = (a: Tensor, b: Tensor, rtol = 1e-12): void =>
  expect(maxDifference(a, b)).toBeLessThanOrEqual(rtol * maxMagnitude(b));

describe('saliency and gradient × input', () => {
  it('saliency is the gradient that grad computes for each sample alone, and agrees with central differences', () => {
    fc.assert(
      fc.property(caseArb(['tanh', 'softplus', 'gelu']), (c) => {
        const result = saliency(c.f, c.x);
        const [, features] = c.x.shape;
        result.classes.forEach((classIndex, i) => {
          const row = slice(result.attributions, [i, 0], [1, features]);
          close(row, gradientOf(c, i, classIndex));
          const numeric = numericGradient(c, i, classIndex);
          row.values.forEach((v, j) =>
            expect(Math.abs(v - numeric[j])).toBeLessThan(1e-7 * (1 + Math.abs(numeric[j]))),
          );
        });
      }),
      { numRuns: 30 },
    );
  });

  it('explains the predicted class unless told: the argmax of the scores it returns', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        const { classes, scores } = saliency(c.f, c.x);
        close(scores, c.f(c.x));
        classes.forEach((classIndex, i) => {
          const row = Array.from(scores.values.subarray(i * c.classCount, (i + 1) * c.classCount));
          expect(classIndex).toBe(row.indexOf(Math.max(...row)));
        });
      }),
      { numRuns: 30 },
    );
  });

  it('explains the class it is given, one for all samples or one each', () => {
    const c = buildCase({
      features: 4,
      hidden: [{ units: 5, activation: 'tanh' }],
      classCount: 3,
      softmax: true,
      samples: 3,
      seed: 5,
    });
    expect(saliency(c.f, c.x, { target: 2 }).classes).toEqual([2, 2, 2]);
    const each = saliency(c.f, c.x, { target: [0, 2, 1] });
    expect(each.classes).toEqual([0, 2, 1]);
    each.classes.forEach((classIndex, i) =>
      close(slice(each.attributions, [i, 0], [1, 4]), gradientOf(c, i, classIndex)),
    );
  });

  it('gradient × input is the inputs times the saliency', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        close(gradientTimesInput(c.f, c.x).attributions, mul(c.x, saliency(c.f, c.x).attributions), 0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('SmoothGrad', () => {
  it('with no noise, is the saliency', () => {
    fc.assert(
      fc.property(caseArb(), seedArb, fc.integer({ min: 1, max: 8 }), (c, seed, samples) => {
        close(
          smoothGrad(c.f, c.x, { key: key(seed), samples, noiseLevel: 0 }).attributions,
          saliency(c.f, c.x).attributions,
          1e-14,
        );
      }),
      { numRuns: 20 },
    );
  });

  it('the same key gives bit-identical attributions; another key, different ones', () => {
    fc.assert(
      fc.property(caseArb(['tanh', 'gelu']), seedArb, (c, seed) => {
        // A sample of one value has no range, hence no noise.
        fc.pre(c.x.shape[1] > 1);
        const once = smoothGrad(c.f, c.x, { key: key(seed), samples: 6 }).attributions.values;
        expect(smoothGrad(c.f, c.x, { key: key(seed), samples: 6 }).attributions.values).toEqual(once);
        expect(smoothGrad(c.f, c.x, { key: key(seed + 1), samples: 6 }).attributions.values).not.toEqual(once);
      }),
      { numRuns: 20 },
    );
  });

  it('is the mean of the gradients at noisy copies, noise drawn from foldIn(key, sample) and scaled by the noise level times the range', () => {
    const c = buildCase({
      features: 3,
      hidden: [{ units: 4, activation: 'tanh' }],
      classCount: 2,
      softmax: true,
      samples: 2,
      seed: 3,
    });
    const copies = 4;
    const result = smoothGrad(c.f, c.x, { key: key(9), samples: copies, noiseLevel: 0.5, target: 1 });
    [0, 1].forEach((i) => {
      const sample = slice(c.x, [i, 0], [1, 3]);
      const range = Math.max(...sample.values) - Math.min(...sample.values);
      const noise = normal(foldIn(key(9), i), [copies, 3], { dtype: 'float64', stddev: 0.5 * range });
      const gradients = Array.from({ length: copies }, (_, k) => {
        const noisy: Case = { ...c, x: add(sample, slice(noise, [k, 0], [1, 3])) };
        return gradientOf(noisy, 0, 1).values;
      });
      const expected = tensor(
        Float64Array.from({ length: 3 }, (_, j) => gradients.reduce((total, g) => total + g[j], 0) / copies),
        { shape: [1, 3] },
      );
      close(slice(result.attributions, [i, 0], [1, 3]), expected, 1e-12);
    });
  });
});

describe('batching', () => {
  it('results do not depend on how many rows go through the model at once', () => {
    fc.assert(
      fc.property(
        caseArb(),
        seedArb,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (c, seed, batchSize, steps) => {
          const small = { batchSize, steps, key: key(seed), samples: 5 };
          const large = { batchSize: 4096, steps, key: key(seed), samples: 5 };
          close(integratedGradients(c.f, c.x, small).attributions, integratedGradients(c.f, c.x, large).attributions);
          close(smoothGrad(c.f, c.x, small).attributions, smoothGrad(c.f, c.x, large).attributions);
          close(saliency(c.f, c.x, small).attributions, saliency(c.f, c.x, large).attributions, 0);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a path of 51 points for one image is one forward and one backward pass', () => {
    const c = buildCase({
      features: 4,
      hidden: [{ units: 3, activation: 'relu' }],
      classCount: 3,
      softmax: true,
      samples: 1,
      seed: 1,
    });
    const calls: number[] = [];
    const counted = (x: Tensor): Tensor => {
      calls.push(x.shape[0]);
      return c.f(x);
    };
    integratedGradients(counted, c.x, { steps: 50 });
    // The scores at the input, the 51 path points, the scores at the baseline.
    expect(calls).toEqual([1, 51, 1]);
  });
});

describe('models and score kinds', () => {
  it('explains logits when asked: the scores before the final softmax', () => {
    const c = buildCase({
      features: 4,
      hidden: [{ units: 5, activation: 'tanh' }],
      classCount: 3,
      softmax: true,
      samples: 2,
      seed: 8,
    });
    const logits = modelScores(c.model, c.params, { scores: 'logits' });
    close(logits(c.x), layers.applySplit(c.model, c.params, c.x).preActivation, 0);
    const ig = integratedGradients(logits, c.x, { steps: 64 });
    ig.completenessError.forEach((e) => expect(Math.abs(e)).toBeLessThan(1e-4));
    expect(ig.classes).toEqual(integratedGradients(c.f, c.x).classes);
  });

  it('explains a stateful model with its state, as in inference, and refuses one without', () => {
    // (x − center) · scale: the state moves in training and is used as it is in inference.
    const centering: StatefulLayer<{ readonly scale: Tensor }, { readonly center: Tensor }> = {
      config: { kind: 'flatten' },
      stateful: true,
      init: (_key, inputShape, options) => ({
        params: { scale: ones([inputShape[0]], options) },
        state: { center: zeros([inputShape[0]], options) },
        outputShape: inputShape,
      }),
      apply: (params, x, _ctx, state) => ({ y: mul(sub(x, state.center), params.scale), state }),
    };
    const model = layers.sequential([centering, layers.dense(3, { activation: 'softmax' })]);
    const { params } = model.init(key(1), [4], { dtype: 'float64' });
    const x = values64(2, [2, 4], 0, 1);
    const center = values64(3, [4], 0, 1);
    const state: readonly TensorTree[] = [{ center }, {}];
    const withState = saliency(modelScores(model, params, { state }), x, { target: 0 });
    // The same as the stateless model on inputs shifted by the centre: the gradient does not move.
    const shifted = layers.sequential([layers.dense(3, { activation: 'softmax' })]);
    const expected = saliency(modelScores(shifted, [params[1]]), sub(x, center), { target: 0 });
    close(withState.attributions, expected.attributions);
    expect(() => saliency(modelScores(model, params), x)).toThrow(/has state: pass the state/);
  });

  it('works on float32 models, dropout off', () => {
    const model = layers.sequential([
      layers.flatten(),
      layers.dense(8, { activation: 'relu' }),
      layers.dropout(0.5),
      layers.dense(10, { activation: 'softmax' }),
    ]);
    const { params } = model.init(key(2), [4, 4]);
    const x = values64(3, [2, 4, 4], 0, 1);
    const x32 = tensor(Float32Array.from(x.values), { shape: x.shape });
    const f = modelScores(model, params);
    const once = integratedGradients(f, x32, { steps: 32 });
    expect(once.attributions.dtype).toBe('float32');
    expect(once.attributions.shape).toEqual([2, 4, 4]);
    expect(integratedGradients(f, x32, { steps: 32 }).attributions.values).toEqual(once.attributions.values);
  });
});

describe('bad input names the method and the problem', () => {
  const c = buildCase({
    features: 3,
    hidden: [{ units: 2, activation: 'tanh' }],
    classCount: 2,
    softmax: false,
    samples: 2,
    seed: 4,
  });
  const cases: [string, () => unknown, RegExp][] = [
    [
      'zero steps',
      () => integratedGradients(c.f, c.x, { steps: 0 }),
      /^integratedGradients: steps must be a positive integer, got 0$/,
    ],
    [
      'an unknown rule',
      () => integratedGradients(c.f, c.x, { rule: 'simpson' as 'trapezoid' }),
      /rule must be one of riemannLeft, riemannRight, riemannMiddle, trapezoid, got simpson/,
    ],
    [
      'a baseline of the wrong shape',
      () => integratedGradients(c.f, c.x, { baseline: tensor(new Float64Array(4), { shape: [4] }) }),
      /baseline float64\[4\] does not broadcast to the inputs float64\[2,3\]/,
    ],
    [
      'a class the model lacks',
      () => saliency(c.f, c.x, { target: 2 }),
      /^saliency: class 2 is not one of the model's 2 classes \(0 to 1\)$/,
    ],
    ['one class too few', () => saliency(c.f, c.x, { target: [0] }), /got 1 classes for 2 samples/],
    [
      'integer inputs',
      () => saliency(c.f, tensor([[1, 2, 3]], { dtype: 'int32' })),
      /inputs must be float32 or float64, got int32/,
    ],
    ['no samples', () => saliency(c.f, tensor(new Float64Array(0), { shape: [0, 3] })), /at least one sample/],
    ['a bad batch size', () => saliency(c.f, c.x, { batchSize: 0 }), /batchSize must be a positive integer, got 0/],
    [
      'no noise samples',
      () => smoothGrad(c.f, c.x, { key: key(0), samples: 0 }),
      /^smoothGrad: samples must be a positive integer/,
    ],
    [
      'negative noise',
      () => smoothGrad(c.f, c.x, { key: key(0), noiseLevel: -1 }),
      /noiseLevel must be a non-negative number, got -1/,
    ],
    [
      'a score function that is not per class',
      () => saliency((x) => sum(x), c.x),
      /the score function must map 2 inputs to float scores \[2, classes\], got float64\[\]/,
    ],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(TensorError);
    expect(run).toThrow(message);
  });
});
