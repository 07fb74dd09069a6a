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
export const treeLeaves = (tree: TensorTree): Tensor[] => {
  const leaves: Tensor[] = [];
  const collect = (t: TensorTree): void => {
    if (t instanceof Tensor) leaves.push(t);
    else if (Array.isArray(t)) for (const sub of t as readonly TensorTree[]) collect(sub);
    else for (const key in t) collect((t as { readonly [key: string]: TensorTree })[key]);
  };
  collect(tree);
  return leaves;
};

/**
 * A tree of the same structure with `f` applied to every tensor.
 *
 * @example
 * ```ts
 * const halved = treeMap(params, (p) => mul(p, 0.5));
 * ```
 */
export const treeMap = <T extends TensorTree>(tree: T, f: (x: Tensor, path: string) => Tensor): T =>
  // Paths are strings built for every leaf: only when `f` takes one (training steps map
  // trees many times and never ask).
  (f.length >= 2 ? mapWithPath(tree, f, '') : mapLeaves(tree, f as (x: Tensor) => Tensor)) as T;

const mapLeaves = (tree: TensorTree, f: (x: Tensor) => Tensor): TensorTree => {
  if (tree instanceof Tensor) return f(tree);
  if (Array.isArray(tree)) return (tree as readonly TensorTree[]).map((sub) => mapLeaves(sub, f));
  const out: { [key: string]: TensorTree } = {};
  for (const key in tree) out[key] = mapLeaves((tree as { readonly [key: string]: TensorTree })[key], f);
  return out;
};

const mapWithPath = (tree: TensorTree, f: (x: Tensor, path: string) => Tensor, path: string): TensorTree => {
  if (tree instanceof Tensor) return f(tree, path);
  const join = (key: string | number): string => (path === '' ? `${key}` : `${path}/${key}`);
  if (isRecord(tree)) {
    return Object.fromEntries(Object.entries(tree).map(([key, sub]) => [key, mapWithPath(sub, f, join(key))]));
  }
  return tree.map((sub, i) => mapWithPath(sub, f, join(i)));
};

/** True when two trees have the same structure: the same keys in the same order, the same lengths, tensors at the same places. */
const sameStructure = (a: TensorTree, b: TensorTree): boolean => {
  if (a instanceof Tensor || b instanceof Tensor) return a instanceof Tensor && b instanceof Tensor;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return (a as readonly TensorTree[]).every((sub, i) => sameStructure(sub, (b as readonly TensorTree[])[i]));
  }
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const recordA = a as { readonly [key: string]: TensorTree };
  const recordB = b as { readonly [key: string]: TensorTree };
  return aKeys.every((key, i) => key === bKeys[i] && sameStructure(recordA[key], recordB[key]));
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
  rest.forEach((other) => {
    if (!sameStructure(first, other)) {
      const paths = (t: TensorTree): string =>
        treeEntries(t)
          .map(([p]) => p)
          .join(', ');
      throw new TensorError('treeZipWith', `trees differ in structure: [${paths(first)}] vs [${paths(other)}]`);
    }
  });
  const others = rest.map(treeLeaves);
  let i = 0;
  return treeMap(first, (x) => {
    const result = f(x, ...others.map((leaves) => leaves[i]));
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
