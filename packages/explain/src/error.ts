import { TensorError } from '@axon/tensor';

/**
 * Throws the {@link TensorError} axon's ops throw for a programmer error, naming the
 * attribution method, unless `condition` holds.
 *
 * @example
 * ```ts
 * ensure(steps >= 1, 'integratedGradients', () => `steps must be a positive integer, got ${steps}`);
 * ```
 */
export function ensure(condition: boolean, method: string, detail: () => string): asserts condition {
  if (!condition) throw new TensorError(method, detail());
}
