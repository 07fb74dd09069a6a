import type { FusedActivation, Storage } from '@axon/tensor';
import type { WasmRuntime } from '../runtime/runtime.js';
import type { WasmStorage } from '../runtime/resident.js';
import { activationCode, binaryCode, type WasmBinaryOp } from './codes.js';
import type { MatrixLayout } from './broadcast.js';

/**
 * `a op b` over a `[rows, cols]` output, each operand full, a repeated row or column, or
 * a single value, as `layout` says.
 *
 * @example
 * ```ts
 * // [2, 3] + [3]
 * binary(runtime, 'add', { rows: 2, cols: 3, a: { row: 3, col: 1 }, b: { row: 0, col: 1 } }, x, bias);
 * ```
 */
export const binary = (
  runtime: WasmRuntime,
  op: WasmBinaryOp,
  layout: MatrixLayout,
  a: Storage<'float32'>,
  b: Storage<'float32'>,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const { rows, cols } = layout;
  const aAt = memory.addressOf(a);
  const bAt = memory.addressOf(b);
  const out = memory.allocate('float32', rows * cols);
  kernels.binary(
    binaryCode[op],
    rows,
    cols,
    aAt,
    layout.a.row,
    layout.a.col,
    bAt,
    layout.b.row,
    layout.b.col,
    out.address,
  );
  return out;
};

/** `max(x, 0)` element-wise. */
export const relu = (runtime: WasmRuntime, x: Storage<'float32'>): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const xAt = memory.addressOf(x);
  const out = memory.allocate('float32', x.size);
  kernels.relu(x.size, xAt, out.address);
  return out;
};

/** `dy · f'(z)` from the activation's output `y = f(z)`; equal to the reference's bit for bit. */
export const activationGrad = (
  runtime: WasmRuntime,
  activation: FusedActivation,
  dy: Storage<'float32'>,
  y: Storage<'float32'>,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const dyAt = memory.addressOf(dy);
  const yAt = memory.addressOf(y);
  const out = memory.allocate('float32', dy.size);
  kernels.activationGrad(activationCode[activation], dy.size, dyAt, yAt, out.address);
  return out;
};

/** Column sums of a `rows` x `cols` matrix (a bias gradient), summed in double precision like the reference. */
export const sumRows = (
  runtime: WasmRuntime,
  x: Storage<'float32'>,
  rows: number,
  cols: number,
): WasmStorage<'float32'> => {
  const { memory, kernels } = runtime;
  const xAt = memory.addressOf(x);
  const out = memory.allocate('float32', cols);
  kernels.sumRows(rows, cols, xAt, out.address);
  return out;
};
