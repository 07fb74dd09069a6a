import { describe, expect, it } from 'vitest';
import { add, mul, reshape, slice, square, sub, sum, tensor, valueAndGrad, type Tensor } from '@axon/tensor';
import { adagrad, adam, adamw, optimizerByName, rmsprop, sgd, type OptimizerName } from './alias.js';
import { applyUpdates, chain, type GradientTransformation } from './base.js';
import { scale, scaleByAdam, scaleByLearningRate, scaleByRms } from './transform.js';

const f64 = { dtype: 'float64' } as const;

/** The updates an optimizer makes for a one-element param starting at 1, given gradients 0.5, -1, 2. */
const firstUpdates = (optimizer: GradientTransformation): number[] => {
  let params = tensor([1], f64);
  let state = optimizer.init(params);
  return [0.5, -1, 2].map((g) => {
    const { updates, state: next } = optimizer.update(tensor([g], f64), state, params);
    params = applyUpdates(params, updates);
    state = next;
    return updates.item();
  });
};

const expectClose = (actual: readonly number[], expected: readonly number[]): void =>
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));

describe('first three updates against the published rules, worked by hand (lr 0.1; g = 0.5, -1, 2)', () => {
  it('sgd: -lr·g', () => expectClose(firstUpdates(sgd(0.1)), [-0.05, 0.1, -0.2]));

  it('sgd with momentum 0.9: t = g + 0.9·t, update -lr·t', () =>
    // t1 = 0.5; t2 = -1 + 0.45 = -0.55; t3 = 2 - 0.495 = 1.505
    expectClose(firstUpdates(sgd(0.1, { momentum: 0.9 })), [-0.05, 0.055, -0.1505]));

  it('sgd with Nesterov momentum: update -lr·(g + 0.9·t)', () =>
    // -(0.5 + 0.45)·0.1; -(-1 - 0.495)·0.1; -(2 + 1.3545)·0.1
    expectClose(firstUpdates(sgd(0.1, { momentum: 0.9, nesterov: true })), [-0.095, 0.1495, -0.33545]));

  it('adam (β1 0.9, β2 0.999, ε 1e-7 on √v, Keras): -lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)', () =>
    // t=1: m = 0.05, v = 0.00025; step size 0.1·√0.001/0.1 → -0.1·√0.001/0.1 · 0.05 / (0.01581139 + 1e-7)
    // t=2: m = -0.055, v = 0.00124975 → 0.1·√0.001999/0.19 · 0.055 / (0.03535180… + 1e-7) = 0.03661024…
    // t=3: m = 0.1505, v = 0.00524850… → -0.1·√0.002997001/0.271 · 0.1505 / (0.07244654… + 1e-7) = -0.04196550…
    expectClose(firstUpdates(adam(0.1)), [
      (((-0.1 * Math.sqrt(0.001)) / 0.1) * 0.05) / (Math.sqrt(0.00025) + 1e-7),
      (((0.1 * Math.sqrt(0.001999)) / 0.19) * 0.055) / (Math.sqrt(0.00124975) + 1e-7),
      (((-0.1 * Math.sqrt(0.002997001)) / 0.271) * 0.1505) / (Math.sqrt(0.999 * 0.00124975 + 0.004) + 1e-7),
    ]));

  it("adam with PyTorch's placement (ε 1e-8 on √v̂): -lr · m̂ / (√v̂ + ε)", () =>
    // t=1: mhat = 0.5, vhat = 0.25 → -0.1 · 0.5 / (0.5 + 1e-8)
    // t=2: mhat = -0.055 / 0.19 = -0.28947368…, vhat = 0.00124975 / 0.001999 = 0.62518759…
    //      → -0.1 · -0.28947368 / (0.79068805… + 1e-8) = 0.03661035…
    // t=3: mhat = 0.1505 / 0.271 = 0.55535055…, vhat = 0.00524850 / 0.002997001 = 1.75125075…
    //      → -0.1 · 0.55535055 / (1.32334831… + 1e-8) = -0.04196556…
    expectClose(firstUpdates(adam(0.1, { epsilonPlacement: 'pytorch' })), [
      (-0.1 * 0.5) / (0.5 + 1e-8),
      (0.1 * (0.055 / 0.19)) / (Math.sqrt(0.00124975 / 0.001999) + 1e-8),
      (-0.1 * (0.1505 / 0.271)) / (Math.sqrt((0.999 * 0.00124975 + 0.004) / 0.002997001) + 1e-8),
    ]));

  it('adamw: -lr·(adam direction + 0.004·p), with p updated in between', () => {
    const directions = firstUpdates(adam(1)).map((u) => -u);
    let p = 1;
    const expected = directions.map((d) => {
      const update = -0.1 * (d + 0.004 * p);
      p += update;
      return update;
    });
    expectClose(firstUpdates(adamw(0.1)), expected);
  });

  it('rmsprop (ρ 0.9, ε 1e-7): v = 0.9·v + 0.1·g², update -lr·g / sqrt(v + ε)', () =>
    // v = 0.025, 0.1225, 0.51025
    expectClose(firstUpdates(rmsprop(0.1)), [
      -0.05 / Math.sqrt(0.025 + 1e-7),
      0.1 / Math.sqrt(0.1225 + 1e-7),
      -0.2 / Math.sqrt(0.51025 + 1e-7),
    ]));

  it('adagrad (from 0.1, ε 1e-7): s = s + g², update -lr·g / sqrt(s + ε)', () =>
    // s = 0.35, 1.35, 5.35
    expectClose(firstUpdates(adagrad(0.1)), [
      -0.05 / Math.sqrt(0.35 + 1e-7),
      0.1 / Math.sqrt(1.35 + 1e-7),
      -0.2 / Math.sqrt(5.35 + 1e-7),
    ]));

  it('L2 weight decay adds wd·p to the gradient first', () =>
    // g + 0.5·p: 0.5 + 0.5 = 1 → -0.1; p = 0.9: -1 + 0.45 → 0.055; p = 0.955: 2 + 0.4775 → -0.24775
    expectClose(firstUpdates(sgd(0.1, { weightDecay: 0.5 })), [-0.1, 0.055, -0.24775]));
});

describe('equivalent optimizers agree', () => {
  const pairs: [string, GradientTransformation, GradientTransformation][] = [
    ['sgd = scale(-lr)', sgd(0.1), scale(-0.1)],
    ['adam = scaleByAdam + learning rate', adam(0.1), chain(scaleByAdam(), scaleByLearningRate(0.1))],
    ['adamw without decay = adam', adamw(0.1, { weightDecay: 0 }), adam(0.1)],
    ['rmsprop = scaleByRms + learning rate', rmsprop(0.1), chain(scaleByRms(), scaleByLearningRate(0.1))],
    ['sgd = optimizerByName("sgd")', sgd(0.1), optimizerByName('sgd', 0.1)],
    ['momentum = sgd with momentum 0.9', sgd(0.1, { momentum: 0.9 }), optimizerByName('momentum', 0.1)],
    [
      'optimizerByName passes L2 weight decay on',
      sgd(0.1, { momentum: 0.9, weightDecay: 0.5 }),
      optimizerByName('momentum', 0.1, { weightDecay: 0.5 }),
    ],
    [
      'optimizerByName("adam") with weight decay = adam with L2',
      adam(0.1, { weightDecay: 0.5 }),
      optimizerByName('adam', 0.1, { weightDecay: 0.5 }),
    ],
    [
      'optimizerByName("adamw") sets the decoupled decay',
      adamw(0.1, { weightDecay: 0.5 }),
      optimizerByName('adamw', 0.1, { weightDecay: 0.5 }),
    ],
    [
      'optimizerByName("adagrad") with weight decay = adagrad with L2',
      adagrad(0.1, { weightDecay: 0.5 }),
      optimizerByName('adagrad', 0.1, { weightDecay: 0.5 }),
    ],
  ];
  it.each(pairs)('%s', (_name, a, b) => expectClose(firstUpdates(a), firstUpdates(b)));
});

describe('every optimizer lowers the loss from a fixed start', () => {
  // An ill-conditioned bowl with its minimum at (1, -1), and Rosenbrock's valley from (-1.2, 1).
  const quadratic = (p: Tensor): Tensor => sum(mul(tensor([1, 10], f64), square(sub(p, tensor([1, -1], f64)))));
  const rosenbrock = (p: Tensor): Tensor => {
    const x = reshape(slice(p, [0], [1]), []);
    const y = reshape(slice(p, [1], [1]), []);
    return add(square(sub(1, x)), mul(square(sub(y, square(x))), 100));
  };
  const minimize = (
    optimizer: GradientTransformation,
    f: (p: Tensor) => Tensor,
    start: number[],
    steps: number,
  ): [number, number] => {
    let params: Tensor = tensor(start, f64);
    let state = optimizer.init(params);
    const initial = f(params).item();
    const step = valueAndGrad(f);
    for (let i = 0; i < steps; i++) {
      const { updates, state: next } = optimizer.update(step(params).grads, state, params);
      params = applyUpdates(params, updates);
      state = next;
    }
    return [initial, f(params).item()];
  };

  // [name, optimizer for the bowl, optimizer for Rosenbrock (whose gradients are ~100x larger)]
  const cases: [OptimizerName | 'nesterov', GradientTransformation, GradientTransformation][] = [
    ['sgd', sgd(0.02), sgd(1e-3)],
    ['momentum', sgd(0.02, { momentum: 0.9 }), sgd(2e-4, { momentum: 0.9 })],
    ['nesterov', sgd(0.02, { momentum: 0.9, nesterov: true }), sgd(2e-4, { momentum: 0.9, nesterov: true })],
    ['adam', adam(0.1), adam(0.05)],
    ['adamw', adamw(0.1), adamw(0.05)],
    ['rmsprop', rmsprop(0.05), rmsprop(0.01)],
    ['adagrad', adagrad(0.5), adagrad(0.5)],
  ];

  it.each(cases)('%s', (_name, forBowl, forValley) => {
    const [bowlStart, bowlEnd] = minimize(forBowl, quadratic, [3, 2], 200);
    expect(bowlEnd).toBeLessThan(1e-3 * bowlStart);
    const [valleyStart, valleyEnd] = minimize(forValley, rosenbrock, [-1.2, 1], 500);
    expect(valleyEnd).toBeLessThan(0.1 * valleyStart);
  });
});
