import type { FusedActivation } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import { activationCode, binaryCode, type WasmBinaryOp } from './codes.js';
import type { MatrixLayout } from './broadcast.js';

/**
 * `a op b` over a `[rows, cols]` output, each operand full, a repeated row or column, or
 * a single value, as `layout` says.
 *
 * @example
 * ```ts
 * // [2, 3] + [3]
 * binaryValues(runtime, 'add', { rows: 2, cols: 3, a: { row: 3, col: 1 }, b: { row: 0, col: 1 } }, x, bias);
 * ```
 */
export const binaryValues = (
  runtime: WasmRuntime,
  op: WasmBinaryOp,
  layout: MatrixLayout,
  a: Float32Array,
  b: Float32Array,
): Float32Array => {
  const { arena, kernels } = runtime;
  const { rows, cols } = layout;
  arena.reset();
  const aAt = arena.putFloats(a);
  const bAt = arena.putFloats(b);
  const out = arena.reserve(rows * cols * 4);
  kernels.binary(binaryCode[op], rows, cols, aAt, layout.a.row, layout.a.col, bAt, layout.b.row, layout.b.col, out);
  return arena.takeFloats(out, rows * cols);
};

/** `max(x, 0)` element-wise. */
export const reluValues = (runtime: WasmRuntime, x: Float32Array): Float32Array => {
  const { arena, kernels } = runtime;
  arena.reset();
  const xAt = arena.putFloats(x);
  const out = arena.reserve(x.byteLength);
  kernels.relu(x.length, xAt, out);
  return arena.takeFloats(out, x.length);
};

/** `dy · f'(z)` from the activation's output `y = f(z)`; equal to the reference's bit for bit. */
export const activationGradValues = (
  runtime: WasmRuntime,
  activation: FusedActivation,
  dy: Float32Array,
  y: Float32Array,
): Float32Array => {
  const { arena, kernels } = runtime;
  arena.reset();
  const dyAt = arena.putFloats(dy);
  const yAt = arena.putFloats(y);
  const out = arena.reserve(dy.byteLength);
  kernels.activationGrad(activationCode[activation], dy.length, dyAt, yAt, out);
  return arena.takeFloats(out, dy.length);
};

/** Column sums of a `rows` x `cols` matrix (a bias gradient), summed in double precision like the reference. */
export const sumRowsValues = (runtime: WasmRuntime, x: Float32Array, rows: number, cols: number): Float32Array => {
  const { arena, kernels } = runtime;
  arena.reset();
  const xAt = arena.putFloats(x);
  const out = arena.reserve(cols * 4);
  kernels.sumRows(rows, cols, xAt, out);
  return arena.takeFloats(out, cols);
};
