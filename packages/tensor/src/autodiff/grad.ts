import { isFloat } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import { Tensor } from '../core/tensor.js';
import { add } from '../ops/arithmetic.js';
import { onesLike, zerosLike } from '../ops/creation.js';
import { treeEntries, treeMap, type TensorTree } from '../tree/tree.js';
import { detach, leaf } from './record.js';

/** The tensors reachable from `output` through traces, each after everything it depends on. */
const topologicalOrder = (output: Tensor): Tensor[] => {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // An explicit stack, so deep graphs (long training unrolls) cannot overflow the call stack.
  const stack: [Tensor, number][] = [[output, 0]];
  visited.add(output);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [tensor, next] = top;
    const inputs = tensor.node?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const input = inputs[next];
      if (input.node !== undefined && !visited.has(input)) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      order.push(tensor);
      stack.pop();
    }
  }
  return order;
};

/**
 * Runs the vector-Jacobian products from `output` back to the leaves, summing the
 * cotangents of tensors used more than once. Returns the cotangent of every leaf reached.
 */
const backpropagate = (output: Tensor): Map<Tensor, Tensor> => {
  const cotangents = new Map<Tensor, Tensor>([[output, onesLike(detach(output))]]);
  const leaves = new Map<Tensor, Tensor>();
  const order = topologicalOrder(output);
  for (let i = order.length - 1; i >= 0; i--) {
    const tensor = order[i];
    const cotangent = cotangents.get(tensor);
    const node = tensor.node;
    if (cotangent === undefined || node === undefined) continue;
    // Release intermediate cotangents as soon as they have been propagated.
    cotangents.delete(tensor);
    if (node.inputs.length === 0) {
      leaves.set(tensor, cotangent);
      continue;
    }
    const needed = node.inputs.map((input) => input.node !== undefined);
    const inputCotangents = node.vjp(cotangent, needed);
    node.inputs.forEach((input, j) => {
      const contribution = inputCotangents[j];
      if (!needed[j] || contribution === undefined) return;
      const previous = cotangents.get(input);
      cotangents.set(input, previous === undefined ? contribution : add(previous, contribution));
    });
  }
  return leaves;
};

/** Detaches every tensor in an auxiliary result, so no trace outlives the call. */
const detachAux = <X>(aux: X): X => {
  if (aux instanceof Tensor) return detach(aux) as X;
  if (Array.isArray(aux)) return aux.map(detachAux) as X;
  if (aux !== null && typeof aux === 'object' && Object.getPrototypeOf(aux) === Object.prototype) {
    return Object.fromEntries(Object.entries(aux).map(([k, v]) => [k, detachAux(v)])) as X;
  }
  return aux;
};

/** The result of {@link valueAndGrad}: the function's value and its gradient with the arguments' structure. */
export interface ValueAndGrad<P extends TensorTree> {
  readonly value: Tensor;
  readonly grads: P;
}

const differentiate = <P extends TensorTree, R>(
  op: string,
  params: P,
  run: (traced: P) => R,
  lossOf: (result: R) => Tensor,
): { value: Tensor; grads: P; result: R } => {
  treeEntries(params).forEach(([path, x]) =>
    check(isFloat(x.dtype), op, () => `can only differentiate float tensors; ${path || 'the argument'} is ${x.dtype}${showShape(x.shape)}`),
  );
  const traced = treeMap(params, leaf);
  const result = run(traced);
  const value = lossOf(result);
  check(value.size === 1 && isFloat(value.dtype), op, () =>
    `the function must return a float scalar, got ${value.dtype}${showShape(value.shape)}`,
  );
  const leaves = backpropagate(value);
  const tracedLeaves = treeEntries(traced).map(([, t]) => t);
  let i = 0;
  const grads = treeMap(params, (x) => {
    const cotangent = leaves.get(tracedLeaves[i++]);
    return cotangent === undefined ? zerosLike(x) : cotangent;
  });
  return { value: detach(value), grads, result };
};

/**
 * Turns `f(params, ...rest)` into a function returning both `f`'s value and its gradient
 * with respect to `params` (a tensor or any tree of tensors); `rest` is not
 * differentiated. `f` must return a float scalar.
 *
 * @example
 * ```ts
 * const loss = (p: { w: Tensor; b: Tensor }, x: Tensor, y: Tensor) =>
 *   mean(square(sub(add(matmul(x, p.w), p.b), y)));
 * const { value, grads } = valueAndGrad(loss)(params, x, y);
 * grads.w; // same shape as params.w
 * ```
 */
export const valueAndGrad =
  <P extends TensorTree, A extends unknown[]>(f: (params: P, ...rest: A) => Tensor) =>
  (params: P, ...rest: A): ValueAndGrad<P> => {
    const { value, grads } = differentiate('valueAndGrad', params, (p) => f(p, ...rest), (loss) => loss);
    return { value, grads };
  };

/**
 * As {@link valueAndGrad}, for a function returning `[loss, aux]`: `aux` (logits,
 * metrics, new state) is returned alongside and not differentiated (JAX's `has_aux`).
 */
export const valueAndGradWithAux =
  <P extends TensorTree, A extends unknown[], X>(f: (params: P, ...rest: A) => readonly [Tensor, X]) =>
  (params: P, ...rest: A): ValueAndGrad<P> & { readonly aux: X } => {
    const { value, grads, result } = differentiate('valueAndGradWithAux', params, (p) => f(p, ...rest), ([loss]) => loss);
    return { value, grads, aux: detachAux(result[1]) };
  };

/**
 * The gradient of a scalar function with respect to its first argument, with that
 * argument's structure.
 *
 * @example
 * ```ts
 * const df = grad((x: Tensor) => sum(square(x)));
 * df(tensor([1, 2, 3])).toArray(); // [2, 4, 6]
 * ```
 */
export const grad =
  <P extends TensorTree, A extends unknown[]>(f: (params: P, ...rest: A) => Tensor) =>
  (params: P, ...rest: A): P =>
    valueAndGrad(f)(params, ...rest).grads;

/** The same values with no gradient flowing back through them (JAX's `stop_gradient`). */
export const stopGradient = detach;
