import { describe, expect, it } from 'vitest';
import * as T from '@axon/tensor';

const x = T.tensor([
  [1, 2, 3],
  [4, 5, 6],
]);

/** Each call must throw a TensorError whose message names the op and matches the pattern. */
const cases: [string, () => unknown, RegExp][] = [
  ['add shapes', () => T.add(x, T.ones([2])), /^add: shapes \[2,3\] and \[2\] cannot be broadcast/],
  [
    'add dtypes',
    () => T.add(x, T.ones([2, 3], { dtype: 'float64' })),
    /^add: dtypes differ: float32\[2,3\] and float64\[2,3\]/,
  ],
  [
    'div ints',
    () => T.div(T.ones([2], { dtype: 'int32' }), T.ones([2], { dtype: 'int32' })),
    /^div: is not defined for int32/,
  ],
  [
    'exp of int',
    () => T.exp(T.ones([2], { dtype: 'int32' })),
    /^exp: expects a float32 or float64 tensor, got int32\[2\]/,
  ],
  ['sum axis', () => T.sum(x, 2), /^sum: axis 2 is out of range for a tensor of rank 2/],
  ['mean axis', () => T.mean(x, -3), /^mean: axis -3 is out of range/],
  ['repeated axes', () => T.sum(x, [1, -1]), /^sum: axes \[1,-1\] repeat an axis/],
  ['argmax axis', () => T.argmax(x, 5), /^argmax: axis 5 is out of range/],
  ['reshape size', () => T.reshape(x, [4, 2]), /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,2\]/],
  ['reshape two -1', () => T.reshape(x, [-1, -1]), /^reshape: \[-1,-1\] infers more than one extent/],
  ['transpose perm', () => T.transpose(x, [0, 0]), /^transpose: \[0,0\] is not a permutation/],
  [
    'slice range',
    () => T.slice(x, [1, 2], [2, 1]),
    /^slice: begin \[1,2\] with size \[2,1\] is out of range for \[2,3\]/,
  ],
  [
    'gather index',
    () => T.gather(x, T.tensor([0, 2], { dtype: 'int32' })),
    /^gather: index 2 is out of range for axis 0 of \[2,3\]/,
  ],
  ['gather float indices', () => T.gather(x, T.tensor([0])), /^gather: indices must be int32, got float32\[1\]/],
  [
    'concat shapes',
    () => T.concat([x, T.ones([3, 3])], 1),
    /^concat: cannot join float32\[2,3\], float32\[3,3\] along axis 1/,
  ],
  ['stack shapes', () => T.stack([x, T.ones([3, 2])]), /^stack: shapes differ: \[2,3\], \[3,2\]/],
  ['pad spec', () => T.pad(x, [[1, 1]]), /^pad: paddings/],
  ['broadcastTo', () => T.broadcastTo(x, [3, 3]), /^broadcastTo: \[2,3\] cannot be broadcast to \[3,3\]/],
  ['where mask', () => T.where(x, x, x), /^where: condition must be bool, got float32\[2,3\]/],
  ['dense fit', () => T.dense(x, T.ones([2, 4])), /^dense: input float32\[2,3\] does not fit kernel float32\[2,4\]/],
  [
    'dense bias',
    () => T.dense(x, T.ones([3, 4]), T.ones([3])),
    /^dense: bias float32\[3\] does not fit kernel \[3,4\]/,
  ],
  ['oneHot depth', () => T.oneHot(T.tensor([1], { dtype: 'int32' }), 0), /^oneHot: depth must be a positive integer/],
  ['ragged', () => T.tensor([[1, 2], [3]]), /^tensor: nested arrays are ragged/],
  ['shape fill', () => T.tensor([1, 2, 3], { shape: [2, 2] }), /^tensor: 3 values cannot fill shape \[2,2\]/],
  ['negative shape', () => T.zeros([2, -1]), /^full: \[2,-1\] is not a valid shape/],
  [
    'grad of vector',
    () => T.grad((p: T.Tensor) => T.mul(p, 2))(x),
    /^valueAndGrad: the function must return a float scalar, got float32\[2,3\]/,
  ],
  [
    'grad of int',
    () => T.grad((p: T.Tensor) => T.sum(T.cast(p, 'float32')))(T.ones([2], { dtype: 'int32' })),
    /^valueAndGrad: can only differentiate float tensors/,
  ],
  [
    'tree mismatch',
    () => T.treeZipWith(T.add, { a: x }, { b: x } as unknown as { a: T.Tensor }),
    /^treeZipWith: trees differ in structure/,
  ],
];

describe('bad input raises a named TensorError', () => {
  it.each(cases)('%s', (_name, call, message) => {
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(T.TensorError);
    expect((caught as Error).message).toMatch(message);
  });
});
