import { Tensor, tensor, type TensorTree } from '@axon/tensor';

/** A tensor as structured clone carries it between a worker and the page. */
interface TransferTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A params tree with plain arrays in place of tensors, for `postMessage`. */
export type TransferTree = TransferTensor | readonly TransferTree[] | { readonly [key: string]: TransferTree };

const isTransferTensor = (tree: TransferTree): tree is TransferTensor => (tree as TransferTensor).values instanceof Float32Array;

/** The float32 values of every tensor in a params tree, read back from any backend. */
export const toTransfer = (tree: TensorTree): TransferTree => {
  if (tree instanceof Tensor) return { shape: tree.shape, values: Float32Array.from(tree.values) };
  if (Array.isArray(tree)) return tree.map(toTransfer);
  return Object.fromEntries(Object.entries(tree as Record<string, TensorTree>).map(([name, child]) => [name, toTransfer(child)]));
};

/** The params tree back as tensors on the reference backend. */
export const fromTransfer = (tree: TransferTree): TensorTree => {
  if (isTransferTensor(tree)) return tensor(tree.values, { shape: tree.shape });
  if (Array.isArray(tree)) return tree.map(fromTransfer);
  return Object.fromEntries(Object.entries(tree as Record<string, TransferTree>).map(([name, child]) => [name, fromTransfer(child)]));
};
