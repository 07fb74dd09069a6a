import { Tensor } from '@axon/tensor';
import * as E from 'fp-ts/lib/Either.js';

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Tensor);

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * A stored tree of state in the structure of `template` (what the model's and the
 * optimizer's `init` give), each tensor passed through `place` (to move it to the
 * training backend). Left names the first place where the two differ (another model,
 * another optimizer), so a resume with different settings is refused rather than run.
 *
 * @example
 * restoreTree(plan.optimizer.init(params), checkpoint.optState, (t) => toBackend(t, backend), 'optState');
 */
export function restoreTree<T>(
  template: T,
  stored: unknown,
  place: (x: Tensor) => Tensor,
  path: string,
): E.Either<string, T> {
  const mismatch = (expected: string): E.Either<string, T> =>
    E.left(`${path}: expected ${expected}, the checkpoint has ${describe(stored)}`);
  if (template instanceof Tensor) {
    if (!(stored instanceof Tensor)) return mismatch(`a tensor of shape [${template.shape.join(', ')}]`);
    if (stored.dtype !== template.dtype || !sameShape(stored.shape, template.shape))
      return mismatch(`a ${template.dtype} tensor of shape [${template.shape.join(', ')}]`);
    return E.right(place(stored) as T);
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(stored) || stored.length !== template.length) return mismatch(`a list of ${template.length}`);
    const items: unknown[] = [];
    for (const [i, item] of template.entries()) {
      const restored = restoreTree(item, stored[i], place, `${path}/${i}`);
      if (E.isLeft(restored)) return restored;
      items.push(restored.right);
    }
    return E.right(items as T);
  }
  if (isRecord(template)) {
    const keys = Object.keys(template);
    if (!isRecord(stored) || Object.keys(stored).length !== keys.length || !keys.every((key) => key in stored))
      return mismatch(`a record of ${keys.join(', ') || 'nothing'}`);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const restored = restoreTree(template[key], stored[key], place, `${path}/${key}`);
      if (E.isLeft(restored)) return restored;
      out[key] = restored.right;
    }
    return E.right(out as T);
  }
  return typeof stored === typeof template ? E.right(stored as T) : mismatch(`a ${typeof template}`);
}

function describe(value: unknown): string {
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isRecord(value)) return `a record of ${Object.keys(value).join(', ') || 'nothing'}`;
  return `a ${typeof value}`;
}
