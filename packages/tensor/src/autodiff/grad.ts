import { isFloat } from '../core/dtype.js';
import { check, showShape } from '../core/error.js';
import { Tensor, type Trace } from '../core/tensor.js';
import { add } from '../ops/arithmetic.js';
import { onesLike, zerosLike } from '../ops/creation.js';
import { treeEntries, treeLeaves, treeMap, type TensorTree } from '../tree/tree.js';
import { detach, leaf, release } from './record.js';

/**
 * The tensors of `trace` reachable from `output`, each after everything it depends on.
 * The walk follows only inputs that carry `trace`, so it stops at `trace`'s arguments
 * and never enters an enclosing differentiation's graph.
 */
const topologicalOrder = (output: Tensor, carries: (x: Tensor) => boolean): Tensor[] => {
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
      if (carries(input) && !visited.has(input)) {
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
 * Runs the vector-Jacobian products of `trace` from `output` back to `args` (its
 * differentiated arguments), summing the cotangents of tensors used more than once.
 * Returns the cotangent of each argument, `undefined` where `output` does not depend on it.
 *
 * `trace` has stopped recording, so the VJPs' ops record only for enclosing traces:
 * the result is then itself differentiable by them.
 */
const backpropagate = (output: Tensor, trace: Trace, args: readonly Tensor[]): (Tensor | undefined)[] => {
  const carries = (x: Tensor): boolean => x.node?.traces.includes(trace) === true;
  if (!carries(output)) return args.map(() => undefined);
  const isArgument = new Set(args);
  const cotangents = new Map<Tensor, Tensor>([[output, onesLike(detach(output))]]);
  const order = topologicalOrder(output, carries);
  for (let i = order.length - 1; i >= 0; i--) {
    const tensor = order[i];
    const cotangent = cotangents.get(tensor);
    const node = tensor.node;
    if (cotangent === undefined || node === undefined || isArgument.has(tensor)) continue;
    // Release intermediate cotangents as soon as they have been propagated.
    cotangents.delete(tensor);
    const needed = node.inputs.map(carries);
    const inputCotangents = node.vjp(cotangent, needed);
    node.inputs.forEach((input, j) => {
      const contribution = inputCotangents[j];
      if (!needed[j] || contribution === undefined) return;
      const previous = cotangents.get(input);
      cotangents.set(input, previous === undefined ? contribution : add(previous, contribution));
    });
  }
  return args.map((x) => cotangents.get(x));
};

/** Releases every tensor in an auxiliary result (see {@link release}). */
const releaseAux = <X>(aux: X): X => {
  if (aux instanceof Tensor) return release(aux) as X;
  if (Array.isArray(aux)) return aux.map(releaseAux) as X;
  if (aux !== null && typeof aux === 'object' && Object.getPrototypeOf(aux) === Object.prototype) {
    return Object.fromEntries(Object.entries(aux).map(([k, v]) => [k, releaseAux(v)])) as X;
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
  // Paths only to name a wrong leaf: a training step differentiates every step.
  if (!treeLeaves(params).every((x) => isFloat(x.dtype))) {
    treeEntries(params).forEach(([path, x]) =>
      check(
        isFloat(x.dtype),
        op,
        () => `can only differentiate float tensors; ${path || 'the argument'} is ${x.dtype}${showShape(x.shape)}`,
      ),
    );
  }
  const trace = { recording: true };
  const traced = treeMap(params, (x) => leaf(x, trace));
  let result: R;
  let value: Tensor;
  try {
    result = run(traced);
    value = lossOf(result);
  } finally {
    trace.recording = false;
  }
  check(
    value.size === 1 && isFloat(value.dtype),
    op,
    () => `the function must return a float scalar, got ${value.dtype}${showShape(value.shape)}`,
  );
  const cotangents = backpropagate(value, trace, treeLeaves(traced));
  let i = 0;
  const grads = treeMap(params, (x) => {
    const cotangent = cotangents[i++];
    return cotangent === undefined ? zerosLike(x) : release(cotangent);
  });
  return { value: release(value), grads, result };
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
    const { value, grads } = differentiate(
      'valueAndGrad',
      params,
      (p) => f(p, ...rest),
      (loss) => loss,
    );
    return { value, grads };
  };

/**
 * As {@link valueAndGrad}, for a function returning `[loss, aux]`: `aux` (logits,
 * metrics, new state) is returned alongside and not differentiated by this call
 * (JAX's `has_aux`); an enclosing differentiation still sees through it.
 */
export const valueAndGradWithAux =
  <P extends TensorTree, A extends unknown[], X>(f: (params: P, ...rest: A) => readonly [Tensor, X]) =>
  (params: P, ...rest: A): ValueAndGrad<P> & { readonly aux: X } => {
    const { value, grads, result } = differentiate(
      'valueAndGradWithAux',
      params,
      (p) => f(p, ...rest),
      ([loss]) => loss,
    );
    return { value, grads, aux: releaseAux(result[1]) };
  };

/**
 * The gradient of a scalar function with respect to its first argument, with that
 * argument's structure.
 *
 * Gradients nest, as in JAX: a backward pass that runs inside another differentiation
 * records itself, so `grad(grad(f))`, Hessian-vector products and gradient penalties
 * are exact.
 *
 * @example
 * ```ts
 * const df = grad((x: Tensor) => sum(square(x)));
 * df(tensor([1, 2, 3])).toArray(); // [2, 4, 6]
 *
 * const cube = (x: Tensor) => sum(mul(square(x), x));
 * grad((x: Tensor) => sum(grad(cube)(x)))(tensor([3])).toArray(); // [18]: d²(x³)/dx² = 6x
 * // A Hessian-vector product: the gradient of ⟨∇f(x), v⟩.
 * const hvp = (x: Tensor, v: Tensor) => grad((y: Tensor) => sum(mul(grad(cube)(y), v)))(x);
 * ```
 */
export const grad =
  <P extends TensorTree, A extends unknown[]>(f: (params: P, ...rest: A) => Tensor) =>
  (params: P, ...rest: A): P =>
    valueAndGrad(f)(params, ...rest).grads;

/** The same values with no gradient flowing back through them (JAX's `stop_gradient`). */
export const stopGradient = detach;
