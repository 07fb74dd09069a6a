import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';
import { seedArb, values64 } from './arbitraries.js';

/** Every op applied to tensors of shape [3, 4] (and friends), with any needed extra arguments. */
const ops: [string, (a: T.Tensor, b: T.Tensor) => unknown][] = [
  ['add', T.add],
  ['sub', T.sub],
  ['mul', T.mul],
  ['div', T.div],
  ['pow', (a, b) => T.pow(T.abs(a), b)],
  ['maximum', T.maximum],
  ['minimum', T.minimum],
  ['neg', T.neg],
  ['exp', T.exp],
  ['log', (a) => T.log(T.abs(a))],
  ['sqrt', (a) => T.sqrt(T.abs(a))],
  ['abs', T.abs],
  ['relu', T.relu],
  ['sigmoid', T.sigmoid],
  ['tanh', T.tanh],
  ['softplus', T.softplus],
  ['gelu', T.gelu],
  ['leakyRelu', (a) => T.leakyRelu(a)],
  ['elu', (a) => T.elu(a)],
  ['greater', T.greater],
  ['where', (a, b) => T.where(T.greater(a, b), a, b)],
  ['cast', (a) => T.cast(a, 'float32')],
  ['sum', (a) => T.sum(a, 0)],
  ['mean', (a) => T.mean(a)],
  ['max', (a) => T.max(a, 1)],
  ['min', (a) => T.min(a)],
  ['argmax', (a) => T.argmax(a)],
  ['matmul', (a, b) => T.matmul(a, b, { transposeB: true })],
  ['reshape', (a) => T.reshape(a, [4, 3])],
  ['transpose', (a) => T.transpose(a)],
  ['concat', (a, b) => T.concat([a, b], 1)],
  ['stack', (a, b) => T.stack([a, b])],
  ['slice', (a) => T.slice(a, [1, 1], [2, 2])],
  [
    'pad',
    (a) =>
      T.pad(a, [
        [1, 1],
        [0, 2],
      ]),
  ],
  ['gather', (a) => T.gather(a, T.tensor([2, 0, 2], { dtype: 'int32' }))],
  ['softmax', (a) => T.softmax(a)],
  ['logSoftmax', (a) => T.logSoftmax(a, 0)],
  ['logSumExp', (a) => T.logSumExp(a, 1)],
  ['dense', (a, b) => T.dense(a, T.transpose(b), T.sum(b, 1), 'relu')],
  ['sparseSoftmaxCrossEntropy', (a) => T.sparseSoftmaxCrossEntropy(a, T.tensor([0, 3, 1], { dtype: 'int32' }))],
  [
    'adamStep',
    (a, b) =>
      T.adamStep(a, b, T.abs(b), { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 10, correction2: 1000 }),
  ],
  ['grad', (a, b) => T.grad((p: { a: T.Tensor; b: T.Tensor }) => T.sum(T.mul(T.tanh(p.a), p.b)))({ a, b })],
];

describe('no op changes its inputs', () => {
  it.each(ops)('%s', (_name, op) => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const a = values64(seed, [3, 4]);
        const b = values64(seed + 1, [3, 4]);
        const before = [Float64Array.from(a.values), Float64Array.from(b.values)];
        op(a, b);
        expect(a.values).toEqual(before[0]);
        expect(b.values).toEqual(before[1]);
      }),
      { numRuns: 10 },
    );
  });

  it('tensor() copies its source, so later writes to the source never reach the tensor', () => {
    const source = new Float32Array([1, 2, 3]);
    const t = T.tensor(source);
    source[0] = 99;
    expect(t.values[0]).toBe(1);
  });

  it('tensor(..., { copy: false }) takes an array of its own dtype without copying, and copies any other', () => {
    const own = new Float32Array([1, 2, 3]);
    expect(T.tensor(own, { copy: false }).values).toBe(own);
    const other = new Float64Array([1, 2, 3]);
    expect(T.tensor(other, { copy: false, dtype: 'float32' }).values).not.toBe(other);
    const bytes = new Uint8Array([1, 2]);
    expect(T.tensor(bytes, { copy: false }).values).not.toBe(bytes);
  });
});
