import { Tensor } from '../core/tensor.js';
import { TensorError } from '../core/error.js';

/**
 * A structure of tensors: a tensor, an array of trees, or a record of trees, nested
 * to any depth. Model parameters, gradients and optimizer states are trees.
 */
export type TensorTree = Tensor | readonly TensorTree[] | { readonly [key: string]: TensorTree };

const isRecord = (tree: TensorTree): tree is { readonly [key: string]: TensorTree } =>
  !(tree instanceof Tensor) && !Array.isArray(tree);

/**
 * The tensors of a tree in a fixed order (array index order, record key insertion
 * order, depth first), each with its path such as `layers/0/kernel`.
 */
export const treeEntries = (tree: TensorTree, prefix = ''): [string, Tensor][] => {
  if (tree instanceof Tensor) return [[prefix, tree]];
  const join = (key: string | number): string => (prefix === '' ? `${key}` : `${prefix}/${key}`);
  if (isRecord(tree)) return Object.entries(tree).flatMap(([key, sub]) => treeEntries(sub, join(key)));
  return tree.flatMap((sub, i) => treeEntries(sub, join(i)));
};

/** The tensors of a tree, in {@link treeEntries} order. */
export const treeLeaves = (tree: TensorTree): Tensor[] => treeEntries(tree).map(([, t]) => t);

/**
 * A tree of the same structure with `f` applied to every tensor.
 *
 * @example
 * ```ts
 * const halved = treeMap(params, (p) => mul(p, 0.5));
 * ```
 */
export const treeMap = <T extends TensorTree>(tree: T, f: (x: Tensor, path: string) => Tensor): T =>
  mapWithPath(tree, f, '') as T;

const mapWithPath = (tree: TensorTree, f: (x: Tensor, path: string) => Tensor, path: string): TensorTree => {
  if (tree instanceof Tensor) return f(tree, path);
  const join = (key: string | number): string => (path === '' ? `${key}` : `${path}/${key}`);
  if (isRecord(tree)) {
    return Object.fromEntries(Object.entries(tree).map(([key, sub]) => [key, mapWithPath(sub, f, join(key))]));
  }
  return tree.map((sub, i) => mapWithPath(sub, f, join(i)));
};

/**
 * Combines trees of the same structure leaf by leaf.
 *
 * @example
 * ```ts
 * const sum = treeZipWith((a, b) => add(a, b), grads1, grads2);
 * ```
 */
export const treeZipWith = <T extends TensorTree>(
  f: (...xs: Tensor[]) => Tensor,
  first: T,
  ...rest: readonly T[]
): T => {
  const others = rest.map((t) => treeEntries(t));
  const mine = treeEntries(first);
  others.forEach((entries) => {
    const same = entries.length === mine.length && entries.every(([path], i) => path === mine[i][0]);
    if (!same) {
      throw new TensorError('treeZipWith', `trees differ in structure: [${mine.map(([p]) => p).join(', ')}] vs [${entries.map(([p]) => p).join(', ')}]`);
    }
  });
  let i = 0;
  return treeMap(first, (x) => {
    const result = f(x, ...others.map((entries) => entries[i][1]));
    i++;
    return result;
  });
};

/**
 * Rebuilds a tree shaped like `like` from tensors in {@link treeLeaves} order.
 */
export const treeUnflatten = <T extends TensorTree>(like: T, leaves: readonly Tensor[]): T => {
  const count = treeLeaves(like).length;
  if (count !== leaves.length) {
    throw new TensorError('treeUnflatten', `the tree has ${count} tensors but ${leaves.length} were given`);
  }
  let i = 0;
  return treeMap(like, () => leaves[i++]);
};
