/**
 * The one error every tensor op throws for a programmer error: mismatched shapes or
 * dtypes, axes or indices out of range. The message names the op and the shapes
 * involved, e.g. `matmul: [128,784] x [128,10]: inner dimensions 784 and 128 differ`.
 */
export class TensorError extends Error {
  override readonly name = 'TensorError';

  constructor(
    /** The op that refused its arguments. */
    readonly op: string,
    /** What was wrong, with the shapes and dtypes involved. */
    readonly detail: string,
  ) {
    super(`${op}: ${detail}`);
  }
}

/** Formats a shape the way error messages show it: `[128,784]`. */
export const showShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;

/** Throws a {@link TensorError} for `op` unless `condition` holds. */
export function check(condition: boolean, op: string, detail: () => string): asserts condition {
  if (!condition) throw new TensorError(op, detail());
}
