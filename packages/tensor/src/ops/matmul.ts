import type { DType } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import { broadcastShapes, sizeOf, type Shape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { record } from '../autodiff/record.js';
import { unbroadcast } from '../autodiff/unbroadcast.js';
import { broadcastTo, reshape } from './manipulation.js';
import { backendOf, fromStorage, requireFloat, storageOn } from './operand.js';

/** Whether `matmul` uses each operand transposed (over its last two axes). */
export interface MatmulOptions {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/**
 * Matrix product over the last two axes, broadcasting any leading (batch) axes as
 * NumPy's `matmul` does. A 1-D operand is treated as a row (first) or column (second)
 * vector and its axis is dropped from the result.
 *
 * @example
 * ```ts
 * matmul(x, w);                          // [128,784] · [784,128] → [128,128]
 * matmul(x, dy, { transposeA: true });   // xᵀ · dy
 * ```
 */
export const matmul = <D extends DType>(a: Tensor<D>, b: Tensor<D>, options: MatmulOptions = {}): Tensor<D> => {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  requireFloat('matmul', a);
  check(
    a.dtype === b.dtype,
    'matmul',
    () => `dtypes differ: ${a.dtype}${showShape(a.shape)} x ${b.dtype}${showShape(b.shape)}`,
  );
  check(
    a.rank >= 1 && b.rank >= 1,
    'matmul',
    () => `${showShape(a.shape)} x ${showShape(b.shape)}: scalars have no matrix product`,
  );
  // Vectors become matrices and the extra axis is dropped again at the end.
  const a2 = a.rank === 1 ? reshape(a, transposeA ? [a.size, 1] : [1, a.size]) : a;
  const b2 = b.rank === 1 ? reshape(b, transposeB ? [1, b.size] : [b.size, 1]) : b;
  const product = matmulMatrices(a2, b2, transposeA, transposeB, a.shape, b.shape);
  if (a.rank > 1 && b.rank > 1) return product;
  const shape = product.shape
    .slice(0, -2)
    .concat(a.rank > 1 ? [product.shape[product.rank - 2]] : [], b.rank > 1 ? [product.shape[product.rank - 1]] : []);
  return reshape(product, shape);
};

const matmulMatrices = <D extends DType>(
  a: Tensor<D>,
  b: Tensor<D>,
  transposeA: boolean,
  transposeB: boolean,
  /** The operands' shapes as the caller gave them, for the message (built only on failure). */
  aShape: Shape,
  bShape: Shape,
): Tensor<D> => {
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [k2, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  check(
    k === k2,
    'matmul',
    () =>
      `${showShape(aShape)}${transposeA ? 'ᵀ' : ''} x ${showShape(bShape)}${transposeB ? 'ᵀ' : ''}: inner dimensions ${k} and ${k2} differ`,
  );
  const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  // An operand with a single matrix is reused for every batch entry; one with some
  // but not all batch axes is broadcast out first.
  const expand = (x: Tensor<D>): Tensor<D> => {
    const own = sizeOf(x.shape.slice(0, -2));
    return own === 1 || own === batch ? x : broadcastTo(x, [...batchShape, ...x.shape.slice(-2)]);
  };
  const x = expand(a);
  const y = expand(b);
  const backend = backendOf(x, y);
  const spec = {
    batch,
    m,
    k,
    n,
    transposeA,
    transposeB,
    aBatched: sizeOf(x.shape.slice(0, -2)) === batch && batch > 1,
    bBatched: sizeOf(y.shape.slice(0, -2)) === batch && batch > 1,
  };
  const storage = backend.matmul(storageOn(x, backend), storageOn(y, backend), spec);
  const out = fromStorage<D>(storage, [...batchShape, m, n], backend);
  return record(out, [x, y], (g, needed, [xi, yi]) => [
    // d(op(A)) = g · op(B)ᵀ and d(op(B)) = op(A)ᵀ · g, each put back in its operand's layout.
    needed[0]
      ? unbroadcast(
          transposeA
            ? matmul(yi, g, { transposeA: transposeB, transposeB: true })
            : matmul(g, yi, { transposeB: !transposeB }),
          xi.shape,
        )
      : undefined,
    needed[1]
      ? unbroadcast(
          transposeB
            ? matmul(g, xi, { transposeA: true, transposeB: transposeA })
            : matmul(xi, g, { transposeA: !transposeA }),
          yi.shape,
        )
      : undefined,
  ]);
};
