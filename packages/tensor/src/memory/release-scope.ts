import type { Backend, ManagedMemory } from '../backend/backend.js';
import type { Storage } from '../backend/storage.js';
import { Tensor } from '../core/tensor.js';

/**
 * Every tensor in a value: the value itself, or those inside its arrays and plain
 * objects, at any depth (a training state, with its numbers and keys, included).
 *
 * @example
 * ```ts
 * tensorsIn({ params, optState: [{ count: 3, mu, nu }], step: 3 }); // params', mu's and nu's tensors
 * ```
 */
export const tensorsIn = (value: unknown): Tensor[] => {
  const found: Tensor[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof Tensor) found.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
      Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
};

/**
 * The distinct backends of the tensors in a value.
 *
 * @example
 * ```ts
 * backendsIn(state.params); // [wasm]
 * ```
 */
export const backendsIn = (value: unknown): Backend[] => [...new Set(tensorsIn(value).map((t) => t.backend))];

const managedMemories = (backends: readonly Backend[]): ManagedMemory[] => [
  ...new Set(backends.flatMap((b) => (b.memory === undefined ? [] : [b.memory]))),
];

const storageOf = (value: unknown): Set<Storage> => new Set(tensorsIn(value).map((t) => t.storage));

/**
 * Runs `f` and then frees, on those of `backends` that manage their own memory (the
 * wasm backend), the memory of every tensor `f` made that `keep(result)` does not hold,
 * instead of waiting for the garbage collector. If `f` throws, all of it is freed.
 *
 * Tensors that `f` made and that escape other than through `keep` (stored in a closure,
 * say) must not be used afterwards: the backend throws if they are. Training steps,
 * `evaluate` and `predict` use this, so ordinary code never needs to.
 *
 * @example
 * ```ts
 * const next = withReleaseScope([wasm], () => step(state, batch), (result) => result.state);
 * ```
 */
export const withReleaseScope = <R>(backends: readonly Backend[], f: () => R, keep: (result: R) => unknown): R => {
  const memories = managedMemories(backends);
  if (memories.length === 0) return f();
  memories.forEach((m) => m.openScope());
  let kept: ReadonlySet<Storage> = new Set();
  try {
    const result = f();
    kept = storageOf(keep(result));
    return result;
  } finally {
    for (let i = memories.length - 1; i >= 0; i--) memories[i].closeScope(kept);
  }
};

/**
 * Frees now the backend-managed memory of the tensors in `value` (a training state that
 * has been replaced, say), except storage that the tensors in `except` still use. Other
 * backends' tensors are left to the garbage collector. The released tensors must never
 * be used again.
 *
 * @example
 * ```ts
 * releaseTensors(previous, next); // previous is dead; next may share some storage with it
 * ```
 */
export const releaseTensors = (value: unknown, except?: unknown): void => {
  const keep = storageOf(except);
  for (const t of tensorsIn(value)) if (!keep.has(t.storage)) t.backend.memory?.release(t.storage);
};
